// ApplyError on its own, so that code which only recognises it (the CLI's exit status) does not
// load the declarative engine.
import { constants } from 'node:os';
import { BondError } from '../errors.js';
import type { PlanStep } from '../plan/types.js';

/** applyBond failed; everything it changed was undone (see rollbackErrors if not all of it). */
export class ApplyError extends BondError {
  /** The step that failed, or undefined when the plan (before any step) or verification failed. */
  readonly failedStep?: PlanStep;
  /** The undo steps that failed; empty when the bond is as it was. */
  readonly rollbackErrors: unknown[];
  /** ms from the failure to the end of the rollback. */
  readonly rollbackMs?: number;
  override readonly cause: unknown;

  constructor(bond: string, failedStep: PlanStep | undefined, cause: unknown, rollbackErrors: unknown[], rollbackMs?: number, stage: 'plan' | 'verify' | 'probe' = 'verify') {
    const inner = cause instanceof BondError ? cause : undefined;
    super({
      errnum: inner ? -inner.errno : constants.errno.EIO,
      syscall: inner?.syscall ?? 'apply',
      kernelMessage: inner?.kernelMessage,
      action: failedStep ? `apply ${bond}: ${failedStep.description}` : `apply ${bond}: ${stage}`,
      bond,
      slave: inner?.slave,
      option: inner?.option,
      hint: `${cause instanceof Error ? cause.message : String(cause)}; ${rollbackErrors.length === 0 ? `rolled back${rollbackMs === undefined ? '' : ` in ${rollbackMs} ms`}` : `rollback incomplete (${rollbackErrors.length} undo steps failed)`}`,
    });
    this.name = 'ApplyError';
    this.failedStep = failedStep;
    this.rollbackErrors = rollbackErrors;
    this.rollbackMs = rollbackMs;
    this.cause = cause;
  }
}
