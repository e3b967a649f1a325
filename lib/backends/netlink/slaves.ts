// Enslaving, releasing, choosing the active slave and setting slave options over rtnetlink;
// each ends with a read of the bond in the same batch.
import type { ResolvedNetns } from '../../call/netns.js';
import { BOND_ATTR } from '../../option-table.js';
import type { SlaveChange } from '../../bond/backend.js';
import { activeSlaveHints, slavesToRelease } from '../../bond/slave-checks.js';
import type { BondState, SlaveState } from '../../bond/state.js';
import type { NativeLink, NativeLinkRef } from '../../native.js';
import { failedStepOf, resultsBeforeFailure } from '../../call/run.js';
import { checkSlavesTakeMtu } from '../../validate/net.js';
import { failedExpectation, runSteps, type Step } from '../../netlink/batch.js';
import { readBondNetlink, readSteps, stateFrom } from './read.js';
import { enslaveSteps, expectSteps, lookupBondAndLinks, slaveToEnslave, slavesToEnslave, undoEnslave } from './slave-steps.js';

/** Runs `steps` and the read of `bond` after them, in one batch. */
async function runThenRead(netns: ResolvedNetns, bond: BondState | { name: string; ifindex: number }, steps: Step[]): Promise<BondState> {
  const all = [...steps, ...readSteps(bond.name, { link: bond.ifindex })];
  return stateFrom(await runSteps(netns, all), steps.length, bond.name);
}

/**
 * Enslaves in one batch when every link is free: the batch reads the bond and the links and stops
 * before any change unless the bond is one, no link has a master and each link takes the bond's
 * MTU. Otherwise (a link already ours, another master's, or one whose driver refuses the bond's
 * MTU) enslaveAfterReading reads first and decides, as the kernel would not.
 */
export async function enslaveNetlink(netns: ResolvedNetns, bond: string, names: readonly string[]): Promise<BondState> {
  const checks = expectSteps(bond, names, 0, { takesBondMtu: true });
  // Each link is taken down if the read in this batch says it is up.
  const changes = enslaveSteps(bond, { fromRequest: 0 }, names.map((ifname, i) => ({ ifname, link: { fromRequest: i + 1 }, up: { fromRequest: i + 1 } })));
  try {
    const results = await runSteps(netns, [...checks, ...changes, ...readSteps(bond, { link: { fromRequest: 0 } })]);
    return stateFrom(results, checks.length + changes.length, bond);
  } catch (error) {
    if (failedExpectation(error)) return enslaveAfterReading(netns, bond, names);
    const failed = failedStepOf(error) ?? 0;
    const before = resultsBeforeFailure(error) as NativeLink[][] | undefined;
    if (failed >= checks.length && before) {
      // The checks passed: the bond and the links as they were are their replies.
      const [[bondLink] = [], ...links] = before;
      await undoEnslave(netns, bond, (bondLink as NativeLink).ifindex, links.slice(0, names.length).map(([link]) => link as NativeLink));
    }
    throw error;
  }
}

async function enslaveAfterReading(netns: ResolvedNetns, bond: string, names: readonly string[]): Promise<BondState> {
  const { bondLink, links } = await lookupBondAndLinks(netns, bond, names);
  const todo = await slavesToEnslave(netns, bond, bondLink.ifindex, links);
  checkSlavesTakeMtu(bond, bondLink.mtu, todo);
  try {
    return await runThenRead(netns, { name: bond, ifindex: bondLink.ifindex }, enslaveSteps(bond, bondLink.ifindex, todo.map(slaveToEnslave)));
  } catch (error) {
    await undoEnslave(netns, bond, bondLink.ifindex, todo);
    throw error;
  }
}

/**
 * Releases the slaves (the kernel leaves each down) in one batch that stops before any change
 * unless each named link is a slave of the bond; otherwise the bond is read and the first link
 * that is not its slave refused by name.
 */
export async function releaseNetlink(netns: ResolvedNetns, bond: string, names: readonly string[]): Promise<BondState> {
  const checks = expectSteps(bond, names, { fromRequest: 0 });
  const changes = names.map((name, i) => releaseStep(bond, name, { fromRequest: i + 1 }));
  try {
    return stateFrom(await runSteps(netns, [...checks, ...changes, ...readSteps(bond, { link: { fromRequest: 0 } })]), checks.length + changes.length, bond);
  } catch (error) {
    if (!failedExpectation(error)) throw error;
    const current = await readBondNetlink(netns, bond);
    const slaves = slavesToRelease(current, names);
    return runThenRead(netns, current, slaves.map((slave) => releaseStep(bond, slave.name, slave.ifindex)));
  }
}

function releaseStep(bond: string, slave: string, link: NativeLinkRef): Step {
  return { request: { op: 'newlink', link, master: 0 }, action: `release ${slave} from ${bond}`, bond, slave };
}

export function setActiveSlaveNetlink(netns: ResolvedNetns, bond: BondState, slave: SlaveState | null): Promise<BondState> {
  const name = slave?.name ?? null;
  return runThenRead(netns, bond, [
    {
      request: { op: 'newlink', link: bond.ifindex, kind: 'bond', infoData: [{ type: BOND_ATTR.ACTIVE_SLAVE, value: slave?.ifindex ?? 0 }] },
      action: `set active slave of ${bond.name} to ${name ?? 'none'}`,
      bond: bond.name,
      slave: name ?? undefined,
      option: 'activeSlave',
      hints: activeSlaveHints(bond.name, name),
    },
  ]);
}

/** IFLA_BOND_SLAVE_* in one RTM_NEWLINK on the slave. */
export function setSlaveOptionsNetlink(netns: ResolvedNetns, bond: BondState, slave: SlaveState, changes: readonly SlaveChange[]): Promise<BondState> {
  return runThenRead(netns, bond, [
    {
      request: { op: 'newlink', link: slave.ifindex, slaveData: changes.map(({ def, value }) => ({ type: def.attr, value })) },
      action: `set ${changes.map(({ def, value }) => `${def.key} ${value}`).join(', ')} on ${slave.name} in ${bond.name}`,
      bond: bond.name,
      slave: slave.name,
    },
  ]);
}
