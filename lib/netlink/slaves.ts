// Enslaving, releasing, choosing the active slave and setting slave options over rtnetlink;
// each ends with a read of the bond in the same batch.
import type { ResolvedNetns } from '../call/netns.js';
import { BOND_ATTR } from '../option-table.js';
import type { SlaveChange } from '../bond/backend.js';
import { activeSlaveHints } from '../bond/slave-checks.js';
import type { BondState, SlaveState } from '../bond/state.js';
import { runSteps, type Step } from './batch.js';
import { readSteps, stateFrom } from './read.js';
import { enslaveSteps, lookupBondAndLinks, slavesToEnslave, undoEnslave } from './slave-steps.js';

/** Runs `steps` and the read of `bond` after them, in one batch. */
async function runThenRead(netns: ResolvedNetns, bond: BondState | { name: string; ifindex: number }, steps: Step[]): Promise<BondState> {
  const all = [...steps, ...readSteps(bond.name, { link: bond.ifindex })];
  return stateFrom(await runSteps(netns, all), steps.length, bond.name);
}

export async function enslave(netns: ResolvedNetns, bond: string, names: readonly string[]): Promise<BondState> {
  const { bondLink, links } = await lookupBondAndLinks(netns, bond, names);
  const todo = await slavesToEnslave(netns, bond, bondLink.ifindex, links);
  try {
    return await runThenRead(netns, { name: bond, ifindex: bondLink.ifindex }, enslaveSteps(bond, bondLink.ifindex, todo));
  } catch (error) {
    await undoEnslave(netns, bond, bondLink.ifindex, todo);
    throw error;
  }
}

/** Releases the slaves; the kernel leaves each down. */
export function release(netns: ResolvedNetns, bond: BondState, slaves: readonly SlaveState[]): Promise<BondState> {
  const steps: Step[] = slaves.map((slave) => ({
    request: { op: 'newlink', link: slave.ifindex, master: 0 },
    action: `release ${slave.name} from ${bond.name}`,
    bond: bond.name,
    slave: slave.name,
  }));
  return runThenRead(netns, bond, steps);
}

export function setActiveSlave(netns: ResolvedNetns, bond: BondState, slave: SlaveState | null): Promise<BondState> {
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
export function setSlaveOptions(netns: ResolvedNetns, bond: BondState, slave: SlaveState, changes: readonly SlaveChange[]): Promise<BondState> {
  return runThenRead(netns, bond, [
    {
      request: { op: 'newlink', link: slave.ifindex, slaveData: changes.map(({ def, value }) => ({ type: def.attr, value })) },
      action: `set ${changes.map(({ def, value }) => `${def.key} ${value}`).join(', ')} on ${slave.name} in ${bond.name}`,
      bond: bond.name,
      slave: slave.name,
    },
  ]);
}
