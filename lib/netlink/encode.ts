// Encoding of validated option values into netlink attributes, and the reverse view used to
// compare what was asked with what the kernel reports.
import ipaddr from 'ipaddr.js';
import type { NativeAttr } from '../native.js';
import type { OptionSpec } from '../option-table.js';
import type { BondState } from '../bond/state.js';
import type { NormalizedOptions, NormalizedValue } from '../validate/options.js';

/** Resolves an interface name (the `primary` option) to its ifindex; 0 clears. */
export type IfindexOf = (name: string | null) => number;

export function encodeOption(spec: OptionSpec, value: NormalizedValue | null, ifindexOf: IfindexOf): NativeAttr {
  const v = spec.value;
  switch (v.kind) {
    case 'enum':
    case 'int':
      return { type: spec.attr, value: value as number };
    case 'bool':
      return { type: spec.attr, value: value ? 1 : 0 };
    case 'ipv4-list':
    case 'ipv6-list':
      return { type: spec.attr, value: (value as string[]).map((a) => Uint8Array.from(ipaddr.parse(a).toByteArray())) };
    case 'mac':
      return { type: spec.attr, value: Uint8Array.from((value as string).split(':').map((h) => parseInt(h, 16))) };
    case 'ifname':
      return { type: spec.attr, value: ifindexOf(value as string | null) };
  }
}

export function encodeOptions(options: NormalizedOptions, ifindexOf: IfindexOf): NativeAttr[] {
  return [...options].map(([spec, value]) => encodeOption(spec, value, ifindexOf));
}

/**
 * The value the kernel reports for an option, in the same normalized terms validation produces
 * (enum numbers, booleans, canonical address text). undefined when the kernel does not report it.
 */
export function reportedValue(spec: OptionSpec, state: BondState): NormalizedValue | null | undefined {
  if (spec.key === 'primary') return state.primary;
  const raw = (state as unknown as Record<string, unknown>)[spec.key];
  if (raw === undefined) return undefined;
  if (spec.value.kind === 'enum') return spec.value.names.indexOf(raw as string);
  return raw as NormalizedValue;
}

export function sameValue(a: NormalizedValue | null | undefined, b: NormalizedValue | null | undefined): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}
