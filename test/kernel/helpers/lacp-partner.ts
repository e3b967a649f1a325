// Drives lacp-partner.py (a fake 802.3ad partner on a raw packet socket) inside a lab namespace:
// sets the actor state it sends and reports the actor states seen in the bond's LACPDUs, an
// oracle read off the wire, independent of netbond's readers and of /proc.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Lab } from './lab.js';

const SCRIPT = fileURLToPath(new URL('./lacp-partner.py', import.meta.url));

/** LACP actor state bits (IEEE 802.1AX), as LACPDUs carry them. */
export const LACP_STATE = { activity: 0x01, timeout: 0x02, aggregation: 0x04, sync: 0x08, collecting: 0x10, distributing: 0x20 } as const;

export class LacpPartner {
  private readonly seen: number[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly child: ChildProcessByStdio<Writable, Readable, null>) {
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('bond-state ')) this.seen.push(Number(line.slice(11)));
      for (const wake of this.waiters) wake();
    });
  }

  static start(lab: Lab, ifname: string): LacpPartner {
    return new LacpPartner(spawn('ip', ['netns', 'exec', lab.ns, '/usr/bin/python3', SCRIPT, ifname], { stdio: ['pipe', 'pipe', 'inherit'] }));
  }

  /** The actor state this partner sends from now on. */
  send(state: number): void {
    this.child.stdin.write(`state ${state}\n`);
  }

  /** The bond's latest actor state on the wire, once one satisfies `done` (or the last seen at the timeout). */
  async bondState(done: (state: number) => boolean, timeoutMs = 20_000): Promise<number | undefined> {
    const latest = () => this.seen.at(-1);
    const deadline = Date.now() + timeoutMs;
    while (!(latest() !== undefined && done(latest()!)) && Date.now() < deadline && this.child.exitCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 250);
        this.waiters.add(() => (clearTimeout(timer), resolve()));
      });
      this.waiters.clear();
    }
    return latest();
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.on('exit', resolve));
    this.child.stdin.end();
    await exited;
  }
}
