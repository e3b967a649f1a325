// Planning option changes, shared by both backends: validation that needs no kernel state, the
// changes against the bond as it is, the kernel's rules in words, and the check after applying.
import { constants } from 'node:os';
import { BondError, ValidationError } from '../errors.js';
import type { Step } from '../netlink/batch.js';
import { reportedValue, sameValue } from '../netlink/encode.js';
import { BOND_MODES, OPTION_BY_KEY, type BondOptions, type OptionSpec } from '../option-table.js';
import { runningKernel } from './read.js';
import type { BondState } from './state.js';
import { normalizeOptions, normalizeValue, type NormalizedOptions, type NormalizedValue } from '../validate/options.js';

/** Throws when the kernel reports a value other than the one asked for. */
export function verifyApplied(bond: string, asked: NormalizedOptions, state: BondState): void {
  for (const [spec, value] of asked) {
    const reported = reportedValue(spec, state);
    if (reported === undefined || sameValue(reported, value)) continue;
    throw new BondError({
      errnum: constants.errno.EIO,
      syscall: 'verify',
      action: `verify ${spec.key} of ${bond}`,
      bond,
      option: spec.key,
      hint: `the kernel accepted ${spec.key} ${JSON.stringify(value)} but reports ${JSON.stringify(reported)}`,
    });
  }
}

export function ruleHints(spec: OptionSpec, bond: string, mode: string): Step['hints'] {
  return {
    EBUSY: `${spec.key} can only change while ${bond} is down: bring ${bond} down, set ${spec.key}, then bring it up again`,
    ENOTEMPTY: `${spec.key} can only change while ${bond} has no slaves: release its slaves, set ${spec.key}, then enslave them again`,
    EACCES: `${spec.key} is not supported by this kernel in mode ${mode}`,
  };
}

export type Change = { spec: OptionSpec; value: NormalizedValue; before: NormalizedValue | null | undefined };

/** Validates what needs no kernel state, so that bad input never costs a syscall. */
export function prevalidateOptions(name: string, options: BondOptions): number | undefined {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError({ option: 'options', value: options, allowed: 'an object of bond options', bond: name });
  }
  const modeSpec = OPTION_BY_KEY.get('mode') as OptionSpec;
  const requestedMode = options.mode === undefined ? undefined : (normalizeValue(modeSpec, options.mode, runningKernel, name) as number);
  normalizeOptions(options, { bond: name, kernel: runningKernel, mode: requestedMode ?? 0, currentMiimon: 0, modeChecks: false });
  return requestedMode;
}

export interface OptionChanges {
  normalized: NormalizedOptions;
  changes: Change[];
  /** The mode name once the changes are applied. */
  modeName: string;
}

/** Validates options against the bond as it is and keeps only those that change something. */
export function planOptionChanges(current: BondState, options: BondOptions, requestedMode: number | undefined): OptionChanges {
  const mode = requestedMode ?? BOND_MODES.indexOf(current.mode);
  const normalized = normalizeOptions(options, { bond: current.name, kernel: runningKernel, mode, currentMiimon: current.miimon ?? 0 });
  const changes: Change[] = [];
  for (const [spec, value] of normalized) {
    const before = reportedValue(spec, current);
    if (!sameValue(before, value)) changes.push({ spec, value, before });
  }
  return { normalized, changes, modeName: BOND_MODES[mode] ?? current.mode };
}

/** A value as the user wrote it: enum names rather than kernel numbers. */
export function displayValue(spec: OptionSpec, value: NormalizedValue): string {
  return spec.value.kind === 'enum' ? (spec.value.names[value as number] ?? String(value)) : JSON.stringify(value);
}

