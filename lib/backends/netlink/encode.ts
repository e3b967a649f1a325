// Encoding of validated option values into IFLA_BOND_* attributes, through the option table.
import type { NativeAttr } from '../../native.js';
import type { BondOptionDef } from '../../option-table.js';
import type { NormalizedOptions } from '../../validate/options.js';
import type { NormalizedValue } from '../../validate/values.js';
import { ipBytes, macBytes } from '../../validate/net.js';

/** Resolves an interface name (the `primary` option) to its ifindex; 0 clears. */
export type IfindexOf = (name: string | null) => number;

export function encodeOption(def: BondOptionDef, value: NormalizedValue | null, ifindexOf: IfindexOf): NativeAttr {
  const rule = def.value;
  switch (rule.kind) {
    case 'enum':
    case 'int':
      return { type: def.attr, value: value as number };
    case 'bool':
      return { type: def.attr, value: value ? 1 : 0 };
    case 'ipv4-list':
    case 'ipv6-list':
      return { type: def.attr, value: (value as string[]).map(ipBytes) };
    case 'mac':
      return { type: def.attr, value: macBytes(value as string) };
    case 'ifname':
      return { type: def.attr, value: ifindexOf(value as string | null) };
  }
}

export function encodeOptions(options: NormalizedOptions, ifindexOf: IfindexOf): NativeAttr[] {
  return [...options].map(([def, value]) => encodeOption(def, value, ifindexOf));
}
