// Ctrl-C and SIGTERM during a change: the first one lets the current step finish, then the change
// is rolled back (applyBond, through its signal) or, for a one-call verb, completes or undoes
// itself as that call does; the command then exits 130. Further signals are ignored until then,
// so a second Ctrl-C cannot cut a rollback short and leave a link half changed.
export class Interrupted extends Error {
  readonly exitCode = 130;

  constructor(signal: NodeJS.Signals, outcome: string) {
    super(`netbond: interrupted by ${signal}; ${outcome}`);
    this.name = 'Interrupted';
  }
}

/** The run was stopped by SIGINT/SIGTERM after cleaning up: the command exits with 130. */
export class LabInterrupted extends Error {
  constructor() {
    super('netbond lab: interrupted; everything the lab made has been removed');
    this.name = 'LabInterrupted';
  }
}

/** Runs a change with SIGINT/SIGTERM turned into `signal` being aborted; throws Interrupted after. */
export async function guardChange<T>(change: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received !== undefined) return;
    received = signal;
    controller.abort(new Error(`interrupted by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await change(controller.signal);
    if (received !== undefined) throw new Interrupted(received, 'the change had completed and is kept');
    return result;
  } catch (error) {
    if (received === undefined || error instanceof Interrupted) throw error;
    throw new Interrupted(received, error instanceof Error ? error.message : String(error));
  } finally {
    // Once interrupted, the handlers stay: a late second Ctrl-C must not kill the process between
    // the rollback and its exit 130 (it would end by signal, as if nothing had been rolled back).
    if (received === undefined) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}
