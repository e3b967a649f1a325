// Checks on an existing bond's slaves that both backends make before changing anything.
import { constants } from 'node:os';
import { BondError, ValidationError } from '../errors.js';
import { BOND_MODES } from '../option-table.js';
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

const MODES_WITH_ACTIVE_SLAVE = [1, 5, 6];

/** setActiveSlave is for active-backup, balance-tlb and balance-alb, and for a slave of the bond. */
export function checkActiveSlave(bond: BondState, slave: string | null): SlaveState | null {
  if (!MODES_WITH_ACTIVE_SLAVE.includes(BOND_MODES.indexOf(bond.mode))) {
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
