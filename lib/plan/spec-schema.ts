// The fields of a BondSpec besides its bond options (those are option-table.ts), one table each
// for the spec, a slave, an address, a route and a VLAN: every key with its value type in the terms
// an argument spec uses, and a line on what it means. normalize.ts takes its key lists from here
// (its checks stay there); test/unit/ansible-collection.test.ts generates the Ansible module's
// argument spec and documentation of these fields from it (`npm run gen:ansible`). Each table is a
// record over its interface in types.ts, so a key missing here or unknown there fails to compile.
import { VLAN_PROTOCOLS } from '../link/info.js';
import { SLAVE_OPTION_DEFS, type BondOptions, type SlaveOptions } from '../option-table.js';
import type { BondAddressSpec, BondRouteSpec, BondSlaveSpec, BondSpec, BondVlanSpec } from './types.js';

export interface SpecField {
  /** The value's type as an argument spec names it. */
  type: 'str' | 'bool' | 'int' | 'list';
  /**
   * For a list: its elements. `dict` is an object of `fields`; `raw` is a string or an object of
   * `fields`, the string standing for its `shorthand` field alone.
   */
  elements?: 'str' | 'dict' | 'raw';
  fields?: SpecFields;
  shorthand?: string;
  choices?: readonly string[];
  required?: boolean;
  /** The value a left-out key means, where an argument spec fills it in. */
  default?: string;
  /** One line; `code` in backquotes. */
  description: string;
}

export type SpecFields = Readonly<Record<string, SpecField>>;
/** A table over every key of T: the compiler refuses a key left out or not in T. */
type FieldsOf<T> = { readonly [K in keyof Required<T>]: SpecField };

export const ROUTE_FIELDS: FieldsOf<BondRouteSpec> = {
  destination: { type: 'str', required: true, description: 'A network in CIDR notation, or `default`.' },
  gateway: { type: 'str', description: 'The next hop.' },
  metric: { type: 'int', description: "The route's metric." },
};

export const ADDRESS_FIELDS: FieldsOf<BondAddressSpec> = {
  address: { type: 'str', required: true, description: 'An IPv4 or IPv6 address in CIDR notation.' },
  broadcast: { type: 'str', description: 'The IPv4 broadcast address.' },
};

/** A slave's name, then its slave options in the option table's order. */
export const SLAVE_FIELDS: FieldsOf<BondSlaveSpec> = {
  name: { type: 'str', required: true, description: 'The interface to enslave.' },
  ...(Object.fromEntries(SLAVE_OPTION_DEFS.map((def) => [def.key, { type: 'int', description: `The slave option \`${def.ip}\`.` }])) as FieldsOf<SlaveOptions>),
};

export const VLAN_FIELDS: FieldsOf<BondVlanSpec> = {
  id: { type: 'int', required: true, description: 'The VLAN id, 1-4094.' },
  name: { type: 'str', description: "The VLAN's interface name; default `<bond>.<id>`." },
  protocol: { type: 'str', choices: Object.keys(VLAN_PROTOCOLS), description: 'The tag protocol; default `802.1Q`.' },
  up: { type: 'bool', description: 'Up (default as the bond) or down.' },
  mtu: { type: 'int', description: "The VLAN's MTU, at most the bond's." },
  addresses: { type: 'list', elements: 'raw', fields: ADDRESS_FIELDS, shorthand: 'address', description: "As the bond's `addresses`." },
  routes: { type: 'list', elements: 'dict', fields: ROUTE_FIELDS, description: "As the bond's `routes`: routes through the VLAN, which must be up." },
};

/** The spec's own keys, in the order SPEC_KEYS lists them after the bond options. */
export const BOND_FIELDS: FieldsOf<Omit<BondSpec, keyof BondOptions>> = {
  name: { type: 'str', required: true, description: "The bond's interface name." },
  state: { type: 'str', choices: ['present', 'absent'], default: 'present', description: '`absent` deletes the bond (its VLANs go with it).' },
  slaves: { type: 'list', elements: 'raw', fields: SLAVE_FIELDS, shorthand: 'name', description: 'The interfaces to enslave, in order (the first gives the bond its MAC address); the whole list.' },
  activeSlave: { type: 'str', description: 'The slave to make active (active-backup, balance-tlb, balance-alb).' },
  up: { type: 'bool', description: 'Bring the bond up (true, the default) or leave it down.' },
  mtu: { type: 'int', description: "The bond's MTU." },
  mac: { type: 'str', description: "The bond's MAC address." },
  addresses: {
    type: 'list',
    elements: 'raw',
    fields: ADDRESS_FIELDS,
    shorthand: 'address',
    description: 'IPv4 and IPv6 addresses in CIDR notation; the whole list, but addresses the kernel manages (IPv6 link-local) are left alone.',
  },
  routes: { type: 'list', elements: 'dict', fields: ROUTE_FIELDS, description: 'Routes through the bond; the whole list, but the connected routes of its addresses are left alone.' },
  vlans: {
    type: 'list',
    elements: 'dict',
    fields: VLAN_FIELDS,
    description:
      'VLANs over the bond (the bond as a trunk); a VLAN over the bond that is not listed is deleted. Taking the bond down for a mode change keeps the VLANs; what the kernel flushes (their IPv6 addresses and routes) is put back.',
  },
};

/** The keys of a table in its order: what checkKeys allows. */
export const fieldKeys = (fields: SpecFields): string[] => Object.keys(fields);

/** `{ id, name?, protocol? }`: the keys of a table for an error message, optional ones marked. */
export const fieldsText = (fields: SpecFields): string => `{ ${Object.entries(fields).map(([key, field]) => (field.required ? key : `${key}?`)).join(', ')} }`;
