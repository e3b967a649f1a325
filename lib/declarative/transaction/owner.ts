// Who is running a transaction, in a form another process can check later: the pid and the
// process's start time (field 22 of /proc/PID/stat), so that a pid the kernel has handed to a new
// process since is not mistaken for the one that died.
import { readFile } from 'node:fs/promises';

export interface ProcessIdentity {
  pid: number;
  /** Start time in clock ticks since boot, as /proc/PID/stat gives it. */
  start: string;
}

async function startTime(pid: number): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export async function processIdentity(pid = process.pid): Promise<ProcessIdentity> {
  return { pid, start: (await startTime(pid)) ?? '' };
}

export async function isRunning(owner: ProcessIdentity): Promise<boolean> {
  return (await startTime(owner.pid)) === owner.start;
}
