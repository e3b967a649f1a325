// The network around a bond made with netbond alone, against the real kernel: named namespaces as
// `ip netns` makes them (and nothing left after), veth ends in the namespaces asked for, VLANs on
// a bond passing traffic to matching VLANs across a bridge (also after a live mode change), a bond
// as a bridge port, links moved and deleted. Oracles: `ip netns list`, /proc/mounts,
// `ip -d -j link show`, and ping (iputils) across the namespaces.
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  applyBond,
  createBond,
  createBridge,
  createNamespace,
  createVeth,
  createVlan,
  deleteLink,
  deleteNamespace,
  getLink,
  listLinks,
  listNamespaces,
  moveLink,
  setLinkUp,
  setMaster,
  addAddress,
  ValidationError,
} from '../../lib/index.js';
import { NS_PREFIX, run } from './helpers/lab.js';

let made: string[] = [];
let counter = 0;

/** A namespace made by netbond, deleted after the test. */
async function namespace(): Promise<string> {
  const name = `${NS_PREFIX}links-${++counter}`;
  await createNamespace(name);
  made.push(name);
  await setLinkUp('lo', { netns: name });
  return name;
}

afterEach(async () => {
  for (const name of made.reverse()) await deleteNamespace(name).catch(() => undefined);
  made = [];
});

const ipLinks = async (ns: string) => JSON.parse(await run('ip', ['-n', ns, '-d', '-j', 'link', 'show'])) as { ifname: string; link_netnsid?: number; linkinfo?: { info_kind?: string; info_data?: Record<string, unknown> }; master?: string }[];
const ping = (ns: string, address: string) => run('ip', ['netns', 'exec', ns, 'ping', '-n', '-c', '1', '-i', '0.2', '-w', '5', address]);

describe('named namespaces', () => {
  it('are made and removed as ip netns does, leaving no mount behind', async () => {
    const name = `${NS_PREFIX}named`;
    await createNamespace(name);
    made.push(name);
    expect(await listNamespaces()).toContain(name);
    expect((await run('ip', ['netns', 'list'])).split('\n').map((l) => l.split(' ')[0])).toContain(name);
    expect((await ipLinks(name)).map((l) => l.ifname)).toEqual(['lo']);
    expect(await readFile('/proc/mounts', 'utf8')).toContain(`/run/netns/${name} `);
    await expect(createNamespace(name)).rejects.toMatchObject({ code: 'EEXIST', message: expect.stringContaining(`network namespace '${name}' exists already`) });
    await deleteNamespace(name);
    expect(await listNamespaces()).not.toContain(name);
    expect(await run('ip', ['netns', 'list'])).not.toContain(name);
    expect(await readFile('/proc/mounts', 'utf8')).not.toContain(`/run/netns/${name} `);
    await expect(deleteNamespace(name)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(createNamespace('../etc')).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('veth, VLAN and bridge', () => {
  it('places each veth end in the namespace asked for; moveLink and deleteLink', async () => {
    const a = await namespace();
    const b = await namespace();
    await createVeth('eth1', { netns: a, peer: 'sw1', peerNetns: b });
    expect((await ipLinks(a)).find((l) => l.ifname === 'eth1')).toMatchObject({ linkinfo: { info_kind: 'veth' }, link_netnsid: expect.any(Number) });
    expect((await ipLinks(b)).map((l) => l.ifname)).toContain('sw1');
    const end = await getLink('eth1', { netns: a });
    expect(end).toMatchObject({ name: 'eth1', kind: 'veth', up: false, parentNetnsId: expect.any(Number) });
    await createVeth('x0', { netns: a, peer: 'x1', up: true });
    expect(await getLink('x0', { netns: a })).toMatchObject({ up: true, parent: 'x1' });
    await moveLink('x1', b, { netns: a });
    expect((await ipLinks(b)).map((l) => l.ifname)).toContain('x1');
    expect((await listLinks({ netns: a })).map((l) => l.name)).not.toContain('x1');
    await deleteLink('x0', { netns: a });
    expect((await ipLinks(b)).map((l) => l.ifname)).not.toContain('x1');
    await expect(getLink('x0', { netns: a })).rejects.toMatchObject({ code: 'ENODEV' });
    await expect(createVeth('eth1', { netns: a, peer: 'y' })).rejects.toMatchObject({ code: 'EEXIST', message: expect.stringContaining('a link named eth1 exists already') });
  });

  it('refuses bad VLANs before any syscall, and makes 802.1Q and 802.1ad VLANs that ip reads back', async () => {
    const a = await namespace();
    await createVeth('eth1', { netns: a, peer: 'eth9' });
    const before = JSON.stringify(await ipLinks(a));
    for (const id of [0, 4095, 1.5]) await expect(createVlan('eth1.0', { netns: a, link: 'eth1', id })).rejects.toThrow(/Expected integer between 1 and 4094 for id/u);
    await expect(createVlan('v1', { netns: a, link: 'eth1', id: 5, protocol: '802.1x' as never })).rejects.toBeInstanceOf(ValidationError);
    await expect(createVlan('v1', { netns: a, link: 'eth1', id: 5, tag: 1 } as never)).rejects.toThrow(/Unknown option 'tag'/u);
    expect(JSON.stringify(await ipLinks(a))).toBe(before);
    await createVlan('eth1.100', { netns: a, link: 'eth1', id: 100 });
    await createVlan('qinq', { netns: a, link: 'eth1', id: 300, protocol: '802.1ad' });
    const links = await ipLinks(a);
    expect(links.find((l) => l.ifname === 'eth1.100')?.linkinfo).toMatchObject({ info_kind: 'vlan', info_data: { protocol: '802.1Q', id: 100 } });
    expect(links.find((l) => l.ifname === 'qinq')?.linkinfo).toMatchObject({ info_kind: 'vlan', info_data: { protocol: '802.1ad', id: 300 } });
    expect(await getLink('qinq', { netns: a })).toMatchObject({ kind: 'vlan', parent: 'eth1', vlan: { id: 300, protocol: '802.1ad' } });
    await expect(createVlan('v2', { netns: a, link: 'missing0', id: 5 })).rejects.toMatchObject({ code: 'ENODEV' });
  });

  it('a bond with two VLANs talks to matching VLANs across a bridge, also after a live mode change', { timeout: 60_000 }, async () => {
    const host = await namespace();
    const sw = await namespace();
    await createBridge('br0', { netns: sw, up: true, stp: false });
    expect(await getLink('br0', { netns: sw })).toMatchObject({ kind: 'bridge', bridge: { stp: false } });
    for (const i of [1, 2]) {
      await createVeth(`eth${i}`, { netns: host, peer: `port${i}`, peerNetns: sw });
      await setMaster(`port${i}`, 'br0', { netns: sw });
      await setLinkUp(`port${i}`, { netns: sw });
    }
    expect((await ipLinks(sw)).filter((l) => l.master === 'br0').map((l) => l.ifname).sort()).toEqual(['port1', 'port2']);
    await createBond('bond0', { netns: host, mode: 'active-backup', miimon: 100, slaves: ['eth1', 'eth2'], up: true });
    for (const id of [100, 200]) {
      await createVlan(`bond0.${id}`, { netns: host, link: 'bond0', id, up: true });
      await addAddress(`bond0.${id}`, `10.${id}.0.1/24`, { netns: host });
      await createVlan(`br0.${id}`, { netns: sw, link: 'br0', id, up: true });
      await addAddress(`br0.${id}`, `10.${id}.0.2/24`, { netns: sw });
    }
    for (const id of [100, 200]) await ping(host, `10.${id}.0.2`);
    await applyBond({ name: 'bond0', mode: 'balance-xor', miimon: 100, slaves: ['eth1', 'eth2'] }, { netns: host, healthTimeout: 3000 });
    const vlans = (await listLinks({ netns: host })).filter((l) => l.kind === 'vlan');
    expect(vlans.map((l) => [l.name, l.parent, l.vlan?.id])).toEqual([['bond0.100', 'bond0', 100], ['bond0.200', 'bond0', 200]]);
    for (const id of [100, 200]) await ping(host, `10.${id}.0.2`);
  });

  it('a bond enslaved to a bridge passes traffic', { timeout: 60_000 }, async () => {
    const host = await namespace();
    const peer = await namespace();
    await createVeth('eth1', { netns: host, peer: 'p1', peerNetns: peer, up: true });
    await setLinkUp('p1', { netns: peer });
    await addAddress('p1', '10.60.0.2/24', { netns: peer });
    await createBond('bond0', { netns: host, mode: 'active-backup', miimon: 100, slaves: ['eth1'], up: true });
    await createBridge('br1', { netns: host, up: true });
    await setMaster('bond0', 'br1', { netns: host });
    await addAddress('br1', '10.60.0.1/24', { netns: host });
    expect(await getLink('bond0', { netns: host })).toMatchObject({ kind: 'bond', master: 'br1' });
    await ping(host, '10.60.0.2');
    await setMaster('bond0', null, { netns: host });
    expect((await getLink('bond0', { netns: host })).master).toBeUndefined();
  });
});
