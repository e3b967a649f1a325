// The C++ width tables (native/netlink_attrs.cc) and the TypeScript option table kept in step: each
// attribute has the same number and name on both sides, and every option's value fits the width the
// addon encodes and decodes it with. Adding an option to one side only fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
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
