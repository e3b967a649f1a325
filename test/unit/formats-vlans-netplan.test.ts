// VLANs over a bond in netplan YAML: the trunk host's file, round trips of VLAN specs, the other
// spellings netplan allows, warnings for the VLAN keys a spec cannot hold, and hostile VLAN
// sections.
import { describe, expect, it } from 'vitest';
import { HOSTILE_INPUT_BUDGET } from './helpers/budgets.js';
import { ValidationError } from '../../lib/errors.js';
import { exportConfig, importConfigs, type ConfigFile } from '../../lib/formats/index.js';
import type { BondRouteSpec, BondSpec, BondVlanSpec } from '../../lib/plan/types.js';
import { HOST_SPEC } from '../fixtures/configs/vlans/host.js';
import { expectRoundTrip, hostFiles as hostFilesOf } from './helpers/format-round-trip.js';

const hostFiles = () => hostFilesOf('netplan');

const file = (name: string, text: string): ConfigFile => ({ path: `/etc/netplan/${name}`, text });

/** bond0 over eth0, in a file of its own. */
const BOND_FILE = file('60-bond0.yaml', 'network:\n  version: 2\n  bonds:\n    bond0:\n      interfaces: [eth0]\n      parameters:\n        mode: active-backup\n');
const BOND = { name: 'bond0', mode: 'active-backup', slaves: ['eth0'], up: true } as const satisfies BondSpec;

/** A file whose vlans: section is `body`: the body's first line is line 3. */
const vlanFile = (body: string) => file('70-vlans.yaml', `network:\n  vlans:\n${body}`);
const VLAN_AT = '/etc/netplan/70-vlans.yaml';

describe('the trunk host in netplan YAML', () => {
  it('imports to HOST_SPEC with no warning', () => {
    expect(importConfigs(hostFiles())).toEqual({ specs: [HOST_SPEC], warnings: [] });
  });

  it("exports the VLANs into the bond's file, which imports back to HOST_SPEC and exports again the same", () => {
    const files = exportConfig('netplan', HOST_SPEC);
    expect(files.map((f) => f.path)).toEqual(['/etc/netplan/60-bond0.yaml']);
    expect(files[0]?.text).toContain(
      [
        '  vlans:',
        '    bond0.100:',
        '      id: 100',
        '      link: bond0',
        '      addresses:',
        '        - 10.1.100.10/24',
        '      routes:',
        '        - to: default',
        '          via: 10.1.100.1',
        '      mtu: 1500',
        '    bond0.200:',
        '      id: 200',
        '      link: bond0',
        '      addresses:',
        '        - 10.1.200.10/24',
        '        - 2001:db8:200::10/64',
        '',
      ].join('\n'),
    );
    expect(files[0]?.text).not.toContain('cannot express');
    const again = importConfigs(files);
    expect(again).toEqual({ specs: [HOST_SPEC], warnings: [] });
    expect(exportConfig('netplan', again.specs[0] as BondSpec)).toEqual(files);
  });
});

/** An IPv6-only VLAN: addresses, a default route and routes with and without metrics. */
const IPV6_ROUTES: BondRouteSpec[] = [{ destination: 'default', gateway: '2001:db8:600::1', metric: 1024 }, { destination: '2001:db8:9::/48', gateway: '2001:db8:600::fe', metric: 50 }, { destination: '2001:db8:a::/48' }];
const IPV6_VLAN: BondVlanSpec = { id: 600, up: true, addresses: ['2001:db8:600::2/64', '2001:db8:601::2/64'], routes: IPV6_ROUTES };

/** A trunk: VLANs with MTUs under the bond's, one named, one down, one with a route only. */
const TRUNK: BondVlanSpec[] = [
  { id: 100, up: true, mtu: 1500, addresses: ['10.1.100.10/24'], routes: [{ destination: 'default', gateway: '10.1.100.1', metric: 100 }] },
  { id: 200, up: true, mtu: 9000, addresses: ['10.1.200.10/24', '2001:db8:200::10/64'] },
  { id: 300, name: 'backup', up: false },
  { id: 4094, up: true, routes: [{ destination: '10.99.0.0/16', gateway: '10.1.100.254' }] },
];

describe('round trips of VLAN specs: spec -> netplan -> spec -> netplan', () => {
  it.each<[string, BondSpec]>([
    ['a VLAN with a name of its own', { ...BOND, vlans: [{ id: 300, name: 'storage', up: true, addresses: ['10.3.0.2/24'] }] }],
    ['a vlanID name', { ...BOND, vlans: [{ id: 301, name: 'vlan301', up: true }] }],
    ['a VLAN that is down', { ...BOND, vlans: [{ id: 10, up: false, addresses: ['10.10.0.2/24'] }, { id: 11, up: true }] }],
    ['IPv6 addresses and routes with metrics', { ...BOND, vlans: [IPV6_VLAN] }],
    ['several VLANs with MTUs and routes, over a bond with its own address', { ...BOND, mtu: 9000, addresses: ['192.0.2.10/24'], vlans: TRUNK }],
    ['a bond that is down, with its VLANs down', { ...BOND, up: false, vlans: [{ id: 5, up: false }] }],
    ['a VLAN named __proto__', { ...BOND, vlans: [{ id: 5, name: '__proto__', up: true }] }],
  ])('%s', (_label, spec) => {
    expectRoundTrip('netplan', spec);
  });

  it('writes a VLAN whose spec leaves up out as its bond is, so it comes back with up given', () => {
    const down = exportConfig('netplan', { ...BOND, up: false, vlans: [{ id: 5 }] });
    expect(down[0]?.text).toContain('    bond0.5:\n      id: 5\n      link: bond0\n      activation-mode: off\n');
    expect(importConfigs(down).specs[0]?.vlans).toEqual([{ id: 5, up: false }]);
    const up = importConfigs(exportConfig('netplan', { ...BOND, vlans: [{ id: 5 }] }));
    expect(up.specs[0]?.vlans).toEqual([{ id: 5, up: true }]);
  });

  it('leaves out an 802.1ad VLAN, which netplan cannot make, and lists it whole in the comment', () => {
    const spec: BondSpec = {
      ...BOND,
      vlans: [
        { id: 100, protocol: '802.1ad', name: 'svlan100', up: true, mtu: 1496, addresses: ['10.5.0.2/24'], routes: [{ destination: '10.6.0.0/16', gateway: '10.5.0.1', metric: 5 }] },
        { id: 100, protocol: '802.1Q', up: true },
      ],
    };
    const files = exportConfig('netplan', spec);
    expect(files[0]?.text).toMatch(
      /^# netbond: netplan cannot express the following, so they are not in this file:\n# {3}VLAN svlan100 \(protocol 802\.1ad\) = \{"id":100,"up":true,"mtu":1496,"addresses":\["10\.5\.0\.2\/24"\],"routes":\[\{"destination":"10\.6\.0\.0\/16","gateway":"10\.5\.0\.1","metric":5\}\]\}\n\nnetwork:\n/u,
    );
    expect(files[0]?.text).not.toContain('svlan100:');
    // The 802.1Q VLAN of the same id is written, and is all that comes back.
    expect(importConfigs(files)).toEqual({ specs: [{ ...BOND, vlans: [{ id: 100, up: true }] }], warnings: [] });
  });

  it("lists a VLAN address's broadcast in the comment, as the bond's: netplan computes broadcasts", () => {
    const files = exportConfig('netplan', { ...BOND, vlans: [{ id: 7, up: true, addresses: [{ address: '10.7.0.2/24', broadcast: '10.7.0.255' }] }] });
    expect(files[0]?.text).toContain('#   broadcast 10.7.0.255 of 10.7.0.2/24\n');
    expect(importConfigs(files).specs[0]?.vlans).toEqual([{ id: 7, up: true, addresses: ['10.7.0.2/24'] }]);
  });

  it('refuses a VLAN spec the API refuses', () => {
    expect(() => exportConfig('netplan', { ...BOND, vlans: [{ id: 4095 }] })).toThrow(ValidationError);
    expect(() => exportConfig('netplan', { ...BOND, mtu: 1500, vlans: [{ id: 5, mtu: 9000 }] })).toThrow(ValidationError);
    expect(() => exportConfig('netplan', { ...BOND, vlans: [{ id: 5, name: 'a b' }] })).toThrow(ValidationError);
    expect(() => exportConfig('netplan', { ...BOND, vlans: [{ id: 5, up: false, routes: [{ destination: 'default', gateway: '10.0.0.1' }] }] })).toThrow(ValidationError);
  });
});

describe('other spellings netplan allows', () => {
  it('VLANs in a file of their own, read before the bond; gateway4 and gateway6; activation-mode manual; a quoted id', () => {
    const vlans = vlanFile(
      [
        '    renderer: networkd',
        '    bond0.100:',
        '      id: "100"',
        '      link: bond0',
        '      addresses: ["10.1.100.10/24", "2001:db8:100::10/64"]',
        '      gateway4: 10.1.100.1',
        '      gateway6: "2001:db8:100::1"',
        '    storage: {id: 200, link: bond0, activation-mode: manual, mtu: 1500}',
        '',
      ].join('\n'),
    );
    expect(importConfigs([vlans, BOND_FILE])).toEqual({
      specs: [
        {
          ...BOND,
          vlans: [
            {
              id: 100,
              up: true,
              addresses: ['10.1.100.10/24', '2001:db8:100::10/64'],
              routes: [
                { destination: 'default', gateway: '10.1.100.1' },
                { destination: 'default', gateway: '2001:db8:100::1' },
              ],
            },
            { id: 200, name: 'storage', up: false, mtu: 1500 },
          ],
        },
      ],
      warnings: [],
    });
  });

  it('harmless keys: optional, renderer, dhcp4/dhcp6 false, on-link false in a route', () => {
    const vlans = vlanFile('    vlan42:\n      id: 42\n      link: bond0\n      optional: true\n      renderer: networkd\n      dhcp4: false\n      dhcp6: no\n      routes:\n        - {to: 10.42.0.0/16, via: 10.0.42.1, on-link: false}\n');
    expect(importConfigs([BOND_FILE, vlans])).toEqual({
      specs: [{ ...BOND, vlans: [{ id: 42, name: 'vlan42', up: true, routes: [{ destination: '10.42.0.0/16', gateway: '10.0.42.1' }] }] }],
      warnings: [],
    });
  });
});

describe('warnings name the file, the line and the key', () => {
  it('for the keys of a VLAN a VLAN spec cannot hold', () => {
    const vlans = vlanFile(
      [
        '    bond0.5:', // 3
        '      id: 5',
        '      link: bond0',
        '      macaddress: "02:00:00:00:00:05"',
        '      dhcp4: true',
        '      nameservers:',
        '        addresses: [10.0.0.53]',
        '      accept-ra: false', // 10
        '      link-local: []',
        '      routing-policy:',
        '        - from: 10.5.0.0/24',
        '          table: 5',
        '      activation-mode: always', // 15
        '      addresses:',
        '        - "10.5.0.2/24": {label: "bond0.5:mgmt"}',
        '      routes:',
        '        - to: 10.50.0.0/16',
        '          via: 10.5.0.1', // 20
        '          table: 5',
        '        - via: 10.5.0.1',
        '      interfaces: [eth9]',
        '      frobnicate: 1',
        '',
      ].join('\n'),
    );
    const result = importConfigs([BOND_FILE, vlans]);
    expect(result.specs).toEqual([{ ...BOND, vlans: [{ id: 5, addresses: ['10.5.0.2/24'] }] }]);
    expect(result.warnings).toEqual([
      `${VLAN_AT}:6: macaddress: a VLAN spec has no MAC address; not imported`,
      `${VLAN_AT}:7: dhcp4: dynamic addressing is not expressible in a VLAN spec (only static addresses are); not imported`,
      `${VLAN_AT}:8: nameservers: not part of a VLAN spec; not imported`,
      `${VLAN_AT}:10: accept-ra: not part of a VLAN spec; not imported`,
      `${VLAN_AT}:11: link-local: not part of a VLAN spec; not imported`,
      `${VLAN_AT}:12: routing-policy: not part of a VLAN spec; not imported`,
      `${VLAN_AT}:15: activation-mode: "always" is not manual or off; not imported`,
      `${VLAN_AT}:17: addresses: 10.5.0.2/24: label not expressible in a VLAN spec; the address is imported without`,
      `${VLAN_AT}:19: routes: route 10.50.0.0/16: table make a route a VLAN spec cannot hold; not imported`,
      `${VLAN_AT}:22: routes: expected a mapping with to:; not imported`,
      `${VLAN_AT}:23: interfaces: unknown key; not imported`,
      `${VLAN_AT}:24: frobnicate: unknown key; not imported`,
    ]);
  });

  it('for ids netplan refuses, a link that is not an ID, and definitions that are not mappings', () => {
    const vlans = vlanFile('    bond0.7:\n      id: 5000\n      link: bond0\n    bond0.8:\n      id: 8\n      link: [bond0]\n    bond0.9: 9\n    bond0.10: {}\n');
    const result = importConfigs([BOND_FILE, vlans]);
    expect(result.specs).toEqual([{ ...BOND, vlans: [{ id: 7, up: true }] }]);
    expect(result.warnings).toEqual([
      `${VLAN_AT}:4: id: Expected integer between 1 and 4094 for VLAN id but received 5000; not imported`,
      `${VLAN_AT}:8: link: expected the netplan ID of the link; not imported`,
      `${VLAN_AT}:9: vlans.bond0.9: expected a mapping with id: and link:; not imported`,
      `${VLAN_AT}:10: vlans.bond0.10: expected a mapping with id: and link:; not imported`,
      `${VLAN_AT}: no file says which link VLAN bond0.8 rides on; not imported`,
    ]);
  });

  it('for a key given twice in one mapping (the file is not imported)', () => {
    expect(importConfigs([BOND_FILE, vlanFile('    bond0.5:\n      id: 5\n      link: bond0\n      id: 6\n')])).toEqual({
      specs: [BOND],
      warnings: [`${VLAN_AT}:6: YAML: Map keys must be unique (id is given twice); the file is not imported`],
    });
  });

  it('for a vlans: section that is not a mapping', () => {
    expect(importConfigs([BOND_FILE, vlanFile('    - bond0.5\n')])).toEqual({
      specs: [BOND],
      warnings: [`${VLAN_AT}:2: network.vlans: expected a mapping of VLAN IDs; not imported`],
    });
  });

  it('for a VLAN over a link that is not a bond in the files, and one with no link', () => {
    const files = [
      file('50-eth9.yaml', 'network:\n  ethernets:\n    eth9: {}\n  vlans:\n    eth9.10:\n      id: 10\n      link: eth9\n      addresses: [10.9.10.2/24]\n'),
      vlanFile('    orphan:\n      id: 11\n'),
      BOND_FILE,
    ];
    expect(importConfigs(files)).toEqual({
      specs: [BOND],
      warnings: [`${VLAN_AT}: no file says which link VLAN orphan rides on; not imported`, '/etc/netplan/50-eth9.yaml:7: VLAN eth9.10 rides on eth9, which is not a bond in these files; not imported'],
    });
  });
});

describe('hostile VLAN sections end in a result with warnings', () => {
  const many = (count: number, entry: (i: number) => string) => vlanFile(Array.from({ length: count }, (_, i) => entry(i)).join(''));
  let bomb = '    v0: &a0 {id: 5, link: bond0}\n';
  for (let i = 1; i < 12; i++) bomb += `    v${i}: &a${i} {id: 5, link: bond0, routes: [${Array(10).fill(`*a${i - 1}`).join(', ')}]}\n`;

  it.each<[string, ConfigFile]>([
    ['20 000 VLANs with the same id', many(20_000, (i) => `    v${i}: {id: 5, link: bond0}\n`)],
    ['a VLAN with 50 000 unknown keys', vlanFile(`    bond0.5:\n      id: 5\n      link: bond0\n${Array.from({ length: 50_000 }, (_, i) => `      k${i}: 1\n`).join('')}`)],
    ['a VLAN with 50 000 routes', vlanFile(`    bond0.5:\n      id: 5\n      link: bond0\n      routes:\n${'        - {to: 10.0.0.0/8, via: x}\n'.repeat(50_000)}`)],
    ['a 4 MB VLAN name and link', vlanFile(`    ${'v'.repeat(4 * 1024 * 1024)}: {id: 5, link: ${'b'.repeat(4 * 1024 * 1024)}}\n`)],
    ['a 4 MB id', vlanFile(`    bond0.5: {id: ${'9'.repeat(4 * 1024 * 1024)}, link: bond0}\n`)],
    ['a deeply nested id', vlanFile(`    bond0.5: {link: bond0, id: ${'['.repeat(5000)}${']'.repeat(5000)}}\n`)],
    ['an alias bomb in the VLANs', vlanFile(bomb)],
    ['prototype keys', vlanFile('    __proto__: {id: __proto__, link: constructor, __proto__: {polluted: yes}}\n    constructor: {id: 5, link: __proto__}\n')],
    ['a VLAN riding on itself, and one named as the bond', vlanFile('    v5: {id: 5, link: v5}\n    bond0: {id: 6, link: bond0}\n')],
    ['duplicate VLAN keys', vlanFile('    bond0.5: {id: 5, link: bond0}\n    bond0.5: {id: 6, link: bond0}\n')],
  ])('%s', { timeout: HOSTILE_INPUT_BUDGET }, (_label, vlans) => {
    const result = importConfigs([BOND_FILE, vlans]);
    expect(result.warnings.length).toBeGreaterThan(0);
    expect(result.warnings.length).toBeLessThan(100_000);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
