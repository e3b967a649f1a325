// Link helpers for any link, checked against `ip -j`: up/down, MTU, MAC, addresses, routes.
import { describe, expect, it } from 'vitest';
import { addAddress, addRoute, listAddresses, listRoutes, removeAddress, removeRoute, setLinkDown, setLinkUp, setMac, setMtu } from '../../lib/index.js';
import { type Lab } from './helpers/lab.js';
import { labPerTest } from './helpers/lab-per-test.js';

let lab: Lab;
labPerTest((created) => (lab = created), [['eth1', 'peer1']], { peersUp: true });

const ipJson = async (args: string[]) => JSON.parse(await lab.ip(['-j', ...args])) as Record<string, unknown>[];

describe('link helpers', () => {
  it('set a link up and down, its MTU and MAC, as ip shows', async () => {
    const netns = lab.ns;
    await setLinkUp('eth1', { netns });
    expect((await lab.link('eth1')).flags).toContain('UP');
    await setMtu('eth1', 9000, { netns });
    await setMac('eth1', '02:AB:00:00:00:01', { netns });
    const link = await lab.link('eth1');
    expect([link.mtu, link.address]).toEqual([9000, '02:ab:00:00:00:01']);
    await setLinkDown('eth1', { netns });
    expect((await lab.link('eth1')).flags).not.toContain('UP');
    await expect(setMtu('eth1', 20, { netns })).rejects.toMatchObject({ name: 'ValidationError', option: 'mtu' });
    await expect(setMac('nosuch0', '02:00:00:00:00:01', { netns })).rejects.toMatchObject({ code: 'ENODEV' });
  });

  it('add, list and remove IPv4 and IPv6 addresses', async () => {
    const netns = lab.ns;
    await setLinkUp('eth1', { netns });
    await addAddress('eth1', '10.65.69.171/24', { netns, broadcast: '10.65.69.255' });
    await addAddress('eth1', '2001:db8::5/64', { netns });
    const mine = (await listAddresses('eth1', { netns })).filter((a) => !a.dynamic);
    expect(mine).toEqual([
      { address: '10.65.69.171/24', family: 4, broadcast: '10.65.69.255', scope: 'global', dynamic: false },
      { address: '2001:db8::5/64', family: 6, scope: 'global', dynamic: false },
    ]);
    const ip = (await ipJson(['addr', 'show', 'dev', 'eth1']))[0]?.addr_info as Record<string, unknown>[];
    expect(ip.filter((a) => a.scope === 'global').map((a) => `${a.local}/${a.prefixlen}`)).toEqual(['10.65.69.171/24', '2001:db8::5/64']);
    expect(ip.find((a) => a.family === 'inet')?.broadcast).toBe('10.65.69.255');
    await expect(addAddress('eth1', '10.65.69.171/24', { netns })).rejects.toMatchObject({ code: 'EEXIST' });
    await removeAddress('eth1', '10.65.69.171/24', { netns });
    expect((await listAddresses('eth1', { netns })).map((a) => a.address)).not.toContain('10.65.69.171/24');
    await expect(addAddress('eth1', '10.0.0.1', { netns })).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('add, list and remove routes with a gateway and a metric', async () => {
    const netns = lab.ns;
    await setLinkUp('eth1', { netns });
    await addAddress('eth1', '10.65.69.171/24', { netns });
    await addRoute({ destination: '192.0.2.0/24', dev: 'eth1', gateway: '10.65.69.1', metric: 50 }, { netns });
    await addRoute({ destination: '198.51.100.0/24', dev: 'eth1' }, { netns });
    const routes = await listRoutes({ netns, dev: 'eth1' });
    expect(routes).toContainEqual({ destination: '192.0.2.0/24', dev: 'eth1', gateway: '10.65.69.1', metric: 50, protocol: 'boot' });
    expect(routes).toContainEqual({ destination: '198.51.100.0/24', dev: 'eth1', protocol: 'boot' });
    expect(routes).toContainEqual({ destination: '10.65.69.0/24', dev: 'eth1', protocol: 'kernel' });
    const ip = await ipJson(['route', 'show', 'dev', 'eth1']);
    // ip does not print protocol boot, the default of `ip route add`.
    expect(ip).toContainEqual(expect.objectContaining({ dst: '192.0.2.0/24', gateway: '10.65.69.1', metric: 50 }));
    expect(ip).toContainEqual(expect.objectContaining({ dst: '198.51.100.0/24', scope: 'link' }));
    await removeRoute({ destination: '192.0.2.0/24', dev: 'eth1', gateway: '10.65.69.1', metric: 50 }, { netns });
    expect((await ipJson(['route', 'show', 'dev', 'eth1'])).map((r) => r.dst)).not.toContain('192.0.2.0/24');
    await expect(addRoute({ destination: '198.51.100.0/24', dev: 'eth1' }, { netns })).rejects.toMatchObject({ code: 'EEXIST' });
  });
});
