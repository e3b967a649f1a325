// Learning what the bonding driver has, from the kernel itself. First choice: a throwaway 802.3ad
// bond with a veth slave in a new, empty network namespace that ends with the detection (nothing of
// the caller's is touched or left behind), whose dump lists every attribute the driver sends,
// plus one throwaway bond per newer enum value, created with it (the driver refuses values it
// does not know with EINVAL). The kernel is the same in every namespace, so this runs once per
// process. Without CAP_SYS_ADMIN there is no new namespace: the bonds already in the caller's
// namespace tell what they can. With neither, nothing is known; the kernel then decides, and the
// read-back after every change stays the last line of defence.
import { constants } from 'node:os';
import type { ResolvedNetns } from '../call/netns.js';
import { encodeKindData } from '../link/kinds.js';
import { runSteps } from '../netlink/batch.js';
import { isNativeError, native, type NativeRtnlRequest } from '../native.js';
import { BOND_ATTR, BOND_MODES, BOND_OPTION_DEFS } from '../option-table.js';
import { featuresFromLinks, needsDriverCheck, type DriverFeatures } from './model.js';

const LACP = BOND_MODES.indexOf('802.3ad');
let detected: Promise<DriverFeatures | undefined> | undefined;

/** The driver's features, or undefined when they cannot be learned here. */
export async function driverFeatures(netns: ResolvedNetns): Promise<DriverFeatures | undefined> {
  // A failure that is not the kernel's answer (a bug, an addon that did not load) is not kept: the
  // next call tries again.
  detected ??= detectInNewNamespace().catch((error: unknown) => {
    detected = undefined;
    throw error;
  });
  const features = await detected;
  if (features) return features;
  // Not cached: the bonds of a namespace come and go.
  const [links = []] = await runSteps(netns, [{ request: { op: 'dumplinks' }, action: 'read bonds to learn what the bonding driver has' }]);
  return featuresFromLinks(links, 'existing bonds');
}

const bondRequest = (infoData: NativeRtnlRequest['infoData']): NativeRtnlRequest => ({ op: 'newlink', create: true, ifname: 'trial-bond', kind: 'bond', infoData });

async function detectInNewNamespace(): Promise<DriverFeatures | undefined> {
  let dump;
  try {
    const results = await native().rtnlBatchInNewNamespace([
      bondRequest([{ type: BOND_ATTR.MODE, value: LACP }]),
      { op: 'getlink', ifname: 'trial-bond' },
      { op: 'newlink', create: true, ifname: 'trial-slave', kind: 'veth', infoData: encodeKindData('veth', { peer: { name: 'trial-peer' } }) },
      { op: 'newlink', ifname: 'trial-slave', master: { fromRequest: 1 } },
      { op: 'dumplinks' },
    ]);
    dump = results[4] ?? [];
  } catch (error) {
    // No CAP_SYS_ADMIN (EPERM), no bonding driver (EOPNOTSUPP), no veth: learn it elsewhere.
    if (isNativeError(error)) return undefined;
    throw error;
  }
  return featuresFromLinks(dump, 'trial bond', await detectValues());
}

/** Each enum value newer than ASSUMED_KERNEL, tried at creation of its own throwaway bond. */
async function detectValues(): Promise<Map<string, Map<string, boolean>>> {
  const values = new Map<string, Map<string, boolean>>();
  for (const def of BOND_OPTION_DEFS) {
    if (def.value.kind !== 'enum' || !def.value.since) continue;
    const names = Object.keys(def.value.since).filter((value) => needsDriverCheck({ def, space: 'bond', value }));
    const found = new Map<string, boolean>();
    for (const name of names) {
      const index = def.value.names.indexOf(name);
      const mode = def.modes?.includes(LACP) ? [{ type: BOND_ATTR.MODE, value: LACP }] : [];
      try {
        await native().rtnlBatchInNewNamespace([bondRequest([...mode, { type: def.attr, value: index }])]);
        found.set(name, true);
      } catch (error) {
        if (!isNativeError(error)) throw error;
        // EINVAL is the driver not knowing the value; anything else says nothing about it.
        if (error.errnum === constants.errno.EINVAL) found.set(name, false);
      }
    }
    if (found.size > 0) values.set(def.key, found);
  }
  return values;
}
