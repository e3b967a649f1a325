// setActiveSlave: which slave carries traffic in active-backup, balance-tlb and balance-alb.
import { resolveCall, type CallOptions } from '../call/options.js';
import { validateIfname } from '../validate/names.js';
import { backendOf } from '../backends/backend-of.js';
import { checkActiveSlave } from '../bond/slave-checks.js';
import type { BondState } from '../bond/state.js';

/**
 * Makes `slave` the active slave (active-backup, balance-tlb, balance-alb), or with null lets the
 * kernel choose again. Not sticky: a later link event re-runs the kernel's selection.
 */
export async function setActiveSlave(bond: string, slave: string | null, opts: CallOptions = {}): Promise<BondState> {
  validateIfname('bond', bond);
  const { netns, backend: name } = resolveCall(opts, bond);
  if (slave !== null) validateIfname('activeSlave', slave, bond);
  const backend = backendOf(name);
  const current = await backend.readBond(netns, bond, false);
  return backend.setActiveSlave(netns, current, checkActiveSlave(current, slave));
}
