// Changing options of an existing bond. Options equal to what the kernel reports are skipped.
// Each changed option goes in its own message, in the kernel's order, so that when the kernel
// refuses one (bond up, bond has slaves, ...) exactly the ones before it were applied and are
// put back; the kernel's own message is surfaced with the rule and the remedy.
import { BondError, ValidationError } from './errors.js';
import { failedStepOf, runSteps, type Step } from './batch.js';
import { encodeOption, reportedValue, sameValue } from './encode.js';
import { verifyApplied } from './lifecycle.js';
import { validateIfname } from './names.js';
import { resolveNetns, type CallOptions, type ResolvedNetns } from './netns.js';
import { BOND_MODES, OPTION_BY_KEY, type BondOptions, type OptionSpec } from './options.js';
import { readBond, readSteps, runningKernel, stateFrom } from './read.js';
import { lookupLinks, runRollback } from './slave-steps.js';
import type { BondState } from './state.js';
import { checkKeys, normalizeOptions, normalizeValue, type NormalizedValue } from './validate.js';

function ruleHints(spec: OptionSpec, bond: string, mode: string): Step['hints'] {
  return {
    EBUSY: `${spec.key} can only change while ${bond} is down: bring ${bond} down, set ${spec.key}, then bring it up again`,
    ENOTEMPTY: `${spec.key} can only change while ${bond} has no slaves: release its slaves, set ${spec.key}, then enslave them again`,
    EACCES: `${spec.key} is not supported by this kernel in mode ${mode}`,
  };
}

type Change = { spec: OptionSpec; value: NormalizedValue; before: NormalizedValue | null | undefined };

function changeStep(bond: BondState, spec: OptionSpec, value: NormalizedValue | null, ifindexOf: (n: string | null) => number, action: string, mode: string): Step {
  return {
    request: { op: 'newlink', link: bond.ifindex, kind: 'bond', infoData: [encodeOption(spec, value, ifindexOf)] },
    action,
    bond: bond.name,
    option: spec.key,
    hints: ruleHints(spec, bond.name, mode),
  };
}

/** Changes options of an existing bond and returns its state as the kernel reports it after. */
export async function setBondOptions(name: string, options: BondOptions, opts: CallOptions = {}): Promise<BondState> {
  validateIfname('name', name);
  checkKeys(opts, ['netns'], name);
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError({ option: 'options', value: options, allowed: 'an object of bond options', bond: name });
  }
  const netns = resolveNetns(opts.netns);
  const modeSpec = OPTION_BY_KEY.get('mode') as OptionSpec;
  // Validate what needs no kernel state first, so bad input never costs a syscall.
  const requestedMode = options.mode === undefined ? undefined : (normalizeValue(modeSpec, options.mode, runningKernel, name) as number);
  normalizeOptions(options, { bond: name, kernel: runningKernel, mode: requestedMode ?? 0, currentMiimon: 0, modeChecks: false });

  const current = await readBond(netns, name);
  const mode = requestedMode ?? BOND_MODES.indexOf(current.mode);
  const normalized = normalizeOptions(options, { bond: name, kernel: runningKernel, mode, currentMiimon: current.miimon ?? 0 });

  const changes: Change[] = [];
  for (const [spec, value] of normalized) {
    const before = reportedValue(spec, current);
    if (!sameValue(before, value)) changes.push({ spec, value, before });
  }
  if (changes.length === 0) return current;

  const ifindexOf = await primaryResolver(netns, name, current, changes);
  const modeName = BOND_MODES[mode] ?? current.mode;
  const steps = changes.map(({ spec, value }) =>
    changeStep(current, spec, value, ifindexOf, `set ${spec.key} ${displayValue(spec, value)} on ${name}`, modeName),
  );
  steps.push(...readSteps(name, { link: current.ifindex }));

  let applied = 0;
  try {
    const state = stateFrom(await runSteps(netns, steps), changes.length, name);
    applied = changes.length;
    verifyApplied(name, normalized, state);
    return state;
  } catch (error) {
    if (!(error instanceof BondError)) throw error;
    const failed = failedStepOf(error);
    if (failed !== undefined) applied = Math.min(failed, changes.length);
    await restore(netns, current, changes.slice(0, applied), ifindexOf);
    throw error;
  }
}

/** A value as the user wrote it: enum names rather than kernel numbers. */
function displayValue(spec: OptionSpec, value: NormalizedValue): string {
  return spec.value.kind === 'enum' ? (spec.value.names[value as number] ?? String(value)) : JSON.stringify(value);
}

/** Puts back the values the bond had before, newest change first. */
async function restore(netns: ResolvedNetns, bond: BondState, changes: Change[], ifindexOf: (n: string | null) => number): Promise<void> {
  const steps = changes
    .filter((change) => change.before !== undefined)
    .reverse()
    .map(({ spec, before }) => changeStep(bond, spec, before ?? null, ifindexOf, `roll back ${spec.key} on ${bond.name}`, bond.mode));
  await runRollback(netns, steps);
}

async function primaryResolver(netns: ResolvedNetns, bond: string, current: BondState, changes: Change[]): Promise<(n: string | null) => number> {
  const known = new Map(current.slaves.map((s) => [s.name, s.ifindex]));
  const wanted = changes.filter((c) => c.spec.key === 'primary').map((c) => c.value as string).filter((n) => !known.has(n));
  if (wanted.length > 0) for (const [n, link] of await lookupLinks(netns, bond, wanted)) known.set(n, link.ifindex);
  return (n) => (n === null ? 0 : (known.get(n) ?? 0));
}
