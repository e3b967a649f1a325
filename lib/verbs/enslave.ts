// enslave and release: slaves in and out of an existing bond.
import { resolveCall, type CallOptions } from '../call/options.js';
import { validateIfname, validateSlaveNames } from '../validate/names.js';
import { backendOf } from '../backends/backend-of.js';
import type { BondState } from '../bond/state.js';

/**
 * Enslaves one or more interfaces. Each is taken down first (the kernel refuses an up device and
 * brings it up itself). Slaves already in this bond are left alone; a slave of another bond is
 * refused. If one fails, those enslaved by this call are released and restored.
 */
export async function enslave(bond: string, slaves: string | readonly string[], opts: CallOptions = {}): Promise<BondState> {
  validateIfname('bond', bond);
  const { netns, backend } = resolveCall(opts, bond);
  const names = validateSlaveNames(bond, slaves);
  return backendOf(backend).enslave(netns, bond, names);
}

/** Releases one or more slaves. The kernel leaves each released slave down. */
export async function release(bond: string, slaves: string | readonly string[], opts: CallOptions = {}): Promise<BondState> {
  validateIfname('bond', bond);
  const { netns, backend } = resolveCall(opts, bond);
  const names = validateSlaveNames(bond, slaves);
  return backendOf(backend).release(netns, bond, names);
}
