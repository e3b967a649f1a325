// The C++ width tables (native/netlink_attrs.cc) and the TypeScript tables kept in step: each
// attribute has the same number and name on both sides, every bond option's value fits the width the
// addon encodes and decodes it with, and every link kind's fields (lib/link/kinds.ts) have the wire
// format of its C++ table, which kKinds gives the kind. Adding an option or a kind to one side only
// fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LINK_KINDS, PEER_LINK_FIELDS, type KindField } from '../../lib/link/kinds.js';
import { BOND_ATTR, BOND_OPTION_DEFS, SLAVE_ATTR, SLAVE_OPTION_DEFS, type OptionDef } from '../../lib/option-table.js';

const SOURCE = readFileSync(new URL('../../native/netlink_attrs.cc', import.meta.url), 'utf8');

/** One C++ table as number -> { format, name }, from its `F::Format, // N NAME` lines. */
function table(name: string): Map<number, { format: string; name: string }> {
  const body = new RegExp(`${name} = \\{([^}]*)\\};`, 'u').exec(SOURCE)?.[1];
  if (!body) throw new Error(`${name} not found in native/netlink_attrs.cc`);
  return new Map([...body.matchAll(/F::(\w+),\s*\/\/ (\d+) (\w+)/gu)].map((m) => [Number(m[2]), { format: m[1] as string, name: m[3] as string }]));
}

const MAX_OF: Record<string, number> = { U8: 0xff, U16: 0xffff, U32: 0xffffffff };

/** Whether the value rule of `def` fits the wire format the addon uses for its attribute. */
function fits(def: OptionDef, format: string): boolean {
  const rule = def.value;
  switch (rule.kind) {
    case 'bool':
      return format === 'U8';
    case 'enum':
      return format in MAX_OF && rule.names.length - 1 <= (MAX_OF[format] as number);
    case 'int':
      return format === 'S32' ? rule.min >= -(2 ** 31) && rule.max < 2 ** 31 : format in MAX_OF && rule.min >= 0 && rule.max <= (MAX_OF[format] as number);
    case 'ipv4-list':
      return format === 'Be32List';
    case 'ipv6-list':
      return format === 'In6List';
    case 'mac':
      return format === 'Mac6';
    case 'ifname':
      return format === 'U32'; // sent as the link's ifindex
  }
}

describe.each([
  ['kBond', BOND_ATTR, BOND_OPTION_DEFS],
  ['kBondSlave', SLAVE_ATTR, SLAVE_OPTION_DEFS],
] as const)('native/netlink_attrs.cc %s', (cppTable, attrs, defs) => {
  const native = table(cppTable);
  it('has every attribute number of the TypeScript table, by the same name', () => {
    for (const [name, number] of Object.entries(attrs)) expect(native.get(number)?.name, `${name} (${number})`).toBe(name);
  });
  it.each(defs.map((def) => [def.key, def] as const))('%s fits its wire format', (_key, def) => {
    const format = native.get(def.attr)?.format ?? 'missing';
    expect(fits(def, format), `${def.key}: ${def.value.kind} as ${format}`).toBe(true);
  });
});

/** kKinds' rows: kind -> [data table, slave data table or undefined]. */
function kindRows(): Map<string, { data: string; slave?: string }> {
  const body = /kKinds\[\] = \{([^;]*)\};/u.exec(SOURCE)?.[1] ?? '';
  return new Map([...body.matchAll(/\{"(\w+)", AttrSpace::(\w+), (?:AttrSpace::(\w+)|std::nullopt)\}/gu)].map((m) => [m[1] as string, { data: m[2] as string, ...(m[3] ? { slave: m[3] } : {}) }]));
}

/** The C++ table variable of an AttrSpace name (Vlan -> kVlan, BondSlave -> kBondSlave). */
const tableOf = (space: string) => `k${space}`;

/** Whether a field's values fit its wire format: every word's number, and the integer range. */
function valuesFit(field: KindField<unknown>): boolean {
  const max = field.wire === 'Be16' ? 0xffff : MAX_OF[field.wire];
  if (max === undefined) return field.range === undefined && field.words === undefined;
  const values = [...Object.values(field.words ?? {}), ...(field.range ?? [])];
  return values.every((v) => Number.isInteger(v) && v >= 0 && v <= max);
}

describe('link kinds: lib/link/kinds.ts and native/netlink_attrs.cc', () => {
  const rows = kindRows();
  it('kKinds has bond and every kind of the TypeScript table, each with a table of its own', () => {
    expect([...rows.keys()].sort()).toEqual(['bond', ...Object.keys(LINK_KINDS)].sort());
    expect(rows.get('bond')).toEqual({ data: 'Bond', slave: 'BondSlave' });
    const spaces = [...rows.values()].map((r) => r.data);
    expect(new Set(spaces).size).toBe(spaces.length);
  });
  const cases = [
    ...Object.entries(LINK_KINDS).map(([kind, fields]) => [kind, tableOf(rows.get(kind)?.data ?? `missing ${kind}`), fields] as const),
    ['veth peer', 'kPeerLink', PEER_LINK_FIELDS] as const,
  ];
  describe.each(cases)('%s (%s)', (_kind, cppTable, fields) => {
    const native = table(cppTable);
    const entries = Object.entries(fields) as [string, KindField<unknown>][];
    it.each(entries)('%s: same number, name and wire format on both sides; its values fit', (_key, field) => {
      expect(native.get(field.attr)).toEqual({ name: field.name, format: field.wire });
      expect(valuesFit(field)).toBe(true);
    });
    it('every attribute the C++ table knows has a TypeScript field (nothing encoded or decoded on one side only)', () => {
      const known = [...native].filter(([, e]) => e.format !== 'Unknown').map(([n]) => n).sort((a, b) => a - b);
      expect(known).toEqual(entries.map(([, f]) => f.attr).sort((a, b) => a - b));
    });
  });
});
