// /proc/net/bonding/<bond> as the chosen network namespace sees it: readProcBonding parses all of
// it (for users on kernels whose netlink lacks what they need, and a third oracle in tests); the
// sysfs backend reads the slaves' speed and duplex from it.
import { constants } from 'node:os';
import { BondError } from '../errors.js';
import type { NativeFileResult } from '../native.js';
import { runFileSteps, type FileStep } from '../sysfs/files.js';
import { resolveCall } from '../call/options.js';
import { validateIfname } from '../validate/names.js';
import type { NetnsOption } from '../call/netns.js';
import type { ReportedLinkSpeed } from '../bond/state.js';
import { parseProcBonding, procSlaveSpeeds, type ProcBonding } from './parse.js';

/** The step that reads /proc/net/bonding/<name>; optional: null when there is no such bond. */
export function procBondingStep(name: string, optional = false): FileStep {
  return { request: { op: 'read', base: 'procnet', path: `bonding/${name}`, optional }, action: `read /proc/net/bonding/${name}`, bond: name };
}

/** Reads and parses /proc/net/bonding/<name> (in `netns` when given). */
export async function readProcBonding(name: string, opts: { netns?: NetnsOption } = {}): Promise<ProcBonding> {
  validateIfname('name', name);
  const { netns } = resolveCall(opts, name);
  try {
    const [text] = await runFileSteps(netns, [procBondingStep(name)]);
    return parseProcBonding(String(text));
  } catch (error) {
    if (error instanceof BondError && error.code === 'ENOENT') {
      throw new BondError({ errnum: constants.errno.ENODEV, syscall: 'procfs', action: `read /proc/net/bonding/${name}`, bond: name, hint: `no bond named ${name}` });
    }
    throw error;
  }
}

/** A slave's speed and duplex by name, as its bond holds them. */
export type SlaveSpeeds = ReadonlyMap<string, ReportedLinkSpeed>;

/**
 * The slaves' speeds from what a procBondingStep read (nothing when the bond was gone).
 *
 * Why the sysfs backend reads them here: one more file in the batch that reads the slaves' files,
 * holding every slave's, as the bond keeps them (what it asked the driver at the last link change,
 * and uses for 802.3ad and tlb/alb). /sys/class/net/<slave>/speed and duplex would be two files
 * per slave, each waiting for the RTNL lock, and refused (EINVAL) for a link that is down. The
 * netlink backend asks the drivers within its own batch (lib/backends/netlink/read.ts).
 */
export function slaveSpeedsFrom(result: NativeFileResult | undefined): SlaveSpeeds {
  return typeof result === 'string' ? procSlaveSpeeds(result) : new Map();
}
