// The wait of `netbond apply --try`, as `netplan try` does it: Enter keeps the change, so does
// `netbond confirm` from another shell; Ctrl-C rolls it back now; at the deadline the checkpoint's
// guard rolls it back (also when this process is gone, which is why the guard, not this wait,
// keeps the deadline). Resolves when confirmed; throws when rolled back.
import { createInterface } from 'node:readline';
import { constants } from 'node:os';
import { BondError } from '../errors.js';
import { resolveNetns } from '../call/netns.js';
import type { ApplyOptions } from '../declarative/apply.js';
import type { CheckpointInfo } from '../declarative/results.js';
import { confirmCheckpoint, rollbackCheckpoint } from '../declarative/transaction/checkpoints.js';
import { namespaceDir, readEnded, readRecord } from '../declarative/transaction/store.js';
import { Interrupted } from './interrupt.js';
import type { Io } from './io.js';

const POLL_MS = 200;

type Decision = { by: 'enter' } | { by: 'signal'; signal: NodeJS.Signals } | { by: 'record' };

export async function waitForConfirmation(checkpoint: CheckpointInfo, opts: Pick<ApplyOptions, 'netns'>, io: Io, input: NodeJS.ReadableStream = process.stdin): Promise<void> {
  const { id, expiresAt } = checkpoint;
  const dir = await namespaceDir(resolveNetns(opts.netns));
  let decide: (decision: Decision) => void = () => undefined;
  const decided = new Promise<Decision>((resolve) => (decide = resolve));
  // Before the prompt: a Ctrl-C the moment it shows must roll back, not kill the process.
  const onSignal = (signal: NodeJS.Signals) => decide({ by: 'signal', signal });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const seconds = Math.max(0, Math.round((Date.parse(expiresAt) - Date.now()) / 1000));
  io.out(`checkpoint ${id}: press Enter to keep this change, or run \`netbond confirm ${id}\` from another shell.`);
  io.out(`Without that it is rolled back at ${expiresAt} (in ${seconds} s), also if this session is lost; Ctrl-C rolls it back now.`);
  const lines = createInterface({ input, terminal: false });
  // End of input (stdin from /dev/null, a script) is not a confirmation: keep waiting.
  lines.once('line', () => decide({ by: 'enter' }));
  let timer: NodeJS.Timeout | undefined;
  let waiting = true;
  const poll = async () => {
    if (!waiting) return;
    const record = await readRecord(dir, id).catch(() => undefined);
    if (!record || record.phase !== 'pending') return decide({ by: 'record' });
    if (waiting) timer = setTimeout(() => void poll(), POLL_MS);
  };
  void poll();
  const decision = await decided;
  waiting = false;
  lines.close();
  if (input === process.stdin) process.stdin.pause();
  clearTimeout(timer);

  if (decision.by === 'enter') {
    await confirmCheckpoint(id, opts);
    io.out(`confirmed: the change is kept (checkpoint ${id})`);
    return cleanup(onSignal);
  }
  if (decision.by === 'signal') {
    // Handlers stay until exit: a second Ctrl-C must not cut the rollback short.
    await rollbackCheckpoint(id, opts);
    throw new Interrupted(decision.signal, `checkpoint ${id} rolled back; the state before the change is restored`);
  }
  cleanup(onSignal);
  return settled(dir, id, expiresAt, io);
}

function cleanup(onSignal: (signal: NodeJS.Signals) => void): void {
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}

/** The record left `pending` without us: say how it ended. */
async function settled(dir: string, id: string, expiresAt: string, io: Io): Promise<void> {
  // The guard marks the record 'restoring' while it works: wait for its end.
  for (;;) {
    const record = await readRecord(dir, id);
    if (!record) break;
    if (record.phase === 'failed') {
      throw new BondError({ errnum: constants.errno.EIO, syscall: 'rollback', action: `roll back ${id}`, hint: `the rollback could not put everything back; \`netbond rollback ${id}\` tries again (see ${dir}/guard.log)` });
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const ended = await readEnded(dir, id);
  if (ended?.outcome === 'confirmed') {
    io.out(`confirmed from another shell: the change is kept (checkpoint ${id})`);
    return;
  }
  const early = ended !== undefined && Date.parse(ended.at) < Date.parse(expiresAt);
  throw new BondError({
    errnum: early ? constants.errno.ECANCELED : constants.errno.ETIMEDOUT,
    syscall: 'try',
    action: `apply --try, checkpoint ${id}`,
    hint: early ? `rolled back from another shell (${ended.by}); the state before the change is restored` : `not confirmed by ${expiresAt}; the state before the change is restored`,
  });
}
