// The link helpers' one lookup: a link by name, refused with ENODEV naming it.
import type { NativeLink } from '../native.js';
import type { ResolvedNetns } from '../call/netns.js';
import { runSteps } from '../netlink/batch.js';

export async function lookupLink(netns: ResolvedNetns, name: string): Promise<NativeLink> {
  const [[link] = []] = await runSteps(netns, [{ request: { op: 'getlink', ifname: name }, action: `look up ${name}`, hints: { ENODEV: `${name} does not exist` } }]);
  if (!link) throw new Error(`netbond: no reply for ${name}`);
  return link;
}
