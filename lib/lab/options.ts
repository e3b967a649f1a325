// Checks LabOptions and fills in the defaults, before anything is created.
import { ValidationError } from '../errors.js';
import { BOND_MODES, type BondMode } from '../option-table.js';
import { LAB_TESTS, type LabOptions, type LabSettings, type LabTest } from './types.js';

const RATE_UNITS: Record<string, number> = { kbit: 1e-3, mbit: 1, gbit: 1e3 };

/** Mbit/s of a tc rate ('1gbit', '100mbit', '2.5gbit'). */
export function parseRate(rate: unknown): number {
  const match = typeof rate === 'string' ? /^(\d+(?:\.\d+)?)(kbit|mbit|gbit)$/u.exec(rate) : null;
  const mbps = match ? Number(match[1]) * (RATE_UNITS[match[2] as string] as number) : NaN;
  if (!(mbps >= 0.1 && mbps <= 100_000)) {
    throw new ValidationError({ option: 'rate', value: rate, allowed: "a rate from 100kbit to 100gbit written as tc does ('1gbit', '100mbit')" });
  }
  return mbps;
}

function number(option: string, value: unknown, fallback: number, min: number, max: number, integer = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new ValidationError({ option, value, allowed: `${integer ? 'an integer' : 'a number'} from ${min} to ${max}` });
  }
  return value;
}

function listOf<T>(option: string, value: unknown, allowed: readonly T[], fallback: readonly T[]): T[] {
  if (value === undefined) return [...fallback];
  const list = Array.isArray(value) ? value : [value];
  const bad = list.find((item) => !allowed.includes(item as T));
  if (list.length === 0 || bad !== undefined) {
    throw new ValidationError({ option, value: bad ?? value, allowed: `one or more of ${allowed.map((a) => `'${String(a)}'`).join(', ')}` });
  }
  return [...new Set(list as T[])];
}

/** The lab's settings with defaults, or a ValidationError naming the option and what is allowed. */
export function labSettings(options: LabOptions = {}): LabSettings {
  const modes = listOf<BondMode>('modes', options.modes, BOND_MODES, ['balance-rr', 'active-backup', '802.3ad']);
  const rate = options.rate ?? '1gbit';
  const rateMbps = parseRate(rate);
  const streamsInput = options.streams ?? [1, 4];
  const streamsList = Array.isArray(streamsInput) ? streamsInput : [streamsInput];
  if (streamsList.length === 0) throw new ValidationError({ option: 'streams', value: streamsInput, allowed: 'one or more integers from 1 to 64' });
  const streams = [...new Set(streamsList.map((s: unknown) => number('streams', s, 1, 1, 64, true)))];
  const tests: LabTest[] = listOf<LabTest>('tests', options.tests, LAB_TESTS, LAB_TESTS);
  return {
    modes,
    nics: number('nics', options.nics, 2, 2, 4, true),
    rate,
    rateMbps,
    delay: number('delay', options.delay, 0, 0, 1000),
    skew: number('skew', options.skew, 0, 0, 1000),
    duration: number('duration', options.duration, 5, 1, 3600),
    streams,
    tests,
    miimon: number('miimon', options.miimon, 100, 1, 10_000, true),
  };
}
