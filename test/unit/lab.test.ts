// The lab's pure parts: settings, counter parsing, ping and stall arithmetic, tc commands, the
// report's views and its advice. The kernel run is in test/kernel/lab.test.ts.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.js';
import { labOptionsFromFlags } from '../../lib/cli/commands/lab.js';
import { main } from '../../lib/cli/main.js';
import { answeredSeqs, pingLoss } from '../../lib/lab/failover.js';
import { LabNamespaces } from '../../lib/lab/namespaces.js';
import { parseNetstat, tcpCounters } from '../../lib/lab/netstat.js';
import { labSettings, parseRate } from '../../lib/lab/options.js';
import { limitations, recommend } from '../../lib/lab/recommend.js';
import { formatLabMarkdown, formatLabText } from '../../lib/lab/report.js';
import { shapingCommands, tbfBurstBytes } from '../../lib/lab/shaping.js';
import { formatLabSvg } from '../../lib/lab/svg.js';
import { longestStallMs } from '../../lib/lab/traffic.js';
import type { LabReport, ModeResult } from '../../lib/lab/types.js';
import { switchNeeds } from '../../lib/lab/topology.js';

describe('labSettings', () => {
  it('fills in the seed comparison as defaults', () => {
    expect(labSettings()).toEqual({
      modes: ['balance-rr', 'active-backup', '802.3ad'],
      nics: 2,
      rate: '1gbit',
      rateMbps: 1000,
      delay: 0,
      skew: 0,
      duration: 5,
      streams: [1, 4],
      tests: ['throughput', 'failover', 'reordering'],
      miimon: 100,
    });
  });

  it('refuses bad values naming the option and what is allowed', () => {
    const cases: [object, string, RegExp][] = [
      [{ modes: ['balance-rr', 'mode9'] }, 'modes', /one or more of 'balance-rr'/u],
      [{ modes: [] }, 'modes', /one or more of/u],
      [{ rate: 'fast' }, 'rate', /100kbit to 100gbit/u],
      [{ rate: '1tbit' }, 'rate', /100kbit/u],
      [{ nics: 5 }, 'nics', /integer from 2 to 4/u],
      [{ streams: [0] }, 'streams', /integer from 1 to 64/u],
      [{ streams: [] }, 'streams', /one or more/u],
      [{ tests: ['speed'] }, 'tests', /'throughput', 'failover', 'reordering'/u],
      [{ duration: -1 }, 'duration', /from 1 to 3600/u],
      [{ skew: Number.NaN }, 'skew', /a number from 0/u],
    ];
    for (const [options, option, message] of cases) {
      let error: unknown;
      try {
        labSettings(options);
      } catch (e) {
        error = e;
      }
      expect(error, option).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).option).toBe(option);
      expect((error as ValidationError).message).toMatch(message);
    }
  });

  it('reads tc rates', () => {
    expect(parseRate('100mbit')).toBe(100);
    expect(parseRate('2.5gbit')).toBe(2500);
    expect(parseRate('500kbit')).toBe(0.5);
  });

  it('takes the CLI flags as lists and numbers', () => {
    const options = labOptionsFromFlags({
      modes: 'balance-rr, 802.3ad',
      nics: '3',
      rate: '100mbit',
      delay: '0.5',
      skew: '1',
      duration: '2',
      streams: '1,8',
      tests: 'throughput,failover',
      miimon: '50',
    });
    expect(options).toEqual({ modes: ['balance-rr', '802.3ad'], nics: 3, rate: '100mbit', delay: 0.5, skew: 1, duration: 2, streams: [1, 8], tests: ['throughput', 'failover'], miimon: 50 });
    expect(() => labOptionsFromFlags({ ...options, modes: 'x', nics: 'two' } as never)).toThrow(ValidationError);
  });

  it('the CLI refuses bad lab options with exit status 2 before making anything', async () => {
    const err: string[] = [];
    const status = await main(['lab', '--rate', 'fast', '--quiet'], { out: () => undefined, err: (t) => err.push(t) });
    expect(status).toBe(2);
    expect(err.join('\n')).toMatch(/Expected a rate from 100kbit to 100gbit .* for rate but received "fast"/u);
  });
});

describe('the lab stays in its own namespaces', () => {
  it('refuses to build links, run tc or a process in a namespace it did not make, before running anything', async () => {
    const lab = new LabNamespaces();
    expect(() => lab.netns('default')).toThrow(/refusing to act in default, a namespace this lab did not make/u);
    await expect(lab.tc('nblab-1-1-0a', ['qdisc', 'show'])).rejects.toThrow(/did not make/u);
    expect(() => lab.spawn('host', 'ping', ['1.1.1.1'])).toThrow(/did not make/u);
    await lab.cleanup();
  });
});

describe('TCP counters', () => {
  const before = `TcpExt: SyncookiesSent TCPSACKReorder TCPOFOQueue TCPDSACKRecv
TcpExt: 0 10 20 1
IpExt: InNoRoutes
IpExt: 0
Tcp: RtoAlgorithm RetransSegs
Tcp: 1 5
`;
  const after = before.replace('TcpExt: 0 10 20 1', 'TcpExt: 0 110 70 4').replace('Tcp: 1 5', 'Tcp: 1 42');

  it('parses the name and value line pairs', () => {
    const counters = parseNetstat(before);
    expect(counters.get('TcpExt.TCPSACKReorder')).toBe(10);
    expect(counters.get('Tcp.RetransSegs')).toBe(5);
    expect(counters.get('IpExt.InNoRoutes')).toBe(0);
  });

  it('takes deltas: reordering and retransmissions at the sender, OFO queue at the receiver', () => {
    const sender = { before: parseNetstat(before), after: parseNetstat(after) };
    const receiver = { before: parseNetstat(before), after: parseNetstat(before.replace('TcpExt: 0 10 20 1', 'TcpExt: 0 10 520 1')) };
    expect(tcpCounters(sender, receiver)).toEqual({ sackReorder: 100, ofoQueue: 500, retransSegs: 37, dsacks: 3 });
  });
});

describe('failover arithmetic', () => {
  it('finds answered pings and the longest run of lost ones', () => {
    const output = [1, 2, 3, 9, 10].map((seq) => `64 bytes from 10.77.0.2: icmp_seq=${seq} ttl=64 time=0.2 ms`).join('\n');
    const answered = answeredSeqs(output);
    expect([...answered]).toEqual([1, 2, 3, 9, 10]);
    expect(pingLoss(12, answered)).toEqual({ lost: 7, longestRun: 5 });
    expect(pingLoss(3, answered)).toEqual({ lost: 0, longestRun: 0 });
  });

  it('measures the longest stall after the cut and before the sender stopped', () => {
    const ms = 1_000_000n;
    const run = {
      server: { startNs: String(1000n * ms), binMs: 10, bins: [5, 5, 0, 5, 0, 0, 0, 5, 5, 0, 0, 0, 0, 0], connections: 1 },
      client: { startNs: String(1000n * ms), stopNs: String(1100n * ms), endNs: String(1140n * ms), bytes: 0, streams: 1, errors: [] },
    };
    // Bins 4-6 are the stall; bins 9-13 would be longer, but from bin 10 on the sender had
    // stopped: that drain is not an outage.
    expect(longestStallMs(run, 1000n * ms)).toBe(30);
    expect(longestStallMs(run, 1070n * ms)).toBe(10);
  });
});

describe('tc shaping', () => {
  it('uses tbf alone without delay, netem with tbf under it with delay', () => {
    expect(shapingCommands('nic0', '1gbit', 1000, 0)).toEqual([['qdisc', 'add', 'dev', 'nic0', 'root', 'handle', '10:', 'tbf', 'rate', '1gbit', 'burst', '500000', 'latency', '20ms']]);
    const withDelay = shapingCommands('nic1', '100mbit', 100, 1.5);
    expect(withDelay[0]).toEqual(['qdisc', 'add', 'dev', 'nic1', 'root', 'handle', '1:', 'netem', 'delay', '1500us', 'limit', '100000']);
    expect(withDelay[1]?.slice(0, 7)).toEqual(['qdisc', 'add', 'dev', 'nic1', 'parent', '1:1', 'handle']);
    expect(tbfBurstBytes(10)).toBe(16 * 1024);
  });
});

function result(mode: ModeResult['mode'], mbps: [number, number], reorder: number, extra: Partial<ModeResult> = {}): ModeResult {
  const counters = { sackReorder: reorder, ofoQueue: reorder, retransSegs: reorder / 10, dsacks: 0 };
  return {
    mode,
    peer: 'x',
    switchNeeds: switchNeeds(mode),
    throughput: [
      { streams: 1, mbps: mbps[0], vsSingleLink: mbps[0] / 940, bytes: 1e9, counters },
      { streams: 4, mbps: mbps[1], vsSingleLink: mbps[1] / 950, bytes: 1e9, counters },
    ],
    counters,
    reorderPerGB: reorder,
    errors: [],
    ...extra,
  };
}

function sampleReport(): LabReport {
  const failover = { cutLink: 'nic0', cutAtMs: 1000, detectedMs: 80, pingsSent: 200, pingsLost: 9, pingGapMs: 90, tcpStallMs: 310 };
  const report: LabReport = {
    settings: labSettings({ duration: 2 }),
    trafficGenerator: 'node:net',
    kernel: 'Linux 6.1.0',
    startedAt: '2026-11-21T00:00:00.000Z',
    results: [
      result('single link', [940, 950], 3),
      result('balance-rr', [1800, 1850], 90_000, { failover: { ...failover, pingsLost: 0, pingGapMs: 0 } }),
      result('active-backup', [930, 940], 4, { failover: { ...failover, activeBefore: 'nic0', activeAfter: 'nic1' } }),
      result('802.3ad', [940, 1880], 5, { failover }),
    ],
    recommendation: [],
    limitations: [],
  };
  report.recommendation = recommend(report);
  report.limitations = limitations(report);
  return report;
}

describe('the report', () => {
  it('recommends the fastest in-order mode, its switch-independent fallback, and flags reordering', () => {
    const lines = sampleReport().recommendation;
    expect(lines[0]).toMatch(/^Pick 802\.3ad: .*1880 Mb\/s with 4 streams, 1\.98x a single link.*LACP/u);
    expect(lines[1]).toMatch(/^Without that switch support, use active-backup/u);
    expect(lines[2]).toMatch(/^balance-rr reorders TCP segments 22500x more/u);
    expect(lines[3]).toMatch(/balance-rr 0 ms \(0\/200 pings lost\), active-backup 90 ms/u);
  });

  it('says what the lab cannot model, and when the CPU was the limit', () => {
    const report = sampleReport();
    expect(report.limitations.join('\n')).toMatch(/Switch hashing.*\n.*NIC offloads.*\n.*One kernel.*Linux 6\.1\.0/u);
    expect(report.limitations.join('\n')).not.toMatch(/CPU, not the link/u);
    report.results[0] = result('single link', [300, 310], 0);
    expect(limitations(report).at(-1)).toMatch(/one link carried 300 of its 1000 Mb\/s: the CPU, not the link/u);
  });

  it('prints an aligned table with every mode and measurement', () => {
    const text = formatLabText(sampleReport());
    const rows = text.split('\n');
    const header = rows.find((r) => r.startsWith('mode'));
    expect(header).toMatch(/1 stream Mb\/s \(x single\) +4 streams Mb\/s \(x single\) +failover: pings lost +ping gap ms +TCP stall ms/u);
    expect(rows.find((r) => r.startsWith('802.3ad'))).toMatch(/940 \(1\.00x\) +1880 \(1\.98x\) +9\/200 +90 +310 +80 +5 +5/u);
    expect(rows.find((r) => r.startsWith('single link'))).toMatch(/940 +950 +- +-/u);
  });

  it('writes Markdown with the table, the advice, the limits and the chart', () => {
    const markdown = formatLabMarkdown(sampleReport(), 'lab.svg');
    expect(markdown).toMatch(/^# netbond lab report/u);
    expect(markdown).toMatch(/\| mode \| switch needs \|/u);
    expect(markdown).toMatch(/\| balance-rr \| a static port-channel \(EtherChannel\) on the switch \| 1800 \(1\.91x\) \|/u);
    expect(markdown).toMatch(/## Recommendation\n\n- Pick 802\.3ad/u);
    expect(markdown).toMatch(/## What this lab cannot model\n\n- Switch hashing/u);
    expect(markdown).toContain('![throughput and reordering per mode](lab.svg)');
  });

  it('draws an SVG with a bar per mode and stream count, and one per mode for reordering', () => {
    const svg = formatLabSvg(sampleReport());
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/u);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    // 4 modes x 2 stream counts + 4 reordering bars (+ 1 background, + 2 legend swatches).
    expect(svg.match(/<rect /gu)?.length).toBe(4 * 2 + 4 + 1 + 2);
    expect(svg).toContain('<title>balance-rr: 90000</title>');
    expect(svg).not.toMatch(/NaN|undefined/u);
  });
});
