// Changing options of an existing bond. Options equal to what the kernel reports are skipped.
// Each changed option goes in its own message, in the kernel's order, so that when the kernel
// refuses one (bond up, bond has slaves, ...) exactly the ones before it were applied and are
// put back; the kernel's own message is surfaced with the rule and the remedy.
import { BondError } from '../errors.js';
import { failedStepOf, runSteps, type Step } from '../netlink/batch.js';
import { encodeOption } from '../netlink/encode.js';
import { displayValue, planOptionChanges, prevalidateOptions, ruleHints, verifyApplied, type Change } from './option-plan.js';
import { validateIfname } from '../validate/names.js';
import { resolveCall } from '../call/options.js';
import type { CallOptions, ResolvedNetns } from '../call/netns.js';
import { setBondOptionsSysfs } from '../sysfs/write.js';
import type { BondOptions, OptionSpec } from '../option-table.js';
import { readBond, readSteps, stateFrom } from './read.js';
import { lookupLinks, runRollback } from '../netlink/slaves.js';
import type { BondState } from './state.js';
import type { NormalizedValue } from '../validate/options.js';

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
  const call = resolveCall(opts, name);
  const requestedMode = prevalidateOptions(name, options);
  if (call.backend === 'sysfs') return setBondOptionsSysfs(call.netns, name, options, requestedMode);
  const netns = call.netns;
  const current = await readBond(netns, name);
  const { normalized, changes, modeName } = planOptionChanges(current, options, requestedMode);
  if (changes.length === 0) return current;

  const ifindexOf = await primaryResolver(netns, name, current, changes);
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
