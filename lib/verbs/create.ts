// createBond: validates the request without touching the kernel, then the backend creates the
// bond with its options, slaves and up state in the driver's order, verifies and rolls back.
import { ValidationError } from '../errors.js';
import { sameClientAs } from '../call/client-sockets.js';
import { resolveCall, type CallOptions } from '../call/options.js';
import type { BondOptions } from '../option-table.js';
import { checkKeys } from '../validate/keys.js';
import { validateIfname, validateSlaveNames } from '../validate/names.js';
import { OPTION_KEYS, normalizeBondOptions } from '../validate/options.js';
import { validateOptionalBoolean } from '../validate/values.js';
import { checkDriverHas, optionNeeds } from '../features/check.js';
import type { CreatePlan } from '../bond/backend.js';
import { backendOf } from '../backends/backend-of.js';
import type { BondState } from '../bond/state.js';
import { ModuleLoadWatch, type ModuleLoadReport } from '../bond/module-load.js';

export interface CreateBondOptions extends BondOptions, CallOptions {
  /** Interfaces to enslave right after creation; each is taken down first, as the kernel requires. */
  slaves?: readonly string[];
  /** Bring the bond up once its slaves are enslaved. Default false, as `ip link add`. */
  up?: boolean;
}

// Keys other than options are taken out first; this list only makes the typo hint complete.
const OPTION_KEYS_WITH_CREATE = [...OPTION_KEYS, 'slaves', 'up', 'netns', 'backend'];

/** Validates a createBond request without touching the kernel. */
export function planCreate(name: string, options: CreateBondOptions): CreatePlan {
  validateIfname('name', name);
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError({ option: 'options', value: options, allowed: 'an object', bond: name });
  }
  const { slaves: slaveInput, up, netns, backend, ...bondOptions } = options;
  checkKeys(bondOptions, OPTION_KEYS_WITH_CREATE, name);
  const call = resolveCall(sameClientAs(options, { netns, backend }), name);
  const slaves = slaveInput === undefined ? [] : validateSlaveNames(name, slaveInput);
  validateOptionalBoolean('up', up, name);
  const { mode, options: normalized } = normalizeBondOptions(bondOptions, { bond: name });
  return { name, call, slaves, up: up ?? false, mode, options: normalized };
}

/** The new bond's state, and what loading the bonding module made besides, when the create loaded it. */
export type CreatedBond = BondState & { moduleLoad?: ModuleLoadReport };

/** Creates a bond, optionally with options, slaves and up, and returns its state. */
export async function createBond(name: string, options: CreateBondOptions = {}): Promise<CreatedBond> {
  const plan = planCreate(name, options);
  const backend = backendOf(plan.call.backend);
  backend.checkSettable(name, plan.options.keys());
  // Before the first request: feature detection's trial bond can load the module too.
  const moduleLoad = await ModuleLoadWatch.start();
  await checkDriverHas(plan.call.netns, name, optionNeeds(plan.options));
  const state = await backend.createBond({ ...plan, moduleLoad });
  const loaded = await moduleLoad.report(plan.call.netns.path === '' ? [name] : []);
  return loaded ? { ...state, moduleLoad: loaded } : state;
}
