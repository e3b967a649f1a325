// runLab: for the unbonded baseline and each mode, build its topology in fresh namespaces, run
// the measurements, tear everything down, and put the numbers in one report.
import { release } from 'node:os';
import type { BondMode } from '../option-table.js';
import { measureFailover } from './failover.js';
import { LabNamespaces } from './namespaces.js';
import { addCounters, ZERO_COUNTERS } from './netstat.js';
import { labSettings } from './options.js';
import { limitations, recommend } from './recommend.js';
import { buildTopology, waitReady } from './topology.js';
import { runTraffic } from './traffic.js';
import type { LabOptions, LabReport, LabSettings, ModeResult } from './types.js';

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('netbond lab aborted', 'AbortError');
}

async function measureMode(mode: BondMode | 'single link', settings: LabSettings, index: number, options: LabOptions): Promise<ModeResult> {
  const { signal, onProgress } = options;
  const lab = new LabNamespaces();
  const stop = () => void lab.cleanup();
  signal?.addEventListener('abort', stop, { once: true });
  const step = (what: string) => {
    if (signal?.aborted) throw abortError(signal);
    onProgress?.(`${mode}: ${what}`);
  };
  try {
    step('building the topology');
    const topo = await buildTopology(lab, mode, settings, index);
    step('waiting for the links (and LACP) to come up');
    await waitReady(lab, topo);
    const result: ModeResult = { mode, peer: topo.peer, switchNeeds: topo.switchNeeds, throughput: [], counters: ZERO_COUNTERS, reorderPerGB: 0, errors: [] };
    if (settings.tests.includes('throughput') || settings.tests.includes('reordering')) {
      for (const streams of settings.streams) {
        step(`throughput, ${streams} stream${streams === 1 ? '' : 's'}`);
        const run = await runTraffic(lab, topo, streams, settings.duration);
        if (run.client.errors.length > 0) result.errors.push(`${streams} streams: ${run.client.errors.join('; ')}`);
        result.throughput.push({ streams, mbps: run.mbps, bytes: run.bytes, counters: run.counters });
        result.counters = addCounters(result.counters, run.counters);
      }
      const bytes = result.throughput.reduce((sum, t) => sum + t.bytes, 0);
      result.reorderPerGB = bytes > 0 ? (result.counters.sackReorder + result.counters.ofoQueue) / (bytes / 1e9) : 0;
    }
    if (settings.tests.includes('failover') && mode !== 'single link') {
      step('failover: cutting a link under traffic');
      result.failover = (await measureFailover(lab, topo, settings.duration)).failover;
    }
    return result;
  } finally {
    signal?.removeEventListener('abort', stop);
    await lab.cleanup();
  }
}

/**
 * Compares bonding modes on veth links in throwaway namespaces: throughput with each stream count
 * against a single unbonded link, failover under traffic, TCP reordering counters. Needs root
 * (CAP_NET_ADMIN and CAP_SYS_ADMIN), ip, tc and ping, and a kernel with bonding, veth, bridge,
 * sch_tbf and sch_netem. Never touches interfaces outside the namespaces it makes.
 */
export async function runLab(options: LabOptions = {}): Promise<LabReport> {
  const settings = labSettings(options);
  const startedAt = new Date().toISOString();
  if (options.signal?.aborted) throw abortError(options.signal);
  const results: ModeResult[] = [];
  const traffic = settings.tests.includes('throughput') || settings.tests.includes('reordering');
  const plan: (BondMode | 'single link')[] = [...(traffic ? ['single link' as const] : []), ...settings.modes];
  for (const [index, mode] of plan.entries()) results.push(await measureMode(mode, settings, index, options));

  const single = results.find((r) => r.mode === 'single link');
  for (const result of results) {
    for (const t of result.throughput) {
      const base = single?.throughput.find((s) => s.streams === t.streams)?.mbps;
      if (base) t.vsSingleLink = t.mbps / base;
    }
  }
  const report: LabReport = {
    settings,
    trafficGenerator: "node:net (the lab's own bulk TCP sender and receiver, one process each)",
    kernel: `Linux ${release()}`,
    startedAt,
    results,
    recommendation: [],
    limitations: [],
  };
  report.recommendation = recommend(report);
  report.limitations = limitations(report);
  return report;
}
