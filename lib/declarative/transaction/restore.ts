// Going back to a saved state: each bond's exact spec applied again, in the order an apply would
// take (newest bond first, a bond taking back a slave after the bond that has it, slaves two bonds
// took from each other released first), then the links no bond had put back up or down as they
// were. The same path serves a failed apply, an unconfirmed checkpoint, `netbond rollback` and the
// guard of a process that died: it needs nothing but the record. Each bond is verified afterwards
// by applyBond's own verifier: a saved value that did not come back is a failure of the restore,
// never a silent success.
import type { NetnsOption, ResolvedNetns } from '../../call/netns.js';
import { readLive } from '../../plan/live.js';
import { normalizeSpec, type NormalizedSpec } from '../../plan/normalize.js';
import { applyOrder, releaseFirstSteps } from '../../plan/order.js';
import { buildPlan } from '../../plan/plan.js';
import { verify } from '../../plan/verify.js';
import type { BondSpec } from '../../plan/types.js';
import { setLinkDown, setLinkUp } from '../../link/link.js';
import { runSteps } from '../../netlink/batch.js';
import { linkUp } from '../../netlink/decode.js';
import type { SavedLink } from './store.js';

/** Restores what it can; resolves with the failures (empty: everything is as it was). */
export async function restoreSaved(netns: ResolvedNetns, netnsOption: NetnsOption | undefined, before: readonly BondSpec[], freeLinks: readonly SavedLink[]): Promise<unknown[]> {
  const errors: unknown[] = [];
  const specs: NormalizedSpec[] = [];
  for (const saved of [...before].reverse()) {
    try {
      specs.push(normalizeSpec(saved));
    } catch (error) {
      errors.push(error);
    }
  }
  // Ordered as an apply orders them: a bond that takes back a slave another bond has now goes
  // after it, and slaves two bonds took from each other are released first.
  let ordered = specs;
  try {
    const [links = []] = await runSteps(netns, [{ request: { op: 'dumplinks' }, action: 'read links to order the restore' }]);
    const order = applyOrder(specs, links);
    ordered = order.ordered;
    for (const step of releaseFirstSteps(order.releasedFirst, netnsOption)) await step.run();
  } catch (error) {
    errors.push(error);
  }
  for (const spec of ordered) {
    try {
      for (const step of buildPlan(spec, await readLive(netns, spec.name), netnsOption, { restore: true })) await step.run();
      verify(spec, await readLive(netns, spec.name));
    } catch (error) {
      errors.push(error);
    }
  }
  try {
    const [links = []] = await runSteps(netns, [{ request: { op: 'dumplinks' }, action: 'read links to restore' }]);
    for (const saved of freeLinks) {
      const link = links.find((l) => l.ifname === saved.name);
      if (!link || link.master !== 0 || linkUp(link) === saved.up) continue;
      await (saved.up ? setLinkUp : setLinkDown)(saved.name, { netns: netnsOption });
    }
  } catch (error) {
    errors.push(error);
  }
  return errors;
}
