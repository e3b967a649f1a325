// Undo steps over sysfs, each run on its own so that one failure does not stop the rest.
import type { BondError } from '../errors.js';
import { runEachUndo, runFileSteps, type FileStep } from '../netlink/batch.js';
import type { ResolvedNetns } from '../call/netns.js';

export function runRollbackFiles(netns: ResolvedNetns, steps: readonly FileStep[]): Promise<BondError[]> {
  return runEachUndo(steps, (step) => runFileSteps(netns, [step]));
}
