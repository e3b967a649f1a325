// VLANs over a bond in NetworkManager keyfiles (type=vlan profiles with [vlan] parent=): the trunk
// host's profiles, round trips of VLAN specs, parents by name and by UUID, warnings for the VLAN
// keys a spec cannot hold, and hostile VLAN profiles.
import { describe, expect, it } from 'vitest';
import { exportConfig, importConfigs, type ConfigFile } from '../../lib/formats/index.js';
import type { BondSpec } from '../../lib/plan/types.js';
import { HOST_SPEC } from '../fixtures/configs/vlans/host.js';
import { expectRoundTrip, hostFiles } from './helpers/format-round-trip.js';

const DIR = '/etc/NetworkManager/system-connections';
const profile = (name: string, ...lines: string[]): ConfigFile => ({ path: `${DIR}/${name}.nmconnection`, text: `${lines.join('\n')}\n` });
const BOND_PROFILE = profile('bond0', '[connection]', 'id=bond0', 'uuid=11111111-2222-4333-8444-555555555555', 'type=bond', 'interface-name=bond0', '[bond]', 'mode=active-backup');
const PORT = profile('bond0-port-eth0', '[connection]', 'id=p', 'type=ethernet', 'interface-name=eth0', 'master=bond0', 'slave-type=bond');
const BOND: BondSpec = { name: 'bond0', mode: 'active-backup', slaves: ['eth0'], up: true };
/** A VLAN profile: [connection] on lines 1-4, then `rest` from line 5. */
const vlanProfile = (name: string, ...rest: string[]) => profile(name, '[connection]', `id=${name}`, 'type=vlan', `interface-name=${name}`, ...rest);

describe('the trunk host in NetworkManager profiles', () => {
  it('imports to HOST_SPEC with no warning (one VLAN names its parent by UUID, one by name)', () => {
    expect(importConfigs(hostFiles('nm'))).toEqual({ specs: [HOST_SPEC], warnings: [] });
  });

  it('exports one profile per VLAN, parent= naming the bond, and reads back the same', () => {
    const files = expectRoundTrip('nm', HOST_SPEC);
    const vlan = files.find((f) => f.path === `${DIR}/bond0.100.nmconnection`);
    expect(vlan?.text).toBe(
      [
        '[connection]',
        'id=bond0.100',
        `uuid=${/uuid=(\S+)/u.exec(vlan?.text ?? '')?.[1]}`,
        'type=vlan',
        'interface-name=bond0.100',
        '',
        '[ethernet]',
        'mtu=1500',
        '',
        '[vlan]',
        'parent=bond0',
        'id=100',
        '',
        '[ipv4]',
        'method=manual',
        'address1=10.1.100.10/24',
        'route1=0.0.0.0/0,10.1.100.1',
        '',
        '[ipv6]',
        'method=ignore',
        '',
      ].join('\n'),
    );
  });
});

describe('round trips of VLAN specs through NetworkManager profiles', () => {
  it.each<[string, BondSpec]>([
    ['a VLAN with its own name', { ...BOND, vlans: [{ id: 300, name: 'storage', up: true }] }],
    ['802.1ad beside 802.1Q with the same id', { ...BOND, vlans: [{ id: 10, up: true }, { id: 10, name: 'svlan10', protocol: '802.1ad', up: true }] }],
    ['a VLAN that is down', { ...BOND, vlans: [{ id: 11, up: false, addresses: ['10.11.0.2/24'] }] }],
    ['IPv6 addresses and routes with metrics', { ...BOND, vlans: [{ id: 12, up: true, addresses: ['2001:db8:12::2/64'], routes: [{ destination: '2001:db8:99::/48', gateway: '2001:db8:12::1', metric: 50 }] }] }],
    ['several VLANs over a bond with its own address and MTU', { ...BOND, mtu: 9000, addresses: ['192.0.2.10/24'], vlans: [{ id: 100, up: true, mtu: 1500 }, { id: 200, up: true, routes: [{ destination: '10.200.0.0/16', gateway: '192.0.2.1' }] }] }],
    ['a bond that is down, with its VLANs down', { ...BOND, up: false, vlans: [{ id: 5, up: false }] }],
  ])('%s', (_label, spec) => {
    expectRoundTrip('nm', spec);
  });

  it('writes a VLAN whose spec leaves up out as its bond is', () => {
    expect(importConfigs(exportConfig('nm', { ...BOND, up: false, vlans: [{ id: 5 }] })).specs[0]?.vlans).toEqual([{ id: 5, up: false }]);
    expect(importConfigs(exportConfig('nm', { ...BOND, vlans: [{ id: 5 }] })).specs[0]?.vlans).toEqual([{ id: 5, up: true }]);
  });
});

describe('NetworkManager VLAN profiles: spellings and warnings', () => {
  it('takes the parent by UUID, the protocol in any case, [802-3-ethernet] mtu and the default flags=1 quietly', () => {
    const vlan = vlanProfile('bond0.7', '[802-3-ethernet]', 'mtu=1400', '[vlan]', 'flags=1', 'id=7', 'parent=11111111-2222-4333-8444-555555555555', 'protocol=802.1AD');
    expect(importConfigs([vlan, BOND_PROFILE, PORT])).toEqual({ specs: [{ ...BOND, vlans: [{ id: 7, protocol: '802.1ad', up: true, mtu: 1400 }] }], warnings: [] });
  });

  it('warns about what a VLAN spec cannot hold, naming the file, the line and the key', () => {
    const vlan = vlanProfile('bond0.8', 'autoconnect=maybe', '[ethernet]', 'cloned-mac-address=02:00:00:00:00:08', '[vlan]', 'id=8', 'parent=bond0', 'flags=3', 'egress-priority-map=0:3', 'ingress-priority-map=4:4', 'colour=blue', '[ipv4]', 'method=auto');
    const { specs, warnings } = importConfigs([BOND_PROFILE, PORT, vlan]);
    // autoconnect is given, if unreadable: not the default either.
    expect(specs).toEqual([{ ...BOND, vlans: [{ id: 8 }] }]);
    const at = (line: number) => `${DIR}/bond0.8.nmconnection:${line}`;
    expect(warnings).toEqual([
      `${at(5)}: connection.autoconnect: "maybe" is not true or false; not imported`,
      `${at(7)}: ethernet.cloned-mac-address: not part of a VLAN spec; not imported`,
      `${at(11)}: vlan.flags: not part of a VLAN spec; not imported`,
      `${at(12)}: vlan.egress-priority-map: not part of a VLAN spec; not imported`,
      `${at(13)}: vlan.ingress-priority-map: not part of a VLAN spec; not imported`,
      `${at(14)}: vlan.colour: unknown key; not imported`,
      `${at(16)}: ipv4.method: auto: dynamic addressing is not expressible in a bond spec (only static addresses are); not imported`,
    ]);
  });

  it('reports a VLAN over a link that is not a bond, one with no parent, and one with no interface name', () => {
    const { specs, warnings } = importConfigs([
      BOND_PROFILE,
      PORT,
      vlanProfile('eth9.5', '[vlan]', 'id=5', 'parent=eth9'),
      vlanProfile('orphan', '[vlan]', 'id=6'),
      profile('nameless', '[connection]', 'type=vlan', '[vlan]', 'id=7', 'parent=bond0'),
      vlanProfile('bond0.4095', '[vlan]', 'id=4095', 'parent=bond0'),
    ]);
    expect(specs).toEqual([BOND]);
    expect(warnings).toEqual([
      `${DIR}/orphan.nmconnection:3: vlan.parent: VLAN orphan names no parent (a match by MAC address is not a name); not imported`,
      `${DIR}/nameless.nmconnection:2: interface-name: the vlan profile names no interface; not imported`,
      expect.stringMatching(new RegExp(`^${DIR}/bond0\\.4095\\.nmconnection:6: vlan\\.id: .*4094.*; not imported$`, 'u')),
      `${DIR}/eth9.5.nmconnection:7: VLAN eth9.5 rides on eth9, which is not a bond in these files; not imported`,
      `${DIR}/bond0.4095.nmconnection: no file gives the id of VLAN bond0.4095 (and its name carries none); not imported`,
    ]);
  });

  it('ends hostile VLAN profiles in a result with warnings', () => {
    const many = Array.from({ length: 5000 }, (_, i) => vlanProfile(`v${i}`, '[vlan]', `id=${(i % 4094) + 1}`, 'parent=bond0', 'egress-priority-map=0:1'));
    const huge = vlanProfile('bond0.9', '[vlan]', `id=${'9'.repeat(4_000_000)}`, `parent=${'b'.repeat(4_000_000)}`);
    const { specs, warnings } = importConfigs([BOND_PROFILE, PORT, ...many, huge]);
    expect(specs).toHaveLength(1);
    expect(warnings.length).toBeGreaterThan(5000);
    // Linear in the input: a 4 MB value is quoted once, not multiplied.
    expect(warnings.join('\n').length).toBeLessThan(4 * 8_000_000);
  });
});
