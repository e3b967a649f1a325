// One option value against its rule in the option table: type, range, enum names or numbers,
// address lists, MAC and interface-name rules. Whether the running kernel has a value newer than
// features/model.ts's ASSUMED_KERNEL is the driver check's question (features/check.ts).
import ipaddr from 'ipaddr.js';
import { ValidationError } from '../errors.js';
import type { OptionDef, ValueRule } from '../option-table.js';
import { ACTOR_SYSTEM_ALLOWED, MAC_ALLOWED, normalizeMac } from './net.js';
import { IFNAME_ALLOWED, validateIfname } from './names.js';

/** A validated option value in the kernel's terms. */
export type NormalizedValue = number | boolean | string | string[] | null;

function describe(def: ValueRule): string {
  switch (def.kind) {
    case 'enum':
      return `one of ${def.names.map((n) => `'${n}'`).join(', ')} (or 0-${def.names.length - 1})`;
    case 'int':
      return `integer between ${def.min} and ${def.max}`;
    case 'bool':
      return 'true or false';
    case 'ipv4-list':
      return `an array of at most ${def.max} unicast IPv4 addresses`;
    case 'ipv6-list':
      return `an array of at most ${def.max} unicast, non-loopback IPv6 addresses`;
    case 'mac':
      return def.zeroAllowed ? ACTOR_SYSTEM_ALLOWED : MAC_ALLOWED;
    case 'ifname':
      return `${IFNAME_ALLOWED}, or null for none`;
  }
}

/** Validates one value against its def and returns it in kernel terms. */
export function normalizeValue(def: OptionDef, value: unknown, bond?: string): NormalizedValue {
  const fail = (): never => {
    throw new ValidationError({ option: def.key, value, allowed: describe(def.value), bond });
  };
  const v = def.value;
  switch (v.kind) {
    case 'enum': {
      const index = typeof value === 'number' ? value : v.names.indexOf(value as string);
      if (!Number.isInteger(index) || index < 0 || index >= v.names.length) fail();
      return index;
    }
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < v.min || value > v.max) fail();
      return value as number;
    case 'bool':
      if (typeof value !== 'boolean') fail();
      return value as boolean;
    case 'ipv4-list':
    case 'ipv6-list':
      return normalizeAddressList(v.kind, v.max, value, fail);
    case 'mac':
      return normalizeMac(value, { zeroAllowed: v.zeroAllowed }) ?? fail();
    case 'ifname':
      // null: none (clears primary).
      if (value === null) return null;
      try {
        return validateIfname(def.key, value, bond);
      } catch {
        return fail();
      }
  }
}

function normalizeAddressList(kind: 'ipv4-list' | 'ipv6-list', max: number, value: unknown, fail: () => never): string[] {
  if (!Array.isArray(value) || value.length > max) fail();
  const out: string[] = [];
  for (const item of value as unknown[]) {
    if (typeof item !== 'string') fail();
    let parsed: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      parsed = ipaddr.parse(item as string);
    } catch {
      return fail();
    }
    const range = parsed.range();
    if (kind === 'ipv4-list') {
      if (parsed.kind() !== 'ipv4' || range === 'unspecified' || range === 'broadcast' || range === 'multicast') fail();
    } else if (parsed.kind() !== 'ipv6' || range === 'unspecified' || range === 'loopback' || range === 'multicast') {
      fail();
    }
    const text = parsed.toString();
    if (out.includes(text)) fail();
    out.push(text);
  }
  return out;
}


/** Node clamps a longer timer to 1 ms (a storm of wake-ups); 2^31-1 ms is the longest it keeps. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** An optional flag of a call or a spec: true, false or left out. */
export function validateOptionalBoolean(option: string, value: unknown, bond?: string): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') throw new ValidationError({ option, value, allowed: 'true or false', bond });
  return value;
}

/** An integer option of a call (a timeout, a buffer size, a count) within what it sizes. */
export function validateInteger(option: string, value: unknown, min: number, max: number, bond?: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError({ option, value, allowed: `integer between ${min} and ${max}`, bond });
  }
  return value;
}
