// Planning option changes, the same for both backends: the changes against the bond as it is,
// the kernel's rules in words for its refusals, and the check after applying.
import { constants } from 'node:os';
import { BondError } from '../errors.js';
import { BOND_MODES, defaultValue, type BondOptionDef, type BondOptions } from '../option-table.js';
import { normalizeBondOptions, type NormalizedOptions } from '../validate/options.js';
import type { NormalizedValue } from '../validate/values.js';
import type { BondState } from './state.js';

/**
 * The value the kernel reports for an option, in the same normalized terms validation produces
 * (enum numbers, booleans, canonical address text). undefined when the kernel does not report it.
 */
export function reportedValue(def: BondOptionDef, state: BondState): NormalizedValue | null | undefined {
  if (def.key === 'primary') return state.primary;
  const raw = (state as unknown as Record<string, unknown>)[def.key];
  if (raw === undefined) return undefined;
  if (def.value.kind === 'enum') return def.value.names.indexOf(raw as string);
  return raw as NormalizedValue;
}

/**
 * Two values in the normalized terms of reportedValue. Address lists compare as sets: the kernel
 * keeps targets in slots and fills the first free one, so a target removed and another added
 * (sysfs) reads back in another order than it was written.
 */
export function sameValue(a: NormalizedValue | null | undefined, b: NormalizedValue | null | undefined): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x) => b.includes(x));
  return a === b;
}

/**
 * What the kernel reports for an option once the bond's mode has changed to `mode`, in the
 * normalized terms of reportedValue: what bond_option_mode_set sets it to, or `before`.
 */
export function valueAfterModeChange(def: BondOptionDef, before: NormalizedValue | null | undefined, mode: number): NormalizedValue | null | undefined {
  const sets = def.modeChangeSets;
  if (!sets || (sets.intoModes && !sets.intoModes.includes(mode)) || (sets.onlyFromZero && before !== 0)) return before;
  return def.value.kind === 'enum' ? def.value.names.indexOf(String(sets.value)) : (sets.value as NormalizedValue);
}

/** An option's kernel default in the normalized terms of reportedValue. */
function normalizedDefault(def: BondOptionDef, mode: number): NormalizedValue | null {
  const initial = defaultValue(def, mode);
  return def.value.kind === 'enum' ? def.value.names.indexOf(String(initial)) : (initial as NormalizedValue | null);
}

/** An option the kernel does not report as it was asked: what was asked, and what it reports. */
export interface OptionMismatch {
  def: BondOptionDef;
  asked: NormalizedValue;
  reported: NormalizedValue | null | undefined;
}

/**
 * The one comparison of asked options with what the kernel reports, for the verbs and applyBond
 * alike: normalized values on both sides, so every spelling validation accepts (MAC case, IPv6
 * forms, enum names or numbers, targets in any order) compares equal. Nothing reported counts as
 * the kernel's default: a driver without the option ignores its attribute (the last line of
 * defence when what the driver has could not be learned, lib/features).
 */
export function optionMismatches(asked: NormalizedOptions, state: BondState): OptionMismatch[] {
  const mismatches: OptionMismatch[] = [];
  for (const [def, value] of asked) {
    const reported = reportedValue(def, state);
    if (sameValue(reported, value)) continue;
    if (reported === undefined && sameValue(normalizedDefault(def, BOND_MODES.indexOf(state.mode)), value)) continue;
    mismatches.push({ def, asked: value, reported });
  }
  return mismatches;
}

/** A mismatch in words, values as the user writes them. */
export function describeMismatch({ def, asked, reported }: OptionMismatch): string {
  return reported === undefined
    ? `the kernel accepted ${def.key} ${displayValue(def, asked)} but does not report ${def.key} at all: its bonding driver does not have it`
    : `the kernel accepted ${def.key} ${displayValue(def, asked)} but reports ${reported === null ? 'none' : displayValue(def, reported)}`;
}

/** Throws EIO naming the first option the kernel does not report as asked. */
export function verifyApplied(bond: string, asked: NormalizedOptions, state: BondState): void {
  const [first] = optionMismatches(asked, state);
  if (!first) return;
  throw new BondError({ errnum: constants.errno.EIO, syscall: 'verify', action: `verify ${first.def.key} of ${bond}`, bond, option: first.def.key, hint: describeMismatch(first) });
}

/** The rule and remedy behind each errno the kernel answers an option change with. */
export function ruleHints(def: BondOptionDef, bond: string, mode: string): Partial<Record<string, string>> {
  return {
    EBUSY: `${def.key} can only change while ${bond} is down: bring ${bond} down, set ${def.key}, then bring it up again`,
    ENOTEMPTY: `${def.key} can only change while ${bond} has no slaves: release its slaves, set ${def.key}, then enslave them again`,
    EACCES: `${def.key} is not supported by this kernel in mode ${mode}`,
  };
}

export type Change = { def: BondOptionDef; value: NormalizedValue; before: NormalizedValue | null | undefined };

export interface OptionChanges {
  normalized: NormalizedOptions;
  changes: Change[];
  /** The mode name once the changes are applied. */
  modeName: string;
}

/** Validates options against the bond as it is and keeps only those that change something. */
export function planOptionChanges(current: BondState, options: BondOptions): OptionChanges {
  const { mode, options: normalized } = normalizeBondOptions(options, {
    bond: current.name,
    currentMode: BOND_MODES.indexOf(current.mode),
    currentMiimon: current.miimon ?? 0,
  });
  const changes: Change[] = [];
  for (const [def, value] of normalized) {
    const before = reportedValue(def, current);
    if (!sameValue(before, value)) changes.push({ def, value, before });
  }
  return { normalized, changes, modeName: BOND_MODES[mode] ?? current.mode };
}

/** A value as the user wrote it: enum names rather than kernel numbers. */
export function displayValue(def: BondOptionDef, value: NormalizedValue): string {
  return def.value.kind === 'enum' ? (def.value.names[value as number] ?? String(value)) : JSON.stringify(value);
}
