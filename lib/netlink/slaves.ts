// The steps shared by createBond and enslave: look slaves up, check they are free, take each
// down (the kernel refuses to enslave an up device) and set its master; and the steps that undo
// that when a later step fails.
import { constants } from 'node:os';
import { BondError, ValidationError } from '../errors.js';
import { runEachUndo, runSteps, type Step } from './batch.js';
import type { NativeLink, NativeLinkRef } from '../native.js';
import { linkUpStep } from '../link/link.js';
import { validateIfname } from '../validate/names.js';
import type { ResolvedNetns } from '../call/netns.js';
import { bondLinkFrom, bondReadStep } from '../bond/read.js';

const IFF_UP = 0x1;

export function isUp(link: NativeLink): boolean {
  return (link.flags & IFF_UP) !== 0;
}

/** Validates a slave list: names, no duplicates, not the bond itself. */
export function validateSlaveNames(bond: string, slaves: unknown): string[] {
  const list = typeof slaves === 'string' ? [slaves] : slaves;
  if (!Array.isArray(list)) {
    throw new ValidationError({ option: 'slaves', value: slaves, allowed: 'an interface name or an array of them', bond });
  }
  const names = list.map((name) => validateIfname('slaves', name, bond));
  for (const [i, name] of names.entries()) {
    if (name === bond) {
      throw new ValidationError({
        option: 'slaves',
        value: name,
        allowed: 'interfaces other than the bond itself',
        bond,
        message: `Cannot enslave bond ${bond} to itself`,
      });
    }
    if (names.indexOf(name) !== i) {
      throw new ValidationError({ option: 'slaves', value: slaves, allowed: 'each interface at most once', bond });
    }
  }
  return names;
}

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
      throw new BondError({
        errnum: constants.errno.EBUSY,
        syscall: 'validate',
        action: `enslave ${name} -> ${bond}`,
        bond,
        slave: name,
        hint: `${name} is already enslaved to ${master}; release it from ${master} first`,
      });
    }
    todo.push(link);
  }
  return todo;
}

export function enslaveSteps(bond: string, master: NativeLinkRef, slaves: readonly NativeLink[]): Step[] {
  const steps: Step[] = [];
  for (const slave of slaves) {
    const base = { bond, slave: slave.ifname };
    if (isUp(slave)) steps.push(linkUpStep(slave.ifindex, slave.ifname, false, { ...base, action: `set ${slave.ifname} down to enslave it` }));
    steps.push({ ...base, request: { op: 'newlink', link: slave.ifindex, master }, action: `enslave ${slave.ifname} -> ${bond}` });
  }
  return steps;
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
    if (isUp(slave)) steps.push(linkUpStep(slave.ifindex, slave.ifname, true, { ...base, action: `roll back: set ${slave.ifname} up` }));
  }
  return runRollback(netns, steps);
}

/** Runs netlink undo steps one at a time (see runEachUndo). */
export function runRollback(netns: ResolvedNetns, steps: readonly Step[]): Promise<BondError[]> {
  return runEachUndo(steps, (step) => runSteps(netns, [step]));
}
