// The seed's cable pull, measured: one TCP stream and pings every 10 ms from A to B; halfway
// through, the far end of the link carrying traffic is set down, so A's NIC loses carrier as if
// its cable were pulled. Reported: when the bond saw it (watchBonds), pings lost and the longest
// run of them, and the longest stretch with no TCP payload at the receiver.
import type { ChildProcess } from 'node:child_process';
import { setLinkDown } from '../link/link.js';
import { getBond } from '../verbs/read.js';
import { watchBonds, type BondEvent } from '../watch/watcher.js';
import type { LabNamespaces } from './namespaces.js';
import { ADDRESS_B, type Topology } from './topology.js';
import { longestStallMs, runTraffic, type TrafficRun } from './traffic.js';
import type { FailoverResult } from './types.js';

export const PING_INTERVAL_MS = 10;

/** Sequence numbers answered, from ping's output ("64 bytes from ...: icmp_seq=12 ttl=64 ..."). */
export function answeredSeqs(output: string): Set<number> {
  return new Set([...output.matchAll(/icmp_seq=(\d+)/gu)].map((match) => Number(match[1])));
}

/** Pings lost among 1..sent, and the longest run of consecutive lost ones. */
export function pingLoss(sent: number, answered: ReadonlySet<number>): { lost: number; longestRun: number } {
  let lost = 0;
  let run = 0;
  let longestRun = 0;
  for (let seq = 1; seq <= sent; seq++) {
    if (answered.has(seq)) {
      run = 0;
      continue;
    }
    lost++;
    longestRun = Math.max(longestRun, ++run);
  }
  return { lost, longestRun };
}

function collect(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', () => resolve(output));
  });
}

export async function measureFailover(lab: LabNamespaces, topo: Topology, seconds: number): Promise<{ failover: FailoverResult; run: TrafficRun }> {
  const bond = topo.bond as string;
  const before = await getBond(bond, { netns: topo.a });
  const cutLink = before.activeSlave ?? (topo.nics[0] as string);
  const far = topo.farEnd.get(cutLink);
  if (!far) throw new Error(`netbond lab: no far end known for ${cutLink}`);

  const controller = new AbortController();
  const watcher = watchBonds({ netns: topo.a, signal: controller.signal, pollInterval: 0 });
  const events: { event: BondEvent; at: bigint }[] = [];
  const watching = (async () => {
    for await (const event of watcher) events.push({ event, at: process.hrtime.bigint() });
  })();
  await watcher.ready;

  const sent = Math.round((seconds * 1000) / PING_INTERVAL_MS);
  let cutNs = 0n;
  let pingOutput = '';
  let run: TrafficRun;
  try {
    run = await runTraffic(lab, topo, 1, seconds, async (startNs) => {
      const ping = lab.spawn(topo.a, 'ping', ['-n', '-i', String(PING_INTERVAL_MS / 1000), '-c', String(sent), '-w', String(Math.ceil(seconds) + 3), ADDRESS_B]);
      const output = collect(ping);
      const cutAt = startNs + BigInt(Math.round((seconds / 2) * 1e9));
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(cutAt - process.hrtime.bigint()) / 1e6)));
      cutNs = process.hrtime.bigint();
      // Through netbond's own netlink call: an `ip` process would blur the moment of the cut.
      await setLinkDown(far.dev, { netns: far.ns });
      pingOutput = await output;
    });
  } finally {
    // The watcher holds a socket on the loop: close it however the run ended.
    controller.abort();
    await watching;
  }

  const after = await getBond(bond, { netns: topo.a });
  const down = events.find(({ event }) => event.type === 'slave-link' && event.slave === cutLink && event.status !== 'up' && event.timestamp >= cutNs);
  const { lost, longestRun } = pingLoss(sent, answeredSeqs(pingOutput));
  const failover: FailoverResult = {
    cutLink,
    cutAtMs: Number(cutNs - BigInt(run.client.startNs)) / 1e6,
    detectedMs: down && down.event.type === 'slave-link' ? Number(down.event.timestamp - cutNs) / 1e6 : undefined,
    pingsSent: sent,
    pingsLost: lost,
    pingGapMs: longestRun * PING_INTERVAL_MS,
    tcpStallMs: longestStallMs(run, cutNs),
  };
  if (before.activeSlave !== null || after.activeSlave !== null) {
    failover.activeBefore = before.activeSlave;
    failover.activeAfter = after.activeSlave;
  }
  return { failover, run };
}
