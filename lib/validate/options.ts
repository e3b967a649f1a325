// Bond options validated once, before any syscall: each value by its rule, unknown keys, the mode
// an option needs, and the rules between options (MII vs ARP monitoring, delays in units of
// miimon). Whether the running driver has an option is features/check.ts's question, asked after.
import { ValidationError, formatValue } from '../errors.js';
import {
  BOND_MODES,
  BOND_OPTION_DEFS,
  FORCED_MIIMON,
  MODES_FORCING_MIIMON,
  OPTION_BY_KEY,
  type BondOptionDef,
  type BondOptions,
  type OptionDef,
} from '../option-table.js';
import { checkKeys } from './keys.js';
import { normalizeValue, type NormalizedValue } from './values.js';

/** Options after validation: enum names resolved to kernel numbers, in kernel order. */
export type NormalizedOptions = Map<BondOptionDef, NormalizedValue>;

export const OPTION_KEYS: readonly string[] = BOND_OPTION_DEFS.map((def) => def.key);

export interface OptionContext {
  bond: string;
  /** The bond's mode once these options are applied. */
  mode: number;
  /** The bond's current miimon (0 for a new bond). */
  currentMiimon: number;
  /** false: check only keys, types and ranges (no bond state needed yet). */
  modeChecks?: boolean;
}

/** Validates one option against its value rule and the mode. */
export function normalizeEntry(def: OptionDef, value: unknown, ctx: OptionContext): NormalizedValue {
  const normalized = normalizeValue(def, value, ctx.bond);
  if (ctx.modeChecks !== false) refuseOutsideMode(def, value, ctx);
  return normalized;
}

/** An option that the bond's mode does not take; `shown` is the value as the error names it. */
function refuseOutsideMode(def: OptionDef, shown: unknown, ctx: OptionContext): void {
  if (!def.modes || def.modes.includes(ctx.mode)) return;
  const modes = def.modes.map((m) => BOND_MODES[m]).join(', ');
  throw new ValidationError({
    option: def.key,
    value: shown,
    allowed: `mode ${modes}`,
    bond: ctx.bond,
    message: `${def.key} is only supported in mode ${modes}; bond ${ctx.bond} is ${BOND_MODES[ctx.mode] ?? String(ctx.mode)}`,
  });
}

/**
 * The rules that need the bond's mode and miimon, for options normalized earlier without them
 * (a spec is normalized once, before the bond is read): every option in a mode that takes it, and
 * the rules between them.
 */
export function checkOptionRules(options: NormalizedOptions, ctx: OptionContext): void {
  for (const [def, value] of options) refuseOutsideMode(def, def.value.kind === 'enum' ? (def.value.names[value as number] ?? value) : value, ctx);
  checkMonitorRules(options, ctx);
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
  for (const def of BOND_OPTION_DEFS) {
    const value = (options as Record<string, unknown>)[def.key];
    if (value !== undefined) out.set(def, normalizeEntry(def, value, ctx));
  }
  if (ctx.modeChecks !== false) checkMonitorRules(out, ctx);
  return out;
}

function valueOf(options: NormalizedOptions, key: string): NormalizedValue | undefined {
  const def = OPTION_BY_KEY.get(key);
  return def ? options.get(def) : undefined;
}

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
    effectiveMiimon = FORCED_MIIMON;
  }
  if (arpInterval) effectiveMiimon = 0;
  for (const def of BOND_OPTION_DEFS) {
    if (!def.needsMiimon) continue;
    const value = options.get(def) as number | undefined;
    if (value === undefined || value === 0) continue;
    if (effectiveMiimon === 0) {
      throw new ValidationError({
        option: def.key,
        value,
        allowed: 'a delay only while miimon is set',
        bond: ctx.bond,
        message: `${def.key} ${value} needs MII monitoring on bond ${ctx.bond}: set miimon too`,
      });
    }
    if (value % effectiveMiimon !== 0) {
      throw new ValidationError({
        option: def.key,
        value,
        allowed: `a multiple of miimon (${effectiveMiimon})`,
        bond: ctx.bond,
        message: `${def.key} ${value} is not a multiple of miimon ${effectiveMiimon} on bond ${ctx.bond}; the kernel would round it down to ${value - (value % effectiveMiimon)}`,
      });
    }
  }
}

export interface BondOptionsContext {
  bond: string;
  /** The bond's mode as it is; undefined for a bond not created yet (balance-rr). */
  currentMode?: number;
  /** The bond's miimon as it is (0 for a new bond). */
  currentMiimon?: number;
  /** false: check only keys, types and ranges (no bond state needed yet). */
  modeChecks?: boolean;
}

export interface NormalizedBondOptions {
  /** The mode the options ask for, when they name one. */
  requestedMode?: number;
  /** The bond's mode once they are applied. */
  mode: number;
  options: NormalizedOptions;
}

/**
 * The one entry for validating bond options against the running kernel: the mode they ask for
 * first (it decides what the others may be), then every option and the rules between them.
 */
export function normalizeBondOptions(options: BondOptions, ctx: BondOptionsContext): NormalizedBondOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError({ option: 'options', value: options, allowed: 'an object of bond options', bond: ctx.bond });
  }
  const modeDef = OPTION_BY_KEY.get('mode') as BondOptionDef;
  const requestedMode = options.mode === undefined ? undefined : (normalizeValue(modeDef, options.mode, ctx.bond) as number);
  const mode = requestedMode ?? ctx.currentMode ?? 0;
  const normalized = normalizeOptions(options, { bond: ctx.bond, mode, currentMiimon: ctx.currentMiimon ?? 0, modeChecks: ctx.modeChecks });
  return { requestedMode, mode, options: normalized };
}
