// One change at a time per bond, across processes: an flock(2) on /run/netbond/net-<inode>-<cookie>/
// lock-<bond> (the kernel drops it when its holder dies, so a killed apply never leaves a stale
// lock). Several bonds are taken in name order, so two transactions cannot deadlock. The holder
// writes its pid and command into the file for whoever has to wait.
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { constants } from 'node:os';
import { BondError } from '../../errors.js';
import { native } from '../../native.js';

export interface LockHolder {
  pid: number;
  command: string;
}

export interface LockWait {
  bond: string;
  holder?: LockHolder;
}

const POLL_MS = 25;

async function holderOf(path: string): Promise<LockHolder | undefined> {
  try {
    const holder = JSON.parse(await readFile(path, 'utf8')) as Partial<LockHolder>;
    return typeof holder.pid === 'number' && typeof holder.command === 'string' ? { pid: holder.pid, command: holder.command } : undefined;
  } catch {
    return undefined;
  }
}

async function lockOne(dir: string, bond: string, timeoutMs: number, onWait?: (wait: LockWait) => void): Promise<FileHandle> {
  const path = join(dir, `lock-${bond}`);
  const file = await open(path, 'a+', 0o600);
  const deadline = Date.now() + timeoutMs;
  let told = false;
  try {
    for (;;) {
      const errno = native().tryLockFile(file.fd);
      if (errno === 0) break;
      if (errno !== constants.errno.EWOULDBLOCK) throw new BondError({ errnum: errno, syscall: 'flock', action: `lock ${path}`, bond });
      if (!told) {
        told = true;
        onWait?.({ bond, holder: await holderOf(path) });
      }
      if (Date.now() >= deadline) {
        const holder = await holderOf(path);
        throw new BondError({
          errnum: constants.errno.EBUSY,
          syscall: 'lock',
          action: `lock ${bond} for a change`,
          bond,
          hint: `${bond} is being changed by ${holder ? `pid ${holder.pid} (${holder.command})` : 'another process'}; waited ${timeoutMs} ms (lockTimeout)`,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    await file.truncate(0);
    await file.write(JSON.stringify({ pid: process.pid, command: process.argv.slice(1).join(' ') } satisfies LockHolder), 0);
    return file;
  } catch (error) {
    await file.close();
    throw error;
  }
}

/** Takes the locks of these bonds (in name order); resolves with the function that releases them. */
export async function lockBonds(dir: string, bonds: readonly string[], timeoutMs: number, onWait?: (wait: LockWait) => void): Promise<() => Promise<void>> {
  const held: FileHandle[] = [];
  const release = async () => {
    for (const file of held.splice(0).reverse()) await file.close();
  };
  try {
    for (const bond of [...new Set(bonds)].sort()) held.push(await lockOne(dir, bond, timeoutMs, onWait));
  } catch (error) {
    await release();
    throw error;
  }
  return release;
}
