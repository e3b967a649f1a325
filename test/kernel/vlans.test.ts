// VLANs in a BondSpec against the real kernel: a bond as a trunk with the host's addresses on two
// VLANs, made, changed and rolled back by applyBond. The host's NICs are cabled to a "switch"
// namespace whose bridge has matching VLANs with the gateways. Oracles: `ip -d -j link show`
// (VLAN id, protocol, lower link, MTU, state), `ip -j addr`, `ip -j route` and ping across the
// VLANs (IPv4 and IPv6), before and after a live mode change.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyBond, planBond, ApplyError, ValidationError, type BondSpec } from '../../lib/index.js';
import type { Lab } from './helpers/lab.js';
import { settledSnapshot, snapshot } from './helpers/snapshot.js';
import { switchedHost, type Switched } from './helpers/switched.js';
import { waitFor } from './helpers/wait.js';

let net: Switched;
let host: Lab;

beforeEach(async () => {
  net = await switchedHost(['eth1', 'eth2'], []);
  host = net.host;
  for (const id of [100, 200, 300]) {
    await net.sw.ip(['link', 'add', 'link', 'br0', 'name', `br0.${id}`, 'type', 'vlan', 'id', String(id)]);
    await net.sw.ip(['addr', 'add', `10.1.${id === 300 ? 30 : id}.1/24`, 'dev', `br0.${id}`]);
    await net.sw.ip(['addr', 'add', `2001:db8:${id}::1/64`, 'dev', `br0.${id}`, 'nodad']);
    await net.sw.setUp(`br0.${id}`);
  }
});

afterEach(async () => {
  await net.destroy();
});

const TRUNK: BondSpec = {
  name: 'bond0',
  mode: 'active-backup',
  miimon: 100,
  slaves: ['eth1', 'eth2'],
  mtu: 9000,
  vlans: [
    { id: 100, mtu: 1500, addresses: ['10.1.100.10/24'], routes: [{ destination: 'default', gateway: '10.1.100.1' }] },
    { id: 200, addresses: ['10.1.200.10/24', '2001:db8:200::10/64'], routes: [{ destination: '2001:db8:f00::/48', gateway: '2001:db8:200::1' }] },
  ],
};

interface IpVlan {
  ifname: string;
  link?: string;
  mtu: number;
  operstate: string;
  flags: string[];
  linkinfo?: { info_kind?: string; info_data?: { protocol?: string; id?: number } };
}

async function vlansOf(lab: Lab): Promise<{ name: string; link?: string; id?: number; protocol?: string; mtu: number; up: boolean }[]> {
  const links = JSON.parse(await lab.ip(['-d', '-j', 'link', 'show'])) as IpVlan[];
  return links
    .filter((l) => l.linkinfo?.info_kind === 'vlan')
    .map((l) => ({ name: l.ifname, link: l.link, id: l.linkinfo?.info_data?.id, protocol: l.linkinfo?.info_data?.protocol, mtu: l.mtu, up: l.flags.includes('UP') }));
}

const addressesOf = async (lab: Lab, dev: string) =>
  ((JSON.parse(await lab.ip(['-j', 'addr', 'show', 'dev', dev])) as { addr_info: { local: string; prefixlen: number; scope: string }[] }[])[0]?.addr_info ?? [])
    .filter((a) => a.scope === 'global')
    .map((a) => `${a.local}/${a.prefixlen}`)
    .sort();

const routesOf = async (lab: Lab, family: '-4' | '-6', dev: string) =>
  (JSON.parse(await lab.ip([family, '-j', 'route', 'show', 'dev', dev])) as { dst: string; gateway?: string; protocol?: string }[])
    .filter((r) => r.gateway !== undefined)
    .map((r) => `${r.dst} via ${r.gateway}`);

/** Pings through each VLAN; the first replies wait for the active slave and STP-less bridge learning. */
async function pingsAcross(lab: Lab): Promise<void> {
  for (const target of ['10.1.100.1', '10.1.200.1', '2001:db8:200::1', '192.0.2.1']) {
    // 192.0.2.1 is outside every VLAN: it answers only if the default route via VLAN 100 works.
    if (target === '192.0.2.1') await net.sw.ip(['addr', 'add', '192.0.2.1/32', 'dev', 'br0.100']).catch(() => undefined);
    await waitFor(() => lab.exec('ping', ['-n', '-c', '1', '-W', '1', target]).then(() => true, () => false), (ok) => ok, 10_000, 200);
  }
}

describe('VLANs in a BondSpec', () => {
  it('makes the bond and its VLANs with their MTUs, addresses and routes, and traffic flows on each', { timeout: 60_000 }, async () => {
    const result = await applyBond(TRUNK, { netns: host.ns });
    expect(result.steps.map((s) => s.kind)).toEqual(expect.arrayContaining(['create-bond', 'create-vlan', 'create-vlan', 'set-mtu', 'add-address', 'add-route']));
    expect(await vlansOf(host)).toEqual([
      { name: 'bond0.100', link: 'bond0', id: 100, protocol: '802.1Q', mtu: 1500, up: true },
      { name: 'bond0.200', link: 'bond0', id: 200, protocol: '802.1Q', mtu: 9000, up: true },
    ]);
    expect(await addressesOf(host, 'bond0.100')).toEqual(['10.1.100.10/24']);
    expect(await addressesOf(host, 'bond0.200')).toEqual(['10.1.200.10/24', '2001:db8:200::10/64']);
    expect(await routesOf(host, '-4', 'bond0.100')).toEqual(['default via 10.1.100.1']);
    expect(await routesOf(host, '-6', 'bond0.200')).toEqual(['2001:db8:f00::/48 via 2001:db8:200::1']);
    expect(await addressesOf(host, 'bond0')).toEqual([]);
    await pingsAcross(host);
    expect((await planBond(TRUNK, { netns: host.ns })).steps).toEqual([]);
  });

  it('keeps the VLANs through a live mode change and puts back what taking the bond down flushed', { timeout: 60_000 }, async () => {
    await applyBond(TRUNK, { netns: host.ns });
    const before = JSON.parse(await host.ip(['-j', 'link', 'show'])) as { ifname: string; ifindex: number }[];
    const changed = { ...TRUNK, mode: 'balance-xor', xmitHashPolicy: 'layer2+3' } as BondSpec;
    const plan = await planBond(changed, { netns: host.ns });
    expect(plan.steps.map((s) => s.description)).toEqual(
      expect.arrayContaining(['set bond0 down', 'add address 2001:db8:200::10/64 to bond0.200', 'add route default via 10.1.100.1 dev bond0.100', 'add route 2001:db8:f00::/48 via 2001:db8:200::1 dev bond0.200']),
    );
    expect(plan.steps.map((s) => s.kind)).not.toContain('create-vlan');
    await applyBond(changed, { netns: host.ns });
    const after = JSON.parse(await host.ip(['-j', 'link', 'show'])) as { ifname: string; ifindex: number }[];
    // The same VLAN devices, not new ones.
    for (const name of ['bond0.100', 'bond0.200']) expect(after.find((l) => l.ifname === name)?.ifindex).toBe(before.find((l) => l.ifname === name)?.ifindex);
    expect(await host.procBonding('bond0')).toContain('Bonding Mode: load balancing (xor)');
    expect(await addressesOf(host, 'bond0.200')).toEqual(['10.1.200.10/24', '2001:db8:200::10/64']);
    expect(await routesOf(host, '-4', 'bond0.100')).toEqual(['default via 10.1.100.1']);
    expect(await routesOf(host, '-6', 'bond0.200')).toEqual(['2001:db8:f00::/48 via 2001:db8:200::1']);
    await pingsAcross(host);
    expect((await planBond(changed, { netns: host.ns })).steps).toEqual([]);
  });

  it('deletes a VLAN left out, makes one whose id changed again, sets MTU, state and protocol', { timeout: 60_000 }, async () => {
    await applyBond(TRUNK, { netns: host.ns });
    const next: BondSpec = {
      ...TRUNK,
      vlans: [
        { id: 300, name: 'bond0.100', mtu: 1400, addresses: ['10.1.30.10/24'] },
        { id: 42, name: 'qinq', protocol: '802.1ad', up: false },
      ],
    };
    const result = await applyBond(next, { netns: host.ns });
    expect(result.steps.filter((s) => s.kind === 'delete-vlan').map((s) => s.description).sort()).toEqual(['delete VLAN bond0.100 (100) over bond0', 'delete VLAN bond0.200 (200) over bond0']);
    expect(await vlansOf(host)).toEqual([
      { name: 'bond0.100', link: 'bond0', id: 300, protocol: '802.1Q', mtu: 1400, up: true },
      { name: 'qinq', link: 'bond0', id: 42, protocol: '802.1ad', mtu: 9000, up: false },
    ]);
    expect(await addressesOf(host, 'bond0.100')).toEqual(['10.1.30.10/24']);
    await waitFor(() => host.exec('ping', ['-n', '-c', '1', '-W', '1', '10.1.30.1']).then(() => true, () => false), (ok) => ok, 10_000, 200);
    // Lowering the bond's MTU lowers the VLANs above it; the spec's VLAN MTU is checked against it.
    await expect(applyBond({ ...next, mtu: 1300 }, { netns: host.ns })).rejects.toBeInstanceOf(ValidationError);
    expect((await planBond(next, { netns: host.ns })).steps).toEqual([]);
  });

  it('refuses bad VLANs before any change, naming the bond, the field and what is allowed', async () => {
    await applyBond(TRUNK, { netns: host.ns });
    const before = await settledSnapshot(host);
    const bad: [BondSpec['vlans'], RegExp][] = [
      [[{ id: 0 }], /vlans\[0\]\.id of bond bond0/u],
      [[{ id: 4095 }], /integer between 1 and 4094/u],
      [[{ id: 5 }, { id: 5, name: 'other' }], /802\.1Q id 5 is given twice in the VLANs of bond0/u],
      [[{ id: 5 }, { id: 6, name: 'bond0.5' }], /bond0\.5 is given twice/u],
      [[{ id: 5, mtu: 9001 }], /at most the bond's mtu 9000 for vlans\[0\]\.mtu/u],
      [[{ id: 5, protocol: '802.1x' as never }], /'802\.1Q' or '802\.1ad' for vlans\[0\]\.protocol/u],
      [[{ id: 5, tag: 3 } as never], /Unknown option 'tag'/u],
      [[{ id: 5, addresses: ['10.1.5.1/33'] }], /vlans\[0\]\.addresses/u],
      [[{ id: 5, name: 'a-name-far-too-long' }], /vlans\[0\]\.name/u],
    ];
    for (const [vlans, message] of bad) {
      const error = await applyBond({ ...TRUNK, vlans }, { netns: host.ns }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(String((error as Error).message)).toMatch(message);
    }
    await expect(applyBond({ ...TRUNK, up: false, vlans: [{ id: 5, up: true }] }, { netns: host.ns })).rejects.toThrow(/false while bond0 is down/u);
    expect(await snapshot(host)).toBe(before);
  });

  // Measured: 23 s on UML 6.1 beside the other lane.
  it('rolls back a failed change: deleted VLANs come back with their addresses and routes, new ones go', { timeout: 90_000 }, async () => {
    await applyBond(TRUNK, { netns: host.ns });
    // A link that was never up has qdisc noop until first opened, which nothing can put back.
    const before = await settledSnapshot(host);
    const failing: BondSpec = {
      ...TRUNK,
      mode: 'balance-xor',
      vlans: [{ id: 300, addresses: ['10.1.30.10/24'] }, { id: 200, name: 'bond0.100' }],
    };
    let failedAt = '';
    const error = await applyBond(failing, {
      netns: host.ns,
      onStep: (_index, step) => {
        // The last step: everything else is done by then.
        if (step.description === 'add address 10.1.30.10/24 to bond0.300') {
          failedAt = step.description;
          throw new Error('injected failure');
        }
      },
    }).catch((e: unknown) => e);
    expect(failedAt).not.toBe('');
    expect(error).toBeInstanceOf(ApplyError);
    expect((error as ApplyError).rollbackErrors).toEqual([]);
    // The recreated VLANs have new ifindexes; everything else reads back the same.
    const scrub = (text: string) => text.replace(/"(ifindex|link_index)": \d+/gu, '"$1": 0');
    const after = await waitFor(() => settledSnapshot(host), (now) => scrub(now) === scrub(before), 15_000, 0);
    expect(scrub(after)).toBe(scrub(before));
    await pingsAcross(host);
  });
});
