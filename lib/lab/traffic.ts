// One traffic run: a receiver in host B, STREAMS TCP connections from host A for a while, and
// the TCP counters of both hosts before and after. Optional work (the failover's cable cut and
// pings) runs while the traffic flows.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LabNamespaces } from './namespaces.js';
import { parseNetstat, tcpCounters } from './netstat.js';
import { ADDRESS_B, type Topology } from './topology.js';
import type { ClientReport, ServerReport } from './traffic-agent.js';
import type { TcpCounters } from './types.js';

const PORT = 5201;
export const BIN_MS = 10;

/** The compiled agent: beside this file in dist/, or dist/ when this runs from the TS sources. */
function agentPath(): string {
  const beside = fileURLToPath(new URL('./traffic-agent.js', import.meta.url));
  return existsSync(beside) ? beside : fileURLToPath(new URL('../../dist/lab/traffic-agent.js', import.meta.url));
}

export interface TrafficRun {
  server: ServerReport;
  client: ClientReport;
  counters: TcpCounters;
  /** Bytes received by host B. */
  bytes: number;
  /** Receiver goodput over the client's send window, Mbit/s. */
  mbps: number;
}

/** Resolves with the first stdout line that parses as JSON and passes `accept`. */
function jsonLine<T>(child: ChildProcess, what: string, accept: (value: Record<string, unknown>) => boolean = () => true): Promise<T> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        try {
          const value = JSON.parse(line) as Record<string, unknown>;
          if (accept(value)) {
            child.stdout?.off('data', onData);
            resolve(value as T);
            return;
          }
        } catch {
          // not a JSON line
        }
      }
    };
    child.stdout?.on('data', onData);
    // 'close', not 'exit': 'exit' can come before the last stdout chunk has been read, and the
    // report is that chunk. (A resolved promise ignores the later reject.)
    child.on('close', (code) => reject(new Error(`netbond lab: ${what} exited (${code ?? 'signal'}) without a report${stderr ? `: ${stderr.trim()}` : ''}`)));
  });
}

async function snapshot(lab: LabNamespaces, ns: string): Promise<Map<string, number>> {
  return parseNetstat(await lab.exec(ns, 'cat', ['/proc/net/netstat', '/proc/net/snmp']));
}

export async function runTraffic(
  lab: LabNamespaces,
  topo: Topology,
  streams: number,
  seconds: number,
  during?: (startNs: bigint) => Promise<void>,
): Promise<TrafficRun> {
  const agent = agentPath();
  const [senderBefore, receiverBefore] = await Promise.all([snapshot(lab, topo.a), snapshot(lab, topo.b)]);
  const serverChild = lab.spawn(topo.b, process.execPath, [agent, 'server', String(PORT), String(BIN_MS)]);
  const serverReport = jsonLine<ServerReport>(serverChild, 'traffic receiver', (v) => 'bins' in v);
  // Awaited only after the sender is done; if the run fails first, its rejection is not news.
  serverReport.catch(() => undefined);
  await jsonLine(serverChild, 'traffic receiver', (v) => v.listening === true);
  const startNs = process.hrtime.bigint();
  const clientChild = lab.spawn(topo.a, process.execPath, [agent, 'client', ADDRESS_B, String(PORT), String(streams), String(Math.round(seconds * 1000))]);
  const clientReport = jsonLine<ClientReport>(clientChild, 'traffic sender', (v) => 'bytes' in v);
  const [client] = await Promise.all([clientReport, during?.(startNs)]);
  serverChild.stdin?.end();
  const server = await serverReport;
  const [senderAfter, receiverAfter] = await Promise.all([snapshot(lab, topo.a), snapshot(lab, topo.b)]);
  const counters = tcpCounters({ before: senderBefore, after: senderAfter }, { before: receiverBefore, after: receiverAfter });
  const bytes = server.bins.reduce((sum, n) => sum + n, 0);
  const windowS = Number(BigInt(client.endNs) - BigInt(client.startNs)) / 1e9;
  return { server, client, counters, bytes, mbps: windowS > 0 ? (bytes * 8) / windowS / 1e6 : 0 };
}

/**
 * Longest stretch with no payload received, ms, between `fromNs` and the moment the client stopped
 * writing (the drain after it is not an outage).
 */
export function longestStallMs(run: Pick<TrafficRun, 'server' | 'client'>, fromNs: bigint): number {
  const binNs = BigInt(run.server.binMs) * 1_000_000n;
  const start = BigInt(run.server.startNs);
  const first = Math.max(0, Number((fromNs - start) / binNs));
  const stop = BigInt(run.client.stopNs) < BigInt(run.client.endNs) ? BigInt(run.client.stopNs) : BigInt(run.client.endNs);
  const last = Number((stop - start) / binNs) - 1;
  let longest = 0;
  let current = 0;
  for (let bin = first; bin <= last; bin++) {
    if ((run.server.bins[bin] ?? 0) === 0) longest = Math.max(longest, ++current);
    else current = 0;
  }
  return longest * run.server.binMs;
}
