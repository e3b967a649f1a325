// Bond option values as config files write them: lookup by the names files use (sysfs, ip,
// NetworkManager), text to a validated value and back, and time spans with units. Every value
// goes through the option table's own validator (normalizeValue), so a file is held to the same
// rules as the API.
import { ValidationError } from '../errors.js';
import { OPTION_SPECS, type KernelVersion, type OptionSpec } from '../option-table.js';
import { normalizeValue } from '../validate/options.js';

/** An option value as a spec holds it: enum names (not numbers), integers, booleans, lists. */
export type OptionValue = string | number | boolean | string[];

/**
 * Files are validated against a kernel newer than any: importing must not refuse an option for
 * being new, and the running kernel is not the one the file will be applied on anyway.
 */
export const ANY_KERNEL: KernelVersion = [99, 0];

/** Names that sysfs accepts besides the option's own file: num_unsol_na is num_grat_arp's twin. */
const SYSFS_ALIASES: Readonly<Record<string, string>> = { num_unsol_na: 'numGratArp' };

const bySysfs = new Map(OPTION_SPECS.filter((s) => s.sysfs).map((s) => [s.sysfs as string, s]));
const byIp = new Map(OPTION_SPECS.map((s) => [s.ip, s]));
const byKey = new Map(OPTION_SPECS.map((s) => [s.key as string, s]));

/** The option behind a sysfs file name (BONDING_OPTS, modprobe options, bond-* keys). */
export function optionBySysfs(name: string): OptionSpec | undefined {
  const alias = SYSFS_ALIASES[name];
  return alias === undefined ? bySysfs.get(name) : byKey.get(alias);
}

/**
 * The option behind a NetworkManager bond.options name: the sysfs names, plus ns_ip6_target,
 * which NetworkManager sets over netlink (libnm NMSettingBond).
 */
export function optionByNmName(name: string): OptionSpec | undefined {
  return optionBySysfs(name) ?? (name === 'ns_ip6_target' ? byIp.get(name) : undefined);
}

/** The option behind an `ip link ... type bond` keyword. */
export function optionByIpKeyword(name: string): OptionSpec | undefined {
  return byIp.get(name);
}

const TRUE_WORDS = new Set(['1', 'yes', 'y', 'true', 'on']);
const FALSE_WORDS = new Set(['0', 'no', 'n', 'false', 'off']);

/** A boolean as shell-style configs write it, or undefined when the word is not one. */
export function parseBoolWord(text: string): boolean | undefined {
  const word = text.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return undefined;
}

/** Splits an address list written with commas or spaces; sysfs's "+addr" form is accepted. */
function parseList(option: string, text: string): string[] {
  const items = text.split(/[\s,]+/u).filter((item) => item !== '');
  return items.map((item) => {
    if (item.startsWith('-')) {
      throw new ValidationError({ option, value: text, allowed: 'addresses to set', message: `'${item}' removes a target; a config can only list the targets to set` });
    }
    return item.replace(/^\+/u, '');
  });
}

/** Text from a file to the JS value the option table validates. */
function fromText(spec: OptionSpec, text: string): unknown {
  const trimmed = text.trim();
  switch (spec.value.kind) {
    case 'enum':
      return /^\d+$/u.test(trimmed) ? Number(trimmed) : trimmed;
    case 'int':
      return /^[+-]?\d+$/u.test(trimmed) ? Number(trimmed) : trimmed;
    case 'bool':
      return parseBoolWord(trimmed) ?? trimmed;
    case 'ipv4-list':
    case 'ipv6-list':
      return parseList(spec.key, trimmed);
    case 'mac':
    case 'ifname':
      return trimmed;
  }
}

/**
 * Validates a value through the option table and returns it as a spec holds it (enum numbers
 * become names). Text is read as files write it: "1", "yes", "on" for booleans, comma or space
 * separated lists. Throws ValidationError.
 */
export function canonicalOption(spec: OptionSpec, value: unknown, bond?: string): OptionValue {
  const input = typeof value === 'string' ? fromText(spec, value) : value;
  const normalized = normalizeValue(spec, input, ANY_KERNEL, bond);
  if (spec.value.kind === 'enum') return spec.value.names[normalized as number] as string;
  return normalized;
}

export interface TextStyle {
  /** How booleans are written; sysfs-style files use 1/0. */
  bool?: readonly [yes: string, no: string];
  /** Separator between list items. */
  listSeparator?: string;
}

/** A spec value as text for a file. */
export function optionText(value: OptionValue, style: TextStyle = {}): string {
  if (typeof value === 'boolean') return value ? (style.bool?.[0] ?? '1') : (style.bool?.[1] ?? '0');
  if (Array.isArray(value)) return value.join(style.listSeparator ?? ',');
  return String(value);
}

const TIME_UNITS_MS: Readonly<Record<string, number>> = {
  us: 0.001,
  usec: 0.001,
  ms: 1,
  msec: 1,
  s: 1000,
  sec: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
};

/**
 * A time span such as "100ms", "1s", "1min 30s" (systemd.time(7)) in `unit`. A bare number is
 * in `bareUnit`: seconds for systemd's *Sec= keys, milliseconds for most netplan keys. Returns
 * undefined when the text is not a span or not a whole number of `unit`.
 */
export function parseTimeSpan(text: string | number, bareUnit: 'ms' | 's', unit: 'ms' | 's'): number | undefined {
  const source = String(text).trim();
  let ms = 0;
  if (/^\d+(\.\d+)?$/u.test(source)) {
    ms = Number(source) * TIME_UNITS_MS[bareUnit]!;
  } else {
    const parts = source.match(/\d+(?:\.\d+)?\s*[a-z]+/gu);
    if (!parts || parts.join('').replace(/\s/gu, '') !== source.replace(/\s/gu, '')) return undefined;
    for (const part of parts) {
      const [, amount, name] = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/u.exec(part) ?? [];
      const factor = name === undefined ? undefined : TIME_UNITS_MS[name];
      if (factor === undefined) return undefined;
      ms += Number(amount) * factor;
    }
  }
  const value = ms / TIME_UNITS_MS[unit]!;
  // Float sums of unit factors (0.001 * n) must still land on whole numbers.
  const rounded = Math.round(value);
  return Math.abs(value - rounded) < 1e-9 ? rounded : undefined;
}
