// A plan step with what it takes to run it. Undoing is not a step's job: a rollback applies the
// saved state (lib/declarative/transaction/restore.ts).
import type { PlanStep, PlanStepKind } from './types.js';

export interface ExecStep extends PlanStep {
  run: () => Promise<void>;
}

/** Collects steps in order; `add` takes a run whose result is not needed. */
export class StepList {
  readonly steps: ExecStep[] = [];

  add(kind: PlanStepKind, description: string, reason: string, run: () => Promise<unknown>): void {
    this.steps.push({ kind, description, reason, run: async () => void (await run()) });
  }
}
