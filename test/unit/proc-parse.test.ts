// parseProcBonding against real /proc/net/bonding outputs: Linux 6.1 captures made by
// test/fixtures/proc/capture.sh, and the old-kernel outputs quoted in the seed articles.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProcBonding, procSlaveOrder, procSlaveSpeeds, type ProcBonding, type ProcLacpPdu, type ProcSlave } from '../../lib/proc/parse.js';

const FIXTURES = new URL('../fixtures/proc/', import.meta.url);
const tested = new Set<string>();

function read(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

/** A fixture read by its own test (the last test checks that every fixture has one). */
function fixture(name: string): string {
  tested.add(name);
  return read(name);
}

type Common = 'driverVersion' | 'miiStatus' | 'miimon' | 'updelay' | 'downdelay' | 'peerNotifDelay' | 'unknownLines';

// What every Linux 6.1 capture shares: miimon 100, no delays, nothing unrecognised.
const LINUX_6_1: Pick<ProcBonding, Common> = {
  driverVersion: '6.1.176',
  miiStatus: 'up',
  miimon: 100,
  updelay: 0,
  downdelay: 0,
  peerNotifDelay: 0,
  unknownLines: [],
};

/** A veth slave as the kernel shows it: 10000 Mb/s full duplex, up, queue 0. */
function veth(name: string, permHwaddr: string, more: Partial<ProcSlave> = {}): ProcSlave {
  return { name, miiStatus: 'up', speed: 10000, duplex: 'full', linkFailureCount: 0, permHwaddr, queueId: 0, ...more };
}

/** The two slaves capture.sh gives each single-namespace bond. */
const TWO_VETHS = [veth('eth0', '02:00:00:00:01:01'), veth('eth1', '02:00:00:00:01:02')];

function pdu(systemMac: string, portKey: number, portNumber: number, portState: number): ProcLacpPdu {
  return { systemPriority: 65535, systemMac, portKey, portPriority: 255, portNumber, portState };
}

const MONITORING = {
  actorChurnState: 'monitoring',
  partnerChurnState: 'monitoring',
  actorChurnedCount: 0,
  partnerChurnedCount: 0,
} as const;

describe('parseProcBonding on Linux 6.1 captures', () => {
  it('mode-balance-rr.txt', () => {
    expect(parseProcBonding(fixture('mode-balance-rr.txt'))).toStrictEqual<ProcBonding>({
      ...LINUX_6_1,
      mode: 'balance-rr',
      slaves: TWO_VETHS,
    });
  });

  it('mode-active-backup.txt', () => {
    expect(parseProcBonding(fixture('mode-active-backup.txt'))).toStrictEqual<ProcBonding>({
      ...LINUX_6_1,
      mode: 'active-backup',
      primary: null,
      activeSlave: 'eth0',
      slaves: TWO_VETHS,
    });
  });

  it('mode-balance-xor.txt', () => {
    expect(parseProcBonding(fixture('mode-balance-xor.txt'))).toStrictEqual<ProcBonding>({
      ...LINUX_6_1,
      mode: 'balance-xor',
      xmitHashPolicy: 'layer2',
      slaves: TWO_VETHS,
    });
  });

  it('mode-broadcast.txt', () => {
    expect(parseProcBonding(fixture('mode-broadcast.txt'))).toStrictEqual<ProcBonding>({
      ...LINUX_6_1,
      mode: 'broadcast',
      slaves: TWO_VETHS,
    });
  });

  it('mode-802.3ad.txt: peers without LACP, one individual port per aggregator', () => {
    const self = '02:00:00:00:01:01';
    const nobody = '00:00:00:00:00:00';
    expect(parseProcBonding(fixture('mode-802.3ad.txt'))).toStrictEqual<ProcBonding>({
      ...LINUX_6_1,
      mode: '802.3ad',
      xmitHashPolicy: 'layer2',
      ad: {
        lacpActive: true,
        lacpRate: 'slow',
        minLinks: 0,
        adSelect: 'stable',
        systemPriority: 65535,
        systemMac: self,
        activeAggregator: { aggregatorId: 1, numPorts: 1, actorKey: 15, partnerKey: 1, partnerMac: nobody },
      },
      slaves: [
        veth('eth0', self, {
          aggregatorId: 1,
          ...MONITORING,
          // 77: activity, aggregation, sync, defaulted; the partner is the default (all zero).
          actorLacpPdu: pdu(self, 15, 1, 77),
          partnerLacpPdu: pdu(nobody, 1, 1, 0),
        }),
        veth('eth1', '02:00:00:00:01:02', {
          aggregatorId: 2,
          ...MONITORING,
          // 69: as above without sync, its aggregator is not the active one.
          actorLacpPdu: pdu(self, 15, 2, 69),
          partnerLacpPdu: pdu(nobody, 1, 1, 0),
        }),
      ],
    });
  });

  it('mode-balance-tlb.txt', () => {
    expect(parseProcBonding(fixture('mode-balance-tlb.txt'))).toStrictEqual<ProcBonding>({
      ...LINUX_6_1,
      mode: 'balance-tlb',
      primary: null,
      activeSlave: 'eth0',
      slaves: TWO_VETHS,
    });
  });

  it('mode-balance-alb.txt', () => {
    expect(parseProcBonding(fixture('mode-balance-alb.txt'))).toStrictEqual<ProcBonding>({
      ...LINUX_6_1,
      mode: 'balance-alb',
      primary: null,
      activeSlave: 'eth0',
      slaves: TWO_VETHS,
    });
  });

  it('active-backup-fail-over-mac-primary.txt: the suffixes of the mode and primary lines', () => {
    expect(parseProcBonding(fixture('active-backup-fail-over-mac-primary.txt'))).toStrictEqual<ProcBonding>({
      ...LINUX_6_1,
      mode: 'active-backup',
      failOverMac: 'active',
      primary: 'eth1',
      primaryReselect: 'better',
      activeSlave: 'eth1',
      slaves: TWO_VETHS,
    });
  });

  it('active-backup-arp-ns.txt: the ARP block with IPv4 and IPv6 targets', () => {
    expect(parseProcBonding(fixture('active-backup-arp-ns.txt'))).toStrictEqual<ProcBonding>({
      ...LINUX_6_1,
      mode: 'active-backup',
      primary: null,
      activeSlave: 'eth0',
      miimon: 0,
      arpInterval: 100,
      arpMissedMax: 2,
      arpIpTarget: ['192.0.2.1', '192.0.2.2'],
      nsIp6Target: ['2001:db8::1', '2001:db8::2'],
      slaves: TWO_VETHS,
    });
  });

  it('balance-xor-layer3+4.txt', () => {
    expect(parseProcBonding(fixture('balance-xor-layer3+4.txt'))).toStrictEqual<ProcBonding>({
      ...LINUX_6_1,
      mode: 'balance-xor',
      xmitHashPolicy: 'layer3+4',
      slaves: TWO_VETHS,
    });
  });

  // The two ends of one LACP negotiation: each side's partner is the other side.
  it.each([
    ['802.3ad-lacp-a.txt', '0a', '0b'],
    ['802.3ad-lacp-b.txt', '0b', '0a'],
  ])('%s: negotiated aggregator and LACP PDU details', (name, self, peer) => {
    const mac = (side: string, port: number) => `02:00:00:00:${side}:0${port}`;
    const slave = (port: number) =>
      veth(`eth${port - 1}`, mac(self, port), {
        aggregatorId: 1,
        ...MONITORING,
        // 63: activity, timeout, aggregation, sync, collecting, distributing.
        actorLacpPdu: pdu(mac(self, 1), 15, port, 63),
        partnerLacpPdu: pdu(mac(peer, 1), 15, port, 63),
      });
    expect(parseProcBonding(fixture(name))).toStrictEqual<ProcBonding>({
      ...LINUX_6_1,
      mode: '802.3ad',
      xmitHashPolicy: 'layer2',
      ad: {
        lacpActive: true,
        lacpRate: 'fast',
        minLinks: 0,
        adSelect: 'stable',
        systemPriority: 65535,
        systemMac: mac(self, 1),
        activeAggregator: { aggregatorId: 1, numPorts: 2, actorKey: 15, partnerKey: 15, partnerMac: mac(peer, 1) },
      },
      slaves: [slave(1), slave(2)],
    });
  });

  it('802.3ad-no-slaves.txt: "has no active aggregator" is null', () => {
    expect(parseProcBonding(fixture('802.3ad-no-slaves.txt'))).toStrictEqual<ProcBonding>({
      ...LINUX_6_1,
      mode: '802.3ad',
      xmitHashPolicy: 'layer2',
      miiStatus: 'down',
      ad: {
        lacpActive: true,
        lacpRate: 'slow',
        minLinks: 0,
        adSelect: 'stable',
        // Zero until the first slave initialises the bond's 802.3ad system.
        systemPriority: 0,
        systemMac: '00:00:00:00:00:00',
        activeAggregator: null,
      },
      slaves: [],
    });
  });

  it('active-backup-slave-down.txt: the failed slave', () => {
    expect(parseProcBonding(fixture('active-backup-slave-down.txt'))).toStrictEqual<ProcBonding>({
      ...LINUX_6_1,
      mode: 'active-backup',
      primary: null,
      activeSlave: 'eth1',
      slaves: [
        veth('eth0', '02:00:00:00:01:01', { miiStatus: 'down', linkFailureCount: 1 }),
        veth('eth1', '02:00:00:00:01:02'),
      ],
    });
  });
});

describe('parseProcBonding on the seed articles (old kernels)', () => {
  // RHEL 4/5 era: no blank lines, no Speed/Duplex, queue ID or peer notification delay.
  it('seed-001-mode1.txt', () => {
    expect(parseProcBonding(fixture('seed-001-mode1.txt'))).toStrictEqual<ProcBonding>({
      driverVersion: '2.6.0 (January 14, 2004)',
      mode: 'active-backup',
      primary: null,
      activeSlave: 'eth0',
      miiStatus: 'up',
      miimon: 10,
      updelay: 0,
      downdelay: 0,
      slaves: [
        { name: 'eth0', miiStatus: 'up', linkFailureCount: 0, permHwaddr: '00:0c:29:63:bc:b7' },
        { name: 'eth1', miiStatus: 'up', linkFailureCount: 0, permHwaddr: '00:0c:29:63:bc:c1' },
      ],
      unknownLines: [],
    });
  });

  it('seed-001-mode0.txt', () => {
    expect(parseProcBonding(fixture('seed-001-mode0.txt'))).toStrictEqual<ProcBonding>({
      driverVersion: '2.6.0 (January 14, 2004)',
      mode: 'balance-rr',
      miiStatus: 'up',
      miimon: 1,
      updelay: 0,
      downdelay: 0,
      slaves: [
        { name: 'eth0', miiStatus: 'up', linkFailureCount: 0, permHwaddr: '00:0c:29:63:bc:b7' },
        { name: 'eth1', miiStatus: 'up', linkFailureCount: 0, permHwaddr: '00:0c:29:63:bc:c1' },
      ],
      unknownLines: [],
    });
  });

  // Linux 2.4's /proc/net/bond0/info: no driver line, no HW addresses, a line since dropped.
  it('seed-000-info.txt', () => {
    expect(parseProcBonding(fixture('seed-000-info.txt'))).toStrictEqual<ProcBonding>({
      mode: 'balance-rr',
      miiStatus: 'up',
      miimon: 0,
      updelay: 0,
      downdelay: 0,
      slaves: [
        { name: 'eth2', miiStatus: 'up', linkFailureCount: 0 },
        { name: 'eth1', miiStatus: 'up', linkFailureCount: 0 },
      ],
      unknownLines: ['Multicast Mode: all slaves'],
    });
  });

  it('every fixture has its test', () => {
    const onDisk = readdirSync(FIXTURES).filter((name) => name.endsWith('.txt'));
    expect([...tested].sort()).toStrictEqual(onDisk.sort());
  });
});

describe('parseProcBonding on variants of real outputs', () => {
  const lacp = read('802.3ad-lacp-a.txt');
  const activeBackup = read('mode-active-backup.txt');

  it('without CAP_NET_ADMIN: no system, aggregator or LACP PDU lines', () => {
    // The lines bond_procfs.c prints only when capable(CAP_NET_ADMIN).
    const privileged = /^(System priority|System MAC address|Active Aggregator Info|\t|details | {4})/u;
    const lines = lacp.split('\n');
    const parsed = parseProcBonding(lines.filter((line) => !privileged.test(line)).join('\n'));
    expect(parsed.ad).toStrictEqual({ lacpActive: true, lacpRate: 'fast', minLinks: 0, adSelect: 'stable' });
    expect(parsed.slaves.map((s) => [s.aggregatorId, s.actorLacpPdu, s.partnerLacpPdu])).toStrictEqual([
      [1, undefined, undefined],
      [1, undefined, undefined],
    ]);
    expect(parsed.unknownLines).toStrictEqual([]);
  });

  it('reads Unknown speed and duplex, N/A aggregator, and the transitional MII states', () => {
    // eth0: no speed/duplex and no aggregator (the kernel then prints no churn or PDU lines).
    // .replace() changes the first match only: eth0's lines, then for "going back" eth1's.
    const text = lacp
      .replace('Speed: 10000 Mbps', 'Speed: Unknown')
      .replace('Duplex: full', 'Duplex: Unknown')
      .replace(/Aggregator ID: 1\nActor Churn[^]*?(?=\n\nSlave Interface: eth1)/u, 'Aggregator ID: N/A')
      .replace('MII Status: up\nSpeed', 'MII Status: going down\nSpeed')
      .replace('MII Status: up\nSpeed', 'MII Status: going back\nSpeed');
    const [eth0, eth1] = parseProcBonding(text).slaves;
    expect(eth0).toStrictEqual<ProcSlave>({
      name: 'eth0',
      miiStatus: 'going-down',
      speed: null,
      duplex: null,
      linkFailureCount: 0,
      permHwaddr: '02:00:00:00:0a:01',
      queueId: 0,
      aggregatorId: null,
    });
    expect(eth1?.miiStatus).toBe('going-back');
  });

  it('keeps unknown lines, with CRLF line ends and upper-case MACs', () => {
    const text = activeBackup
      .replace('Slave queue ID: 0\n', 'Slave queue ID: 0\nSlave prio: 7\n')
      .replace('02:00:00:00:01:02', '02:00:00:00:01:0A')
      .replace(/\n/gu, '\r\n');
    const parsed = parseProcBonding(text);
    expect(parsed.unknownLines).toStrictEqual(['Slave prio: 7']);
    expect(parsed.slaves.map((s) => s.permHwaddr)).toStrictEqual(['02:00:00:00:01:01', '02:00:00:00:01:0a']);
  });

  it('reads a slave line printed after the LACP details into the slave (by label, not position)', () => {
    const text = lacp
      .replace('Slave queue ID: 0\n', '')
      .replace('    port state: 63\n\nSlave Interface: eth1', '    port state: 63\nSlave queue ID: 5\n\nSlave Interface: eth1');
    const [eth0] = parseProcBonding(text).slaves;
    expect(eth0?.queueId).toBe(5);
    expect(eth0?.partnerLacpPdu?.portState).toBe(63);
  });

  it('an empty ARP target list is []', () => {
    const text = read('active-backup-arp-ns.txt').replace(/(NS IPv6 target\/s \(xx::xx form\)):.*/u, '$1:');
    expect(parseProcBonding(text).nsIp6Target).toStrictEqual([]);
  });
});

describe('parseProcBonding on malformed input', () => {
  const activeBackup = read('mode-active-backup.txt');
  const lacp = read('802.3ad-lacp-a.txt');

  it.each<[string, string, RegExp]>([
    ['no "Bonding Mode" line', activeBackup.replace(/^Bonding Mode: .*\n/mu, ''), /no "Bonding Mode" line in the bond section/u],
    ['empty text', '', /no "Bonding Mode" line/u],
    [
      'an unknown mode name',
      activeBackup.replace('fault-tolerance (active-backup)', 'fault-tolerance (hot-standby)'),
      /^\/proc\/net\/bonding line 3: unexpected value for "Bonding Mode": "Bonding Mode: fault-tolerance \(hot-standby\)"$/u,
    ],
    [
      'an unknown fail_over_mac policy',
      activeBackup.replace('(active-backup)', '(active-backup) (fail_over_mac sideways)'),
      /line 3: unexpected value for "Bonding Mode"/u,
    ],
    [
      'a primary with an unknown reselect policy',
      activeBackup.replace('Primary Slave: None', 'Primary Slave: eth0 (primary_reselect sometimes)'),
      /line 4: unexpected value for "Primary Slave"/u,
    ],
    [
      'a non-numeric interval',
      activeBackup.replace('MII Polling Interval (ms): 100', 'MII Polling Interval (ms): 1e2'),
      /line 7: unexpected value for "MII Polling Interval \(ms\)"/u,
    ],
    [
      'a negative count',
      activeBackup.replace('Link Failure Count: 0', 'Link Failure Count: -1'),
      /line 16: unexpected value for "Link Failure Count"/u,
    ],
    [
      'a malformed MAC',
      activeBackup.replace('02:00:00:00:01:01', '02:00:00:00:01:1'),
      /line 17: unexpected value for "Permanent HW addr"/u,
    ],
    [
      'an unknown slave MII status',
      activeBackup.replace('MII Status: up\nSpeed', 'MII Status: sideways\nSpeed'),
      /line 13: unexpected value for "MII Status"/u,
    ],
    ['a bad speed', activeBackup.replace('Speed: 10000 Mbps', 'Speed: 10 Gbps'), /line 14: unexpected value for "Speed"/u],
    [
      'a bad ARP target',
      read('active-backup-arp-ns.txt').replace('192.0.2.2', '192.0.2.256'),
      /line 13: unexpected value for "ARP IP target\/s \(n\.n\.n\.n form\)"/u,
    ],
    [
      'a repeated label',
      activeBackup.replace('Up Delay (ms): 0', 'Up Delay (ms): 0\nUp Delay (ms): 200'),
      /line 9: a second "Up Delay \(ms\)" line in the bond section/u,
    ],
    ['a slave without a name', activeBackup.replace('Slave Interface: eth1', 'Slave Interface:'), /line 20: no interface name/u],
    [
      'a slave without MII status',
      activeBackup.replace('MII Status: up\nSpeed', 'Speed'),
      /no "MII Status" line in slave eth0 \(opened at line 12\)/u,
    ],
    [
      'an incomplete aggregator block',
      lacp.replace(/^\tPartner Mac Address: .*\n/mu, ''),
      /no "Partner Mac Address" line in the active aggregator info \(opened at line 18\)/u,
    ],
    [
      'an incomplete LACP PDU',
      lacp.replace('    port state: 63\n\nSlave Interface: eth1', '\nSlave Interface: eth1'),
      /no "port state" line in the partner LACP PDU of slave eth0 \(opened at line 44\)/u,
    ],
    [
      'two aggregator blocks',
      lacp.replace('Active Aggregator Info:', 'bond bond0 has no active aggregator\nActive Aggregator Info:'),
      /line 19: a second active aggregator/u,
    ],
    [
      '802.3ad info without LACP rate',
      lacp.replace('LACP rate: fast\n', ''),
      /no "LACP rate" line in the 802.3ad info \(opened at line 11\)/u,
    ],
  ])('throws on %s', (_, text, message) => {
    expect(() => parseProcBonding(text)).toThrow(message);
  });

  it('throws a plain Error', () => {
    expect(() => parseProcBonding('Bonding Mode: nonsense')).toThrow(Error);
  });
});

describe('procSlaveOrder', () => {
  it('reads the slave order even where the full parser refuses a value it does not know', () => {
    const text = read('mode-active-backup.txt').replace(/^Bonding Mode: .*$/mu, 'Bonding Mode: some mode from a newer kernel');
    expect(() => parseProcBonding(text)).toThrow();
    expect(procSlaveOrder(text)).toEqual(parseProcBonding(read('mode-active-backup.txt')).slaves.map((s) => s.name));
    expect(procSlaveOrder(text).length).toBeGreaterThan(0);
  });
});

describe('procSlaveSpeeds', () => {
  it('reads each slave\'s speed and duplex as the full parser does, LACP details between slaves included', () => {
    for (const name of ['mode-active-backup.txt', 'active-backup-slave-down.txt', '802.3ad-lacp-a.txt', 'seed-001-mode1.txt', 'seed-000-info.txt']) {
      const slaves = parseProcBonding(read(name)).slaves;
      expect(procSlaveSpeeds(read(name)), name).toEqual(new Map(slaves.map((s) => [s.name, { ...(s.speed === undefined ? {} : { speed: s.speed }), ...(s.duplex === undefined ? {} : { duplex: s.duplex }) }])));
    }
    expect(procSlaveSpeeds(read('802.3ad-lacp-a.txt')).size).toBe(2);
  });

  it('reads Unknown as null, and a missing or unreadable line as not printed', () => {
    const text = read('mode-active-backup.txt');
    const [first, second] = procSlaveOrder(text);
    const unknown = text.replace('Speed: 10000 Mbps', 'Speed: Unknown').replace('Duplex: full', 'Duplex: Unknown');
    expect(procSlaveSpeeds(unknown)).toEqual(new Map([[first, { speed: null, duplex: null }], [second, { speed: 10000, duplex: 'full' }]]));
    const odd = text.replace('Speed: 10000 Mbps', 'Speed: fast').replace('Duplex: full\n', '');
    expect(procSlaveSpeeds(odd)).toEqual(new Map([[first, {}], [second, { speed: 10000, duplex: 'full' }]]));
    expect(procSlaveSpeeds(text.replace('Speed: 10000 Mbps', 'Speed: 100 Mbps').replace('Duplex: full', 'Duplex: half')).get(first as string)).toEqual({ speed: 100, duplex: 'half' });
  });

  it('reads the speeds where the full parser refuses a value it does not know', () => {
    const text = read('mode-active-backup.txt').replace(/^Bonding Mode: .*$/mu, 'Bonding Mode: some mode from a newer kernel');
    expect(() => parseProcBonding(text)).toThrow();
    expect([...procSlaveSpeeds(text).values()]).toEqual([{ speed: 10000, duplex: 'full' }, { speed: 10000, duplex: 'full' }]);
  });
});
