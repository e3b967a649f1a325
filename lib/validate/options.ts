// Validation of user options, once, before any syscall: types and ranges per value, unknown keys
// (with a suggestion), the running kernel's version, the mode an option needs, and the rules
// between options (MII vs ARP monitoring, delays in units of miimon).
import ipaddr from 'ipaddr.js';
import { ValidationError, formatValue } from '../errors.js';
import { validateIfname } from './names.js';
import {
  BOND_MODES,
  OPTION_BY_KEY,
  OPTION_SPECS,
  type BondOptions,
  type KernelVersion,
  type OptionSpec,
  type SpecBase,
  type ValueSpec,
} from '../option-table.js';

/** A validated option value in the kernel's terms. */
export type NormalizedValue = number | boolean | string | string[];

/** Options after validation: enum names resolved to kernel numbers, in kernel order. */
export type NormalizedOptions = Map<OptionSpec, NormalizedValue>;

export function kernelVersionOf(release: string): KernelVersion {
  const match = /^(\d+)\.(\d+)/u.exec(release);
  return match ? [Number(match[1]), Number(match[2])] : [0, 0];
}

export function atLeast(version: KernelVersion, wanted: KernelVersion): boolean {
  return version[0] > wanted[0] || (version[0] === wanted[0] && version[1] >= wanted[1]);
}

const formatVersion = (v: KernelVersion) => `${v[0]}.${v[1]}`;

function describe(spec: ValueSpec): string {
  switch (spec.kind) {
    case 'enum':
      return `one of ${spec.names.map((n) => `'${n}'`).join(', ')} (or 0-${spec.names.length - 1})`;
    case 'int':
      return `integer between ${spec.min} and ${spec.max}`;
    case 'bool':
      return 'true or false';
    case 'ipv4-list':
      return `an array of at most ${spec.max} unicast IPv4 addresses`;
    case 'ipv6-list':
      return `an array of at most ${spec.max} unicast, non-loopback IPv6 addresses`;
    case 'mac':
      return 'a unicast MAC address such as 02:00:00:00:00:01';
    case 'ifname':
      return 'an interface name of 1-15 bytes without "/", ":" or whitespace';
  }
}

/** Validates one value against its spec and returns it in kernel terms. */
export function normalizeValue(spec: SpecBase, value: unknown, kernel: KernelVersion, bond?: string): NormalizedValue {
  const fail = (): never => {
    throw new ValidationError({ option: spec.key, value, allowed: describe(spec.value), bond });
  };
  const v = spec.value;
  switch (v.kind) {
    case 'enum': {
      const index = typeof value === 'number' ? value : v.names.indexOf(value as string);
      if (!Number.isInteger(index) || index < 0 || index >= v.names.length) fail();
      const name = v.names[index] as string;
      const since = v.since?.[name];
      if (since && !atLeast(kernel, since)) {
        throw new ValidationError({
          option: spec.key,
          value,
          allowed: describe(v),
          bond,
          message: `${spec.key} '${name}' needs Linux >= ${formatVersion(since)}; this kernel is ${formatVersion(kernel)}`,
        });
      }
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
    case 'mac': {
      if (typeof value !== 'string' || !/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/iu.test(value)) fail();
      const mac = (value as string).toLowerCase();
      // Multicast (group bit) and all-zero addresses are refused by the kernel.
      if (parseInt(mac.slice(0, 2), 16) & 1 || mac === '00:00:00:00:00:00') fail();
      return mac;
    }
    case 'ifname':
      try {
        return validateIfname(spec.key, value, bond);
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

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] as number;
      row[j] = Math.min(cur + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] as number;
}

function unknownKey(key: string, allowedKeys: readonly string[], bond?: string): ValidationError {
  const near = allowedKeys
    .map((k) => ({ k, d: levenshtein(key.toLowerCase(), k.toLowerCase()) }))
    .filter(({ d }) => d <= 3)
    .sort((x, y) => x.d - y.d)[0];
  const hint = near ? `; did you mean '${near.k}'?` : '';
  return new ValidationError({
    option: key,
    value: key,
    allowed: `one of ${allowedKeys.join(', ')}`,
    bond,
    message: `Unknown option '${key}'${bond === undefined ? '' : ` for bond ${bond}`}${hint} Known options: ${allowedKeys.join(', ')}`,
  });
}

/** Rejects keys outside `allowed`, with a suggestion for a misspelling. */
export function checkKeys(input: object, allowed: readonly string[], bond?: string): void {
  for (const key of Object.keys(input)) {
    if (!allowed.includes(key)) throw unknownKey(key, allowed, bond);
  }
}

export const OPTION_KEYS: readonly string[] = OPTION_SPECS.map((spec) => spec.key);

export interface OptionContext {
  bond: string;
  kernel: KernelVersion;
  /** The bond's mode once these options are applied. */
  mode: number;
  /** The bond's current miimon (0 for a new bond). */
  currentMiimon: number;
  /** false: check only keys, types, ranges and kernel versions (no bond state needed yet). */
  modeChecks?: boolean;
}

/** Validates one option against the running kernel's version, its value rule and the mode. */
export function normalizeEntry(spec: SpecBase, value: unknown, ctx: OptionContext): NormalizedValue {
  if (!atLeast(ctx.kernel, spec.since)) {
    throw new ValidationError({
      option: spec.key,
      value,
      allowed: `Linux >= ${formatVersion(spec.since)}`,
      bond: ctx.bond,
      message: `${spec.key} needs Linux >= ${formatVersion(spec.since)}; this kernel is ${formatVersion(ctx.kernel)}`,
    });
  }
  const normalized = normalizeValue(spec, value, ctx.kernel, ctx.bond);
  if (ctx.modeChecks !== false && spec.modes && !spec.modes.includes(ctx.mode)) {
    const modes = spec.modes.map((m) => BOND_MODES[m]).join(', ');
    throw new ValidationError({
      option: spec.key,
      value,
      allowed: `mode ${modes}`,
      bond: ctx.bond,
      message: `${spec.key} is only supported in mode ${modes}; bond ${ctx.bond} is ${BOND_MODES[ctx.mode] ?? String(ctx.mode)}`,
    });
  }
  return normalized;
}

/**
 * Validates every option and the rules between them. Returns the options in kernel order.
 * `undefined` values are skipped, so `{ ...defaults, ...overrides }` works.
 */
export function normalizeOptions(options: BondOptions, ctx: OptionContext): NormalizedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError({ option: 'options', value: options, allowed: 'an object of bond options', bond: ctx.bond });
  }
  checkKeys(options, OPTION_KEYS, ctx.bond);
  const out: NormalizedOptions = new Map();
  for (const spec of OPTION_SPECS) {
    const value = (options as Record<string, unknown>)[spec.key];
    if (value !== undefined) out.set(spec, normalizeEntry(spec, value, ctx));
  }
  if (ctx.modeChecks !== false) checkMonitorRules(out, ctx);
  return out;
}

function valueOf(options: NormalizedOptions, key: string): NormalizedValue | undefined {
  const spec = OPTION_BY_KEY.get(key);
  return spec ? options.get(spec) : undefined;
}

const MODES_FORCING_MIIMON = [4, 5, 6];

function checkMonitorRules(options: NormalizedOptions, ctx: OptionContext): void {
  const miimon = valueOf(options, 'miimon') as number | undefined;
  const arpInterval = valueOf(options, 'arpInterval') as number | undefined;
  const arpValidate = valueOf(options, 'arpValidate') as number | undefined;
  const conflict = (other: string, value: unknown) =>
    new ValidationError({
      option: other,
      value,
      allowed: 'miimon 0 or no ARP monitoring',
      bond: ctx.bond,
      message: `miimon ${miimon} and ${other} ${formatValue(value)} cannot be set together on bond ${ctx.bond}: MII and ARP monitoring exclude each other`,
    });
  if (miimon && arpInterval) throw conflict('arpInterval', arpInterval);
  if (miimon && arpValidate) throw conflict('arpValidate', valueOf(options, 'arpValidate'));

  // The kernel turns miimon on (100) when the mode becomes 802.3ad/tlb/alb and miimon is 0, and
  // turns it off when ARP monitoring is enabled.
  let effectiveMiimon = miimon ?? ctx.currentMiimon;
  if (miimon === undefined && valueOf(options, 'mode') !== undefined && effectiveMiimon === 0 && MODES_FORCING_MIIMON.includes(ctx.mode)) {
    effectiveMiimon = 100;
  }
  if (arpInterval) effectiveMiimon = 0;
  for (const spec of OPTION_SPECS) {
    if (!spec.needsMiimon) continue;
    const value = options.get(spec) as number | undefined;
    if (value === undefined || value === 0) continue;
    if (effectiveMiimon === 0) {
      throw new ValidationError({
        option: spec.key,
        value,
        allowed: 'a delay only while miimon is set',
        bond: ctx.bond,
        message: `${spec.key} ${value} needs MII monitoring on bond ${ctx.bond}: set miimon too`,
      });
    }
    if (value % effectiveMiimon !== 0) {
      throw new ValidationError({
        option: spec.key,
        value,
        allowed: `a multiple of miimon (${effectiveMiimon})`,
        bond: ctx.bond,
        message: `${spec.key} ${value} is not a multiple of miimon ${effectiveMiimon} on bond ${ctx.bond}; the kernel would round it down to ${value - (value % effectiveMiimon)}`,
      });
    }
  }
}
