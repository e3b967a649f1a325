// What the running kernel's bonding driver has, learned from the kernel (features/detect.ts), never
// from its version number: distribution kernels backport (Debian's 6.12 has upstream 6.18's
// actor_port_prio and 7.1's churn attributes, but not 6.17's broadcast_neighbor). Pure: the
// trial bond (detect.ts) hands its findings here.
import type { NativeLink } from '../native.js';
import type { KernelVersion, OptionDef } from '../option-table.js';

export interface DriverFeatures {
  /** IFLA_BOND_* numbers the driver has. */
  bondAttrs: ReadonlySet<number>;
  /** IFLA_BOND_SLAVE_* numbers the driver has. */
  slaveAttrs: ReadonlySet<number>;
  /** Per option key, what was learned of its newer enum values: accepted or not. Absent: unknown. */
  values: ReadonlyMap<string, ReadonlyMap<string, boolean>>;
  /** How they were learned: a throwaway bond in a private namespace, or the bonds already there. */
  source: 'trial bond' | 'existing bonds';
}

/**
 * Options and values older than this are in every kernel netbond runs on (Node.js 20 needs Linux
 * >= 4.18), so asking for them costs no detection. The table's `since` is the upstream version.
 */
export const ASSUMED_KERNEL: KernelVersion = [4, 18];

const newer = (since: KernelVersion | undefined): boolean =>
  since !== undefined && (since[0] > ASSUMED_KERNEL[0] || (since[0] === ASSUMED_KERNEL[0] && since[1] > ASSUMED_KERNEL[1]));

/** One thing a request needs from the driver: an option (bond or slave), maybe one enum value of it. */
export interface DriverNeed {
  def: OptionDef;
  space: 'bond' | 'slave';
  /** The value asked for, as validated (for the error message). */
  given?: unknown;
  /** An enum value's name. */
  value?: string;
}

/** Whether the need can only be answered by the kernel (newer than ASSUMED_KERNEL). */
export function needsDriverCheck(need: DriverNeed): boolean {
  if (newer(need.def.since)) return true;
  const rule = need.def.value;
  return need.value !== undefined && rule.kind === 'enum' && newer(rule.since?.[need.value]);
}

/**
 * The attribute numbers a driver has, from the links of one dump. An empty list is left out of
 * a dump (ARP and NS targets), and so are the primary and active slave when there is none and the
 * 802.3ad attributes in other modes; but the numbers are an append-only list in the kernel's
 * uapi, so a driver that sends number N knows every number below it.
 */
function attrsUpTo(dicts: readonly (Record<number, unknown> | undefined)[]): Set<number> {
  let highest = 0;
  for (const dict of dicts) for (const key of Object.keys(dict ?? {})) highest = Math.max(highest, Number(key));
  return new Set(Array.from({ length: highest }, (_, i) => i + 1));
}

/** Features from the bonds and slaves of a dump; undefined when there is no bond in it. */
export function featuresFromLinks(links: readonly NativeLink[], source: DriverFeatures['source'], values = new Map<string, Map<string, boolean>>()): DriverFeatures | undefined {
  const bonds = links.filter((link) => link.kind === 'bond');
  if (bonds.length === 0) return undefined;
  const slaves = links.filter((link) => link.slaveKind === 'bond');
  return { bondAttrs: attrsUpTo(bonds.map((b) => b.infoData)), slaveAttrs: attrsUpTo(slaves.map((s) => s.slaveData)), values, source };
}

/** What the driver lacks of this need: false when it has it or when that is not known. */
export function driverLacks(features: DriverFeatures | undefined, need: DriverNeed): boolean {
  if (!features || !needsDriverCheck(need)) return false;
  const attrs = need.space === 'bond' ? features.bondAttrs : features.slaveAttrs;
  // Slave attributes are only known when the dump had a slave.
  if (attrs.size > 0 && !attrs.has(need.def.attr)) return true;
  return need.value !== undefined && features.values.get(need.def.key)?.get(need.value) === false;
}
