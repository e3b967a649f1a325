// The sysfs backend on a distribution kernel, bonding loaded as a module: a bond's whole life
// through /sys/class/net (create with options, enslave, change options, change the active slave,
// release, delete) over two e1000 NICs, each step checked with `ip -d -j link`, /proc/net/bonding
// and the sysfs files as the namespace's own sysfs shows them; pings through the bond.
// Runs only inside scripts/test-bed/qemu-run.sh (docs/qemu-bed.md), with its default NICs.
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBond, deleteBond, enslave, getBond, readProcBonding, release, setActiveSlave, setBondOptions } from '../../lib/index.js';
import { waitFor } from '../kernel/helpers/wait.js';
import { exec, ip, requireQemuGuest, unwire, wire } from './helpers/guest.js';
import { bondingLoaded } from './helpers/module.js';
import { ipJson, nsRead, reaches } from './helpers/net.js';

const HOST = 'nbq-host';
const SW = 'nbq-sw';
const NICS = ['e1k0', 'e1k1'];

interface IpLink {
  ifname: string;
  address: string;
  master?: string;
  flags: string[];
  linkinfo?: { info_data?: Record<string, unknown>; info_slave_data?: Record<string, unknown> };
}

async function link(name: string): Promise<IpLink> {
  return (await ipJson<IpLink>(HOST, ['-d', 'link', 'show', name]))[0]!;
}

requireQemuGuest();
beforeAll(async () => {
  // The sysfs backend loads nothing (a load could make a bond of the module's own, max_bonds):
  // load it as an administrator would. A module, not built in: only a module has an initstate.
  if (!bondingLoaded()) await exec('modprobe', ['bonding']);
  expect(readFileSync('/sys/module/bonding/initstate', 'utf8').trim()).toBe('live');
});
beforeEach(() => wire(HOST, SW, NICS, { swAddress: '10.99.7.2/24' }));
afterEach(() => unwire(HOST, SW, NICS));

describe('the sysfs backend with bonding loaded as a module', () => {
  it('creates, enslaves, changes options and the active slave, releases and deletes, as ip, /proc and sysfs see it', async () => {
    const opts = { netns: HOST, backend: 'sysfs' } as const;
    const created = await createBond('bond0', { mode: 'active-backup', miimon: 100, updelay: 200, primaryReselect: 'failure', slaves: ['e1k0'], up: true, ...opts });
    expect(created).toMatchObject({ mode: 'active-backup', miimon: 100, updelay: 200, primaryReselect: 'failure' });
    expect((await link('bond0')).linkinfo?.info_data).toMatchObject({ mode: 'active-backup', miimon: 100, updelay: 200, primary_reselect: 'failure' });
    expect(await nsRead(HOST, '/sys/class/net/bonding_masters')).toMatch(/\bbond0\b/u);

    await enslave('bond0', 'e1k1', opts);
    // e1000 links come up ~2 s after the NIC is opened; updelay adds 200 ms.
    const both = await waitFor(() => getBond('bond0', opts), (s) => s.carrier && s.slaves.length === 2 && s.slaves.every((x) => x.miiStatus === 'up'), 30_000);
    expect(both.activeSlave).toBe('e1k0');
    const proc = await readProcBonding('bond0', { netns: HOST });
    expect(proc).toMatchObject({ mode: 'active-backup', miimon: 100, updelay: 200, activeSlave: 'e1k0' });
    expect(proc.slaves.map((s) => [s.name, s.miiStatus])).toEqual([['e1k0', 'up'], ['e1k1', 'up']]);
    const ownMac = new Map(await Promise.all(NICS.map(async (n) => [n, (await link(n)).linkinfo?.info_slave_data?.perm_hwaddr as string] as const)));
    for (const n of NICS) expect((await link(n)).master).toBe('bond0');

    await setBondOptions('bond0', { downdelay: 300, numGratArp: 2, resendIgmp: 3, primary: 'e1k1' }, opts);
    expect((await link('bond0')).linkinfo?.info_data).toMatchObject({ downdelay: 300, num_peer_notif: 2, resend_igmp: 3, primary: 'e1k1' });
    expect((await nsRead(HOST, '/sys/class/net/bond0/bonding/primary')).trim()).toBe('e1k1');
    // A new primary takes over at once, whatever primary_reselect says: bond_option_primary_set
    // sets force_primary (bonding.rst: "the primary slave is always made the active slave").
    expect((await getBond('bond0', opts)).activeSlave).toBe('e1k1');

    await setActiveSlave('bond0', 'e1k0', opts);
    expect((await link('bond0')).linkinfo?.info_data?.active_slave).toBe('e1k0');
    expect((await readProcBonding('bond0', { netns: HOST })).activeSlave).toBe('e1k0');
    expect((await nsRead(HOST, '/sys/class/net/bond0/bonding/active_slave')).trim()).toBe('e1k0');
    await ip(['-n', HOST, 'addr', 'add', '10.99.7.1/24', 'dev', 'bond0']);
    expect(await reaches(HOST, '10.99.7.2')).toBe(true);

    // In active-backup every slave carries the bond's MAC (e1k0's); a released one gets its own back.
    expect((await link('e1k1')).address).toBe(ownMac.get('e1k0'));
    await release('bond0', 'e1k1', opts);
    expect((await readProcBonding('bond0', { netns: HOST })).slaves.map((s) => s.name)).toEqual(['e1k0']);
    const released = await link('e1k1');
    expect(released.master).toBeUndefined();
    expect(released.flags).not.toContain('UP');
    expect(released.address).toBe(ownMac.get('e1k1'));
    expect(await reaches(HOST, '10.99.7.2')).toBe(true);

    await deleteBond('bond0', opts);
    expect(await ipJson(HOST, ['link', 'show', 'type', 'bond'])).toEqual([]);
    expect(await nsRead(HOST, '/sys/class/net/bonding_masters')).not.toMatch(/\bbond0\b/u);
    expect((await link('e1k0')).master).toBeUndefined();
  });
});
