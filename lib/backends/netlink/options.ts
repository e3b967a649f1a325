// Changing options of an existing bond over rtnetlink. Each changed option goes in its own
// message, in the kernel's order, so that when the kernel refuses one (bond up, bond has slaves,
// ...) exactly the ones before it were applied and are put back; the kernel's own message is
// surfaced with the rule and the remedy.
import { BondError } from '../../errors.js';
import type { ResolvedNetns } from '../../call/netns.js';
import { failedStepOf } from '../../call/run.js';
import type { BondOptionDef } from '../../option-table.js';
import { displayValue, ruleHints, verifyApplied, type Change, type OptionChanges } from '../../bond/option-plan.js';
import type { BondState } from '../../bond/state.js';
import type { NormalizedValue } from '../../validate/values.js';
import { runRollback, runSteps, type Step } from '../../netlink/batch.js';
import { encodeOption, type IfindexOf } from './encode.js';
import { readSteps, stateFrom } from './read.js';
import { lookupLinks } from './slave-steps.js';

function changeStep(bond: BondState, def: BondOptionDef, value: NormalizedValue | null, ifindexOf: IfindexOf, action: string, mode: string): Step {
  return {
    request: { op: 'newlink', link: bond.ifindex, kind: 'bond', infoData: [encodeOption(def, value, ifindexOf)] },
    action,
    bond: bond.name,
    option: def.key,
    hints: ruleHints(def, bond.name, mode),
  };
}

/** Applies the changes, reads back and verifies; on a failure puts back what was applied. */
export async function setBondOptionsNetlink(netns: ResolvedNetns, current: BondState, plan: OptionChanges): Promise<BondState> {
  const { normalized, changes, modeName } = plan;
  const name = current.name;
  const ifindexOf = await primaryResolver(netns, current, changes);
  const steps = changes.map(({ def, value }) => changeStep(current, def, value, ifindexOf, `set ${def.key} ${displayValue(def, value)} on ${name}`, modeName));
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
async function restore(netns: ResolvedNetns, bond: BondState, changes: Change[], ifindexOf: IfindexOf): Promise<void> {
  const steps = changes
    .filter((change) => change.before !== undefined)
    .reverse()
    .map(({ def, before }) => changeStep(bond, def, before ?? null, ifindexOf, `roll back ${def.key} on ${bond.name}`, bond.mode));
  await runRollback(netns, steps);
}

/** primary is an ifindex on the wire: slaves are known, any other name is looked up. */
async function primaryResolver(netns: ResolvedNetns, current: BondState, changes: Change[]): Promise<IfindexOf> {
  const known = new Map(current.slaves.map((s) => [s.name, s.ifindex]));
  const wanted = changes.filter((c) => c.def.key === 'primary').map((c) => c.value as string | null).filter((n): n is string => n !== null && !known.has(n));
  if (wanted.length > 0) for (const [n, link] of await lookupLinks(netns, current.name, wanted)) known.set(n, link.ifindex);
  return (n) => (n === null ? 0 : (known.get(n) ?? 0));
}
