// A spec checked and put in the shape every writer needs: options validated and in table order
// with enum names, slaves as objects, addresses and routes parsed with their family. Writers then
// list what their format cannot hold in `Leftovers`, which end up as a comment in the file:
// writing a config must not fail because, say, netplan has no key for lacp_active, but the reader
// of the file must see what was left out.
import { ValidationError } from '../../errors.js';
import { validateIfname } from '../../validate/names.js';
import { BOND_OPTION_DEFS, SLAVE_OPTION_DEFS, type BondOptionDef, type SlaveOptionKey } from '../../option-table.js';
import type { BondAddressSpec, BondRouteSpec, BondSlaveSpec, BondSpec, BondVlanSpec } from '../../plan/types.js';
import { SPEC_KEYS, normalizeVlans } from '../../plan/normalize.js';
import type { VlanProtocol } from '../../link/info.js';
import { checkKeys } from '../../validate/keys.js';
import { checkAddress, checkIfname, checkMac, checkMtu, checkRoute, checkSlaveOption, type Checked } from './checks.js';
import { parseCidr, type Cidr, type Family } from '../../validate/net.js';
import { canonicalOption, type OptionValue } from './values.js';

export interface ViewOption {
  def: BondOptionDef;
  value: OptionValue;
}

export interface ViewAddress {
  cidr: string;
  address: string;
  prefix: number;
  family: Family;
  broadcast?: string;
}

export interface ViewRoute {
  /** 'default' or a network CIDR. */
  destination: string;
  family: Family;
  gateway?: string;
  metric?: number;
}

/** A VLAN over the bond; `up` only when the spec gives it. */
export interface ViewVlan {
  name: string;
  id: number;
  protocol: VlanProtocol;
  up?: boolean;
  mtu?: number;
  addresses: ViewAddress[];
  routes: ViewRoute[];
}

export interface ExportView {
  name: string;
  options: ViewOption[];
  slaves: BondSlaveSpec[];
  activeSlave?: string;
  up?: boolean;
  mtu?: number;
  mac?: string;
  addresses: ViewAddress[];
  routes: ViewRoute[];
  vlans: ViewVlan[];
}


type Need = <T>(option: string, value: unknown, checked: Checked<T>) => T;

/** The addresses and routes of one link (the bond, a VLAN), parsed with their family. */
function addressingView(bond: string, prefix: string, addresses: unknown, routes: unknown, need: Need): Pick<ExportView, 'addresses' | 'routes'> {
  const view: Pick<ExportView, 'addresses' | 'routes'> = { addresses: [], routes: [] };
  for (const a of listField<string | BondAddressSpec>(bond, `${prefix}addresses`, addresses, true)) {
    const entry = typeof a === 'string' ? { address: a } : a;
    const { address, family } = need(`${prefix}addresses`, a, checkAddress(String(entry.address), entry.broadcast));
    const cidr = parseCidr(address.address) as Cidr;
    view.addresses.push({ cidr: cidr.text, address: cidr.address, prefix: cidr.prefix, family, ...(address.broadcast === undefined ? {} : { broadcast: address.broadcast }) });
  }
  for (const r of listField<BondRouteSpec>(bond, `${prefix}routes`, routes, false)) {
    const { route, family } = need(`${prefix}routes`, r, checkRoute({ destination: String(r.destination), gateway: r.gateway, metric: r.metric }));
    view.routes.push({ ...route, family });
  }
  return view;
}

/** A list field of a spec: an array of objects, or of names where the field takes them. */
function listField<T>(bond: string, field: string, value: unknown, names: boolean): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ValidationError({ option: field, value, allowed: 'an array', bond });
  for (const item of value as unknown[]) {
    const ok = (typeof item === 'object' && item !== null) || (names && typeof item === 'string');
    if (!ok) throw new ValidationError({ option: field, value: item, allowed: names ? 'a string or an object' : 'an object', bond });
  }
  return value as T[];
}

/** Checks a spec for writing; throws ValidationError on a bad field, as the API would. */
export function exportView(spec: BondSpec): ExportView {
  const name = validateIfname('name', spec.name);
  checkKeys(spec, SPEC_KEYS, name);
  if (spec.state === 'absent') {
    throw new ValidationError({ option: 'state', value: spec.state, allowed: "'present'", bond: name, message: `bond ${name} has state 'absent': a config file describes a bond that exists, so there is nothing to write` });
  }
  const need: Need = <T>(option: string, value: unknown, checked: Checked<T>): T => {
    if (checked.ok) return checked.value;
    throw new ValidationError({ option, value, allowed: checked.error, bond: name, message: `${checked.error} (${option} of bond ${name})` });
  };
  const view: ExportView = { name, options: [], slaves: [], ...addressingView(name, '', spec.addresses, spec.routes, need), vlans: [] };
  for (const option of BOND_OPTION_DEFS) {
    const value = (spec as unknown as Record<string, unknown>)[option.key];
    if (value !== undefined) view.options.push({ def: option, value: canonicalOption(option, value, name) });
  }
  for (const s of listField<string | BondSlaveSpec>(name, 'slaves', spec.slaves, true)) {
    const given: BondSlaveSpec = typeof s === 'string' ? { name: s } : s;
    checkKeys(given, ['name', ...SLAVE_OPTION_DEFS.map((def) => def.key)], name);
    const slave: BondSlaveSpec = { name: need('slaves', s, checkIfname('slaves', String(given.name))) };
    for (const { key } of SLAVE_OPTION_DEFS) {
      const value = given[key];
      if (value !== undefined) slave[key] = need(key, value, checkSlaveOption(key, value));
    }
    view.slaves.push(slave);
  }
  if (spec.activeSlave !== undefined) view.activeSlave = need('activeSlave', spec.activeSlave, checkIfname('activeSlave', String(spec.activeSlave)));
  if (spec.up !== undefined) view.up = spec.up;
  if (spec.mtu !== undefined) view.mtu = need('mtu', spec.mtu, checkMtu(spec.mtu));
  if (spec.mac !== undefined) view.mac = need('mac', spec.mac, checkMac(String(spec.mac)));
  if (spec.vlans !== undefined) {
    // The API's own rules (ids, names, protocols, up over a bond that is down, MTUs).
    const vlans = normalizeVlans({ name, present: true, options: {}, up: view.up ?? true, ...(view.mtu === undefined ? {} : { mtu: view.mtu }) }, spec.vlans);
    view.vlans = vlans.map((vlan, index) => {
      const given = (spec.vlans as BondVlanSpec[])[index] as BondVlanSpec;
      return {
        name: vlan.name,
        id: vlan.id,
        protocol: vlan.protocol,
        ...(given.up === undefined ? {} : { up: given.up }),
        ...(vlan.mtu === undefined ? {} : { mtu: vlan.mtu }),
        ...addressingView(name, `vlans[${index}].`, given.addresses, given.routes, need),
      };
    });
  }
  return view;
}

/** What a format cannot hold, written as a comment at the top of the file. */
export class Leftovers {
  readonly items: string[] = [];

  constructor(private readonly format: string) {}

  add(what: string): void {
    this.items.push(what);
  }

  option(option: ViewOption): void {
    this.add(`${option.def.key} (${option.def.ip}) = ${JSON.stringify(option.value)}`);
  }

  /** Every slave option of the view the format has no key for (all but `written`). */
  slaveOptions(view: ExportView, written: readonly SlaveOptionKey[] = []): void {
    for (const slave of view.slaves) {
      for (const { key } of SLAVE_OPTION_DEFS) {
        if (!written.includes(key) && slave[key] !== undefined) this.add(`${key} ${slave[key]} of ${slave.name}`);
      }
    }
  }

  /** Comment lines without the comment marker; empty when nothing was left out. */
  lines(): string[] {
    if (this.items.length === 0) return [];
    return [`netbond: ${this.format} cannot express the following, so they are not in this file:`, ...this.items.map((item) => `  ${item}`)];
  }
}

export const commentLines = (lines: string[], marker = '#') => lines.map((line) => `${marker} ${line}`.trimEnd());
