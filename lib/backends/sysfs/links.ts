// Looking up interfaces and changing their up/down state through sysfs: ifindex, flags, and the
// master symlink / upper_<bond> entry that an enslaved interface has.
import { constants } from 'node:os';
import { BondError } from '../../errors.js';
import { runFileSteps, type FileStep } from '../../sysfs/files.js';
import type { ResolvedNetns } from '../../call/netns.js';
import type { NativeLink } from '../../native.js';
import { runSteps } from '../../netlink/batch.js';
import { IFF_ALLMULTI, IFF_PROMISC, IFF_UP } from '../../netlink/constants.js';
import { read } from './read.js';

export interface SysfsLink {
  name: string;
  ifindex: number;
  flags: number;
  up: boolean;
  /** The bond (or other upper device) it is enslaved to, from its upper_<name> entry. */
  master: string | null;
  /** The MTUs its driver takes, which sysfs does not show: from the rtnetlink read of its flags. */
  minMtu?: number;
  maxMtu?: number;
}

const SOCKET_FLAGS = IFF_PROMISC | IFF_ALLMULTI;

/**
 * The flags to write back when only IFF_UP is to change. The sysfs flags file shows
 * promiscuous and all-multicast mode while any packet socket (tcpdump) asks for them, but a
 * write sets them as the administrator's own, so they would stay after the socket closes. The
 * kernel's view of what was asked for (dev_get_flags, the flags rtnetlink reports) replaces
 * those two bits; dev_change_flags ignores the read-only ones.
 */
async function writableFlags(netns: ResolvedNetns, name: string, shown: number): Promise<{ flags: number; link?: NativeLink }> {
  const [[link] = []] = await runSteps(netns, [{ request: { op: 'getlink', ifname: name }, action: `read the flags of ${name}` }]);
  return { flags: link === undefined ? shown : (shown & ~SOCKET_FLAGS) | (link.flags & SOCKET_FLAGS), link };
}

/** Reads the named interfaces; a missing one fails with ENODEV, as over netlink. */
export async function lookupLinksSysfs(netns: ResolvedNetns, bond: string, names: readonly string[]): Promise<Map<string, SysfsLink>> {
  const links = new Map<string, SysfsLink>();
  for (const name of names) {
    const steps: FileStep[] = [
      { ...read(`${name}/ifindex`), bond, slave: name },
      { ...read(`${name}/flags`), bond, slave: name },
      { request: { op: 'list', base: 'sys', path: name }, action: `list /sys/class/net/${name}`, bond, slave: name },
    ];
    let results;
    try {
      results = await runFileSteps(netns, steps);
    } catch (error) {
      if (error instanceof BondError && error.code === 'ENOENT') {
        throw new BondError({
          errnum: constants.errno.ENODEV,
          syscall: 'sysfs',
          action: `look up ${name} for bond ${bond}`,
          bond,
          slave: name,
          hint: `${name} does not exist in this network namespace`,
        });
      }
      throw error;
    }
    const entries = (results[2] as string[] | null) ?? [];
    const { flags, link } = await writableFlags(netns, name, parseInt(String(results[1]).trim(), 16));
    const upper = entries.includes('master') ? entries.find((e) => e.startsWith('upper_')) : undefined;
    links.set(name, {
      name,
      ifindex: Number(String(results[0]).trim()),
      flags,
      up: (flags & IFF_UP) !== 0,
      master: upper ? upper.slice('upper_'.length) : null,
      ...(link?.minMtu === undefined ? {} : { minMtu: link.minMtu }),
      ...(link?.maxMtu === undefined ? {} : { maxMtu: link.maxMtu }),
    });
  }
  return links;
}

/** A step that sets the link down or up by writing its flags (dev_change_flags). */
export function flagsStep(link: SysfsLink, up: boolean, action: string, bond?: string): FileStep {
  const flags = up ? link.flags | IFF_UP : link.flags & ~IFF_UP;
  return {
    request: { op: 'write', base: 'sys', path: `${link.name}/flags`, value: `0x${flags.toString(16)}` },
    action,
    bond,
    slave: link.name === bond ? undefined : link.name,
  };
}
