// 802.3ad on real drivers against a peer bond (the switch's port-channel, made with `ip`, not
// netbond): two e1000 ports converge into one aggregator and carry pings; an e100 (100 Mb/s) and
// an e1000 (1000 Mb/s) port make two aggregators, and ad_select picks between them as
// Documentation/networking/bonding.rst says. Checked against /proc/net/bonding and `ip -d -j`.
// Runs only inside scripts/test-bed/qemu-run.sh (docs/qemu-bed.md), with its default NICs.
import { afterEach, describe, expect, it } from 'vitest';
import { createBond, enslave, getBond, readProcBonding, type BondState, type ProcBonding } from '../../lib/index.js';
import type { AdSelect } from '../../lib/option-table.js';
import { waitFor } from '../kernel/helpers/wait.js';
import { ip, requireQemuGuest, unwire, wire } from './helpers/guest.js';
import { ipJson, ping, reaches } from './helpers/net.js';

const HOST = 'nbq-host';
const SW = 'nbq-sw';
let wired: string[] = [];

requireQemuGuest();
afterEach(() => unwire(HOST, SW, wired));

async function wireUnbridged(nics: string[]): Promise<void> {
  wired = nics;
  await wire(HOST, SW, nics, { bridge: false });
}

/** The switch's port-channel over the peers of `nics`, made with iproute2; returns its MAC. */
async function peerBond(nics: readonly string[], adSelect: AdSelect): Promise<string> {
  await ip(['-n', SW, 'link', 'add', 'bond0', 'type', 'bond', 'mode', '802.3ad', 'lacp_rate', 'fast', 'ad_select', adSelect, 'miimon', '100']);
  for (const nic of nics) {
    // wire() left the peers up; the bonding driver enslaves only a device that is down.
    await ip(['-n', SW, 'link', 'set', `p-${nic}`, 'down']);
    await ip(['-n', SW, 'link', 'set', `p-${nic}`, 'master', 'bond0']);
  }
  await ip(['-n', SW, 'addr', 'add', '10.99.3.2/24', 'dev', 'bond0']);
  await ip(['-n', SW, 'link', 'set', 'bond0', 'up']);
  const [link] = await ipJson<{ address: string }>(SW, ['link', 'show', 'bond0']);
  return link!.address;
}

const port = (s: BondState, name: string) => s.slaves.find((p) => p.name === name);
const distributing = (s: BondState, name: string) => Boolean(port(s, name)?.adActorOperPortState?.distributing && port(s, name)?.adPartnerOperPortState?.distributing);

/** Host frames each port sent that were not LACP's own, from `ip -s` less the driver's LACPDU counters. */
async function dataFramesSent(): Promise<Map<string, number>> {
  const state = await getBond('bond0', { netns: HOST, stats: true });
  const links = await ipJson<{ ifname: string; stats64: { tx: { packets: number } } }>(HOST, ['-s', 'link', 'show']);
  const sent = new Map<string, number>();
  for (const p of state.slaves) {
    const lacp = p.lacpStats!;
    const tx = links.find((l) => l.ifname === p.name)!.stats64.tx.packets;
    sent.set(p.name, tx - lacp.lacpduTx - lacp.markerTx - lacp.markerRespTx);
  }
  return sent;
}

describe('802.3ad over two e1000 ports against a peer bond', () => {
  it('converges into one aggregator with the peer as partner, collecting and distributing, and carries pings', async () => {
    const nics = ['e1k0', 'e1k1'];
    await wireUnbridged(nics);
    const peerMac = await peerBond(nics, 'stable');
    const start = performance.now();
    await createBond('bond0', { mode: '802.3ad', lacpRate: 'fast', miimon: 100, slaves: nics, up: true, netns: HOST });
    const done = await waitFor(() => getBond('bond0', { netns: HOST }), (s) => s.adInfo?.numPorts === 2 && nics.every((n) => distributing(s, n)), 30_000);
    console.log(`802.3ad e1000 x2: both ports collecting and distributing ${(performance.now() - start).toFixed(0)} ms after the create`);

    expect(done.adInfo).toMatchObject({ numPorts: 2, partnerMac: peerMac });
    for (const name of nics) {
      expect(port(done, name)?.adAggregatorId).toBe(done.adInfo?.aggregator);
      for (const state of [port(done, name)?.adActorOperPortState, port(done, name)?.adPartnerOperPortState]) {
        expect(state?.value, name).toBe(63); // activity, fast timeout, aggregation, sync, collecting, distributing
      }
    }
    // /proc/net/bonding of both ends: one aggregator of two ports, each the other's partner.
    const proc = await readProcBonding('bond0', { netns: HOST });
    expect(proc.ad?.activeAggregator).toMatchObject({ aggregatorId: done.adInfo?.aggregator, numPorts: 2, partnerMac: peerMac });
    for (const p of proc.slaves) {
      expect(p).toMatchObject({ aggregatorId: done.adInfo?.aggregator, speed: 1000, duplex: 'full' });
      expect(p.actorLacpPdu?.portState).toBe(63);
      expect(p.partnerLacpPdu).toMatchObject({ systemMac: peerMac, portState: 63 });
    }
    const peerProc = await readProcBonding('bond0', { netns: SW });
    expect(peerProc.ad?.activeAggregator).toMatchObject({ numPorts: 2, partnerMac: done.mac });
    // iproute2 decodes the same kernel data on its own.
    const [ipBond] = await ipJson<{ linkinfo: { info_data: { ad_info: Record<string, unknown> } } }>(HOST, ['-d', 'link', 'show', 'bond0']);
    expect(ipBond!.linkinfo.info_data.ad_info).toMatchObject({ aggregator: done.adInfo?.aggregator, num_ports: 2, partner_mac: peerMac });

    await ip(['-n', HOST, 'addr', 'add', '10.99.3.1/24', 'dev', 'bond0']);
    expect(await reaches(HOST, '10.99.3.2')).toBe(true);
    const pings = await ping(HOST, '10.99.3.2', 20, 0.05);
    console.log(`802.3ad e1000 x2: pings ${pings.sent} sent, ${pings.sent - pings.received} lost`);
    expect(pings).toEqual({ sent: 20, received: 20 });
  });
});

// Each case: the first port alone, converged with its partner, then more ports, one stage at a
// time: the order makes "the first aggregator" explicit for stable (left to timing, an e100 would
// win anyway: its emulated link is up at once, an e1000's after ~2 s of autonegotiation).
// bond_3ad.c ad_agg_selection_test: count compares active ports and on a tie falls through to
// bandwidth; stable and bandwidth compare bandwidth; then stable keeps an active aggregator that
// still has ports and a partner.
interface Stage {
  add: string[];
  /** The ports of the aggregator that should be active after the stage. */
  active: string[];
}
const CASES: { adSelect: AdSelect; first: string; stages: Stage[]; why: string }[] = [
  { adSelect: 'stable', first: 'e100a', stages: [{ add: ['e1k2'], active: ['e100a'] }], why: 'keeps the first active aggregator' },
  { adSelect: 'bandwidth', first: 'e100a', stages: [{ add: ['e1k2'], active: ['e1k2'] }], why: 'moves to the higher total speed' },
  {
    adSelect: 'count',
    first: 'e100a',
    stages: [{ add: ['e1k2'], active: ['e1k2'] }, { add: ['e100b'], active: ['e100a', 'e100b'] }],
    why: 'one port each is a tie, decided by bandwidth; then two e100 ports outnumber the e1000 (200 < 1000 Mb/s)',
  },
];
const SPEED = (nic: string) => (nic.startsWith('e100') ? 100 : 1000);

/** Every port hears the peer, and ports share an aggregator exactly when their speeds are equal. */
function grouped(proc: ProcBonding, peerMac: string): boolean {
  return proc.slaves.every((a) =>
    a.partnerLacpPdu?.systemMac === peerMac &&
    typeof a.aggregatorId === 'number' &&
    proc.slaves.every((b) => (a.aggregatorId === b.aggregatorId) === (SPEED(a.name) === SPEED(b.name))));
}

describe('ad_select with ports of two speeds (e100 100 Mb/s, e1000 1000 Mb/s)', () => {
  it.each(CASES.map((c) => [`${c.adSelect}: ${c.why}`, c] as const))('%s', async (_, { adSelect, first, stages }) => {
    const nics = [first, ...stages.flatMap((s) => s.add)];
    await wireUnbridged(nics);
    const peerMac = await peerBond(nics, adSelect);
    await createBond('bond0', { mode: '802.3ad', lacpRate: 'fast', adSelect, miimon: 100, slaves: [first], up: true, netns: HOST });
    await ip(['-n', HOST, 'addr', 'add', '10.99.3.1/24', 'dev', 'bond0']);
    let active = [first];
    await waitFor(() => getBond('bond0', { netns: HOST }), (s) => s.adInfo?.numPorts === 1 && distributing(s, first), 30_000);

    for (const stage of stages) {
      await enslave('bond0', stage.add, { netns: HOST });
      const heard = await waitFor(() => readProcBonding('bond0', { netns: HOST }), (p) => grouped(p, peerMac), 30_000);
      expect(grouped(heard, peerMac)).toBe(true);
      for (const p of heard.slaves) expect(p, p.name).toMatchObject({ speed: SPEED(p.name), duplex: 'full' });
      const want = heard.slaves.find((p) => p.name === stage.active[0])?.aggregatorId;
      const idle = heard.slaves.map((p) => p.name).filter((n) => !stage.active.includes(n));
      // The selection runs in the state-machine tick that records the partner. Where the active
      // aggregator should stay, three LACPDUs' time (fast rate) lets a policy that would move show it.
      if (stage.active.every((n) => active.includes(n))) await new Promise((resolve) => setTimeout(resolve, 3000));
      active = stage.active;

      const chosen = await waitFor(() => getBond('bond0', { netns: HOST }), (s) => s.adInfo?.aggregator === want && active.every((n) => distributing(s, n)), 30_000);
      expect(chosen.adInfo).toMatchObject({ aggregator: want, numPorts: active.length, partnerMac: peerMac });
      // The bond sends through the active aggregator's ports only. The LACP state does not say so: a
      // port whose aggregator was active and lost the selection stays in sync, collecting and
      // distributing (63); only the slave state (backup) does.
      const roles = await ipJson<{ ifname: string; linkinfo: { info_slave_data: { state: string } } }>(HOST, ['-d', 'link', 'show', 'master', 'bond0']);
      for (const [names, role] of [[active, 'active'], [idle, 'backup']] as const) {
        for (const name of names) {
          expect(port(chosen, name)?.state, name).toBe(role);
          expect(roles.find((l) => l.ifname === name)?.linkinfo.info_slave_data.state, name).toBe(role.toUpperCase());
        }
      }
      const proc = await readProcBonding('bond0', { netns: HOST });
      expect(proc.ad).toMatchObject({ adSelect, activeAggregator: { aggregatorId: want, numPorts: active.length, partnerMac: peerMac } });
      const [ipBond] = await ipJson<{ linkinfo: { info_data: { ad_select: string; ad_info: Record<string, unknown> } } }>(HOST, ['-d', 'link', 'show', 'bond0']);
      expect(ipBond!.linkinfo.info_data).toMatchObject({ ad_select: adSelect, ad_info: { aggregator: want, num_ports: active.length } });

      // Traffic goes over the active aggregator's ports only (the peer, with the same policy, picked
      // the same one).
      expect(await reaches(HOST, '10.99.3.2')).toBe(true);
      const before = await dataFramesSent();
      const pings = await ping(HOST, '10.99.3.2', 30, 0.02);
      const after = await dataFramesSent();
      const sentBy = (names: readonly string[]) => names.reduce((sum, n) => sum + after.get(n)! - before.get(n)!, 0);
      const lacpStates = idle.map((n) => `${n} ${port(chosen, n)?.adActorOperPortState?.value}/${port(chosen, n)?.adPartnerOperPortState?.value}`).join(', ');
      console.log(`ad_select ${adSelect} over ${heard.slaves.map((p) => p.name).join('+')}: active aggregator ${want} (${active.join('+')}); pings ${pings.sent} sent, ${pings.sent - pings.received} lost; data frames sent ${active.join('+')} ${sentBy(active)}, ${idle.join('+')} ${sentBy(idle)}; LACP actor/partner state of the idle ports ${lacpStates}`);
      expect(pings).toEqual({ sent: 30, received: 30 });
      // An e1000/e100 counts a frame when the NIC is done with it, the LACPDU counter when it is
      // queued: a frame in flight at either read shifts a difference by one.
      expect(sentBy(active)).toBeGreaterThanOrEqual(30 - 2);
      expect(Math.abs(sentBy(idle))).toBeLessThanOrEqual(2);
    }
  });
});
