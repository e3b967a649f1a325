// Where transactions are written down: /run/netbond/net-<inode>-<cookie>/, one directory per
// network namespace (the same through /run/netns/NAME, /proc/PID/ns/net or a process inside it),
// one JSON file per transaction, written whole and renamed into place so a
// reader never sees half a record. /run is a tmpfs: the records go with a reboot, as the links do.
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BondError, ValidationError } from '../../errors.js';
import type { ResolvedNetns } from '../../call/netns.js';
import type { NetnsOption } from '../../call/netns.js';
import type { BondSpec } from '../../plan/types.js';
import { isNativeError, native } from '../../native.js';
import type { ProcessIdentity } from './owner.js';

export const RUN_DIR = '/run/netbond';
/** A record is a few kB; anything far larger was not written by netbond. */
const MAX_RECORD_BYTES = 4 * 1024 * 1024;

/** A link the transaction may enslave or release, as it was while no bond had it. */
export interface SavedLink {
  name: string;
  up: boolean;
}

export interface TransactionRecord {
  version: 1;
  id: string;
  owner: ProcessIdentity & { command: string };
  /** The namespace option the transaction acted in (absent: the owner's own). */
  netns?: NetnsOption;
  startedAt: string;
  /**
   * applying: steps are running; pending: applied, waiting for confirmation; restoring: being
   * rolled back; failed: a rollback could not put everything back (kept for another try).
   */
  phase: 'applying' | 'pending' | 'restoring' | 'failed';
  /** Each bond as it was before, as a spec that restores it exactly, in the order they are applied. */
  before: BondSpec[];
  freeLinks: SavedLink[];
  step: { done: number; total: number; description?: string };
  checkpoint?: { expiresAt: string; guard?: ProcessIdentity };
}

/**
 * The directory of a namespace: its nsfs inode and its cookie. The kernel hands a freed inode to
 * the next new namespace, so the inode alone would show a deleted namespace's records to a new
 * one; the cookie (SO_NETNS_COOKIE) is never reused. A directory with the same inode and another
 * cookie belonged to a namespace that is gone, with its links: it is removed.
 */
export async function namespaceDir(netns: ResolvedNetns): Promise<string> {
  const { ino } = await stat(netns.path || '/proc/self/ns/net');
  let cookie;
  try {
    cookie = await native().netnsCookie(netns.path);
  } catch (error) {
    if (!isNativeError(error)) throw error;
    throw new BondError({ errnum: error.errnum, syscall: error.syscall, action: `open ${netns.label}` });
  }
  const name = `net-${ino}-${cookie}`;
  await mkdir(RUN_DIR, { recursive: true, mode: 0o700 });
  for (const stale of (await readdir(RUN_DIR)).filter((n) => n.startsWith(`net-${ino}-`) && n !== name)) {
    await rm(join(RUN_DIR, stale), { recursive: true, force: true });
  }
  const dir = join(RUN_DIR, name);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}

const recordPath = (dir: string, id: string) => join(dir, `${id}.json`);

export async function writeRecord(dir: string, record: TransactionRecord): Promise<void> {
  const path = recordPath(dir, record.id);
  await writeFile(`${path}.tmp`, JSON.stringify(record), { mode: 0o600 });
  await rename(`${path}.tmp`, path);
}

/** How a checkpoint ended, kept a day beside the records for whoever still waits on it (`apply --try`). */
export interface EndedRecord {
  outcome: 'confirmed' | 'rolled back';
  /** The command of the process that ended it. */
  by: string;
  at: string;
}

const endedPath = (dir: string, id: string) => join(dir, `${id}.ended`);
const KEEP_ENDED_MS = 24 * 60 * 60 * 1000;

/** Removes a record; with `ended`, notes how it ended (and forgets notes older than a day). */
export async function removeRecord(dir: string, id: string, ended?: EndedRecord['outcome']): Promise<void> {
  if (ended) {
    const note: EndedRecord = { outcome: ended, by: process.argv.slice(1).join(' '), at: new Date().toISOString() };
    await writeFile(endedPath(dir, id), JSON.stringify(note), { mode: 0o600 });
    for (const name of (await readdir(dir)).filter((n) => n.endsWith('.ended'))) {
      const path = join(dir, name);
      const old = await stat(path).then((s) => Date.now() - s.mtimeMs > KEEP_ENDED_MS, () => false);
      if (old) await rm(path, { force: true });
    }
  }
  await rm(recordPath(dir, id), { force: true });
}

/** How checkpoint `id` ended, when it did in the last day. */
export async function readEnded(dir: string, id: string): Promise<EndedRecord | undefined> {
  try {
    const note = JSON.parse(await readFile(endedPath(dir, id), 'utf8')) as Partial<EndedRecord>;
    return note.outcome === 'confirmed' || note.outcome === 'rolled back' ? (note as EndedRecord) : undefined;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is TransactionRecord {
  const r = value as Partial<TransactionRecord> | null;
  return typeof r === 'object' && r !== null && r.version === 1 && typeof r.id === 'string' && Array.isArray(r.before) && Array.isArray(r.freeLinks) && typeof r.owner?.pid === 'number';
}

export async function readRecord(dir: string, id: string): Promise<TransactionRecord | undefined> {
  let text;
  try {
    const path = recordPath(dir, id);
    if ((await stat(path)).size > MAX_RECORD_BYTES) throw new Error('too large');
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!isRecord(parsed)) throw new BondError({ errnum: 74 /* EBADMSG */, syscall: 'journal', action: `read ${recordPath(dir, id)}`, hint: 'not a netbond transaction record' });
  return parsed;
}

export async function readRecords(dir: string): Promise<TransactionRecord[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  const records = await Promise.all(names.map((n) => readRecord(dir, n.slice(0, -'.json'.length))));
  return records.filter((r): r is TransactionRecord => r !== undefined);
}

const ID = /^\d{8}T\d{6}Z-\d+-[a-z0-9]{1,8}$/u;

/** A transaction id given by a caller (it names a file): refused unless it has the shape newId makes. */
export function validateId(id: unknown): string {
  if (typeof id !== 'string' || !ID.test(id)) throw new ValidationError({ option: 'id', value: id, allowed: 'a checkpoint id as listCheckpoints gives it (20261202T200102Z-1234-ab12)' });
  return id;
}

/** A new transaction id: time, pid and randomness, sortable by time, safe as a file name. */
export function newId(): string {
  const time = new Date().toISOString().replace(/[-:]/gu, '').replace(/\.\d+Z$/u, 'Z');
  return `${time}-${process.pid}-${Math.random().toString(36).slice(2, 6)}`;
}
