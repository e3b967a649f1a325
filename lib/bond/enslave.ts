// Enslaving, releasing and choosing the active slave of an existing bond.
import { runSteps, type Step } from '../netlink/batch.js';
import { resolveCall } from '../call/options.js';
import { validateIfname } from '../validate/names.js';
import type { CallOptions } from '../call/netns.js';
import { BOND_ATTR } from '../option-table.js';
import { readBond, readSteps, stateFrom } from './read.js';
import { activeSlaveHints, checkActiveSlave, findSlave } from './slave-checks.js';
import { enslaveSteps, lookupBondAndLinks, slavesToEnslave, undoEnslave, validateSlaveNames } from '../netlink/slaves.js';
import type { BondState } from './state.js';
import { enslaveSysfs, releaseSysfs, setActiveSlaveSysfs } from '../sysfs/write.js';

/**
 * Enslaves one or more interfaces. Each is taken down first (the kernel refuses an up device and
 * brings it up itself). Slaves already in this bond are left alone; a slave of another bond is
 * refused. If one fails, those enslaved by this call are released and restored.
 */
export async function enslave(bond: string, slaves: string | readonly string[], opts: CallOptions = {}): Promise<BondState> {
  validateIfname('bond', bond);
  const { netns, backend } = resolveCall(opts, bond);
  const names = validateSlaveNames(bond, slaves);
  if (backend === 'sysfs') return enslaveSysfs(netns, bond, names);
  const { bondLink, links } = await lookupBondAndLinks(netns, bond, names);
  const todo = await slavesToEnslave(netns, bond, bondLink.ifindex, links);
  const steps = [...enslaveSteps(bond, bondLink.ifindex, todo), ...readSteps(bond, { link: bondLink.ifindex })];
  try {
    return stateFrom(await runSteps(netns, steps), steps.length - 2, bond);
  } catch (error) {
    await undoEnslave(netns, bond, bondLink.ifindex, todo);
    throw error;
  }
}

/** Releases one or more slaves. The kernel leaves each released slave down. */
export async function release(bond: string, slaves: string | readonly string[], opts: CallOptions = {}): Promise<BondState> {
  validateIfname('bond', bond);
  const { netns, backend } = resolveCall(opts, bond);
  const names = validateSlaveNames(bond, slaves);
  if (backend === 'sysfs') return releaseSysfs(netns, bond, names);
  const current = await readBond(netns, bond);
  const steps: Step[] = names.map((name) => {
    const action = `release ${name} from ${bond}`;
    const slave = findSlave(current, name, action);
    return { request: { op: 'newlink', link: slave.ifindex, master: 0 }, action, bond, slave: name };
  });
  steps.push(...readSteps(bond, { link: current.ifindex }));
  return stateFrom(await runSteps(netns, steps), steps.length - 2, bond);
}

/**
 * Makes `slave` the active slave (active-backup, balance-tlb, balance-alb), or with null lets the
 * kernel choose again. Not sticky: a later link event re-runs the kernel's selection.
 */
export async function setActiveSlave(bond: string, slave: string | null, opts: CallOptions = {}): Promise<BondState> {
  validateIfname('bond', bond);
  const { netns, backend } = resolveCall(opts, bond);
  if (slave !== null) validateIfname('activeSlave', slave, bond);
  if (backend === 'sysfs') return setActiveSlaveSysfs(netns, bond, slave);
  const current = await readBond(netns, bond);
  const target = checkActiveSlave(current, slave);
  const steps: Step[] = [
    {
      request: { op: 'newlink', link: current.ifindex, kind: 'bond', infoData: [{ type: BOND_ATTR.ACTIVE_SLAVE, value: target?.ifindex ?? 0 }] },
      action: `set active slave of ${bond} to ${slave ?? 'none'}`,
      bond,
      slave: slave ?? undefined,
      option: 'activeSlave',
      hints: activeSlaveHints(bond, slave),
    },
    ...readSteps(bond, { link: current.ifindex }),
  ];
  return stateFrom(await runSteps(netns, steps), 1, bond);
}
