// The oracles and traffic of the QEMU suite, read inside a namespace with the kernel's own tools:
// iproute2's JSON, sysfs and /proc files as the namespace sees them, and ping.
import { spawn } from 'node:child_process';
import { exec } from './guest.js';
import { waitFor } from '../../kernel/helpers/wait.js';

/** `ip -n NS -j ARGS`, parsed (add `-d` or `-s` to ARGS as needed). */
export async function ipJson<T = Record<string, unknown>>(ns: string, args: readonly string[]): Promise<T[]> {
  const { stdout } = await exec('ip', ['-n', ns, '-j', ...args]);
  return JSON.parse(stdout || '[]') as T[];
}

/** A file of sysfs or /proc as NS sees it (`ip netns exec` mounts the namespace's own sysfs). */
export async function nsRead(ns: string, path: string): Promise<string> {
  return (await exec('ip', ['netns', 'exec', ns, 'cat', path])).stdout;
}

/** ping COUNT times from NS every INTERVAL seconds; what was sent and how many answered. */
export async function ping(ns: string, address: string, count = 1, interval = 0.2): Promise<{ sent: number; received: number }> {
  // -W: a reply may be slow on an emulated CPU; only a reply that never comes counts as lost.
  const args = ['netns', 'exec', ns, 'ping', '-n', '-q', '-c', String(count), '-i', String(interval), '-W', '3', address];
  const out = await exec('ip', args).then((r) => r.stdout, (e: { stdout?: string }) => e.stdout ?? '');
  const [, sent = '0', received = '0'] = /(\d+) packets transmitted, (\d+) received/u.exec(out) ?? [];
  return { sent: Number(sent), received: Number(received) };
}

/** Waits until one ping from NS to ADDRESS is answered (links come up, DAD, ARP); whether it was. */
export async function reaches(ns: string, address: string, timeoutMs = 20_000): Promise<boolean> {
  return (await waitFor(() => ping(ns, address), (r) => r.received === 1, timeoutMs, 100)).received === 1;
}

/**
 * ping running in the background from NS, COUNT times every INTERVAL seconds (a failover's gap);
 * `done` resolves with what it sent and the sequence numbers answered.
 */
export function pingRun(ns: string, address: string, count: number, interval = 0.01): { done: Promise<{ sent: number; seqs: number[] }> } {
  const child = spawn('ip', ['netns', 'exec', ns, 'ping', '-n', '-i', String(interval), '-W', '1', '-c', String(count), address], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const done = new Promise<{ sent: number; seqs: number[] }>((resolve) => {
    child.on('close', () => {
      const sent = Number(/(\d+) packets transmitted/u.exec(out)?.[1] ?? 0);
      resolve({ sent, seqs: [...out.matchAll(/icmp_seq=(\d+)/gu)].map((m) => Number(m[1])) });
    });
  });
  return { done };
}
