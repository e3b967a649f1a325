// Active-backup failover with traffic: pings flow through the bond, the cable of the active
// slave is pulled (its switch port goes down); the bond must switch slaves, count the failure,
// and keep the pings flowing. The seeds' cable-pull test, asserted.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBond, getBond, readProcBonding } from '../../lib/index.js';
import { ping, switchedHost, type Switched } from './helpers/switched.js';
import { waitFor } from './helpers/wait.js';

let net: Switched;
beforeEach(async () => {
  net = await switchedHost(['eth0', 'eth1'], ['172.16.248.1/16']);
});
afterEach(async () => {
  await net.destroy();
});

describe('active-backup failover', () => {
  it('switches the active slave when its link dies, counts the failure, and pings keep flowing', async () => {
    const netns = net.host.ns;
    await createBond('bond0', { mode: 'active-backup', miimon: 100, slaves: ['eth0', 'eth1'], up: true, netns });
    await net.host.ip(['addr', 'add', '172.16.248.50/16', 'dev', 'bond0']);
    const ready = await waitFor(() => getBond('bond0', { netns }), (s) => s.carrier && s.activeSlave !== null && s.slaves.every((x) => x.miiStatus === 'up'));
    const victim = ready.activeSlave as string;
    const survivor = victim === 'eth0' ? 'eth1' : 'eth0';
    expect(ready.slaves.find((s) => s.name === victim)?.linkFailureCount).toBe(0);

    const COUNT = 300;
    const run = ping(net.host, '172.16.248.1', COUNT, 10);
    await new Promise((resolve) => setTimeout(resolve, 800));
    const cut = Date.now();
    await net.sw.setUp(net.portOf(victim), false);
    const after = await waitFor(() => getBond('bond0', { netns }), (s) => s.activeSlave === survivor, 10_000, 5);
    console.log(`failover: ${victim} -> ${after.activeSlave} seen ${Date.now() - cut} ms after the cut`);
    const result = await run.done;
    console.log(`pings: ${result.sent} sent, ${result.received} received`);

    expect(after.activeSlave).toBe(survivor);
    const failed = after.slaves.find((s) => s.name === victim);
    expect(failed).toMatchObject({ miiStatus: 'down', linkFailureCount: 1, state: 'backup' });
    // Pings kept flowing: most got through, and the last ones (long after the cut) did.
    expect(result.received).toBeGreaterThan(result.sent * 0.8);
    expect(Math.max(...result.seqs)).toBeGreaterThan(COUNT - 10);

    const proc = await readProcBonding('bond0', { netns });
    expect(proc.activeSlave).toBe(survivor);
    expect(proc.slaves.find((s) => s.name === victim)).toMatchObject({ miiStatus: 'down', linkFailureCount: 1 });
    const viaSysfs = await getBond('bond0', { netns, backend: 'sysfs' });
    expect(viaSysfs.activeSlave).toBe(survivor);
  });
});
