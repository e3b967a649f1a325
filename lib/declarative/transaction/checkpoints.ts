// The public side of recorded transactions: listCheckpoints, confirmCheckpoint, rollbackCheckpoint,
// and the refusal an apply meets when a bond it touches has one open (a checkpoint waiting for
// confirmation, or an apply whose process died half way).
import { constants } from 'node:os';
import { BondError, ValidationError } from '../../errors.js';
import { resolveCall, type CallOptions } from '../../call/options.js';
import type { NetnsOption } from '../../call/netns.js';
import { checkKeys } from '../../validate/keys.js';
import { lockBonds } from './lock.js';
import { isRunning } from './owner.js';
import { rollbackRecord } from './recover.js';
import { namespaceDir, readRecord, readRecords, removeRecord, validateId, type TransactionRecord } from './store.js';

export interface CheckpointEntry {
  id: string;
  bonds: string[];
  /**
   * pending: applied, rolled back at expiresAt unless confirmed; applying / restoring: its process
   * is at it now; interrupted: its process died half way; failed: a rollback could not put
   * everything back.
   */
  status: 'pending' | 'applying' | 'restoring' | 'interrupted' | 'failed';
  pid: number;
  command: string;
  startedAt: string;
  expiresAt?: string;
  step: { done: number; total: number; description?: string };
}

export interface CheckpointOptions {
  netns?: NetnsOption;
  /** ms to wait for the bonds' locks. Default 30000. */
  lockTimeout?: number;
}

const DEFAULT_LOCK_MS = 30_000;

async function entryOf(record: TransactionRecord): Promise<CheckpointEntry> {
  const alive = await isRunning(record.owner);
  const status = record.phase === 'pending' || record.phase === 'failed' ? record.phase : alive ? record.phase : 'interrupted';
  return {
    id: record.id,
    bonds: record.before.map((b) => b.name),
    status,
    pid: record.owner.pid,
    command: record.owner.command,
    startedAt: record.startedAt,
    ...(record.checkpoint && record.phase === 'pending' ? { expiresAt: record.checkpoint.expiresAt } : {}),
    step: record.step,
  };
}

async function dirOf(opts: CheckpointOptions): Promise<string> {
  checkKeys(opts, ['netns', 'lockTimeout']);
  return namespaceDir(resolveCall({ netns: opts.netns } satisfies CallOptions).netns);
}

/** The open transactions of the namespace: pending checkpoints, interrupted or failed applies. */
export async function listCheckpoints(opts: CheckpointOptions = {}): Promise<CheckpointEntry[]> {
  const dir = await dirOf(opts);
  return Promise.all((await readRecords(dir)).map(entryOf));
}

/** The record `id` names, or the only open one when id is undefined. */
async function pick(dir: string, id: string | undefined, verb: string): Promise<TransactionRecord> {
  if (id !== undefined) {
    const record = await readRecord(dir, validateId(id));
    if (!record) throw new BondError({ errnum: constants.errno.ENOENT, syscall: verb, action: `${verb} ${id}`, hint: `there is no checkpoint ${id} (confirmed, rolled back or expired already)` });
    return record;
  }
  const records = await readRecords(dir);
  if (records.length === 1) return records[0] as TransactionRecord;
  throw new ValidationError({ option: 'id', value: id, allowed: records.length === 0 ? 'nothing: there is no open checkpoint' : `one of ${records.map((r) => r.id).join(', ')}`, message: records.length === 0 ? 'there is no open checkpoint' : `${records.length} checkpoints are open; name one: ${records.map((r) => r.id).join(', ')}` });
}

/** Keeps the change of a pending checkpoint (or the bonds as an interrupted apply left them). */
export async function confirmCheckpoint(id?: string, opts: CheckpointOptions = {}): Promise<CheckpointEntry> {
  const dir = await dirOf(opts);
  const record = await pick(dir, id, 'confirm');
  const unlock = await lockBonds(dir, record.before.map((b) => b.name), opts.lockTimeout ?? DEFAULT_LOCK_MS);
  try {
    const now = await readRecord(dir, record.id);
    if (!now) throw new BondError({ errnum: constants.errno.ENOENT, syscall: 'confirm', action: `confirm ${record.id}`, hint: `checkpoint ${record.id} was rolled back before the confirmation arrived` });
    await removeRecord(dir, record.id, 'confirmed');
    return entryOf(now);
  } finally {
    await unlock();
  }
}

/** Puts the bonds back as they were before the transaction; resolves with what it was. */
export async function rollbackCheckpoint(id?: string, opts: CheckpointOptions = {}): Promise<CheckpointEntry> {
  const dir = await dirOf(opts);
  const record = await pick(dir, id, 'rollback');
  const entry = await entryOf(record);
  if (entry.status === 'applying' || entry.status === 'restoring') {
    throw new BondError({ errnum: constants.errno.EBUSY, syscall: 'rollback', action: `roll back ${record.id}`, hint: `pid ${record.owner.pid} (${record.owner.command}) is ${entry.status} it now` });
  }
  const done = await rollbackRecord(dir, record.id, opts.lockTimeout ?? DEFAULT_LOCK_MS);
  if (!done) throw new BondError({ errnum: constants.errno.ENOENT, syscall: 'rollback', action: `roll back ${record.id}`, hint: `checkpoint ${record.id} was confirmed or rolled back meanwhile` });
  return entry;
}

/** Refuses to change bonds that an open transaction covers, saying what to do about it. */
export async function refuseOpen(dir: string, bonds: readonly string[]): Promise<void> {
  for (const record of await readRecords(dir)) {
    const covered = record.before.map((b) => b.name).filter((name) => bonds.includes(name));
    if (covered.length === 0) continue;
    const entry = await entryOf(record);
    const what =
      entry.status === 'pending'
        ? `${covered.join(', ')} has a pending checkpoint ${record.id} (rolled back at ${entry.expiresAt} unless confirmed)`
        : entry.status === 'failed'
          ? `the rollback of ${record.id} could not put back everything on ${covered.join(', ')}`
          : `an apply by pid ${record.owner.pid} (${record.owner.command}) was interrupted at step ${Math.min(record.step.done + 1, record.step.total)} of ${record.step.total} on ${covered.join(', ')}`;
    throw new BondError({
      errnum: constants.errno.EBUSY,
      syscall: 'apply',
      action: `apply ${bonds.join(', ')}`,
      bond: covered[0],
      hint: `${what}; \`netbond rollback ${record.id}\` (rollbackCheckpoint) restores the state before it, \`netbond confirm ${record.id}\` (confirmCheckpoint) keeps the bonds as they are`,
    });
  }
}
