// The VLAN half of a plan, from a live bond given by hand: what taking the bond down flushes from
// its VLANs is put back, the kernel's own MTU and up/down follow-through is not repeated, and VLANs
// are deleted before and made after the bond's own steps.
import { describe, expect, it } from 'vitest';
import type { BondState } from '../../lib/bond/state.js';
import { normalizeSpec } from '../../lib/plan/normalize.js';
import { buildPlan } from '../../lib/plan/plan.js';
import type { BondSpec, LiveBond, LiveVlan } from '../../lib/plan/types.js';
import type { InterfaceAddress } from '../../lib/link/addresses.js';

const address = (cidr: string): InterfaceAddress => ({ address: cidr, family: cidr.includes(':') ? 6 : 4, scope: 'global', dynamic: false });

const VLAN100: LiveVlan = {
  name: 'bond0.100',
  id: 100,
  protocol: '802.1Q',
  up: true,
  mtu: 9000,
  addresses: [address('10.1.100.10/24'), address('2001:db8:100::10/64')],
  routes: [{ destination: 'default', gateway: '10.1.100.1', dev: 'bond0.100', protocol: 'boot' }],
};

function liveBond(vlans: LiveVlan[] = [VLAN100]): LiveBond {
  const state = { name: 'bond0', ifindex: 5, mode: 'active-backup', up: true, mtu: 9000, mac: '02:00:00:00:00:01', miimon: 100, slaves: [], activeSlave: null, primary: null } as unknown as BondState;
  return { exists: true, state, slaveOrder: [], addresses: [], routes: [], vlans, links: [] };
}

const WANTED = { id: 100, addresses: ['10.1.100.10/24', '2001:db8:100::10/64'], routes: [{ destination: 'default', gateway: '10.1.100.1' }] };

const plan = (spec: BondSpec, live = liveBond()) => buildPlan(normalizeSpec(spec), live, undefined).map((s) => s.description);

describe('VLANs in a plan', () => {
  it('changes nothing when the VLANs are as wanted', () => {
    expect(plan({ name: 'bond0', mode: 'active-backup', vlans: [WANTED] })).toEqual([]);
  });

  it('puts back the IPv6 addresses and routes a mode change flushes, not the IPv4 addresses it keeps', () => {
    expect(plan({ name: 'bond0', mode: 'balance-xor', vlans: [WANTED] })).toEqual([
      'set bond0 down',
      'set mode balance-xor on bond0',
      'set bond0 up',
      'add address 2001:db8:100::10/64 to bond0.100',
      'add route default via 10.1.100.1 dev bond0.100',
    ]);
  });

  it('sets a VLAN down again after the bond comes back up (the kernel opens every VLAN with it)', () => {
    const down = { id: 100, up: false, addresses: WANTED.addresses };
    const live = liveBond([{ ...VLAN100, routes: [] }]);
    expect(plan({ name: 'bond0', mode: 'balance-xor', vlans: [down] }, live)).toEqual([
      'set bond0 down',
      'set mode balance-xor on bond0',
      'set bond0 up',
      'set bond0.100 down',
      'add address 2001:db8:100::10/64 to bond0.100',
    ]);
    // Down flushes its IPv6 addresses too, which a down link keeps once added again.
    expect(plan({ name: 'bond0', mode: 'active-backup', vlans: [down] }, live)).toEqual(['set bond0.100 down', 'add address 2001:db8:100::10/64 to bond0.100']);
    expect(() => normalizeSpec({ name: 'bond0', vlans: [{ ...WANTED, up: false }] })).toThrow(/no routes through a VLAN that is down .* for vlans\[0\]\.routes of bond bond0/u);
  });

  it('leaves to the kernel the MTU a lower bond MTU forces on a VLAN', () => {
    expect(plan({ name: 'bond0', mtu: 1500, vlans: [{ ...WANTED, mtu: 1500 }] })).toEqual(['set mtu 1500 on bond0']);
    expect(plan({ name: 'bond0', mtu: 1500, vlans: [{ ...WANTED, mtu: 1400 }] })).toEqual(['set mtu 1500 on bond0', 'set mtu 1400 on bond0.100']);
  });

  it('deletes VLANs left out first, and makes a VLAN whose id changed again after the bond', () => {
    const other: LiveVlan = { ...VLAN100, name: 'bond0.200', id: 200, addresses: [], routes: [] };
    expect(plan({ name: 'bond0', mode: 'active-backup', mtu: 1500, vlans: [{ id: 300, name: 'bond0.100', addresses: ['10.1.30.10/24'] }] }, liveBond([VLAN100, other]))).toEqual([
      'delete VLAN bond0.100 (100) over bond0',
      'delete VLAN bond0.200 (200) over bond0',
      'set mtu 1500 on bond0',
      'create VLAN bond0.100 (802.1Q 300) over bond0',
      'add address 10.1.30.10/24 to bond0.100',
    ]);
  });

  it('leaves VLANs alone when the spec does not list them', () => {
    expect(plan({ name: 'bond0', mode: 'active-backup' })).toEqual([]);
  });

  it('makes the VLANs of a new bond after it is up', () => {
    const steps = plan({ name: 'bond0', mode: '802.3ad', vlans: [{ id: 7, protocol: '802.1ad' }] }, { exists: false, slaveOrder: [], addresses: [], routes: [], vlans: [], links: [] });
    expect(steps).toEqual(['create bond bond0 (802.3ad)', 'set bond0 up', 'create VLAN bond0.7 (802.1ad 7) over bond0']);
  });
});
