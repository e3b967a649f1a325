// The spec `netbond export` writes for a live bond (the 'export' detail of specOfLive).
import { resolveCall, type CallOptions } from '../call/options.js';
import { readLive } from '../plan/live.js';
import { specOfLive } from '../plan/spec-of-live.js';
import type { BondSpec } from '../plan/types.js';
import { getBond } from '../verbs/read.js';

export async function specFromLive(name: string, call: CallOptions): Promise<BondSpec> {
  // getBond first: its ENODEV names the bond and the namespace as every verb does.
  await getBond(name, call);
  return specOfLive(name, await readLive(resolveCall(call, name).netns, name), 'export');
}
