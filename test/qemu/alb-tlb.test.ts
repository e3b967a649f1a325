// balance-tlb and balance-alb over two e1000 NICs to a bridge with two clients on it (the switch's
// own address and a second namespace). Documentation/networking/bonding.rst: in both modes each
// slave keeps a MAC of its own and the current active slave takes the bond's; receive traffic
// arrives on the active slave, except that balance-alb's receive load balancing answers each
// client's ARP with the MAC of the slave it assigned to that client. Checked with the clients'
// neighbour tables, `ip -d -j link` and each NIC's receive counter; pings go both ways.
// Runs only inside scripts/test-bed/qemu-run.sh (docs/qemu-bed.md), with its default NICs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBond, getBond } from '../../lib/index.js';
import { setLink } from '../../scripts/test-bed/qemu-link.mjs';
import { waitFor } from '../kernel/helpers/wait.js';
import { ip, requireQemuGuest, unwire, wire } from './helpers/guest.js';
import { ipJson, ping, reaches } from './helpers/net.js';

const HOST = 'nbq-host';
const SW = 'nbq-sw';
const CLIENT2 = 'nbq-c2';
const NICS = ['e1k0', 'e1k1'];
const BOND_IP = '10.99.6.1';
// Client 1 is the bridge itself, in the switch namespace; client 2 hangs off the bridge by a veth.
const CLIENTS = [
  { ns: SW, dev: 'br0', ip: '10.99.6.2' },
  { ns: CLIENT2, dev: 'c2', ip: '10.99.6.3' },
];

requireQemuGuest();
beforeEach(async () => {
  await wire(HOST, SW, NICS, { swAddress: '10.99.6.2/24' });
  await ip(['netns', 'add', CLIENT2]);
  await ip(['-n', CLIENT2, 'link', 'add', 'c2', 'type', 'veth', 'peer', 'name', 'c2-port', 'netns', SW]);
  await ip(['-n', SW, 'link', 'set', 'c2-port', 'master', 'br0', 'up']);
  await ip(['-n', CLIENT2, 'addr', 'add', '10.99.6.3/24', 'dev', 'c2']);
  await ip(['-n', CLIENT2, 'link', 'set', 'c2', 'up']);
});
afterEach(async () => {
  await ip(['netns', 'del', CLIENT2]).catch(() => undefined);
  await unwire(HOST, SW, NICS);
});

interface SlaveLink {
  ifname: string;
  address: string;
  linkinfo: { info_slave_data: { perm_hwaddr: string; state: string } };
}

/** The MAC the client's neighbour table holds for the bond's address. */
async function neighbourMac(client: (typeof CLIENTS)[number]): Promise<string | undefined> {
  const entries = await ipJson<{ dst: string; lladdr?: string }>(client.ns, ['neigh', 'show', 'dev', client.dev]);
  return entries.find((e) => e.dst === BOND_IP)?.lladdr;
}

async function rxPackets(): Promise<Map<string, number>> {
  const links = await ipJson<{ ifname: string; stats64: { rx: { packets: number } } }>(HOST, ['-s', 'link', 'show']);
  return new Map(NICS.map((n) => [n, links.find((l) => l.ifname === n)!.stats64.rx.packets]));
}

describe('balance-tlb and balance-alb on e1000', () => {
  it.each(['balance-tlb', 'balance-alb'] as const)('%s: slaves keep their own MACs, the active one the bond\'s (swapped on failover); traffic both ways', async (mode) => {
    const netns = HOST;
    await createBond('bond0', { mode, slaves: NICS, up: true, netns });
    await ip(['-n', HOST, 'addr', 'add', `${BOND_IP}/24`, 'dev', 'bond0']);
    const ready = await waitFor(() => getBond('bond0', { netns }), (s) => s.carrier && s.activeSlave !== null && s.slaves.every((x) => x.miiStatus === 'up'), 30_000);
    // The mode turns miimon on by itself (100 ms) when none is given.
    expect(ready).toMatchObject({ mode, miimon: 100 });
    const active = ready.activeSlave as string;

    // MACs as the kernel set them: the bond took the first slave's; the active slave has the
    // bond's, the other its own permanent one.
    const [bondLink] = await ipJson<{ address: string }>(HOST, ['link', 'show', 'bond0']);
    const slaves = await ipJson<SlaveLink>(HOST, ['-d', 'link', 'show', 'master', 'bond0']);
    const perm = new Map(slaves.map((l) => [l.ifname, l.linkinfo.info_slave_data.perm_hwaddr]));
    expect(bondLink!.address).toBe(perm.get('e1k0'));
    for (const link of slaves) {
      expect(link.address, link.ifname).toBe(link.ifname === active ? bondLink!.address : perm.get(link.ifname));
    }
    expect(new Set(slaves.map((l) => l.address)).size).toBe(2);
    // Every slave transmits in these modes: the kernel reports each one's state as active.
    for (const link of slaves) {
      expect(link.linkinfo.info_slave_data.state, link.ifname).toBe('ACTIVE');
      expect(ready.slaves.find((x) => x.name === link.ifname)?.state, link.ifname).toBe('active');
    }
    console.log(`${mode}: bond ${bondLink!.address}; ${slaves.map((l) => `${l.ifname} ${l.address} (own ${l.linkinfo.info_slave_data.perm_hwaddr}, ${l.linkinfo.info_slave_data.state})`).join('; ')}`);

    // Both ways: the bond reaches each client, and each client the bond.
    for (const client of CLIENTS) {
      expect(await reaches(HOST, client.ip), `bond -> ${client.ip}`).toBe(true);
      expect(await reaches(client.ns, BOND_IP), `${client.ip} -> bond`).toBe(true);
    }

    // Which MAC each client uses for the bond, and on which NIC its traffic arrives.
    const macOf = new Map(slaves.map((l) => [l.address, l.ifname]));
    const expectSpread = mode === 'balance-alb';
    // balance-alb updates the clients' ARP entries a moment after its own ARP request (RLB's update
    // delay); wait for the clients to hold two different slave MACs.
    const heldMacs = () => Promise.all(CLIENTS.map(neighbourMac));
    const held = expectSpread ? await waitFor(heldMacs, (macs) => new Set(macs).size === 2, 20_000, 200) : await heldMacs();
    const receivers = held.map((mac) => (mac ? macOf.get(mac) : undefined));
    if (expectSpread) {
      expect(new Set(receivers)).toEqual(new Set(NICS));
    } else {
      expect(held).toEqual([bondLink!.address, bondLink!.address]);
    }

    const COUNT = 40;
    const perClient: string[] = [];
    for (const [i, client] of CLIENTS.entries()) {
      const before = await rxPackets();
      const pings = await ping(client.ns, BOND_IP, COUNT, 0.02);
      const after = await rxPackets();
      const got = NICS.map((n) => after.get(n)! - before.get(n)!);
      perClient.push(`${client.ip} -> ${receivers[i]}: ${pings.received}/${pings.sent} answered, received e1k0 ${got[0]} e1k1 ${got[1]}`);
      expect(pings, client.ip).toEqual({ sent: COUNT, received: COUNT });
      // The echo requests arrive on the NIC whose MAC the client holds; the other NIC sees only
      // what the bridge floods (ARP, IPv6 neighbour discovery).
      const on = NICS.indexOf(receivers[i]!);
      expect(got[on], client.ip).toBeGreaterThanOrEqual(COUNT);
      expect(got[1 - on], client.ip).toBeLessThan(COUNT / 4);
    }
    console.log(`${mode}: ${perClient.join('; ')}`);

    // The active NIC's cable pulled: the other takes the bond's MAC, and the clients still reach
    // the bond through it.
    const other = NICS.find((n) => n !== active)!;
    await setLink(active, false);
    const moved = await waitFor(() => getBond('bond0', { netns }), (s) => s.activeSlave === other, 20_000);
    expect(moved.activeSlave).toBe(other);
    const after = await ipJson<SlaveLink>(HOST, ['-d', 'link', 'show', 'master', 'bond0']);
    console.log(`${mode}, ${active} pulled: ${after.map((l) => `${l.ifname} ${l.address} (${l.linkinfo.info_slave_data.state})`).join('; ')}`);
    // The driver swaps the two slaves' MACs (alb_swap_mac_addr): the pulled NIC holds the other's own.
    expect(after.find((l) => l.ifname === other)?.address).toBe(bondLink!.address);
    expect(after.find((l) => l.ifname === active)?.address).toBe(perm.get(other));
    for (const client of CLIENTS) expect(await reaches(client.ns, BOND_IP), `${client.ip} -> bond after the pull`).toBe(true);
  });
});
