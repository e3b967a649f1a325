// The lab report as a table: aligned text for the terminal, and a Markdown document.
import type { LabReport, ModeResult } from './types.js';

const num = (n: number | undefined, digits = 0): string => (n === undefined ? '-' : n.toFixed(digits));

function header(report: LabReport): string[] {
  return [
    'mode',
    'switch needs',
    ...report.settings.streams.map((s) => `${s} stream${s === 1 ? '' : 's'} Mb/s (x single)`),
    'failover: pings lost',
    'ping gap ms',
    'TCP stall ms',
    'detected ms',
    'SACK reorder',
    'OFO queue',
    'retrans segs',
    'DSACKs',
    'reorder/GB',
  ];
}

function row(report: LabReport, result: ModeResult): string[] {
  const f = result.failover;
  return [
    result.mode,
    result.switchNeeds,
    ...report.settings.streams.map((s) => {
      const t = result.throughput.find((x) => x.streams === s);
      return t ? `${num(t.mbps)}${t.vsSingleLink !== undefined && result.mode !== 'single link' ? ` (${num(t.vsSingleLink, 2)}x)` : ''}` : '-';
    }),
    f ? `${f.pingsLost}/${f.pingsSent}` : '-',
    num(f?.pingGapMs),
    num(f?.tcpStallMs),
    num(f?.detectedMs),
    ...(result.throughput.length > 0
      ? [String(result.counters.sackReorder), String(result.counters.ofoQueue), String(result.counters.retransSegs), String(result.counters.dsacks), num(result.reorderPerGB)]
      : ['-', '-', '-', '-', '-']),
  ];
}

export function settingsLine(report: LabReport): string {
  const s = report.settings;
  return (
    `${s.nics} NICs per host at ${s.rate} each (tbf), delay ${s.delay} ms + ${s.skew} ms skew per link (netem), ` +
    `${s.duration} s per measurement, miimon ${s.miimon} ms; traffic: ${report.trafficGenerator}; ${report.kernel}`
  );
}

/** An aligned text table plus the recommendation, for the terminal. */
export function formatLabText(report: LabReport): string {
  const rows = [header(report), ...report.results.map((r) => row(report, r))];
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  const lines = rows.map((r, i) => r.map((cell, c) => (c < 2 || i === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ').trimEnd());
  const errors = report.results.flatMap((r) => r.errors.map((e) => `${r.mode}: ${e}`));
  return [
    settingsLine(report),
    '',
    ...lines,
    ...(errors.length > 0 ? ['', 'Errors:', ...errors.map((e) => `  ${e}`)] : []),
    '',
    ...report.recommendation,
  ].join('\n');
}

const md = (cells: string[]): string => `| ${cells.map((c) => c.replace(/\|/gu, '\\|')).join(' | ')} |`;

/** A Markdown report: settings, the table, the recommendation, what the lab cannot model. */
export function formatLabMarkdown(report: LabReport, chartFile?: string): string {
  const head = header(report);
  const lines = [
    '# netbond lab report',
    '',
    `Run ${report.startedAt}. ${settingsLine(report)}.`,
    '',
    md(head),
    `|${head.map((_, c) => (c < 2 ? '---' : '---:')).join('|')}|`,
    ...report.results.map((r) => md(row(report, r))),
    '',
    'Throughput is TCP payload received by host B over the send window. Failover: one stream and pings every 10 ms while the link carrying traffic loses carrier halfway through; the ping gap is the longest run of unanswered pings, the TCP stall the longest time with no payload received (it includes TCP\'s retransmission timeout), detected is when the bond reported the slave down. Counters are deltas of /proc/net/netstat and /proc/net/snmp over the throughput runs: SACK reorder, retransmitted segments and DSACKs at the sender, OFO queue at the receiver.',
  ];
  if (chartFile) lines.push('', `![throughput and reordering per mode](${chartFile})`);
  const errors = report.results.flatMap((r) => r.errors.map((e) => `- ${r.mode}: ${e}`));
  if (errors.length > 0) lines.push('', '## Errors', '', ...errors);
  lines.push('', '## Recommendation', '', ...report.recommendation.map((r) => `- ${r}`));
  lines.push('', '## What this lab cannot model', '', ...report.limitations.map((l) => `- ${l}`), '');
  return lines.join('\n');
}
