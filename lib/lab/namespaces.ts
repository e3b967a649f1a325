// The namespaces a lab run made (through netbond's own createNamespace, as `ip netns add` makes
// them), and the only way the lab runs tc and its own processes (nsenter into one of them): every
// command names one of those namespaces, so the lab cannot touch the host's interfaces. Commands
// are argument arrays (execFile), never a shell line. Cleanup deletes the namespaces, which
// removes every veth, bridge, bond and qdisc in them, and kills the processes started in them.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { promisify } from 'node:util';
import { resolveNetns } from '../call/netns.js';
import { setLinkUp } from '../link/link.js';
import { createNamespace, deleteNamespace } from '../netns/named.js';

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

/** nsenter's arguments to run `command` in the network namespace `ns` (only: same mounts, same /run). */
const enter = (ns: string, command: string, args: readonly string[]) => [`--net=${resolveNetns(ns).path}`, '--', command, ...args];

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
    await createNamespace(ns);
    this.made.add(ns);
    await setLinkUp('lo', { netns: ns });
    return ns;
  }

  private own(ns: string): string {
    if (!this.made.has(ns)) throw new Error(`netbond lab: refusing to act in ${ns}, a namespace this lab did not make`);
    return ns;
  }

  /** A namespace this lab made, for the netbond calls that build its links. */
  netns(ns: string): string {
    return this.own(ns);
  }

  async tc(ns: string, args: readonly string[]): Promise<string> {
    const { stdout } = await execFileAsync('tc', ['-n', this.own(ns), ...args]);
    return stdout;
  }

  /** Runs a command inside the namespace and returns its stdout. */
  async exec(ns: string, command: string, args: readonly string[]): Promise<string> {
    const { stdout } = await execFileAsync('nsenter', enter(this.own(ns), command, args), { maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  }

  /** Starts a long-running process inside the namespace; it is killed at cleanup. */
  spawn(ns: string, command: string, args: readonly string[]): ChildProcess {
    const child = spawn('nsenter', enter(this.own(ns), command, args), { stdio: ['pipe', 'pipe', 'pipe'] });
    this.children.add(child);
    child.on('exit', () => this.children.delete(child));
    return child;
  }

  /** Kills what was started and deletes every namespace made, whatever state they are in. */
  async cleanup(): Promise<void> {
    for (const child of this.children) child.kill('SIGKILL');
    this.children.clear();
    for (const ns of [...this.made].reverse()) {
      await deleteNamespace(ns).catch(() => undefined);
      this.made.delete(ns);
    }
    if (this.exitHook) process.removeListener('exit', this.exitHook);
    this.exitHook = undefined;
  }

  private cleanupSync(): void {
    for (const child of this.children) child.kill('SIGKILL');
    for (const ns of this.made) {
      // At process exit nothing asynchronous runs: `ip netns del` by hand (lazy unmount, unlink).
      const { path } = resolveNetns(ns);
      try {
        execFileSync('umount', ['--lazy', path], { stdio: 'ignore' });
        unlinkSync(path);
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
  for (const ns of stale) await deleteNamespace(ns).catch(() => undefined);
  return stale;
}
