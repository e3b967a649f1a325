// A live mode change on real NICs with applyBond: a bond over two e1000s with an IPv4 and an IPv6
// address and a route of each family, changed from active-backup to 802.3ad and back. The mode
// can only change with the bond down and without slaves, which takes its IPv6 addresses and its
// routes with it; applyBond puts them back. Checked with `ip -j addr/route` dumps before and after,
// /proc/net/bonding, and pings through each route to addresses behind the switch.
// Runs only inside scripts/test-bed/qemu-run.sh (docs/qemu-bed.md), with its default NICs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyBond, readProcBonding, type BondSpec } from '../../lib/index.js';
import { ip, requireQemuGuest, unwire, wire } from './helpers/guest.js';
import { ipJson, reaches } from './helpers/net.js';

const HOST = 'nbq-host';
const SW = 'nbq-sw';
const NICS = ['e1k0', 'e1k1'];
// Behind the switch: addresses reached only through the bond's routes.
const FAR = ['192.0.2.1', '2001:db8:9::1'];

requireQemuGuest();
beforeEach(async () => {
  await wire(HOST, SW, NICS, { swAddress: '10.99.8.2/24' });
  await ip(['-n', SW, 'addr', 'add', '2001:db8:8::2/64', 'dev', 'br0', 'nodad']);
  await ip(['-n', SW, 'link', 'add', 'far', 'type', 'dummy']);
  await ip(['-n', SW, 'addr', 'add', '192.0.2.1/24', 'dev', 'far']);
  await ip(['-n', SW, 'addr', 'add', '2001:db8:9::1/64', 'dev', 'far', 'nodad']);
  await ip(['-n', SW, 'link', 'set', 'far', 'up']);
});
afterEach(() => unwire(HOST, SW, NICS));

const base: BondSpec = {
  name: 'bond0',
  mode: 'active-backup',
  miimon: 100,
  slaves: NICS,
  addresses: ['10.99.8.1/24', '2001:db8:8::1/64'],
  routes: [
    { destination: '192.0.2.0/24', gateway: '10.99.8.2', metric: 20 },
    { destination: '2001:db8:9::/48', gateway: '2001:db8:8::2' },
  ],
};

interface IpRoute {
  dst: string;
  gateway?: string;
  metric?: number;
  protocol?: string;
  scope?: string;
}

/** The bond's global addresses and routes as iproute2 dumps them (link-local ones come and go with the link). */
async function addressing(): Promise<{ addresses: string[]; routes: string[] }> {
  const [dev] = await ipJson<{ addr_info: { local: string; prefixlen: number; scope: string }[] }>(HOST, ['addr', 'show', 'dev', 'bond0']);
  const addresses = dev!.addr_info.filter((a) => a.scope === 'global').map((a) => `${a.local}/${a.prefixlen}`).sort();
  const dumps = [await ipJson<IpRoute>(HOST, ['route', 'show', 'dev', 'bond0']), await ipJson<IpRoute>(HOST, ['-6', 'route', 'show', 'dev', 'bond0'])];
  const routes = dumps.flat().filter((r) => !r.dst.startsWith('fe80:')).map((r) => `${r.dst} via ${r.gateway ?? '-'} metric ${r.metric ?? 0} proto ${r.protocol ?? '-'} scope ${r.scope ?? '-'}`).sort();
  return { addresses, routes };
}

async function expectMode(mode: BondSpec['mode']): Promise<void> {
  const [bond] = await ipJson<{ linkinfo: { info_data: { mode: string } } }>(HOST, ['-d', 'link', 'show', 'bond0']);
  expect(bond!.linkinfo.info_data.mode).toBe(mode);
  const proc = await readProcBonding('bond0', { netns: HOST });
  expect(proc.mode).toBe(mode);
  expect(proc.slaves.map((s) => s.name).sort()).toEqual(NICS);
  const slaves = await ipJson<{ ifname: string }>(HOST, ['link', 'show', 'master', 'bond0']);
  expect(slaves.map((l) => l.ifname).sort()).toEqual(NICS);
}

describe('a live mode change on e1000 NICs (applyBond)', () => {
  it('active-backup -> 802.3ad -> active-backup keeps addresses and routes, and traffic passes', async () => {
    const netns = HOST;
    await applyBond(base, { netns });
    for (const far of FAR) expect(await reaches(HOST, far, 30_000), far).toBe(true);
    const before = await addressing();
    expect(before.addresses).toEqual(['10.99.8.1/24', '2001:db8:8::1/64']);
    expect(before.routes).toEqual(expect.arrayContaining([expect.stringMatching(/^192\.0\.2\.0\/24 via 10\.99\.8\.2 metric 20 /u), expect.stringMatching(/^2001:db8:9::\/48 via 2001:db8:8::2 /u)]));

    // The switch is a plain bridge: it answers no LACP, so each port is an aggregator of its own
    // and the bond sends through one of them (the problem health reports), which a bridge forwards.
    for (const [mode, spec] of [['802.3ad', { ...base, mode: '802.3ad', lacpRate: 'fast', xmitHashPolicy: 'layer3+4' }], ['active-backup', base]] as const) {
      const start = performance.now();
      const result = await applyBond(spec, { netns });
      const applied = performance.now() - start;
      expect(result.state?.mode).toBe(mode);
      expect(result.steps.map((s) => s.kind)).toEqual(expect.arrayContaining(['release', 'set-down', 'set-option', 'enslave', 'set-up']));
      await expectMode(mode);
      if (mode === '802.3ad') {
        expect((await readProcBonding('bond0', { netns })).ad?.activeAggregator).toMatchObject({ numPorts: 1, partnerMac: '00:00:00:00:00:00' });
        expect(result.health?.lacpPartner).toBe(false);
      }
      expect(await addressing()).toEqual(before);
      const back = performance.now();
      for (const far of FAR) expect(await reaches(HOST, far, 30_000), `${far} in ${mode}`).toBe(true);
      console.log(`mode change to ${mode}: applyBond ${applied.toFixed(0)} ms (${result.steps.length} steps), both routes pinged ${(performance.now() - back).toFixed(0)} ms after it returned; health: ${result.health?.problems.join('; ') || 'healthy'}`);
    }
  });
});
