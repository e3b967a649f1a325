// A BondSpec checked without touching the kernel and put in the shape the plan, the verifier and
// the config writers use: options validated, slaves as objects, addresses and routes parsed,
// VLANs with their names and defaults filled in. Every rule about what a spec may say is here.
import { ValidationError } from '../errors.js';
import type { ParsedRoute } from '../netlink/link-steps.js';
import { parseRoute } from '../link/routes.js';
import { VLAN_PROTOCOLS, type VlanProtocol } from '../link/info.js';
import { SLAVE_OPTION_DEFS, type BondOptions } from '../option-table.js';
import { optionNeeds, slaveOptionNeeds } from '../features/check.js';
import type { DriverNeed } from '../features/model.js';
import { checkKeys } from '../validate/keys.js';
import { checkSlaveList, validateIfname } from '../validate/names.js';
import { validateCidr, validateIp, validateMac, validateMtu } from '../validate/net.js';
import { OPTION_KEYS, normalizeBondOptions, type NormalizedOptions } from '../validate/options.js';
import { normalizeValue, validateInteger, validateOptionalBoolean } from '../validate/values.js';
import { BOND_FIELDS, ROUTE_FIELDS, SLAVE_FIELDS, VLAN_FIELDS, fieldKeys, fieldsText } from './spec-schema.js';
import type { BondAddressSpec, BondRouteSpec, BondSlaveSpec, BondSpec, BondVlanSpec } from './types.js';

export interface NormalizedAddress {
  text: string;
  family: 4 | 6;
  broadcast?: string;
}

export interface NormalizedRoute {
  spec: BondRouteSpec;
  parsed: ParsedRoute;
}

/** What a link (the bond, a VLAN) should carry; undefined lists are left as they are. */
export interface NormalizedAddressing {
  addresses?: NormalizedAddress[];
  routes?: NormalizedRoute[];
}

export interface NormalizedVlan extends NormalizedAddressing {
  name: string;
  id: number;
  protocol: VlanProtocol;
  up: boolean;
  mtu?: number;
}

export interface NormalizedSpec extends NormalizedAddressing {
  name: string;
  present: boolean;
  /** The options as the spec gives them, validated: what config writers and saved states keep. */
  options: BondOptions;
  /**
   * The same options normalized once (enum numbers, canonical addresses and MACs): what the plan,
   * the driver check and the verifier use. Mode rules are checked by the plan, against the bond.
   */
  normalizedOptions: NormalizedOptions;
  slaves?: BondSlaveSpec[];
  activeSlave?: string;
  up: boolean;
  mtu?: number;
  mac?: string;
  vlans?: NormalizedVlan[];
}

const SLAVE_KEYS_TEXT = SLAVE_OPTION_DEFS.map((def) => `${def.key}?`).join(', ');
/** Every key a BondSpec may have: checked here, and by the export view of a spec (formats/). */
export const SPEC_KEYS: readonly string[] = [...OPTION_KEYS, ...fieldKeys(BOND_FIELDS)];
const SLAVE_KEYS = fieldKeys(SLAVE_FIELDS);
const VLAN_KEYS = fieldKeys(VLAN_FIELDS);
const ROUTE_KEYS = fieldKeys(ROUTE_FIELDS);
const VLAN_TEXT = fieldsText(VLAN_FIELDS);
const ROUTE_TEXT = fieldsText(ROUTE_FIELDS);

/** What a present spec asks of the bonding driver: its options and its slaves' options. */
export function specNeeds(spec: NormalizedSpec): DriverNeed[] {
  if (!spec.present) return [];
  const slaveOptions = (spec.slaves ?? []).flatMap((slave) =>
    SLAVE_OPTION_DEFS.flatMap((def) => {
      const value = slave[def.key as keyof BondSlaveSpec];
      return value === undefined || typeof value === 'string' ? [] : [{ def, value }];
    }),
  );
  return [...optionNeeds(spec.normalizedOptions), ...slaveOptionNeeds(slaveOptions)];
}

/** Checks a spec without touching the kernel: every field, every option, every address. */
export function normalizeSpec(spec: BondSpec): NormalizedSpec {
  if (typeof spec !== 'object' || spec === null) throw new ValidationError({ option: 'spec', value: spec, allowed: 'a BondSpec object' });
  const name = validateIfname('name', spec.name);
  checkKeys(spec, SPEC_KEYS, name);
  const { state, slaves, activeSlave, up, mtu, mac, addresses, routes, vlans, ...options } = spec;
  delete (options as { name?: string }).name;
  if (state !== undefined && state !== 'present' && state !== 'absent') throw new ValidationError({ option: 'state', value: state, allowed: "'present' or 'absent'", bond: name });
  const { options: normalizedOptions } = normalizeBondOptions(options, { bond: name, modeChecks: false });
  const out: NormalizedSpec = { name, present: state !== 'absent', options, normalizedOptions, up: validateOptionalBoolean('up', up, name) ?? true };
  if (slaves !== undefined) out.slaves = normalizeSlaves(name, slaves);
  if (activeSlave !== undefined) out.activeSlave = validateIfname('activeSlave', activeSlave, name);
  if (mtu !== undefined) out.mtu = validateMtu(mtu, name);
  if (mac !== undefined) out.mac = validateMac('mac', mac, name);
  Object.assign(out, normalizeAddressing(name, name, '', addresses, routes));
  if (vlans !== undefined) out.vlans = normalizeVlans(out, vlans);
  return out;
}

function normalizeSlaves(name: string, slaves: unknown): BondSlaveSpec[] {
  if (!Array.isArray(slaves)) throw new ValidationError({ option: 'slaves', value: slaves, allowed: `an array of names or { name, ${SLAVE_KEYS_TEXT} }`, bond: name });
  const out = slaves.map((s: unknown) => {
    const slave = (typeof s === 'string' ? { name: s } : s) as BondSlaveSpec;
    if (typeof slave !== 'object' || slave === null) throw new ValidationError({ option: 'slaves', value: s, allowed: `a name or { name, ${SLAVE_KEYS_TEXT} }`, bond: name });
    checkKeys(slave, SLAVE_KEYS, name);
    validateIfname('slaves', slave.name, name);
    const out: BondSlaveSpec = { name: slave.name };
    for (const def of SLAVE_OPTION_DEFS) {
      const value = slave[def.key];
      if (value !== undefined) out[def.key] = normalizeValue(def, value, name) as number;
    }
    return out;
  });
  const names = out.map((s) => s.name);
  checkSlaveList(name, names, names);
  return out;
}

/**
 * The addresses and routes of one link. `prefix` names the field in errors ('' for the bond,
 * 'vlans[0].' for a VLAN); routes go through `link`.
 */
export function normalizeAddressing(bond: string, link: string, prefix: string, addresses: unknown, routes: unknown): NormalizedAddressing {
  const out: NormalizedAddressing = {};
  if (addresses !== undefined) {
    if (!Array.isArray(addresses)) throw new ValidationError({ option: `${prefix}addresses`, value: addresses, allowed: 'an array of CIDR strings or { address, broadcast? }', bond });
    out.addresses = addresses.map((a: unknown) => {
      const entry = (typeof a === 'string' ? { address: a } : a) as BondAddressSpec | null;
      const parsed = validateCidr(`${prefix}addresses`, entry?.address, bond);
      const normalized: NormalizedAddress = { text: parsed.text, family: parsed.family };
      if (entry?.broadcast !== undefined) {
        if (parsed.family !== 4) throw new ValidationError({ option: `${prefix}broadcast`, value: entry.broadcast, allowed: 'a broadcast address only for IPv4', bond });
        normalized.broadcast = validateIp(`${prefix}broadcast`, entry.broadcast, 4, bond);
      }
      return normalized;
    });
  }
  if (routes !== undefined) {
    if (!Array.isArray(routes)) throw new ValidationError({ option: `${prefix}routes`, value: routes, allowed: `an array of ${ROUTE_TEXT}`, bond });
    out.routes = routes.map((r: unknown) => {
      if (typeof r !== 'object' || r === null) throw new ValidationError({ option: `${prefix}routes`, value: r, allowed: `a ${ROUTE_TEXT} object`, bond });
      checkKeys(r, ROUTE_KEYS, bond);
      const route = r as BondRouteSpec;
      return { spec: route, parsed: parseRoute({ ...route, dev: link }, bond) };
    });
  }
  return out;
}

/**
 * The VLANs of a spec: names default to <bond>.<id>; each name and each (protocol, id) once; a
 * VLAN up only over a bond that is up (the kernel refuses ENETDOWN), routes only through a VLAN
 * that is up, and no larger MTU than the bond's when the spec gives both. Of the bond, only its
 * name, up and mtu are read: the importers pass one they are building.
 */
export function normalizeVlans(bond: Partial<NormalizedSpec> & Pick<NormalizedSpec, 'name' | 'up'>, vlans: unknown): NormalizedVlan[] {
  const name = bond.name;
  if (!Array.isArray(vlans)) throw new ValidationError({ option: 'vlans', value: vlans, allowed: `an array of ${VLAN_TEXT}`, bond: name });
  const out = vlans.map((v: unknown, index): NormalizedVlan => {
    const at = `vlans[${index}].`;
    if (typeof v !== 'object' || v === null) throw new ValidationError({ option: 'vlans', value: v, allowed: `a ${VLAN_TEXT} object`, bond: name });
    checkKeys(v, VLAN_KEYS, name);
    const vlan = v as BondVlanSpec;
    const id = validateInteger(`${at}id`, vlan.id, 1, 4094, name);
    const vlanName = validateIfname(`${at}name`, vlan.name ?? `${name}.${id}`, name);
    const protocol = vlan.protocol ?? '802.1Q';
    if (!Object.hasOwn(VLAN_PROTOCOLS, protocol)) throw new ValidationError({ option: `${at}protocol`, value: vlan.protocol, allowed: "'802.1Q' or '802.1ad'", bond: name });
    const up = validateOptionalBoolean(`${at}up`, vlan.up, name) ?? bond.up;
    if (up && !bond.up) throw new ValidationError({ option: `${at}up`, value: true, allowed: `false while ${name} is down (a VLAN is only up over a lower link that is up)`, bond: name });
    const normalized: NormalizedVlan = { name: vlanName, id, protocol, up, ...normalizeAddressing(name, vlanName, at, vlan.addresses, vlan.routes) };
    if (!up && (normalized.routes?.length ?? 0) > 0) throw new ValidationError({ option: `${at}routes`, value: vlan.routes, allowed: 'no routes through a VLAN that is down (the kernel keeps none through a link that is down)', bond: name });
    if (vlan.mtu !== undefined) {
      normalized.mtu = validateMtu(vlan.mtu, name);
      if (bond.mtu !== undefined && normalized.mtu > bond.mtu) throw new ValidationError({ option: `${at}mtu`, value: vlan.mtu, allowed: `at most the bond's mtu ${bond.mtu}`, bond: name });
    }
    return normalized;
  });
  const seen = new Set<string>([name]);
  for (const vlan of out) {
    for (const key of [vlan.name, `${vlan.protocol} id ${vlan.id}`]) {
      if (seen.has(key)) throw new ValidationError({ option: 'vlans', value: key, allowed: 'each VLAN name and each protocol and id once, no VLAN named as the bond', bond: name, message: `${key} is given twice in the VLANs of ${name}` });
      seen.add(key);
    }
  }
  return out;
}
