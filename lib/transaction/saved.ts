// The state a transaction can go back to, read before its first change: each bond as an exact spec
// (specOfLive 'exact'), and every link it may enslave or release that no bond has now, with
// whether it is up (releasing a slave leaves it down; the kernel does not remember).
import type { ResolvedNetns } from '../call/netns.js';
import { readLive } from '../declarative/live.js';
import type { NormalizedSpec } from '../declarative/normalize.js';
import { specOfLive } from '../declarative/spec-of-live.js';
import type { BondSpec } from '../declarative/types.js';
import { runSteps } from '../netlink/batch.js';
import { linkUp } from '../netlink/decode.js';
import type { SavedLink } from './store.js';

export interface SavedState {
  before: BondSpec[];
  freeLinks: SavedLink[];
}

export async function saveState(netns: ResolvedNetns, specs: readonly NormalizedSpec[]): Promise<SavedState> {
  const before: BondSpec[] = [];
  const touched = new Set<string>();
  for (const spec of specs) {
    const live = await readLive(netns, spec.name);
    before.push(specOfLive(spec.name, live, 'exact'));
    for (const slave of live.state?.slaves ?? []) touched.add(slave.name);
    for (const slave of spec.slaves ?? []) touched.add(slave.name);
  }
  const [links = []] = await runSteps(netns, [{ request: { op: 'dumplinks' }, action: 'read the links a transaction may touch' }]);
  const freeLinks = links.filter((l) => touched.has(l.ifname) && l.master === 0).map((l) => ({ name: l.ifname, up: linkUp(l) }));
  return { before, freeLinks };
}
