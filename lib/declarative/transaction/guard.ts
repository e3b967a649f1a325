// The guard of a checkpoint: a process of its own (its own session, started detached, so neither a
// dropped SSH session nor a SIGKILL of the applying process takes it along) that keeps the
// deadline. It rolls the transaction back when the deadline passes unconfirmed, or at once when the
// applying process dies before it finished (a --try interrupted half way wanted to be undone), and
// ends when the record goes (confirmed, rolled back by someone else).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRunning, processIdentity, type ProcessIdentity } from './owner.js';
import { rollbackRecord } from './recover.js';
import { readRecord, type TransactionRecord } from './store.js';

const POLL_MS = 100;
/** The guard waits this long for the locks of the bonds it restores (a confirm may hold them). */
const GUARD_LOCK_MS = 10 * 60 * 1000;

function guardScript(): string {
  const beside = fileURLToPath(new URL('./guard-main.js', import.meta.url));
  return existsSync(beside) ? beside : fileURLToPath(new URL('../../../dist/declarative/transaction/guard-main.js', import.meta.url));
}

/** Starts the guard of transaction `id`; it outlives the caller. */
export async function startGuard(dir: string, id: string): Promise<ProcessIdentity> {
  const child = spawn(process.execPath, [guardScript(), dir, id], { detached: true, stdio: 'ignore' });
  child.unref();
  if (child.pid === undefined) throw new Error('netbond: could not start the checkpoint guard');
  return processIdentity(child.pid);
}

/** Why the record must be rolled back now, or undefined to keep waiting. */
async function dueReason(record: TransactionRecord): Promise<string | undefined> {
  if (record.phase === 'failed') return undefined;
  if (record.phase === 'pending') {
    const expiresAt = Date.parse(record.checkpoint?.expiresAt ?? '');
    return Date.now() >= expiresAt ? `not confirmed by ${record.checkpoint?.expiresAt}` : undefined;
  }
  return (await isRunning(record.owner)) ? undefined : `pid ${record.owner.pid} ended while ${record.phase === 'applying' ? `applying (step ${record.step.done} of ${record.step.total})` : 'rolling back'}`;
}

/** The guard's whole life: returns once the record is gone or rolled back. */
export async function runGuard(dir: string, id: string): Promise<void> {
  const log = (line: string) => appendFile(join(dir, 'guard.log'), `${new Date().toISOString()} ${id} ${line}\n`);
  for (;;) {
    const record = await readRecord(dir, id);
    if (!record || record.phase === 'failed') return;
    const reason = await dueReason(record);
    if (reason) {
      const started = Date.now();
      try {
        const done = await rollbackRecord(dir, id, GUARD_LOCK_MS, async (now) => (await dueReason(now)) !== undefined);
        if (done) await log(`rolled back (${reason}) in ${Date.now() - started} ms`);
      } catch (error) {
        await log(`rollback failed (${reason}): ${error instanceof Error ? error.message : String(error)}`);
      }
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
