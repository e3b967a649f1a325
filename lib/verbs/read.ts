// getBond and listBonds: bonds as the kernel reports them, through the chosen backend.
import { resolveCall, type CallOptions } from '../call/options.js';
import { validateIfname } from '../validate/names.js';
import { backendOf } from '../backends/backend-of.js';
import type { BondState } from '../bond/state.js';

export interface ReadOptions extends CallOptions {
  /** Include rx/tx packet and byte counters of the bond and each slave, and in 802.3ad the LACPDU counters (netlink only). */
  stats?: boolean;
}

/** One bond, its options as the kernel reports them, and its slaves. */
export async function getBond(name: string, opts: ReadOptions = {}): Promise<BondState> {
  validateIfname('name', name);
  const { netns, backend } = resolveCall(opts, name, ['stats']);
  return backendOf(backend).readBond(netns, name, opts.stats ?? false);
}

/** Every bond in the namespace, from a single dump. */
export async function listBonds(opts: ReadOptions = {}): Promise<BondState[]> {
  const { netns, backend } = resolveCall(opts, undefined, ['stats']);
  return backendOf(backend).listBonds(netns, opts.stats ?? false);
}
