// What a failed command says and its exit status: one contract for people and for programs (the
// Ansible modules read it). Status:
//   0    done
//   1    the kernel refused, or a check or probe failed; what had changed was rolled back
//   2    usage or validation error; nothing was changed
//   3    a rollback did not complete: links may be in a state nobody asked for (`netbond checkpoints`)
//   130  interrupted by SIGINT/SIGTERM; the change was rolled back or completed, as the message says
// With --json the error is also one JSON line on stderr: { "error": { name, code, message, bond?,
// slave?, option?, kernelMessage?, failedStep?, rolledBack?, rollbackErrors? }, "exitCode" }.
import { CommanderError } from 'commander';
import { BondError, ValidationError } from '../errors.js';
import { ApplyError } from '../declarative/apply-error.js';
import { Interrupted, LabInterrupted } from './interrupt.js';

export const EXIT = { ok: 0, failed: 1, usage: 2, rollbackIncomplete: 3, interrupted: 130 } as const;

export interface Failure {
  exitCode: number;
  /** The line for people; undefined when commander has printed its own. */
  line?: string;
  report: Record<string, unknown>;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function failureOf(error: unknown): Failure {
  if (error instanceof CommanderError) return { exitCode: error.exitCode === 0 ? EXIT.ok : EXIT.usage, report: { name: 'UsageError', code: error.code, message: error.message } };
  if (error instanceof Interrupted || error instanceof LabInterrupted) return { exitCode: EXIT.interrupted, line: error.message, report: { name: error.name, message: error.message } };
  const report: Record<string, unknown> = { name: error instanceof Error ? error.name : 'Error', message: messageOf(error) };
  if (error instanceof BondError) {
    report.code = error.code;
    for (const key of ['bond', 'slave', 'option', 'kernelMessage'] as const) if (error[key] !== undefined) report[key] = error[key];
  }
  let exitCode: number = error instanceof ValidationError ? EXIT.usage : EXIT.failed;
  if (error instanceof ApplyError) {
    if (error.failedStep) report.failedStep = error.failedStep;
    report.rolledBack = error.rollbackErrors.length === 0;
    report.rollbackErrors = error.rollbackErrors.map(messageOf);
    if (error.rollbackErrors.length > 0) exitCode = EXIT.rollbackIncomplete;
  }
  return { exitCode, line: `netbond: ${messageOf(error)}`, report };
}
