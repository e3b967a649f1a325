// The state a transaction can go back to, read before its first change: each bond as an exact spec
// (specOfLive 'exact'), and every link it may enslave or release that no bond has now, with
// whether it is up (releasing a slave leaves it down; the kernel does not remember).
import type { NormalizedSpec } from '../../plan/normalize.js';
import { specOfLive } from '../../plan/spec-of-live.js';
import type { BondSpec, LiveBond } from '../../plan/types.js';
import { linkUp } from '../../netlink/decode.js';
import type { SavedLink } from './store.js';

export interface SavedState {
  before: BondSpec[];
  freeLinks: SavedLink[];
}

/**
 * The state to go back to, from each bond as read (`lives`, in the order of `specs`, read under
 * the transaction's lock before any change). Every read holds every link, so the last one says
 * which links are free.
 */
export function savedState(specs: readonly NormalizedSpec[], lives: ReadonlyMap<string, LiveBond>): SavedState {
  const before: BondSpec[] = [];
  const touched = new Set<string>();
  let links: LiveBond['links'] = [];
  for (const spec of specs) {
    const live = lives.get(spec.name) as LiveBond;
    before.push(specOfLive(spec.name, live, 'exact'));
    for (const slave of live.state?.slaves ?? []) touched.add(slave.name);
    for (const slave of spec.slaves ?? []) touched.add(slave.name);
    links = live.links;
  }
  const freeLinks = links.filter((l) => touched.has(l.ifname) && l.master === 0).map((l) => ({ name: l.ifname, up: linkUp(l) }));
  return { before, freeLinks };
}
