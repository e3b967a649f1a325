// Checks on an existing bond's slaves that both backends make before changing anything, and the
// refusal of a slave that belongs to another master.
import { constants } from 'node:os';
import { BondError, ValidationError } from '../errors.js';
import { BOND_MODES, MODES_WITH_ACTIVE_SLAVE } from '../option-table.js';
import type { BondState, SlaveState } from './state.js';

/** The slave of `bond` named `name`, or EINVAL naming the slaves it has. */
export function findSlave(bond: BondState, name: string, action: string): SlaveState {
  const slave = bond.slaves.find((s) => s.name === name);
  if (slave) return slave;
  throw new BondError({
    errnum: constants.errno.EINVAL,
    syscall: 'validate',
    action,
    bond: bond.name,
    slave: name,
    hint: `${name} is not a slave of ${bond.name} (slaves: ${bond.slaves.map((s) => s.name).join(', ') || 'none'})`,
  });
}

/** The slaves of `bond` to release, by name; EINVAL for the first name that is not one. */
export function slavesToRelease(bond: BondState, names: readonly string[]): SlaveState[] {
  return names.map((name) => findSlave(bond, name, `release ${name} from ${bond.name}`));
}

/**
 * EBUSY for a link enslaved to another master: the kernel would silently move it, which nobody
 * asks for by accident.
 */
export function slaveOfAnotherBondError(bond: string, slave: string, master: string): BondError {
  return new BondError({
    errnum: constants.errno.EBUSY,
    syscall: 'validate',
    action: `enslave ${slave} -> ${bond}`,
    bond,
    slave,
    hint: `${slave} is already enslaved to ${master}; release it from ${master} first`,
  });
}

/** setActiveSlave is for active-backup, balance-tlb and balance-alb, and for a slave of the bond. */
export function checkActiveSlave(bond: BondState, slave: string | null): SlaveState | null {
  if (!(MODES_WITH_ACTIVE_SLAVE as readonly number[]).includes(BOND_MODES.indexOf(bond.mode))) {
    throw new ValidationError({
      option: 'activeSlave',
      value: slave,
      allowed: 'mode active-backup, balance-tlb or balance-alb',
      bond: bond.name,
      message: `activeSlave is only supported in mode active-backup, balance-tlb, balance-alb; bond ${bond.name} is ${bond.mode}`,
    });
  }
  return slave === null ? null : findSlave(bond, slave, `set active slave of ${bond.name} to ${slave}`);
}

export function activeSlaveHints(bond: string, slave: string | null): Partial<Record<string, string>> {
  return { EINVAL: `${slave} must be up with link, and ${bond} must be up with a current active slave` };
}

/** A queue id within the bond's transmit queues and not used by another slave. */
export function checkQueueId(bond: BondState, slave: string, queueId: number): void {
  const fail = (message: string) =>
    new ValidationError({ option: 'queueId', value: queueId, allowed: `1-${bond.txQueues}, not used by another slave`, bond: bond.name, message });
  if (queueId > bond.txQueues) throw fail(`queueId ${queueId} of ${slave} is above the ${bond.txQueues} transmit queues of bond ${bond.name}`);
  const user = bond.slaves.find((s) => s.name !== slave && s.queueId === queueId);
  if (user) throw fail(`queueId ${queueId} is already used by ${user.name} in bond ${bond.name}`);
}
