// Rolling a recorded transaction back, by whoever does it (`rollbackCheckpoint`, the guard of an
// unconfirmed checkpoint or of an apply whose process died): under the bonds' locks, from the
// record alone. The record goes when everything is back; when something could not be put back it
// stays, marked failed, for `netbond rollback` to try again.
import { BondError } from '../../errors.js';
import { resolveNetns } from '../../call/netns.js';
import { lockBonds } from './lock.js';
import { processIdentity } from './owner.js';
import { restoreSaved } from './restore.js';
import { readRecord, removeRecord, writeRecord, type TransactionRecord } from './store.js';

/** Restores a recorded transaction; resolves with its record, or undefined when it was gone. */
export async function rollbackRecord(dir: string, id: string, lockTimeoutMs: number, stillWanted: (record: TransactionRecord) => Promise<boolean> = async () => true): Promise<TransactionRecord | undefined> {
  const first = await readRecord(dir, id);
  if (!first) return undefined;
  const unlock = await lockBonds(dir, first.before.map((b) => b.name), lockTimeoutMs);
  try {
    const record = await readRecord(dir, id);
    if (!record || !(await stillWanted(record))) return undefined;
    record.phase = 'restoring';
    record.owner = { ...(await processIdentity()), command: process.argv.slice(1).join(' ') };
    await writeRecord(dir, record);
    const errors = await restoreSaved(resolveNetns(record.netns), record.netns, record.before, record.freeLinks);
    if (errors.length > 0) {
      record.phase = 'failed';
      await writeRecord(dir, record);
      const first = errors[0];
      throw new BondError({
        errnum: first instanceof BondError ? -first.errno : 5,
        syscall: 'rollback',
        action: `roll back ${record.id} (${record.before.map((b) => b.name).join(', ')})`,
        bond: record.before[0]?.name,
        hint: `${errors.length} bonds or links could not be put back (${first instanceof Error ? first.message : String(first)}); the record is kept for another try`,
      });
    }
    await removeRecord(dir, id, 'rolled back');
    return record;
  } finally {
    await unlock();
  }
}
