// Load balancing with real traffic: in balance-rr, balance-xor, broadcast, balance-tlb and
// balance-alb, UDP flows to several addresses leave through both slaves (each slave's tx counter
// rises). active-backup is the control: its backup slave stays quiet.
//
// balance-xor, -tlb and -alb spread flows by a hash, so the traffic is many flows (8 addresses x
// 4 source ports) and the hash is layer3+4. balance-tlb/alb use the hash only with tlbDynamicLb
// off: with it on, new flows go to the least loaded slave, and load is only measured every 10 s,
// so a short test would see every flow on the first slave.
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBond, getBond, type BondOptions, type BondState } from '../../lib/index.js';
import { ping, switchedHost, type Switched } from './helpers/switched.js';
import { waitFor } from './helpers/wait.js';

const TARGETS = Array.from({ length: 8 }, (_, i) => `10.0.0.${10 + i}`);
const SOCKETS_PER_TARGET = 4;
const PER_FLOW = 3;
const SENT = TARGETS.length * SOCKETS_PER_TARGET * PER_FLOW;
const burst = fileURLToPath(new URL('./helpers/udp-burst.mjs', import.meta.url));

let net: Switched;
beforeEach(async () => {
  net = await switchedHost(['eth0', 'eth1'], TARGETS.map((ip) => `${ip}/24`));
});
afterEach(async () => {
  await net.destroy();
});

async function txDeltas(options: BondOptions): Promise<{ deltas: Record<string, number>; before: BondState }> {
  const netns = net.host.ns;
  await createBond('bond0', { ...options, miimon: 100, slaves: ['eth0', 'eth1'], up: true, netns });
  await net.host.ip(['addr', 'add', '10.0.0.1/24', 'dev', 'bond0']);
  await waitFor(() => getBond('bond0', { netns }), (s) => s.carrier && s.slaves.every((x) => x.miiStatus === 'up'));
  // Learn every neighbour first, so ARP does not count as the traffic under test.
  await Promise.all(TARGETS.map((ip) => ping(net.host, ip, 1, 10).done));
  const before = await getBond('bond0', { netns, stats: true });
  await net.host.exec(process.execPath, [burst, String(PER_FLOW), String(SOCKETS_PER_TARGET), ...TARGETS]);
  const after = await getBond('bond0', { netns, stats: true });
  const deltas: Record<string, number> = {};
  for (const slave of after.slaves) {
    const was = before.slaves.find((s) => s.name === slave.name)?.stats?.txPackets ?? 0;
    deltas[slave.name] = (slave.stats?.txPackets ?? 0) - was;
  }
  console.log(`${options.mode}: tx packets per slave during ${SENT} datagrams ${JSON.stringify(deltas)}`);
  return { deltas, before };
}

describe('traffic over both slaves', () => {
  it.each([
    [{ mode: 'balance-rr' }],
    [{ mode: 'balance-xor', xmitHashPolicy: 'layer3+4' }],
    [{ mode: 'broadcast' }],
    [{ mode: 'balance-tlb', xmitHashPolicy: 'layer3+4', tlbDynamicLb: false }],
    [{ mode: 'balance-alb', xmitHashPolicy: 'layer3+4', tlbDynamicLb: false }],
  ] as [BondOptions][])('%o sends through both slaves', async (options) => {
    const { deltas } = await txDeltas(options);
    for (const [slave, delta] of Object.entries(deltas)) expect(delta, slave).toBeGreaterThanOrEqual(SENT / 8);
    expect(Object.values(deltas).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(SENT);
  });

  it('active-backup (control) sends only through the active slave', async () => {
    const { deltas, before } = await txDeltas({ mode: 'active-backup' });
    const backup = before.slaves.find((s) => s.name !== before.activeSlave)?.name as string;
    expect(deltas[before.activeSlave as string]).toBeGreaterThanOrEqual(SENT);
    expect(deltas[backup]).toBeLessThan(SENT / 8);
  });
});
