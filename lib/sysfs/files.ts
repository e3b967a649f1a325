// File steps: reads, writes and listings under /sys/class/net and /proc/net through the addon
// (inside the chosen namespace, with its own sysfs mount), for the sysfs backend and /proc readers.
import { native, type NativeFileOp, type NativeFileResult } from '../native.js';
import type { ResolvedNetns } from '../call/netns.js';
import { runAddonSteps, runEachUndo, type Step } from '../call/run.js';
import type { BondError } from '../errors.js';

/** A sysfs/procfs operation and the words that describe it if it fails. */
export type FileStep = Step<NativeFileOp>;

/** Runs sysfs/procfs steps in order; stops at the first failure that is not optional. */
export function runFileSteps(netns: ResolvedNetns, steps: readonly FileStep[]): Promise<NativeFileResult[]> {
  return runAddonSteps(netns, steps, ({ path }, ops) => native().fileBatch(path, ops), true);
}

/** Runs undo file steps one at a time, so that one failure does not stop the rest. */
export function runRollbackFiles(netns: ResolvedNetns, steps: readonly FileStep[]): Promise<BondError[]> {
  return runEachUndo(steps, (step) => runFileSteps(netns, [step]));
}
