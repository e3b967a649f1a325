// The steps shared by createBond and enslave over rtnetlink: look slaves up, check they are free,
// take each down (the kernel refuses to enslave an up device) and set its master; and the steps
// that undo that when a later step fails.
import { BondError } from '../../errors.js';
import type { NativeLink, NativeLinkRef } from '../../native.js';
import type { ResolvedNetns } from '../../call/netns.js';
import { slaveOfAnotherBondError } from '../../bond/slave-checks.js';
import { runRollback, runSteps, type Step } from '../../netlink/batch.js';
import { linkUp } from '../../netlink/decode.js';
import { linkUpStep } from '../../netlink/link-steps.js';
import { bondLinkFrom, bondReadStep } from './read.js';

function lookupSteps(bond: string, names: readonly string[]): Step[] {
  return names.map((name) => ({
    request: { op: 'getlink', ifname: name },
    action: `look up ${name} for bond ${bond}`,
    bond,
    slave: name,
    hints: { ENODEV: `${name} does not exist in this network namespace` },
  }));
}

const linksByName = (names: readonly string[], results: NativeLink[][], offset = 0): Map<string, NativeLink> =>
  new Map(names.map((name, i) => [name, (results[offset + i] as NativeLink[])[0] as NativeLink]));

/** Reads the named links in one batch; a missing one fails with ENODEV naming it. */
export async function lookupLinks(netns: ResolvedNetns, bond: string, names: readonly string[]): Promise<Map<string, NativeLink>> {
  return linksByName(names, await runSteps(netns, lookupSteps(bond, names)));
}

/** Reads the bond (refused if it is not one) and the named links, in one batch. */
export async function lookupBondAndLinks(
  netns: ResolvedNetns,
  bond: string,
  names: readonly string[],
): Promise<{ bondLink: NativeLink; links: Map<string, NativeLink> }> {
  const results = await runSteps(netns, [bondReadStep(bond, { ifname: bond }), ...lookupSteps(bond, names)]);
  return { bondLink: bondLinkFrom(results[0], bond), links: linksByName(names, results, 1) };
}

async function nameOfIfindex(netns: ResolvedNetns, ifindex: number): Promise<string> {
  try {
    const [[link] = []] = await runSteps(netns, [{ request: { op: 'getlink', link: ifindex }, action: 'look up master' }]);
    return link?.ifname ?? `ifindex ${ifindex}`;
  } catch {
    return `ifindex ${ifindex}`;
  }
}

/**
 * Returns the slaves that still need enslaving (already ours are skipped). A slave of another
 * master fails with EBUSY: the kernel would silently move it, which nobody asks for by accident.
 */
export async function slavesToEnslave(
  netns: ResolvedNetns,
  bond: string,
  bondIfindex: number | undefined,
  links: ReadonlyMap<string, NativeLink>,
): Promise<NativeLink[]> {
  const todo: NativeLink[] = [];
  for (const [name, link] of links) {
    if (bondIfindex !== undefined && link.master === bondIfindex) continue;
    if (link.master !== 0) {
      const master = await nameOfIfindex(netns, link.master);
      throw slaveOfAnotherBondError(bond, name, master);
    }
    todo.push(link);
  }
  return todo;
}

/** A link to enslave: its name, the link (an ifindex or a batch reference) and whether it is up. */
export interface SlaveToEnslave {
  ifname: string;
  link: NativeLinkRef;
  /** Whether it is up, or the getlink of the same batch that says so. */
  up: boolean | { fromRequest: number };
}

export const slaveToEnslave = (link: NativeLink): SlaveToEnslave => ({ ifname: link.ifname, link: link.ifindex, up: linkUp(link) });

/** Each slave taken down if it is up (the kernel refuses to enslave an up link), then enslaved. */
export function enslaveSteps(bond: string, master: NativeLinkRef, slaves: readonly SlaveToEnslave[]): Step[] {
  const steps: Step[] = [];
  for (const slave of slaves) {
    const base = { bond, slave: slave.ifname };
    if (slave.up !== false) {
      const down = linkUpStep(slave.link, slave.ifname, false, { ...base, action: `set ${slave.ifname} down to enslave it` });
      steps.push(slave.up === true ? down : { ...down, request: { ...down.request, onlyIfUp: slave.up } });
    }
    steps.push({ ...base, request: { op: 'newlink', link: slave.link, master }, action: `enslave ${slave.ifname} -> ${bond}` });
  }
  return steps;
}

/**
 * Steps that read the bond, refused unless it is a bond, and each named link, refused unless its
 * master is `master` (0: none; a reference to step 0: the bond) and, with `takesBondMtu`, unless
 * its driver takes the bond's MTU (enslaving gives it). Steps after them can refer to the bond as
 * `{ fromRequest: 0 }` and to the i-th link as `{ fromRequest: i + 1 }`.
 */
export function expectSteps(bond: string, names: readonly string[], master: NativeLinkRef, { takesBondMtu = false } = {}): Step[] {
  const bondStep = bondReadStep(bond, { ifname: bond });
  const mtu = takesBondMtu ? { expectMtuOf: { fromRequest: 0 } } : {};
  return [
    { ...bondStep, request: { ...bondStep.request, expectKind: 'bond' } },
    ...lookupSteps(bond, names).map((step) => ({ ...step, request: { ...step.request, expectMaster: master, ...mtu } })),
  ];
}

/**
 * Undo for enslaveSteps, from the links as they are now: release those that ended up in the bond
 * and bring back up those that were up before.
 */
export async function undoEnslave(netns: ResolvedNetns, bond: string, bondIfindex: number, before: readonly NativeLink[]): Promise<BondError[]> {
  let now: Map<string, NativeLink>;
  try {
    now = await lookupLinks(netns, bond, before.map((link) => link.ifname));
  } catch (error) {
    return error instanceof BondError ? [error] : [];
  }
  const steps: Step[] = [];
  for (const slave of before) {
    const base = { bond, slave: slave.ifname };
    const current = now.get(slave.ifname);
    if (current?.master === bondIfindex) {
      steps.push({ ...base, request: { op: 'newlink', link: slave.ifindex, master: 0 }, action: `roll back: release ${slave.ifname}` });
    }
    if (linkUp(slave)) steps.push(linkUpStep(slave.ifindex, slave.ifname, true, { ...base, action: `roll back: set ${slave.ifname} up` }));
  }
  return runRollback(netns, steps);
}
