// Reading bonds over rtnetlink: one bond with its slaves (a get plus a dump filtered by master, in
// one batch), or every bond from a single dump; and the read steps other batches end with.
//
// The slaves' speed and duplex, which rtnetlink does not carry, come with the same reads
// (`portSpeeds`): the addon asks each port's driver through the batch's own socket (SIOCETHTOOL,
// what ethtool and /sys/class/net/<slave>/speed answer, and what bonding itself asks the driver at
// each link change for 802.3ad and tlb/alb), so a read stays one addon call. /proc/net/bonding,
// the bond's own copy, would be a second call beside each batch (measured: getBond 1.3 -> 2.2 ms
// in UML) and needs the namespace's path, which a client's kept sockets outlive.
import { notABondError } from '../../errors.js';
import type { NativeLink, NativeRtnlRequest } from '../../native.js';
import type { ResolvedNetns } from '../../call/netns.js';
import type { BondState } from '../../bond/state.js';
import { BOND_ATTR } from '../../option-table.js';
import { runSteps, type Step } from '../../netlink/batch.js';
import { decodeBond } from './decode.js';

/**
 * The kernel omits an empty NS target list from the dump. A driver that sends a higher attribute
 * number knows the option (the numbers are append-only), so its empty list is reported as [].
 */
const knowsNsTargets = (bond: NativeLink): boolean => Object.keys(bond.infoData ?? {}).some((attr) => Number(attr) > BOND_ATTR.NS_IP6_TARGET);

/**
 * Decodes a bond. Counters are kept only when they were asked for (`lacpStats` given): the
 * kernel sends IFLA_STATS64 with every link, and a state without them compares equal over time.
 */
export function toState(bond: NativeLink, slaves: readonly NativeLink[], lacpStats?: readonly NativeLink[]): BondState {
  const withStats = lacpStats !== undefined;
  const strip = (link: NativeLink): NativeLink => (withStats ? link : { ...link, stats: undefined });
  const byIfindex = new Map(lacpStats?.map((link) => [link.ifindex, link.lacpStats]));
  const state = decodeBond(strip(bond), slaves.map(strip), (ifindex) => byIfindex.get(ifindex));
  if (knowsNsTargets(bond)) state.nsIp6Target ??= [];
  return state;
}

const statsStep = (bond?: string): Step => ({ request: { op: 'dumpbondstats' }, action: 'read 802.3ad counters', bond });

type LinkSelector = Pick<NativeRtnlRequest, 'ifname' | 'link'>;

/** The step that reads the bond's own link; bondLinkFrom checks its reply is a bond. */
export function bondReadStep(bond: string, link: LinkSelector, stats = false): Step {
  return { request: { op: 'getlink', ...link, stats }, action: `read bond ${bond}`, bond };
}

/**
 * Steps that read a bond and its slaves; the bond is `link` (a name or a batch reference). With
 * stats, a third step reads the 802.3ad counters.
 */
export function readSteps(bond: string, link: LinkSelector, stats = false): Step[] {
  const steps: Step[] = [
    bondReadStep(bond, link, stats),
    {
      request: { op: 'dumplinks', master: link.link ?? { fromRequest: 0 }, stats, portSpeeds: true },
      action: `read slaves of ${bond}`,
      bond,
    },
  ];
  if (stats) steps.push(statsStep(bond));
  return steps;
}

/** Decodes the results of readSteps, placed at `offset` in a batch. */
export function stateFrom(results: NativeLink[][], offset: number, bond: string, stats = false): BondState {
  const link = bondLinkFrom(results[offset], bond);
  return toState(link, results[offset + 1] ?? [], stats ? results[offset + 2] : undefined);
}

/** The link a `getlink` step of `bond` returned, refused with EINVAL if it is not a bond. */
export function bondLinkFrom(reply: readonly NativeLink[] | undefined, bond: string): NativeLink {
  const link = reply?.[0];
  if (!link) throw new Error(`netbond: no reply for bond ${bond}`);
  if (link.kind !== 'bond') throw notABondError({ bond, action: `read bond ${bond}`, syscall: 'netlink', kind: link.kind ?? null });
  return link;
}

export async function readBondNetlink(netns: ResolvedNetns, name: string, stats = false): Promise<BondState> {
  const results = await runSteps(netns, readSteps(name, { ifname: name }, stats));
  return stateFrom(results, 0, name, stats);
}

/** Every bond in the namespace, from a single dump. */
export async function listBondsNetlink(netns: ResolvedNetns, stats = false): Promise<BondState[]> {
  const [links = [], lacpStats] = await runSteps(netns, [
    { request: { op: 'dumplinks', stats, portSpeeds: true }, action: 'list links' },
    ...(stats ? [statsStep()] : []),
  ]);
  const slavesOf = new Map<number, NativeLink[]>();
  for (const link of links) {
    if (link.master === 0 || link.slaveKind !== 'bond') continue;
    const list = slavesOf.get(link.master) ?? [];
    list.push(link);
    slavesOf.set(link.master, list);
  }
  return links.filter((link) => link.kind === 'bond').map((link) => toState(link, slavesOf.get(link.ifindex) ?? [], lacpStats));
}
