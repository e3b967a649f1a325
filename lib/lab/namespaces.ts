// The namespaces a lab run made, and the only way the lab runs ip, tc and its own processes: every
// command names one of those namespaces, so the lab cannot touch the host's interfaces. Commands
// are argument arrays (execFile), never a shell line. Cleanup deletes the namespaces, which
// removes every veth, bridge, bond and qdisc in them, and kills the processes started in them.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * Every lab namespace is named `nblab-<pidns>-<pid>-<run>-<role>`: a stale one can be told by its
 * pid, but only by a process in the same PID namespace (<pidns>, its inode), since /run/netns is
 * shared with containers and `unshare -p` runs whose pids mean nothing here.
 */
export const LAB_NS_PREFIX = 'nblab-';
let runCounter = 0;

/** The inode of this process's PID namespace, which never changes for a process. */
let ownPidNamespace: number | undefined;
function pidNamespace(): number {
  ownPidNamespace ??= statSync('/proc/self/ns/pid').ino;
  return ownPidNamespace;
}

export class LabNamespaces {
  readonly prefix: string;
  private readonly made = new Set<string>();
  private readonly children = new Set<ChildProcess>();
  private exitHook: (() => void) | undefined;

  constructor() {
    this.prefix = `${LAB_NS_PREFIX}${pidNamespace()}-${process.pid}-${++runCounter}-`;
    // If the process exits without cleanup (an uncaught error elsewhere), still remove them.
    this.exitHook = () => this.cleanupSync();
    process.once('exit', this.exitHook);
  }

  /** Creates a namespace `<prefix><role>` with lo up, and returns its name. */
  async create(role: string): Promise<string> {
    const ns = `${this.prefix}${role}`;
    await execFileAsync('ip', ['netns', 'add', ns]);
    this.made.add(ns);
    await this.ip(ns, ['link', 'set', 'lo', 'up']);
    return ns;
  }

  private own(ns: string): string {
    if (!this.made.has(ns)) throw new Error(`netbond lab: refusing to act in ${ns}, a namespace this lab did not make`);
    return ns;
  }

  async ip(ns: string, args: readonly string[]): Promise<string> {
    const { stdout } = await execFileAsync('ip', ['-n', this.own(ns), ...args]);
    return stdout;
  }

  async tc(ns: string, args: readonly string[]): Promise<string> {
    const { stdout } = await execFileAsync('tc', ['-n', this.own(ns), ...args]);
    return stdout;
  }

  /** Runs a command inside the namespace and returns its stdout. */
  async exec(ns: string, command: string, args: readonly string[]): Promise<string> {
    const { stdout } = await execFileAsync('ip', ['netns', 'exec', this.own(ns), command, ...args], { maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  }

  /** Starts a long-running process inside the namespace; it is killed at cleanup. */
  spawn(ns: string, command: string, args: readonly string[]): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', this.own(ns), command, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.children.add(child);
    child.on('exit', () => this.children.delete(child));
    return child;
  }

  /** Kills what was started and deletes every namespace made, whatever state they are in. */
  async cleanup(): Promise<void> {
    for (const child of this.children) child.kill('SIGKILL');
    this.children.clear();
    for (const ns of [...this.made].reverse()) {
      await execFileAsync('ip', ['netns', 'del', ns]).catch(() => undefined);
      this.made.delete(ns);
    }
    if (this.exitHook) process.removeListener('exit', this.exitHook);
    this.exitHook = undefined;
  }

  private cleanupSync(): void {
    for (const child of this.children) child.kill('SIGKILL');
    for (const ns of this.made) {
      try {
        execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
    this.made.clear();
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether a lab namespace was left by a run of this PID namespace whose process is gone. Names of
 * the older `nblab-<pid>-<run>-<role>` form do not say whose pid they hold, so they are never
 * stale: removing a live run's namespace is worse than leaving a dead one for `ip netns del`.
 */
function isStale(name: string): boolean {
  const match = /^nblab-(\d+)-(\d+)-\d+-/u.exec(name);
  if (match === null || Number(match[1]) !== pidNamespace()) return false;
  const pid = Number(match[2]);
  return pid !== process.pid && !alive(pid);
}

/** Deletes lab namespaces left by runs whose process is gone (killed with SIGKILL); returns their names. */
export async function removeStaleLabNamespaces(): Promise<string[]> {
  let names: string[];
  try {
    names = readdirSync('/run/netns');
  } catch {
    return [];
  }
  const stale = names.filter(isStale);
  for (const ns of stale) await execFileAsync('ip', ['netns', 'del', ns]).catch(() => undefined);
  return stale;
}
