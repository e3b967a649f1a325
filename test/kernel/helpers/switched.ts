// A host namespace whose NICs are cabled to a "switch" namespace: a bridge with an address that
// answers pings and ARP. The test bed's stand-in for the seeds' server, cables and switch.
import { spawn } from 'node:child_process';
import { Lab } from './lab.js';

export interface Switched {
  host: Lab;
  sw: Lab;
  /** The switch port cabled to each host NIC. */
  portOf: (nic: string) => string;
  destroy: () => Promise<void>;
}

export async function switchedHost(nics: readonly string[], switchIps: readonly string[]): Promise<Switched> {
  const host = await Lab.create();
  const sw = await Lab.create();
  await sw.ip(['link', 'add', 'br0', 'type', 'bridge']);
  for (const [i, nic] of nics.entries()) {
    await host.veth(nic, `port${i}`, sw);
    await sw.ip(['link', 'set', `port${i}`, 'master', 'br0', 'up']);
  }
  for (const ip of switchIps) await sw.ip(['addr', 'add', ip, 'dev', 'br0']);
  await sw.setUp('br0');
  return {
    host,
    sw,
    portOf: (nic) => `port${nics.indexOf(nic)}`,
    destroy: async () => {
      await host.destroy();
      await sw.destroy();
    },
  };
}

export interface PingRun {
  /** Resolves with transmitted/received counts and the icmp_seq numbers that got a reply. */
  done: Promise<{ sent: number; received: number; seqs: number[] }>;
}

/** `ping -i interval -c count target` inside a namespace (iputils-ping). */
export function ping(lab: Lab, target: string, count: number, intervalMs: number): PingRun {
  const child = spawn('ip', ['netns', 'exec', lab.ns, 'ping', '-n', '-i', String(intervalMs / 1000), '-c', String(count), '-W', '1', target], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const done = new Promise<{ sent: number; received: number; seqs: number[] }>((resolve) => {
    child.on('exit', () => {
      const summary = /(\d+) packets transmitted, (\d+) received/u.exec(output);
      const seqs = [...output.matchAll(/icmp_seq=(\d+)/gu)].map((m) => Number(m[1]));
      resolve({ sent: Number(summary?.[1] ?? 0), received: Number(summary?.[2] ?? 0), seqs });
    });
  });
  return { done };
}
