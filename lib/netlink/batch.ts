// rtnetlink steps: link, address and route requests run in order on one addon socket.
import { native, type NativeLink, type NativeRtnlRequest } from '../native.js';
import type { ResolvedNetns } from '../call/netns.js';
import { runAddonSteps, runEachUndo, type Step as AddonStep } from '../call/run.js';
import { BondError } from '../errors.js';

/** One rtnetlink request and the words that describe it if it fails. */
export type Step = AddonStep<NativeRtnlRequest>;

/** Runs the steps in order on one socket; stops at the first failure. */
export function runSteps(netns: ResolvedNetns, steps: readonly Step[]): Promise<NativeLink[][]> {
  return runAddonSteps(netns, steps, (target, requests) => native().rtnlBatch(target.sockets ?? target.path, requests), false);
}

/** Runs undo steps one at a time, so that one failing does not stop the rest (see runEachUndo). */
export function runRollback(netns: ResolvedNetns, steps: readonly Step[]): Promise<BondError[]> {
  return runEachUndo(steps, (step) => runSteps(netns, [step]));
}

const EXPECTATIONS = new Set(['expect kind', 'expect master', 'expect mtu']);

/** A getlink's expectKind, expectMaster or expectMtuOf did not hold: the batch stopped before any change. */
export function failedExpectation(error: unknown): boolean {
  return error instanceof BondError && EXPECTATIONS.has(error.syscall);
}
