// VLANs over a bond in RHEL network-scripts (ifcfg-<vlan> with VLAN=yes, route-<vlan>): the trunk
// host's files, round trips of VLAN specs, the spellings initscripts and NetworkManager's
// ifcfg-rh read, warnings for the VLAN keys a spec cannot hold and for files the two readers
// read differently, and hostile VLAN files.
import { describe, expect, it } from 'vitest';
import { HOSTILE_INPUT_BUDGET } from './helpers/budgets.js';
import { ValidationError } from '../../lib/errors.js';
import { exportConfig, importConfigs, type ConfigFile } from '../../lib/formats/index.js';
import type { BondRouteSpec, BondSpec, BondVlanSpec } from '../../lib/plan/types.js';
import { HOST_SPEC } from '../fixtures/configs/vlans/host.js';
import { expectRoundTrip as roundTrip, hostFiles as hostFilesOf } from './helpers/format-round-trip.js';

const hostFiles = () => hostFilesOf('ifcfg');

const DIR = '/etc/sysconfig/network-scripts';
const fileOf = (name: string, lines: string[]): ConfigFile => ({ path: `${DIR}/${name}`, text: `${lines.join('\n')}\n` });
const file = (name: string, ...lines: string[]) => fileOf(name, lines);
const at = (name: string, line: number) => `${DIR}/${name}:${line}`;

/** bond0 (active-backup over eth0) in its own two files. */
const BOND_FILES: ConfigFile[] = [
  file('ifcfg-bond0', 'DEVICE=bond0', 'TYPE=Bond', 'BONDING_MASTER=yes', 'BONDING_OPTS="mode=active-backup"'),
  file('ifcfg-eth0', 'DEVICE=eth0', 'MASTER=bond0', 'SLAVE=yes'),
];
const BOND = { name: 'bond0', mode: 'active-backup', slaves: ['eth0'], up: true } as const satisfies BondSpec;

/** Imports the bond's files and the VLAN files given. */
const withBond = (...files: ConfigFile[]) => importConfigs([...BOND_FILES, ...files]);

const textOf = (files: ConfigFile[], name: string) => files.find((f) => f.path === `${DIR}/${name}`)?.text;

/** spec -> files -> spec -> files: the spec comes back whole with no warning, and writes the same files again. */
const expectRoundTrip = (spec: BondSpec) => roundTrip('ifcfg', spec);

describe('the trunk host in ifcfg files', () => {
  it('imports to HOST_SPEC with no warning', () => {
    expect(importConfigs(hostFiles())).toEqual({ specs: [HOST_SPEC], warnings: [] });
  });

  it('exports ifcfg-<vlan> and route-<vlan> after the bond, which import back to HOST_SPEC and export again the same', () => {
    const files = expectRoundTrip(HOST_SPEC);
    expect(files.map((f) => f.path)).toEqual([
      `${DIR}/ifcfg-bond0`,
      `${DIR}/ifcfg-eth1`,
      `${DIR}/ifcfg-eth2`,
      `${DIR}/ifcfg-bond0.100`,
      `${DIR}/route-bond0.100`,
      `${DIR}/ifcfg-bond0.200`,
    ]);
    // The bond's file is as it was: initscripts ties each VLAN to it from the VLAN's file.
    expect(textOf(files, 'ifcfg-bond0')).toBe(
      "DEVICE=bond0\nTYPE=Bond\nBONDING_MASTER=yes\nBONDING_OPTS='mode=802.3ad miimon=100 xmit_hash_policy=layer3+4 lacp_rate=fast'\nONBOOT=yes\nBOOTPROTO=none\nMTU=9000\n",
    );
    expect(textOf(files, 'ifcfg-bond0.100')).toBe(
      'DEVICE=bond0.100\nTYPE=Vlan\nVLAN=yes\nPHYSDEV=bond0\nVLAN_ID=100\nONBOOT=yes\nBOOTPROTO=none\nIPADDR=10.1.100.10\nPREFIX=24\nMTU=1500\n',
    );
    expect(textOf(files, 'route-bond0.100')).toBe('default via 10.1.100.1 dev bond0.100\n');
    expect(textOf(files, 'ifcfg-bond0.200')).toBe(
      'DEVICE=bond0.200\nTYPE=Vlan\nVLAN=yes\nPHYSDEV=bond0\nVLAN_ID=200\nONBOOT=yes\nBOOTPROTO=none\nIPADDR=10.1.200.10\nPREFIX=24\nIPV6INIT=yes\nIPV6ADDR=2001:db8:200::10/64\n',
    );
  });
});

const v6 = (net: number) => `2001:db8:${net}::2/64`;
const via = (destination: string, gateway?: string, metric?: number): BondRouteSpec => ({ destination, ...(gateway === undefined ? {} : { gateway }), ...(metric === undefined ? {} : { metric }) });

/** A label, what the bond adds to BOND, and its VLANs. */
const ROUND_TRIPS: [string, Partial<BondSpec>, BondVlanSpec[]][] = [
  ['a VLAN with a name of its own (VID written for initscripts)', {}, [{ id: 300, name: 'storage', up: true, addresses: ['10.3.0.2/24'] }]],
  ['vlan<id> and <link>.<id> names, one over another link than the one it names', {}, [{ id: 301, name: 'vlan301', up: true }, { id: 7, name: 'mgmt.7', up: true }]],
  ['802.1ad, and 802.1Q with the same id', {}, [{ id: 100, protocol: '802.1ad', name: 'svlan100', up: true }, { id: 100, up: true }]],
  ['a VLAN that is down next to one that is up', {}, [{ id: 10, up: false, addresses: ['10.10.0.2/24'] }, { id: 11, up: true }]],
  [
    'IPv6 addresses (IPV6ADDR_SECONDARIES) and routes with metrics (route6-<vlan>)',
    {},
    [{ id: 600, up: true, addresses: [600, 601, 602].map(v6), routes: [via('default', '2001:db8:600::1', 1024), via('2001:db8:9::/48', '2001:db8:600::fe', 50), via('2001:db8:a::/48')] }],
  ],
  [
    'several VLANs with MTUs, broadcasts and routes, over a bond with its own address and route',
    { mtu: 9000, addresses: ['192.0.2.10/24'], routes: [via('198.51.100.0/24', '192.0.2.1')] },
    [
      { id: 100, up: true, mtu: 1500, addresses: [{ address: '10.1.100.10/24', broadcast: '10.1.100.255' }, '10.1.101.10/24'], routes: [via('default', '10.1.100.1', 100), via('10.50.0.0/16', '10.1.100.254', 20)] },
      { id: 200, up: true, mtu: 9000, addresses: ['10.1.200.10/24', v6(200)] },
      { id: 300, name: 'backup', protocol: '802.1ad', up: false },
      { id: 4094, up: true, routes: [via('10.99.0.0/16', '10.1.100.254')] },
    ],
  ],
  ['a bond that is down, with its VLAN down', { up: false }, [{ id: 5, up: false }]],
];

describe('round trips of VLAN specs: spec -> ifcfg -> spec -> ifcfg', () => {
  it.each(ROUND_TRIPS)('%s', (_label, bond, vlans) => {
    expectRoundTrip({ ...BOND, ...bond, vlans });
  });

  it('writes a VLAN whose spec leaves up out as its bond is, so it comes back with up given', () => {
    const down = importConfigs(exportConfig('ifcfg', { ...BOND, up: false, vlans: [{ id: 5 }] }));
    expect(down.specs[0]?.vlans).toEqual([{ id: 5, up: false }]);
    const up = importConfigs(exportConfig('ifcfg', { ...BOND, vlans: [{ id: 5 }] }));
    expect(up.specs[0]?.vlans).toEqual([{ id: 5, up: true }]);
  });

  it('writes VID only where initscripts cannot read the link and the id from the name', () => {
    const files = exportConfig('ifcfg', { ...BOND, vlans: [{ id: 5 }, { id: 6, name: 'vlan6' }, { id: 7, name: 'storage' }, { id: 8, name: 'mgmt.8' }] });
    expect(textOf(files, 'ifcfg-bond0.5')).not.toContain('VID=');
    expect(textOf(files, 'ifcfg-vlan6')).not.toContain('VID=');
    expect(textOf(files, 'ifcfg-storage')).toBe('DEVICE=storage\nTYPE=Vlan\nVLAN=yes\nPHYSDEV=bond0\nVLAN_ID=7\nVID=7\nONBOOT=yes\nBOOTPROTO=none\n');
    expect(textOf(files, 'ifcfg-mgmt.8')).toContain('PHYSDEV=bond0\nVLAN_ID=8\nVID=8\n');
  });

  it("writes 802.1ad as ifcfg-rh's VLAN_PROTOCOL, with a comment that initscripts ignores it; 802.1Q, the default, not at all", () => {
    const files = exportConfig('ifcfg', { ...BOND, vlans: [{ id: 5, protocol: '802.1ad' }, { id: 6, protocol: '802.1Q', up: true }] });
    expect(textOf(files, 'ifcfg-bond0.5')).toBe(
      "# VLAN_PROTOCOL is read by NetworkManager's ifcfg-rh; initscripts ignores it and creates an 802.1Q VLAN.\nDEVICE=bond0.5\nTYPE=Vlan\nVLAN=yes\nPHYSDEV=bond0\nVLAN_ID=5\nVLAN_PROTOCOL=802.1ad\nONBOOT=yes\nBOOTPROTO=none\n",
    );
    expect(textOf(files, 'ifcfg-bond0.6')).not.toContain('VLAN_PROTOCOL');
    expect(importConfigs(files).specs[0]?.vlans).toEqual([{ id: 5, protocol: '802.1ad', up: true }, { id: 6, up: true }]);
  });

  it('has nothing of a VLAN spec to leave out: no Leftovers comment in any file', () => {
    const files = exportConfig('ifcfg', { ...BOND, vlans: [{ id: 300, name: 'storage', protocol: '802.1ad', up: true, mtu: 1400, addresses: [{ address: '10.3.0.2/24', broadcast: '10.3.0.255' }], routes: [{ destination: '10.4.0.0/16', gateway: '10.3.0.1', metric: 5 }] }] });
    expect(files.map((f) => f.text).join('\n')).not.toContain('cannot express');
  });

  it('refuses a VLAN spec the API refuses', () => {
    expect(() => exportConfig('ifcfg', { ...BOND, vlans: [{ id: 4095 }] })).toThrow(ValidationError);
    expect(() => exportConfig('ifcfg', { ...BOND, mtu: 1500, vlans: [{ id: 5, mtu: 9000 }] })).toThrow(ValidationError);
    expect(() => exportConfig('ifcfg', { ...BOND, vlans: [{ id: 5, name: 'a b' }] })).toThrow(ValidationError);
  });
});

describe('other spellings initscripts and ifcfg-rh read', () => {
  it('a <bond>.<id> file with no PHYSDEV or VLAN_ID, before the bond is read, without DEVICE', () => {
    const result = importConfigs([file('ifcfg-bond0.42', 'VLAN=yes', 'BOOTPROTO=static', 'IPADDR=10.42.0.2', 'NETMASK=255.255.0.0'), ...BOND_FILES]);
    expect(result).toEqual({ specs: [{ ...BOND, vlans: [{ id: 42, up: true, addresses: ['10.42.0.2/16'] }] }], warnings: [] });
  });

  it('vlan<id> with PHYSDEV (initscripts), a name of its own with PHYSDEV and VID (initscripts) or VLAN_ID (ifcfg-rh)', () => {
    const result = withBond(
      file('ifcfg-vlan0300', 'DEVICE=vlan0300', 'VLAN=yes', 'PHYSDEV=bond0'),
      file('ifcfg-storage', 'DEVICE=storage', 'VLAN=yes', 'PHYSDEV=bond0', 'VID=301'),
      file('ifcfg-Vlan_backup', 'NAME="Vlan backup"', 'DEVICE=backup', 'TYPE=Vlan', 'VLAN=yes', 'PHYSDEV=bond0', 'VLAN_ID=0302'),
    );
    expect(result).toEqual({
      specs: [{ ...BOND, vlans: [{ id: 300, name: 'vlan0300', up: true }, { id: 301, name: 'storage', up: true }, { id: 302, name: 'backup', up: true }] }],
      warnings: [],
    });
  });

  it('VLAN_PROTOCOL in either case, VLAN=YES, numbered addresses, IPV6ADDR_SECONDARIES, GATEWAY with METRIC, IPV6_DEFAULTGW, ONBOOT=no', () => {
    const vlan = file(
      'ifcfg-bond0.5',
      'DEVICE=bond0.5',
      'VLAN=YES',
      'VLAN_PROTOCOL=802.1AD',
      'IPADDR0=10.5.0.2',
      'PREFIX0=24',
      'BROADCAST0=10.5.0.255',
      'IPADDR1=10.6.0.2',
      'NETMASK1=255.255.255.0',
      'IPV6INIT=yes',
      'IPV6ADDR=2001:db8:5::2',
      'IPV6ADDR_SECONDARIES="2001:db8:6::2/64 2001:db8:7::2/48"',
      'GATEWAY=10.5.0.1',
      'METRIC=200',
      'IPV6_DEFAULTGW=2001:db8:5::1%bond0.5',
    );
    expect(withBond(vlan, file('ifcfg-bond0.6', 'DEVICE=bond0.6', 'VLAN=yes', 'VLAN_PROTOCOL=802.1q', 'ONBOOT=no'))).toEqual({
      specs: [
        {
          ...BOND,
          vlans: [
            {
              id: 5,
              protocol: '802.1ad',
              up: true,
              addresses: [{ address: '10.5.0.2/24', broadcast: '10.5.0.255' }, '10.6.0.2/24', '2001:db8:5::2/64', '2001:db8:6::2/64', '2001:db8:7::2/48'],
              routes: [
                { destination: 'default', gateway: '10.5.0.1', metric: 200 },
                { destination: 'default', gateway: '2001:db8:5::1' },
              ],
            },
            { id: 6, protocol: '802.1Q', up: false },
          ],
        },
      ],
      warnings: [],
    });
  });

  it("route-<vlan> in the ADDRESSn= form and route6-<vlan>, keyed by the VLAN's name in the file name", () => {
    const result = withBond(
      file('ifcfg-bond0.7', 'DEVICE=bond0.7', 'VLAN=yes', 'IPADDR=10.7.0.2', 'PREFIX=24', 'IPV6INIT=yes', 'IPV6ADDR=2001:db8:7::2/64'),
      file('route-bond0.7', 'ADDRESS0=10.70.0.0', 'NETMASK0=255.255.0.0', 'GATEWAY0=10.7.0.1', 'METRIC0=30'),
      file('route6-bond0.7', '2001:db8:70::/48 via 2001:db8:7::1 metric 40', 'default via 2001:db8:7::1 dev bond0.7'),
    );
    expect(result).toEqual({
      specs: [
        {
          ...BOND,
          vlans: [
            {
              id: 7,
              up: true,
              addresses: ['10.7.0.2/24', '2001:db8:7::2/64'],
              routes: [
                { destination: '10.70.0.0/16', gateway: '10.7.0.1', metric: 30 },
                { destination: '2001:db8:70::/48', gateway: '2001:db8:7::1', metric: 40 },
                { destination: 'default', gateway: '2001:db8:7::1' },
              ],
            },
          ],
        },
      ],
      warnings: [],
    });
  });
});

describe('warnings name the file, the line and the key', () => {
  it('for the VLAN keys a VLAN spec cannot hold, and for the rest of the file as for a bond', () => {
    const vlan = file(
      'ifcfg-bond0.5',
      'DEVICE=bond0.5',
      'VLAN=yes',
      'VLAN_EGRESS_PRIORITY_MAP=0:1,2:3',
      'VLAN_INGRESS_PRIORITY_MAP=4:5',
      'REORDER_HDR=no',
      'GVRP=yes',
      'MVRP=no',
      'VLAN_FLAGS=LOOSE_BINDING',
      'VLAN_NAME_TYPE=DEV_PLUS_VID_NO_PAD',
      'BOOTPROTO=dhcp',
      'DNS1=10.0.0.53',
      'MACADDR=02:00:00:00:00:05',
      'FROBNICATE=yes',
    );
    const result = withBond(vlan);
    expect(result.specs).toEqual([{ ...BOND, vlans: [{ id: 5, up: true }] }]);
    expect(result.warnings).toEqual([
      `${at('ifcfg-bond0.5', 3)}: VLAN_EGRESS_PRIORITY_MAP: a VLAN spec has no egress priority map; not imported`,
      `${at('ifcfg-bond0.5', 4)}: VLAN_INGRESS_PRIORITY_MAP: a VLAN spec has no ingress priority map; not imported`,
      `${at('ifcfg-bond0.5', 5)}: REORDER_HDR: a VLAN spec has no header reordering flag; not imported`,
      `${at('ifcfg-bond0.5', 6)}: GVRP: a VLAN spec has no GVRP registration; not imported`,
      `${at('ifcfg-bond0.5', 7)}: MVRP: a VLAN spec has no MVRP registration; not imported`,
      `${at('ifcfg-bond0.5', 8)}: VLAN_FLAGS: a VLAN spec has no VLAN flags (GVRP, LOOSE_BINDING, NO_REORDER_HDR); not imported`,
      `${at('ifcfg-bond0.5', 9)}: VLAN_NAME_TYPE: a VLAN spec has no vconfig naming scheme (a VLAN's name is given whole); not imported`,
      `${at('ifcfg-bond0.5', 10)}: BOOTPROTO: dhcp: dynamic addressing is not expressible in a bond spec (only static addresses are); not imported`,
      `${at('ifcfg-bond0.5', 11)}: DNS1: not part of a bond spec; not imported`,
      `${at('ifcfg-bond0.5', 13)}: FROBNICATE: unknown key; not imported`,
      `${DIR}/ifcfg-bond0.5: bond0.5 is a VLAN of bond0: its mac not imported`,
    ]);
  });

  it('for ids and protocols the readers refuse, VLAN= that is not yes or no, and VLAN keys in a file that is no VLAN', () => {
    const result = importConfigs([
      file('ifcfg-bond0', 'DEVICE=bond0', 'BONDING_OPTS="mode=active-backup"', 'PHYSDEV=eth9', 'VLAN_ID=7', 'VLAN=maybe'),
      file('ifcfg-eth0', 'DEVICE=eth0', 'MASTER=bond0', 'SLAVE=yes'),
      file('ifcfg-bond0.7', 'DEVICE=bond0.7', 'VLAN=yes', 'VLAN_ID=5000', 'VLAN_PROTOCOL=802.1x'),
    ]);
    expect(result.specs).toEqual([{ ...BOND, vlans: [{ id: 7, up: true }] }]);
    expect(result.warnings).toEqual([
      `${at('ifcfg-bond0', 5)}: VLAN: "maybe" is not yes or no; not imported`,
      `${at('ifcfg-bond0', 3)}: PHYSDEV: a VLAN key, and the file has no VLAN=yes; not imported`,
      `${at('ifcfg-bond0', 4)}: VLAN_ID: a VLAN key, and the file has no VLAN=yes; not imported`,
      `${at('ifcfg-bond0.7', 3)}: VLAN_ID: Expected integer between 1 and 4094 for VLAN id but received 5000; not imported`,
      `${at('ifcfg-bond0.7', 4)}: VLAN_PROTOCOL: VLAN protocol "802.1x" is not 802.1Q or 802.1ad; not imported`,
    ]);
  });

  it('for a file initscripts and ifcfg-rh read as different VLANs: the import follows its explicit keys', () => {
    const result = withBond(
      // initscripts takes bond1 and id 10 from the name; ifcfg-rh PHYSDEV and VLAN_ID.
      file('ifcfg-bond1.10', 'DEVICE=bond1.10', 'VLAN=yes', 'PHYSDEV=bond0', 'VLAN_ID=11'),
      // initscripts takes VID, ifcfg-rh VLAN_ID.
      file('ifcfg-storage', 'DEVICE=storage', 'VLAN=yes', 'PHYSDEV=bond0', 'VLAN_ID=20', 'VID=21'),
      // initscripts creates no VLAN without VLAN=yes; ifcfg-rh none with TYPE=Ethernet.
      file('ifcfg-bond0.30', 'DEVICE=bond0.30', 'TYPE=Vlan'),
      file('ifcfg-bond0.31', 'DEVICE=bond0.31', 'TYPE=Ethernet', 'VLAN=yes'),
    );
    expect(result.specs).toEqual([{ ...BOND, vlans: [{ id: 11, name: 'bond1.10', up: true }, { id: 20, name: 'storage', up: true }, { id: 30, up: true }, { id: 31, up: true }] }]);
    expect(result.warnings).toEqual([
      `${at('ifcfg-bond1.10', 3)}: PHYSDEV: bond0, but the name bond1.10 says bond1: initscripts takes the name's link, NetworkManager's ifcfg-rh PHYSDEV; using PHYSDEV`,
      `${at('ifcfg-bond1.10', 4)}: VLAN_ID: the VLAN id is 11 in VLAN_ID, 10 in the name: initscripts and NetworkManager's ifcfg-rh do not agree on which wins; using VLAN_ID`,
      `${at('ifcfg-storage', 4)}: VLAN_ID: the VLAN id is 20 in VLAN_ID, 21 in VID: initscripts and NetworkManager's ifcfg-rh do not agree on which wins; using VLAN_ID`,
      `${at('ifcfg-bond0.30', 2)}: TYPE: TYPE=Vlan without VLAN=yes: initscripts does not create the VLAN; imported as NetworkManager reads it`,
      `${at('ifcfg-bond0.31', 2)}: TYPE: NetworkManager's ifcfg-rh makes a TYPE=Ethernet profile of this file, not a VLAN; imported as initscripts reads VLAN=yes`,
    ]);
  });

  it.each<[string, ConfigFile[], string[]]>([
    [
      'for a VLAN that names no link it rides on, or a link that is no interface name: the file is not imported',
      [
        file('ifcfg-vlan9', 'DEVICE=vlan9', 'VLAN=yes', 'IPADDR=10.9.0.2', 'PREFIX=24'),
        file('ifcfg-storage', 'DEVICE=storage', 'TYPE=Vlan', 'VLAN=yes', 'VLAN_ID=9'),
        file('ifcfg-bond0.8', 'DEVICE=bond0.8', 'VLAN=yes', 'PHYSDEV="bond 0"'),
      ],
      [
        `${at('ifcfg-vlan9', 2)}: PHYSDEV: missing, and the name vlan9 is not <link>.<id>: VLAN vlan9 rides on no link; the file is not imported`,
        `${at('ifcfg-storage', 3)}: PHYSDEV: missing, and the name storage is not <link>.<id>: VLAN storage rides on no link; the file is not imported`,
        `${at('ifcfg-bond0.8', 3)}: PHYSDEV: Expected an interface name of 1-15 bytes without "/", ":", "%" or whitespace for PHYSDEV but received "bond 0"; the file is not imported`,
      ],
    ],
    [
      'for a VLAN over a link that is not a bond in these files',
      [file('ifcfg-eth9', 'DEVICE=eth9', 'ONBOOT=yes'), file('ifcfg-eth9.10', 'DEVICE=eth9.10', 'VLAN=yes', 'IPADDR=10.10.0.2', 'PREFIX=24'), file('ifcfg-em1.20', 'DEVICE=em1.20', 'VLAN=yes')],
      [
        `${DIR}/ifcfg-eth9, ${DIR}/ifcfg-eth9.10: eth9 is not a bond and no bond in these files takes it as a slave; its settings were not imported`,
        `${at('ifcfg-eth9.10', 2)}: VLAN eth9.10 rides on eth9, which is not a bond in these files; not imported`,
        `${at('ifcfg-em1.20', 2)}: VLAN em1.20 rides on em1, which is not a bond in these files; not imported`,
      ],
    ],
  ])('%s', (_label, files, warnings) => {
    expect(withBond(...files)).toEqual({ specs: [BOND], warnings });
  });
});

describe('hostile VLAN files end in a result with warnings', () => {
  const vlanFile = (lines: string[]) => [fileOf('ifcfg-bond0.5', ['DEVICE=bond0.5', 'VLAN=yes', ...lines]), ...BOND_FILES];
  const many = (count: number, line: (i: number) => string) => Array.from({ length: count }, (_, i) => line(i));

  it.each<[string, ConfigFile[]]>([
    ['200 000 VLAN keys', vlanFile(many(200_000, (i) => (i % 2 === 0 ? 'GVRP=yes' : `VLAN_ID=${i}`)))],
    ['a 4 MB VLAN_ID', vlanFile([`VLAN_ID=${'9'.repeat(4 * 1024 * 1024)}`])],
    ['a 4 MB PHYSDEV', vlanFile([`PHYSDEV=${'b'.repeat(4 * 1024 * 1024)}`])],
    ['a 4 MB VLAN name', [file('ifcfg-x', `DEVICE=${'v'.repeat(4 * 1024 * 1024)}.5`, 'VLAN=yes', 'IPADDR=10.0.0.1', 'PREFIX=24'), ...BOND_FILES]],
    ['prototype keys and names', [file('ifcfg-__proto__', 'DEVICE=__proto__', 'VLAN=yes', 'PHYSDEV=constructor', 'VLAN_ID=__proto__', 'VLAN_PROTOCOL=toString', '__proto__=1'), ...BOND_FILES]],
    ['a VLAN over itself', [file('ifcfg-bond0.5', 'DEVICE=bond0.5', 'VLAN=yes', 'PHYSDEV=bond0.5'), ...BOND_FILES]],
    ['shell expansions and open quotes in the VLAN keys', vlanFile(['PHYSDEV=$(reboot)', 'VLAN_ID=`id`', 'VLAN_PROTOCOL="802.1ad', "VLAN_FLAGS='GVRP"])],
    ['5 000 VLAN files over the bond', [...many(5000, (i) => `v${i}`).map((v, i) => file(`ifcfg-${v}`, `DEVICE=${v}`, 'VLAN=yes', 'PHYSDEV=bond0', `VLAN_ID=${(i % 4094) + 1}`, 'GVRP=yes')), ...BOND_FILES]],
    ['100 000 addresses in one VLAN file', vlanFile(many(100_000, (i) => `IPADDR${i}=10.0.${i % 256}.1`))],
    ['100 000 lines of route-<vlan>', [...vlanFile([]), fileOf('route-bond0.5', many(100_000, (i) => `10.${i % 256}.0.0/16 via 10.0.0.1 table ${i}`))]],
  ])('%s', { timeout: HOSTILE_INPUT_BUDGET }, (_label, files) => {
    const result = importConfigs(files);
    expect(result.warnings.length).toBeGreaterThan(0);
    // Bounded by the input: a warning per line at most.
    expect(result.warnings.length).toBeLessThan(250_000);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
