// VLANs over a bond in systemd-networkd files: the trunk host's files, round trips of VLAN specs,
// the other spellings networkd allows, warnings for the VLAN keys a spec cannot hold, and
// hostile VLAN sections.
import { describe, expect, it } from 'vitest';
import { HOSTILE_INPUT_BUDGET } from './helpers/budgets.js';
import { ValidationError } from '../../lib/errors.js';
import { exportConfig, importConfigs, type ConfigFile } from '../../lib/formats/index.js';
import type { BondSpec } from '../../lib/plan/types.js';
import { HOST_SPEC } from '../fixtures/configs/vlans/host.js';
import { expectRoundTrip, hostFiles as hostFilesOf } from './helpers/format-round-trip.js';

const hostFiles = () => hostFilesOf('networkd');

const DIR = '/etc/systemd/network';
const file = (name: string, text: string): ConfigFile => ({ path: `${DIR}/${name}`, text });

/** bond0 over eth0 whose .network names `vlans` with VLAN=. */
const bondFiles = (...vlans: string[]): ConfigFile[] => [
  file('10-bond0.netdev', '[NetDev]\nName=bond0\nKind=bond\n\n[Bond]\nMode=active-backup\n'),
  file('10-bond0.network', `[Match]\nName=bond0\n\n[Network]\n${vlans.map((v) => `VLAN=${v}\n`).join('')}`),
  file('20-bond0-eth0.network', '[Match]\nName=eth0\n\n[Network]\nBond=bond0\n'),
];
const BOND = { name: 'bond0', mode: 'active-backup', slaves: ['eth0'], up: true } as const satisfies BondSpec;

/** A VLAN .netdev: [NetDev] on lines 1-3 (Name= on line 2), then `rest` from line 4. */
const vlanNetdevText = (rest: string, name = 'bond0.5') => `[NetDev]\nName=${name}\nKind=vlan\n${rest}`;
const vlanNetdev = (name: string, rest: string) => file(`30-${name}.netdev`, vlanNetdevText(rest, name));

const textOf = (files: ConfigFile[], name: string) => files.find((f) => f.path === `${DIR}/${name}`)?.text;

describe('the trunk host in networkd files', () => {
  it('imports to HOST_SPEC with no warning', () => {
    expect(importConfigs(hostFiles())).toEqual({ specs: [HOST_SPEC], warnings: [] });
  });

  it('exports to files that import back to HOST_SPEC, and export again the same', () => {
    const files = exportConfig('networkd', HOST_SPEC);
    expect(files.map((f) => f.path)).toEqual([
      `${DIR}/10-bond0.netdev`,
      `${DIR}/10-bond0.network`,
      `${DIR}/20-bond0-eth1.network`,
      `${DIR}/20-bond0-eth2.network`,
      `${DIR}/10-bond0.100.netdev`,
      `${DIR}/10-bond0.100.network`,
      `${DIR}/10-bond0.200.netdev`,
      `${DIR}/10-bond0.200.network`,
    ]);
    expect(textOf(files, '10-bond0.network')).toBe('[Match]\nName=bond0\n\n[Link]\nMTUBytes=9000\n\n[Network]\nVLAN=bond0.100\nVLAN=bond0.200\n');
    expect(textOf(files, '10-bond0.100.netdev')).toBe('[NetDev]\nName=bond0.100\nKind=vlan\n\n[VLAN]\nId=100\n');
    expect(textOf(files, '10-bond0.100.network')).toBe(
      '[Match]\nName=bond0.100\n\n[Link]\nMTUBytes=1500\n\n[Network]\nAddress=10.1.100.10/24\n\n[Route]\nDestination=0.0.0.0/0\nGateway=10.1.100.1\n',
    );
    const again = importConfigs(files);
    expect(again).toEqual({ specs: [HOST_SPEC], warnings: [] });
    expect(exportConfig('networkd', again.specs[0] as BondSpec)).toEqual(files);
  });
});

describe('round trips of VLAN specs: spec -> networkd -> spec -> networkd', () => {
  it.each<[string, BondSpec]>([
    ['a VLAN with a name of its own', { ...BOND, vlans: [{ id: 300, name: 'storage', up: true, addresses: ['10.3.0.2/24'] }] }],
    ['a vlanID name, which carries its id', { ...BOND, vlans: [{ id: 301, name: 'vlan301', up: true }] }],
    ['802.1ad, and 802.1Q with the same id', { ...BOND, vlans: [{ id: 100, protocol: '802.1ad', name: 'svlan100', up: true }, { id: 100, up: true }] }],
    ['a VLAN that is down', { ...BOND, vlans: [{ id: 10, up: false, addresses: ['10.10.0.2/24'] }, { id: 11, up: true }] }],
    [
      'IPv6 addresses and routes with metrics',
      {
        ...BOND,
        vlans: [
          {
            id: 600,
            up: true,
            addresses: ['2001:db8:600::2/64', '2001:db8:601::2/64'],
            routes: [
              { destination: 'default', gateway: '2001:db8:600::1', metric: 1024 },
              { destination: '2001:db8:9::/48', gateway: '2001:db8:600::fe', metric: 50 },
              { destination: '2001:db8:a::/48' },
            ],
          },
        ],
      },
    ],
    [
      'several VLANs with MTUs, broadcasts and routes, over a bond with its own address',
      {
        ...BOND,
        mtu: 9000,
        addresses: ['192.0.2.10/24'],
        vlans: [
          { id: 100, up: true, mtu: 1500, addresses: [{ address: '10.1.100.10/24', broadcast: '10.1.100.255' }], routes: [{ destination: 'default', gateway: '10.1.100.1', metric: 100 }] },
          { id: 200, up: true, mtu: 9000, addresses: ['10.1.200.10/24', '2001:db8:200::10/64'] },
          { id: 300, name: 'backup', protocol: '802.1ad', up: false },
          { id: 4094, up: true, routes: [{ destination: '10.99.0.0/16', gateway: '10.1.100.254' }] },
        ],
      },
    ],
    ['a bond that is down, with its VLANs down', { ...BOND, up: false, vlans: [{ id: 5, up: false }] }],
  ])('%s', (_label, spec) => {
    expectRoundTrip('networkd', spec);
  });

  it('writes a VLAN whose spec leaves up out as its bond is, so it comes back with up given', () => {
    const down = importConfigs(exportConfig('networkd', { ...BOND, up: false, vlans: [{ id: 5 }] }));
    expect(down.specs[0]?.vlans).toEqual([{ id: 5, up: false }]);
    const up = importConfigs(exportConfig('networkd', { ...BOND, vlans: [{ id: 5 }] }));
    expect(up.specs[0]?.vlans).toEqual([{ id: 5, up: true }]);
  });

  it('leaves out Protocol= for 802.1Q, networkd default, so an explicit 802.1Q comes back as the default', () => {
    const files = exportConfig('networkd', { ...BOND, vlans: [{ id: 5, protocol: '802.1Q', up: true }] });
    expect(textOf(files, '10-bond0.5.netdev')).not.toContain('Protocol=');
    expect(importConfigs(files).specs[0]?.vlans).toEqual([{ id: 5, up: true }]);
    expect(textOf(exportConfig('networkd', { ...BOND, vlans: [{ id: 5, protocol: '802.1ad' }] }), '10-bond0.5.netdev')).toContain('Protocol=802.1ad\n');
  });

  it('has nothing of a VLAN spec to leave out: no Leftovers comment in any file', () => {
    const files = exportConfig('networkd', { ...BOND, vlans: [{ id: 300, name: 'storage', protocol: '802.1ad', up: false, mtu: 1400, addresses: [{ address: '10.3.0.2/24', broadcast: '10.3.0.255' }] }] });
    expect(files.map((f) => f.text).join('\n')).not.toContain('cannot express');
  });

  it('refuses a VLAN name that [Match] Name= would read as a pattern, and a VLAN spec the API refuses', () => {
    expect(() => exportConfig('networkd', { ...BOND, vlans: [{ id: 5, name: 'v*5' }] })).toThrow(/vlans\[0\]\.name|\[Match\] Name=/u);
    expect(() => exportConfig('networkd', { ...BOND, vlans: [{ id: 5, name: 'v*5' }] })).toThrow(ValidationError);
    expect(() => exportConfig('networkd', { ...BOND, vlans: [{ id: 4095 }] })).toThrow(ValidationError);
    expect(() => exportConfig('networkd', { ...BOND, mtu: 1500, vlans: [{ id: 5, mtu: 9000 }] })).toThrow(ValidationError);
  });
});

describe('other spellings networkd allows', () => {
  it('MTUBytes= in the .netdev, Protocol= in either case, ActivationPolicy=always-down, an [Address] with Broadcast=', () => {
    const files = [
      vlanNetdev('bond0.100', 'MTUBytes=1500\n\n[VLAN]\nId=100\nProtocol=802.1AD\n'),
      file('30-bond0.100.network', '[Match]\nName=bond0.100\n\n[Link]\nActivationPolicy=always-down\n\n[Address]\nAddress=10.1.100.10/24\nBroadcast=10.1.100.255\n'),
      vlanNetdev('bond0.200', '\n[VLAN]\nId=200\nProtocol=802.1q\n'),
      file('30-bond0.200.network', '[Match]\nName=bond0.200\n\n[Link]\nActivationPolicy=always-up\n'),
      ...bondFiles('bond0.100', 'bond0.200'),
    ];
    expect(importConfigs(files)).toEqual({
      specs: [
        {
          ...BOND,
          vlans: [
            { id: 100, protocol: '802.1ad', up: false, mtu: 1500, addresses: [{ address: '10.1.100.10/24', broadcast: '10.1.100.255' }] },
            { id: 200, protocol: '802.1Q', up: true },
          ],
        },
      ],
      warnings: [],
    });
  });

  it('a VLAN named vlanID or after its use, the id from Id=; a file names the VLAN before the bond is read', () => {
    const files = [vlanNetdev('vlan300', '[VLAN]\nId=300\n'), vlanNetdev('storage', '[VLAN]\nId=0301\n'), ...bondFiles('vlan300', 'storage')];
    expect(importConfigs(files)).toEqual({ specs: [{ ...BOND, vlans: [{ id: 300, name: 'vlan300' }, { id: 301, name: 'storage' }] }], warnings: [] });
  });

  it('VLAN= alone: the id comes from the name, the VLAN has no state of its own', () => {
    expect(importConfigs(bondFiles('bond0.42'))).toEqual({ specs: [{ ...BOND, vlans: [{ id: 42 }] }], warnings: [] });
  });
});

describe('warnings name the file, the line and the key', () => {
  it('for the [VLAN] keys and the .netdev keys a VLAN spec cannot hold', () => {
    const netdev = vlanNetdevText('MACAddress=02:00:00:00:00:05\n\n[VLAN]\nId=5\nGVRP=yes\nMVRP=no\nLooseBinding=yes\nReorderHeader=no\nEgressQOSMaps=0-1\nIngressQOSMaps=2-3\nBridgeLoops=yes\n\n[Match]\nHost=hv1\n');
    const result = importConfigs([file('30-bond0.5.netdev', netdev), ...bondFiles('bond0.5')]);
    expect(result.specs).toEqual([{ ...BOND, vlans: [{ id: 5 }] }]);
    const at = `${DIR}/30-bond0.5.netdev`;
    expect(result.warnings).toEqual([
      `${at}:4: NetDev.MACAddress: a VLAN spec has no MAC address; not imported`,
      `${at}:8: VLAN.GVRP: a VLAN spec has no GVRP registration; not imported`,
      `${at}:9: VLAN.MVRP: a VLAN spec has no MVRP registration; not imported`,
      `${at}:10: VLAN.LooseBinding: a VLAN spec has no loose binding to the lower link; not imported`,
      `${at}:11: VLAN.ReorderHeader: a VLAN spec has no header reordering flag; not imported`,
      `${at}:12: VLAN.EgressQOSMaps: a VLAN spec has no egress priority map; not imported`,
      `${at}:13: VLAN.IngressQOSMaps: a VLAN spec has no ingress priority map; not imported`,
      `${at}:14: VLAN.BridgeLoops: unknown key; not imported`,
      `${at}:16: [Match]: not part of a VLAN spec; not imported`,
    ]);
  });

  it('for ids and protocols networkd refuses, and a .netdev without Id=', () => {
    const files = [file('30-a.netdev', vlanNetdevText('[VLAN]\nId=5000\nProtocol=802.1x\n', 'bond0.7')), file('30-b.netdev', vlanNetdevText('[VLAN]\n', 'bond0.8')), ...bondFiles('bond0.7', 'bond0.8')];
    const result = importConfigs(files);
    expect(result.specs).toEqual([{ ...BOND, vlans: [{ id: 7 }, { id: 8 }] }]);
    expect(result.warnings).toEqual([
      `${DIR}/30-a.netdev:5: VLAN.Id: Expected integer between 1 and 4094 for VLAN id but received 5000; not imported`,
      `${DIR}/30-a.netdev:6: VLAN.Protocol: VLAN protocol "802.1x" is not 802.1Q or 802.1ad; not imported`,
      `${DIR}/30-b.netdev:2: VLAN.Id: missing: systemd-networkd does not create VLAN bond0.8 without it`,
    ]);
  });

  it("for what the VLAN's .network holds that a VLAN spec cannot", () => {
    const network = '[Match]\nName=bond0.5\n\n[Link]\nMACAddress=02:00:00:00:00:05\n\n[Network]\nDHCP=yes\nDNS=10.0.0.53\n';
    const result = importConfigs([file('30-bond0.5.network', network), ...bondFiles('bond0.5')]);
    expect(result.specs).toEqual([{ ...BOND, vlans: [{ id: 5, up: true }] }]);
    expect(result.warnings).toEqual([
      `${DIR}/30-bond0.5.network:8: Network.DHCP: dynamic addressing is not expressible in a bond spec (only static addresses are); not imported`,
      `${DIR}/30-bond0.5.network:9: Network.DNS: not part of a bond spec; not imported`,
      `${DIR}/30-bond0.5.network: bond0.5 is a VLAN of bond0: its mac not imported`,
    ]);
  });

  it.each<[string, ConfigFile[], string[]]>([
    [
      'for a VLAN over a link that is not a bond, and VLAN= in a file for several links',
      [
        file('10-eth9.network', '[Match]\nName=eth9\n\n[Network]\nVLAN=eth9.10\n'),
        file('10-pair.network', '[Match]\nName=bond0 bond1\n\n[Network]\nVLAN=shared\n'),
        file('10-bad.network', '[Match]\nName=bond0\n\n[Network]\nVLAN=a b\n'),
      ],
      [
        `${DIR}/10-pair.network:5: Network.VLAN: this file configures 2 links, and a VLAN rides on one; not imported`,
        `${DIR}/10-bad.network:5: Network.VLAN: Expected an interface name of 1-15 bytes without "/", ":", "%" or whitespace for Network.VLAN but received "a b"; not imported`,
        `${DIR}/10-eth9.network: eth9 is not a bond and no bond in these files takes it as a slave; its settings were not imported`,
        `${DIR}/10-pair.network: bond1 is not a bond and no bond in these files takes it as a slave; its settings were not imported`,
        `${DIR}/10-eth9.network:5: VLAN eth9.10 rides on eth9, which is not a bond in these files; not imported`,
      ],
    ],
    [
      'for a VLAN .netdev no VLAN= names, and for other kinds and names of .netdev as before',
      [
        file('30-orphan.netdev', vlanNetdevText('[VLAN]\nId=9\n', 'orphan')),
        file('30-noname.netdev', '[NetDev]\nKind=vlan\n[VLAN]\nId=9\n'),
        file('30-br0.netdev', '[NetDev]\nName=br0\nKind=bridge\n'),
        file('30-odd.netdev', '[NetDev]\nName=x\nKind=constructor\n'),
      ],
      [
        `${DIR}/30-noname.netdev:2: Name: the VLAN has no Name=; not imported`,
        `${DIR}/30-br0.netdev:3: Kind: a netdev of kind bridge, not a bond or a VLAN; not imported`,
        `${DIR}/30-odd.netdev:3: Kind: a netdev of kind constructor, not a bond or a VLAN; not imported`,
        `${DIR}/30-orphan.netdev: no file says which link VLAN orphan rides on; not imported`,
      ],
    ],
  ])('%s', (_label, files, warnings) => {
    expect(importConfigs([...files, ...bondFiles()])).toEqual({ specs: [BOND], warnings });
  });
});

describe('hostile VLAN files end in a result with warnings', () => {
  /** A .network whose [Match] Name= lists `links` names, with `line` repeated `count` times. */
  const manyLinks = (links: number, line: string, count: number) =>
    file('10-many.network', `[Match]\nName=${Array.from({ length: links }, (_, i) => `b${i}`).join(' ')}\n[Network]\n${line.repeat(count)}`);
  const netdevOf = (text: string) => [file('30-x.netdev', text), ...bondFiles('bond0.5')];

  it.each<[string, ConfigFile[]]>([
    ['200 000 [VLAN] keys', netdevOf(vlanNetdevText(`[VLAN]\nId=5\n${'GVRP=yes\n'.repeat(200_000)}`))],
    ['100 000 [VLAN] sections that disagree', netdevOf(vlanNetdevText('[VLAN]\nId=5\n[VLAN]\nId=6\n'.repeat(50_000)))],
    ['a 4 MB Id=', netdevOf(vlanNetdevText(`[VLAN]\nId=${'9'.repeat(4 * 1024 * 1024)}\n`))],
    ['a 4 MB VLAN name', [file('30-x.netdev', vlanNetdevText('[VLAN]\nId=5\n', 'v'.repeat(4 * 1024 * 1024))), ...bondFiles('v'.repeat(4 * 1024 * 1024))]],
    ['prototype keys', netdevOf('[NetDev]\nName=__proto__\nKind=__proto__\n[VLAN]\n__proto__=1\nconstructor=2\nId=__proto__\nProtocol=constructor\n')],
    ['an unterminated continuation', netdevOf(vlanNetdevText('[VLAN]\nId=5\\\n'.repeat(50_000)))],
    ['5 000 VLAN= lines', bondFiles(...Array.from({ length: 5000 }, (_, i) => `bond0.${i}`))],
    ['VLAN= lines in a file for 5 000 links', [manyLinks(5000, 'VLAN=v5\n', 5000)]],
    ['Address= lines in a file for 50 000 links', [manyLinks(50_000, 'Address=10.0.0.1/24\n', 50_000)]],
    ['VLAN= lines in a file for 300 links, under the bound of the pairs read', [manyLinks(300, 'VLAN=v5\n', 300)]],
  ])('%s', { timeout: HOSTILE_INPUT_BUDGET }, (_label, files) => {
    const result = importConfigs(files);
    expect(result.warnings.length).toBeGreaterThan(0);
    // Bounded by the input: a warning per line at most, never one per link and line.
    expect(result.warnings.length).toBeLessThan(250_000);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads no .network whose links times lines pass the bound, and says so once', () => {
    expect(importConfigs([manyLinks(5000, 'VLAN=v5\n', 5000)])).toEqual({
      specs: [],
      warnings: [`${DIR}/10-many.network:2: Match: matches 5000 interfaces, each with the file's 5001 lines: more than the 100000 (interface, line) pairs read from one file; not imported`],
    });
  });
});
