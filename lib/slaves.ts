// Enslaving, releasing and choosing the active slave of an existing bond.
import { constants } from 'node:os';
import { BondError, ValidationError } from './errors.js';
import { runSteps, type Step } from './batch.js';
import { validateIfname } from './names.js';
import { resolveNetns, type CallOptions } from './netns.js';
import { BOND_ATTR, BOND_MODES } from './options.js';
import { readBond, readSteps, stateFrom } from './read.js';
import { enslaveSteps, lookupLinks, slavesToEnslave, undoEnslave, validateSlaveNames } from './slave-steps.js';
import type { BondState } from './state.js';
import { checkKeys } from './validate.js';

const CALL_KEYS = ['netns'];

/**
 * Enslaves one or more interfaces. Each is taken down first (the kernel refuses an up device and
 * brings it up itself). Slaves already in this bond are left alone; a slave of another bond is
 * refused. If one fails, those enslaved by this call are released and restored.
 */
export async function enslave(bond: string, slaves: string | readonly string[], opts: CallOptions = {}): Promise<BondState> {
  validateIfname('bond', bond);
  checkKeys(opts, CALL_KEYS, bond);
  const names = validateSlaveNames(bond, slaves);
  const netns = resolveNetns(opts.netns);
  const current = await readBond(netns, bond);
  const todo = await slavesToEnslave(netns, bond, current.ifindex, await lookupLinks(netns, bond, names));
  const steps = [...enslaveSteps(bond, current.ifindex, todo), ...readSteps(bond, { link: current.ifindex })];
  try {
    return stateFrom(await runSteps(netns, steps), steps.length - 2, bond);
  } catch (error) {
    await undoEnslave(netns, bond, current.ifindex, todo);
    throw error;
  }
}

/** Releases one or more slaves. The kernel leaves each released slave down. */
export async function release(bond: string, slaves: string | readonly string[], opts: CallOptions = {}): Promise<BondState> {
  validateIfname('bond', bond);
  checkKeys(opts, CALL_KEYS, bond);
  const names = validateSlaveNames(bond, slaves);
  const netns = resolveNetns(opts.netns);
  const current = await readBond(netns, bond);
  const steps: Step[] = names.map((name) => {
    const slave = current.slaves.find((s) => s.name === name);
    if (!slave) {
      throw new BondError({
        errnum: constants.errno.EINVAL,
        syscall: 'validate',
        action: `release ${name} from ${bond}`,
        bond,
        slave: name,
        hint: `${name} is not a slave of ${bond}`,
      });
    }
    return { request: { op: 'newlink', link: slave.ifindex, master: 0 }, action: `release ${name} from ${bond}`, bond, slave: name };
  });
  steps.push(...readSteps(bond, { link: current.ifindex }));
  return stateFrom(await runSteps(netns, steps), steps.length - 2, bond);
}

const MODES_WITH_ACTIVE_SLAVE = [1, 5, 6];

/**
 * Makes `slave` the active slave (active-backup, balance-tlb, balance-alb), or with null lets the
 * kernel choose again. Not sticky: a later link event re-runs the kernel's selection.
 */
export async function setActiveSlave(bond: string, slave: string | null, opts: CallOptions = {}): Promise<BondState> {
  validateIfname('bond', bond);
  checkKeys(opts, CALL_KEYS, bond);
  if (slave !== null) validateIfname('activeSlave', slave, bond);
  const netns = resolveNetns(opts.netns);
  const current = await readBond(netns, bond);
  const modeIndex = BOND_MODES.indexOf(current.mode);
  if (!MODES_WITH_ACTIVE_SLAVE.includes(modeIndex)) {
    throw new ValidationError({
      option: 'activeSlave',
      value: slave,
      allowed: 'mode active-backup, balance-tlb or balance-alb',
      bond,
      message: `activeSlave is only supported in mode active-backup, balance-tlb, balance-alb; bond ${bond} is ${current.mode}`,
    });
  }
  let ifindex = 0;
  if (slave !== null) {
    const found = current.slaves.find((s) => s.name === slave);
    if (!found) {
      throw new BondError({
        errnum: constants.errno.EINVAL,
        syscall: 'validate',
        action: `set active slave of ${bond} to ${slave}`,
        bond,
        slave,
        hint: `${slave} is not a slave of ${bond} (slaves: ${current.slaves.map((s) => s.name).join(', ') || 'none'})`,
      });
    }
    ifindex = found.ifindex;
  }
  const steps: Step[] = [
    {
      request: { op: 'newlink', link: current.ifindex, kind: 'bond', infoData: [{ type: BOND_ATTR.ACTIVE_SLAVE, value: ifindex }] },
      action: `set active slave of ${bond} to ${slave ?? 'none'}`,
      bond,
      slave: slave ?? undefined,
      option: 'activeSlave',
      hints: { EINVAL: `${slave} must be up with link, and ${bond} must be up with a current active slave` },
    },
    ...readSteps(bond, { link: current.ifindex }),
  ];
  return stateFrom(await runSteps(netns, steps), 1, bond);
}
