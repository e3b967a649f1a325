// Undo steps over sysfs, each run on its own so that one failure does not stop the rest.
import { BondError } from '../errors.js';
import { runFileSteps, type FileStep } from '../batch.js';
import type { ResolvedNetns } from '../netns.js';

export async function runRollbackFiles(netns: ResolvedNetns, steps: readonly FileStep[]): Promise<BondError[]> {
  const failures: BondError[] = [];
  for (const step of steps) {
    try {
      await runFileSteps(netns, [step]);
    } catch (error) {
      if (error instanceof BondError) failures.push(error);
      else throw error;
    }
  }
  return failures;
}
