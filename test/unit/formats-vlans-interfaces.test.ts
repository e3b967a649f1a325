// VLANs over a bond in Debian ifupdown's /etc/network/interfaces: a trunk host's real-looking
// file, round trips of VLAN specs, the spellings of ifupdown, the vlan package and ifupdown2,
// warnings for what a VLAN spec cannot hold, and hostile VLAN stanzas.
import { describe, expect, it } from 'vitest';
import { HOSTILE_INPUT_BUDGET } from './helpers/budgets.js';
import { ValidationError } from '../../lib/errors.js';
import { exportConfig, importConfigs, type ConfigFile } from '../../lib/formats/index.js';
import type { BondSpec } from '../../lib/plan/types.js';
import { HOST_SPEC } from '../fixtures/configs/vlans/host.js';
import { expectRoundTrip, hostFiles } from './helpers/format-round-trip.js';


const file = (path: string, text: string): ConfigFile => ({ path, text });
const lines = (...text: string[]) => `${text.join('\n')}\n`;

/** A bond the VLANs of a test ride on, in its own file. */
const BOND0 = file('/etc/network/interfaces.d/bond0', lines('auto bond0', 'iface bond0 inet manual', '    bond-slaves eth0 eth1', '    bond-mode active-backup'));
const BOND0_SPEC = { name: 'bond0', mode: 'active-backup', slaves: ['eth0', 'eth1'], up: true } as const satisfies BondSpec;

/** Imports BOND0 and one more file. */
const withBond = (path: string, text: string) => importConfigs([BOND0, file(path, text)]);

describe('a trunk host (bond0 with no address, VLANs 100 and 200)', () => {
  const files = hostFiles('interfaces');

  it('imports to HOST_SPEC with no warning', () => {
    expect(importConfigs(files)).toEqual({ specs: [HOST_SPEC], warnings: [] });
  });

  it('exports the VLAN stanzas after the bond, each with vlan-raw-device', () => {
    const [written] = exportConfig('interfaces', HOST_SPEC);
    expect(written?.path).toBe('/etc/network/interfaces.d/bond0');
    expect(written?.text).toBe(
      lines(
        'auto bond0',
        'iface bond0 inet manual',
        '    mtu 9000',
        '    bond-slaves eth1 eth2',
        '    bond-mode 802.3ad',
        '    bond-miimon 100',
        '    bond-xmit-hash-policy layer3+4',
        '    bond-lacp-rate fast',
        '',
        'auto bond0.100',
        'iface bond0.100 inet static',
        '    vlan-raw-device bond0',
        '    address 10.1.100.10/24',
        '    mtu 1500',
        '    up ip route add default via 10.1.100.1 dev bond0.100',
        '',
        'auto bond0.200',
        'iface bond0.200 inet static',
        '    vlan-raw-device bond0',
        '    address 10.1.200.10/24',
        '',
        'iface bond0.200 inet6 static',
        '    address 2001:db8:200::10/64',
      ),
    );
  });

  it('exports to files that import back to HOST_SPEC, and export again the same', () => {
    const written = exportConfig('interfaces', HOST_SPEC);
    expect(importConfigs(written)).toEqual({ specs: [HOST_SPEC], warnings: [] });
    expect(exportConfig('interfaces', importConfigs(written).specs[0] as BondSpec)).toEqual(written);
  });
});

describe('round trips of VLAN specs: spec -> interfaces -> spec -> interfaces', () => {
  const cases: [string, BondSpec][] = [
    ['a VLAN named storage (ifupdown2: vlan-raw-device and vlan-id)', { ...BOND0_SPEC, vlans: [{ id: 300, name: 'storage', up: true, addresses: ['10.3.0.10/24'] }] }],
    ['a vlanID name (the vlan package: vlan-raw-device)', { ...BOND0_SPEC, vlans: [{ id: 300, name: 'vlan300', up: true, mtu: 1500 }] }],
    ['an 802.1ad VLAN (ifupdown2: vlan-protocol)', { ...BOND0_SPEC, vlans: [{ id: 10, protocol: '802.1ad', up: true }] }],
    ['a VLAN that is down', { ...BOND0_SPEC, vlans: [{ id: 20, up: false, mtu: 1400, addresses: ['10.20.0.10/24'] }] }],
    ['a VLAN down over a bond that is down', { ...BOND0_SPEC, up: false, vlans: [{ id: 21, up: false }] }],
    [
      'IPv4 and IPv6 addresses and routes with metrics',
      {
        ...BOND0_SPEC,
        vlans: [
          {
            id: 30,
            up: true,
            addresses: [{ address: '10.30.0.10/24', broadcast: '10.30.0.255' }, '10.31.0.10/24', '2001:db8:30::10/64', '2001:db8:31::10/64'],
            routes: [
              { destination: 'default', gateway: '10.30.0.1', metric: 100 },
              { destination: '10.99.0.0/16', gateway: '10.30.0.254', metric: 20 },
              { destination: '10.98.0.0/16' },
              { destination: 'default', gateway: '2001:db8:30::1', metric: 1024 },
              { destination: '2001:db8:99::/48', gateway: '2001:db8:30::fe', metric: 50 },
            ],
          },
        ],
      },
    ],
    [
      'several VLANs, over a bond with addresses of its own',
      {
        ...BOND0_SPEC,
        mtu: 9000,
        addresses: ['192.168.0.10/24', '2001:db8::10/64'],
        routes: [{ destination: 'default', gateway: '192.168.0.1' }],
        vlans: [
          { id: 100, up: true, mtu: 1500, addresses: ['10.1.100.10/24'] },
          { id: 200, up: true, addresses: ['2001:db8:200::10/64'], routes: [{ destination: '2001:db8:201::/64', gateway: '2001:db8:200::1' }] },
          { id: 300, name: 'storage', protocol: '802.1ad', up: true, mtu: 9000 },
          { id: 400, name: 'vlan0400', up: false },
        ],
      },
    ],
  ];

  it.each(cases)('%s', (_label, spec) => {
    expectRoundTrip('interfaces', spec);
  });

  it('writes vlan-id and vlan-protocol only where needed, and says that only ifupdown2 reads them', () => {
    const text = (spec: BondSpec) => exportConfig('interfaces', spec)[0]?.text ?? '';
    const plain = text({ ...BOND0_SPEC, vlans: [{ id: 100, up: true }, { id: 300, name: 'vlan300', up: true }] });
    expect(plain).not.toMatch(/vlan-id|vlan-protocol|ifupdown2/u);
    const named = text({ ...BOND0_SPEC, vlans: [{ id: 300, name: 'storage', up: true }] });
    expect(named).toContain('iface storage inet manual\n    vlan-raw-device bond0\n    vlan-id 300\n');
    expect(named).toMatch(/^# netbond: only ifupdown2 reads vlan-id and vlan-protocol; /u);
    const qinq = text({ ...BOND0_SPEC, vlans: [{ id: 10, protocol: '802.1ad', up: true }] });
    expect(qinq).toContain('iface bond0.10 inet manual\n    vlan-raw-device bond0\n    vlan-protocol 802.1ad\n');
    expect(qinq).toContain('# netbond: only ifupdown2 reads vlan-id and vlan-protocol');
  });

  it('leaves the auto line out for a VLAN that is down, and says so', () => {
    const text = exportConfig('interfaces', { ...BOND0_SPEC, vlans: [{ id: 20, up: false }, { id: 30, up: true }] })[0]?.text ?? '';
    expect(text).toMatch(/^# netbond: no auto line, so VLAN bond0\.20 stays down at boot \(up: false\)$/mu);
    expect(text).not.toContain('auto bond0.20\n');
    expect(text).toContain('auto bond0.30\n');
  });

  it('puts the broadcast of a VLAN address after the first in the comment of what is left out', () => {
    const spec: BondSpec = { ...BOND0_SPEC, vlans: [{ id: 5, up: true, addresses: ['10.5.0.10/24', { address: '10.6.0.10/24', broadcast: '10.6.0.255' }] }] };
    expect(exportConfig('interfaces', spec)[0]?.text).toMatch(/^# netbond: ifupdown cannot express the following, so they are not in this file:\n# {3}broadcast 10\.6\.0\.255 of 10\.6\.0\.10\/24 \(only the first address has one\)\n/u);
  });

  it.each<[string, string, number]>([
    ['a DEV.ID name over another link', 'bond1.100', 100],
    ['a DEV.ID name with another id', 'bond0.200', 100],
    ['a vlanID name with another id', 'vlan7', 100],
  ])('refuses %s, which ifupdown would follow', (_label, name, id) => {
    expect(() => exportConfig('interfaces', { ...BOND0_SPEC, vlans: [{ id, name, up: true }] })).toThrow(ValidationError);
    expect(() => exportConfig('interfaces', { ...BOND0_SPEC, vlans: [{ id, name, up: true }] })).toThrow(/cannot be named .* in the interfaces format: ifupdown would create it over/u);
  });

  it('refuses a VLAN name that ends in a backslash (a line continuation)', () => {
    expect(() => exportConfig('interfaces', { ...BOND0_SPEC, vlans: [{ id: 5, name: 'v5\\', up: true }] })).toThrow(/ends in "\\", which ifupdown reads as a line continuation/u);
  });
});

describe('the spellings ifupdown, the vlan package and ifupdown2 read', () => {
  it.each<[string, string, BondSpec['vlans']]>([
    ['DEV.ID, made by ifupdown itself', lines('auto bond0.100', 'iface bond0.100 inet static', '    address 10.1.0.1/24'), [{ id: 100, up: true, addresses: ['10.1.0.1/24'] }]],
    ['a zero-padded DEV.ID', lines('auto bond0.0100', 'iface bond0.0100 inet manual'), [{ id: 100, name: 'bond0.0100', up: true }]],
    ['vlanID with vlan-raw-device (the vlan package)', lines('auto vlan100', 'iface vlan100 inet manual', '    vlan-raw-device bond0'), [{ id: 100, name: 'vlan100', up: true }]],
    ['vlan0ID with vlan_raw_device (old spelling)', lines('auto vlan0100', 'iface vlan0100 inet manual', '    vlan_raw_device bond0'), [{ id: 100, name: 'vlan0100', up: true }]],
    ['any name with vlan-id and vlan-protocol (ifupdown2)', lines('auto storage', 'iface storage inet manual', '    vlan-raw-device bond0', '    vlan-id 300', '    vlan-protocol 802.1AD'), [{ id: 300, name: 'storage', protocol: '802.1ad', up: true }]],
    ['vlan_id and vlan_protocol', lines('auto storage', 'iface storage inet manual', '    vlan_raw_device bond0', '    vlan_id 300', '    vlan_protocol 802.1q'), [{ id: 300, name: 'storage', protocol: '802.1Q', up: true }]],
    ['vlan-id over the id a vlanID name carries', lines('auto vlan5', 'iface vlan5 inet manual', '    vlan-raw-device bond0', '    vlan-id 7'), [{ id: 7, name: 'vlan5', up: true }]],
    ['allow-hotplug for up', lines('allow-hotplug bond0.100', 'iface bond0.100 inet manual'), [{ id: 100, up: true }]],
    ['no auto line: down', lines('iface bond0.100 inet manual', '    mtu 1400'), [{ id: 100, up: false, mtu: 1400 }]],
    [
      'address with netmask, gateway with metric, an inet6 stanza and up lines',
      lines(
        'auto bond0.100',
        'iface bond0.100 inet static',
        '    address 10.1.0.1',
        '    netmask 255.255.255.0',
        '    broadcast 10.1.0.255',
        '    gateway 10.1.0.254',
        '    metric 10',
        '    up ip route add 10.9.0.0/16 via 10.1.0.253 dev bond0.100 metric 5',
        '    post-up route add -net 10.8.0.0 netmask 255.255.0.0 gw 10.1.0.252 dev bond0.100',
        '    down ip route del 10.9.0.0/16 via 10.1.0.253 dev bond0.100 metric 5',
        '',
        'iface bond0.100 inet6 static',
        '    address 2001:db8:1::1',
        '    netmask 64',
        '    up ip -6 route add 2001:db8:9::/48 via 2001:db8:1::fe dev bond0.100',
      ),
      [
        {
          id: 100,
          up: true,
          addresses: [{ address: '10.1.0.1/24', broadcast: '10.1.0.255' }, '2001:db8:1::1/64'],
          routes: [
            { destination: '10.9.0.0/16', gateway: '10.1.0.253', metric: 5 },
            { destination: '10.8.0.0/16', gateway: '10.1.0.252' },
            { destination: 'default', gateway: '10.1.0.254', metric: 10 },
            { destination: '2001:db8:9::/48', gateway: '2001:db8:1::fe' },
          ],
        },
      ],
    ],
  ])('%s', (_label, text, vlans) => {
    expect(withBond('/etc/network/interfaces.d/vlans', text)).toEqual({ specs: [{ ...BOND0_SPEC, vlans }], warnings: [] });
  });

  it('reads a VLAN route from an up line of the bond stanza, and the VLAN stanza before the bond', () => {
    const text = lines(
      'auto bond0.100',
      'iface bond0.100 inet static',
      '    address 10.1.0.1/24',
      '',
      'auto bond0',
      'iface bond0 inet manual',
      '    bond-slaves eth0 eth1',
      '    bond-mode active-backup',
      '    up ip route add 10.9.0.0/16 via 10.1.0.254 dev bond0.100',
    );
    expect(importConfigs([file('/etc/network/interfaces', text)])).toEqual({
      specs: [{ ...BOND0_SPEC, vlans: [{ id: 100, up: true, addresses: ['10.1.0.1/24'], routes: [{ destination: '10.9.0.0/16', gateway: '10.1.0.254' }] }] }],
      warnings: [],
    });
  });

  it('reads a bond whose name has a dot as a bond, not as a VLAN', () => {
    const text = lines('auto uplink.1', 'iface uplink.1 inet manual', '    bond-slaves eth0', '    bond-mode active-backup', '', 'iface uplink.1 inet6 static', '    address 2001:db8::1/64');
    expect(importConfigs([file('/etc/network/interfaces', text)])).toEqual({
      specs: [{ name: 'uplink.1', mode: 'active-backup', slaves: ['eth0'], up: true, addresses: ['2001:db8::1/64'] }],
      warnings: [],
    });
  });
});

describe('what a VLAN spec cannot hold, and VLANs that are not imported', () => {
  const PATH = '/etc/network/interfaces.d/vlans';

  it('warns about each key a VLAN spec cannot hold, naming file, line and key, and imports the rest', () => {
    const text = lines(
      'auto bond0.100',
      'iface bond0.100 inet static',
      '    address 10.1.0.1/24',
      '    hwaddress ether 02:00:00:00:01:00',
      '    hw-mac-address 02:00:00:00:01:01',
      '    ip-proxy-arp 1',
      '    ip_rp_filter 2',
      '    dns-nameservers 10.1.0.53',
      '    vlan-bridge-binding on',
      '    vlan-raw-device bond1',
      '    pre-up ethtool -K bond0.100 tso off',
    );
    expect(withBond(PATH, text)).toEqual({
      specs: [{ ...BOND0_SPEC, vlans: [{ id: 100, up: true, addresses: ['10.1.0.1/24'] }] }],
      warnings: [
        `${PATH}:4: hwaddress: a VLAN spec has no MAC address; not imported`,
        `${PATH}:5: hw-mac-address: a VLAN spec has no MAC address; not imported`,
        `${PATH}:6: ip-proxy-arp: a sysctl of the interface (proxy_arp), not part of a spec; not imported`,
        `${PATH}:7: ip_rp_filter: a sysctl of the interface (rp_filter), not part of a spec; not imported`,
        `${PATH}:8: dns-nameservers: DNS is not part of a bond spec; not imported`,
        `${PATH}:9: vlan-bridge-binding: unknown key; not imported`,
        `${PATH}:10: vlan-raw-device: ifupdown creates bond0.100 over bond0, the link its name names; not imported`,
        `${PATH}:11: pre-up: 'ethtool -K bond0.100 tso off' does not configure a bond; not imported`,
      ],
    });
  });

  it('warns about a VLAN id or protocol out of range, and a method other than static or manual', () => {
    const text = lines('auto storage', 'iface storage inet dhcp', '    vlan-raw-device bond0', '    vlan-id 4095', '    vlan-protocol 802.1x', '', 'auto bond0.200', 'iface bond0.200 inet dhcp');
    const result = withBond(PATH, text);
    expect(result.specs).toEqual([{ ...BOND0_SPEC, vlans: [{ id: 200, up: true }] }]);
    expect(result.warnings).toEqual([
      `${PATH}:2: iface storage inet dhcp: method dhcp: only static and manual configuration is expressible in a bond spec; not imported`,
      expect.stringMatching(new RegExp(`^${PATH}:4: vlan-id: .*4094.*; not imported$`, 'u')),
      `${PATH}:5: vlan-protocol: VLAN protocol "802.1x" is not 802.1Q or 802.1ad; not imported`,
      `${PATH}:8: iface bond0.200 inet dhcp: method dhcp: only static and manual configuration is expressible in a bond spec; not imported`,
      `${PATH}: no file gives the id of VLAN storage (and its name carries none); not imported`,
    ]);
  });

  it('warns about a VLAN over a link that is not a bond in the files', () => {
    const text = lines('auto eth2.10', 'iface eth2.10 inet static', '    address 10.10.0.1/24', '', 'auto vlan20', 'iface vlan20 inet manual', '    vlan-raw-device eth3');
    expect(withBond(PATH, text)).toEqual({
      specs: [BOND0_SPEC],
      warnings: [`${PATH}:2: VLAN eth2.10 rides on eth2, which is not a bond in these files; not imported`, `${PATH}:7: VLAN vlan20 rides on eth3, which is not a bond in these files; not imported`],
    });
  });

  it('warns about a VLAN whose link no file gives, and vlan-raw-device on a bond', () => {
    const text = lines('iface vlan30 inet manual', '    vlan-id 30', '', 'iface bond1 inet manual', '    bond-slaves eth2', '    vlan-raw-device eth0', '', 'iface vlan40 inet manual', '    vlan-raw-device');
    expect(withBond(PATH, text).warnings).toEqual([
      `${PATH}:6: vlan-raw-device: bond1 has bond-* keys in this file, so it is a bond, not a VLAN; not imported`,
      `${PATH}:9: vlan-raw-device: Expected an interface name of 1-15 bytes without "/", ":", "%" or whitespace for vlan-raw-device but received ""; not imported`,
      `${PATH}: no file says which link VLAN vlan30 rides on; not imported`,
      `${PATH}: vlan40 is not a bond and no bond in these files takes it as a slave; its settings were not imported`,
    ]);
  });
});

describe('hostile VLAN stanzas end in a result with warnings', () => {
  const HOSTILE: Record<string, string> = {
    '20 000 VLAN stanzas, most ids out of range': Array.from({ length: 20_000 }, (_, i) => `auto bond0.${i}\niface bond0.${i} inet static\n    vlan-raw-device bond0\n    address 10.${(i >> 8) & 255}.${i & 255}.1/24\n`).join(''),
    'one VLAN stanza with 50 000 bad addresses': `iface bond0.5 inet static\n${Array.from({ length: 50_000 }, (_, i) => `    address 10.${(i >> 8) & 255}.${i & 255}.1/33\n`).join('')}`,
    'a 1 MB vlan-raw-device and vlan-id': `iface vlan5 inet manual\n    vlan-raw-device ${'b'.repeat(1 << 20)}\n    vlan-id ${'9'.repeat(1 << 20)}\n`,
    'names of dots': 'iface . inet manual\niface .. inet manual\niface .5 inet manual\niface bond0. inet manual\niface bond0..5 inet manual\niface bond0.5.6 inet manual\n    vlan-raw-device .\n',
    'prototype names': 'iface __proto__.5 inet manual\niface constructor inet manual\n    vlan-raw-device __proto__\n    vlan-id __proto__\n    vlan-protocol constructor\niface toString.7 inet manual\n',
    'a VLAN over itself and a loop': 'iface vlan5 inet manual\n    vlan-raw-device vlan5\niface vlan6 inet manual\n    vlan-raw-device vlan7\niface vlan7 inet manual\n    vlan-raw-device vlan6\n',
    'keys with no value': 'iface bond0.5 inet static\n    vlan-raw-device\n    vlan-id\n    vlan-protocol\n    address\n    gateway\n    mtu\n',
  };

  it.each(Object.keys(HOSTILE))('%s', { timeout: HOSTILE_INPUT_BUDGET }, (name) => {
    const result = importConfigs([BOND0, file('/etc/network/interfaces.d/hostile', HOSTILE[name] as string)]);
    expect(result.warnings.length).toBeGreaterThan(0);
    expect(result.specs.map((s) => s.name)).toContain('bond0');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
