// setBondOptions: options equal to what the kernel reports are skipped; the backend applies the
// rest in the driver's order, reads back, verifies and puts back what it applied on a failure.
import { resolveCall, type CallOptions } from '../call/options.js';
import type { BondOptions } from '../option-table.js';
import { validateIfname } from '../validate/names.js';
import { normalizeBondOptions } from '../validate/options.js';
import { checkDriverHas, optionNeeds } from '../features/check.js';
import { backendOf } from '../backends/backend-of.js';
import { planOptionChanges } from '../bond/option-plan.js';
import type { BondState } from '../bond/state.js';

/** Changes options of an existing bond and returns its state as the kernel reports it after. */
export async function setBondOptions(name: string, options: BondOptions, opts: CallOptions = {}): Promise<BondState> {
  validateIfname('name', name);
  const call = resolveCall(opts, name);
  // What needs no kernel state first, so that bad input never costs a syscall.
  normalizeBondOptions(options, { bond: name, modeChecks: false });
  const backend = backendOf(call.backend);
  const current = await backend.readBond(call.netns, name, false);
  const plan = planOptionChanges(current, options);
  backend.checkSettable(name, plan.changes.map((change) => change.def));
  if (plan.changes.length === 0) return current;
  await checkDriverHas(call.netns, name, optionNeeds(plan.changes.map((change) => [change.def, change.value])));
  return backend.setBondOptions(call.netns, current, plan);
}
