// Bond option values as config files write them: text to a validated value and back, and time
// spans with units. Names and words are read by lib/validate/words.ts and every value goes
// through the option table's own validator (normalizeValue), so a file is held to the same rules
// as the API.
import type { BondOptionDef, OptionValue } from '../../option-table.js';
import { ValidationError } from '../../errors.js';
import { normalizeValue } from '../../validate/values.js';
import { optionFromText } from '../../validate/words.js';

export type { OptionValue } from '../../option-table.js';

/**
 * Validates a value through the option table and returns it as a spec holds it (enum numbers
 * become names). Text is read as files write it: "1", "yes", "on" for booleans, comma or space
 * separated lists. Throws ValidationError.
 */
export function canonicalOption(def: BondOptionDef, value: unknown, bond?: string): OptionValue {
  const input = typeof value === 'string' ? optionFromText(def, value) : value;
  // Not checked against the running driver: the file may be for another machine's kernel.
  const normalized = normalizeValue(def, input, bond);
  if (def.value.kind === 'enum') return def.value.names[normalized as number] as string;
  // A file's text is never null (optionFromText gives a name); an API caller's null means none.
  if (normalized === null) throw new ValidationError({ option: def.key, value, allowed: 'a value (configs have no null)', bond });
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
