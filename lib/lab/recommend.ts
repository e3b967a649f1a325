// The report's advice, drawn from the measured numbers and from what each mode asks of the
// switch, and the honest list of what the lab does not model.
import type { LabReport, ModeResult } from './types.js';

const fixed = (n: number, digits = 1): string => n.toFixed(digits);

/** Throughput with the most streams measured, and its ratio to the single link. */
function best(result: ModeResult): { mbps: number; ratio?: number; streams: number } | undefined {
  const last = [...result.throughput].sort((a, b) => b.streams - a.streams)[0];
  return last && { mbps: last.mbps, ratio: last.vsSingleLink, streams: last.streams };
}

function needsSwitch(result: ModeResult): boolean {
  return !result.switchNeeds.startsWith('nothing');
}

export function recommend(report: LabReport): string[] {
  const modes = report.results.filter((r) => r.mode !== 'single link');
  const lines: string[] = [];
  const measured = modes.filter((r) => best(r) !== undefined);
  if (measured.length > 0) {
    const leastReorder = Math.min(...measured.map((r) => r.reorderPerGB));
    // "Low reordering": within 10x of the best mode, or under 100 events per GB.
    const calm = measured.filter((r) => r.reorderPerGB <= Math.max(10 * leastReorder, 100));
    const byThroughput = (list: ModeResult[]) => [...list].sort((a, b) => (best(b)?.mbps ?? 0) - (best(a)?.mbps ?? 0));
    const top = byThroughput(calm)[0];
    if (top) {
      const b = best(top);
      lines.push(
        `Pick ${top.mode}: the most throughput among the modes that keep TCP in order ` +
          `(${fixed(b?.mbps ?? 0, 0)} Mb/s with ${b?.streams} streams${b?.ratio ? `, ${fixed(b.ratio, 2)}x a single link` : ''}); it needs ${top.switchNeeds}.`,
      );
      if (needsSwitch(top)) {
        // Among switch-independent modes within 5% of each other, active-backup is the simplest.
        const candidates = byThroughput(calm.filter((r) => !needsSwitch(r)));
        const ab = candidates.find((r) => r.mode === 'active-backup');
        const first = candidates[0];
        const independent = ab && first && (best(ab)?.mbps ?? 0) >= 0.95 * (best(first)?.mbps ?? 0) ? ab : first;
        if (independent) lines.push(`Without that switch support, use ${independent.mode} (${fixed(best(independent)?.mbps ?? 0, 0)} Mb/s); it needs nothing from the switch.`);
      }
    }
    for (const perPeer of measured.filter((r) => (r.mode === 'balance-tlb' || r.mode === 'balance-alb') && (best(r)?.ratio ?? 2) < 1.2)) {
      lines.push(`${perPeer.mode} spreads traffic per peer host (and rebalances every 10 s), so traffic to one host B gets one link's worth; it helps a server with many clients.`);
    }
    const broadcast = measured.find((r) => r.mode === 'broadcast');
    if (broadcast) {
      lines.push(`broadcast sends every packet on every link (${broadcast.counters.dsacks} duplicate segments reported by DSACK here): redundancy, not bandwidth.`);
    }
    for (const noisy of measured.filter((r) => !calm.includes(r))) {
      const factor = leastReorder > 0 ? `${fixed(noisy.reorderPerGB / leastReorder, 0)}x` : 'far';
      lines.push(
        `${noisy.mode} reorders TCP segments ${factor} more than the calmest mode ` +
          `(${fixed(noisy.reorderPerGB, 0)} events per GB, ${noisy.counters.retransSegs} retransmitted segments): ` +
          'the seed measured the same in a real cluster. Its throughput depends on the paths having equal delay.',
      );
    }
  }
  const failovers = modes.filter((r) => r.failover);
  if (failovers.length > 0) {
    const parts = failovers.map((r) => `${r.mode} ${r.failover?.pingGapMs} ms (${r.failover?.pingsLost}/${r.failover?.pingsSent} pings lost)`);
    // A mode that lost most pings after the cut did not fail over.
    const stuck = failovers.filter((r) => (r.failover?.pingsLost ?? 0) > (r.failover?.pingsSent ?? 0) / 2).map((r) => r.mode);
    const outcome = stuck.length === 0 ? 'every mode carried on' : `${stuck.join(', ')} did not recover`;
    lines.push(`After a cable pull ${outcome}; ping interruption: ${parts.join(', ')}. It is bounded by miimon (${report.settings.miimon} ms): lower it for faster failover.`);
  }
  return lines;
}

export function limitations(report: LabReport): string[] {
  const list = [
    'Switch hashing: a Linux bridge stands in for the switch in the switch-independent modes, and a Linux bond on host B for the switch port-channel in 802.3ad and the static modes; a real switch spreads flows with its own hash.',
    'NIC offloads: veth segments and aggregates in software (GSO/GRO); TSO, interrupt coalescing and ring sizes of real NICs are not modeled. Link rate and delay come from tc (tbf, netem).',
    `One kernel: both hosts and the switch run this machine's kernel (${report.kernel}); other kernels and switch firmware may behave differently.`,
    'Failure kind: the cut is a carrier loss (the far end of the link set down). A failure without carrier loss (a dead uplink behind the switch) needs ARP monitoring, which the lab does not run.',
    `Traffic: ${report.trafficGenerator}, bulk TCP like netperf TCP_STREAM, with this kernel's congestion control. All hosts share this machine's CPUs.`,
  ];
  const single = report.results.find((r) => r.mode === 'single link')?.throughput[0];
  if (single && single.mbps < 0.8 * report.settings.rateMbps) {
    list.push(
      `Here one link carried ${fixed(single.mbps, 0)} of its ${fixed(report.settings.rateMbps, 0)} Mb/s: the CPU, not the link, was the limit, so bonding cannot show its gain. Rerun with a lower --rate.`,
    );
  }
  return list;
}
