// ARP monitoring sees what MII monitoring cannot: a path that still has carrier but no longer
// reaches the target. Two hosts on one switch, one bond with ARP monitoring, one with miimon;
// when the target address disappears, only the ARP-monitored slaves go down (seed 003's point).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBond, getBond } from '../../lib/index.js';
import { Lab } from './helpers/lab.js';
import { waitFor } from './helpers/wait.js';

let sw: Lab;
let arpHost: Lab;
let miiHost: Lab;
beforeEach(async () => {
  sw = await Lab.create();
  arpHost = await Lab.create();
  miiHost = await Lab.create();
  await sw.ip(['link', 'add', 'br0', 'type', 'bridge']);
  let port = 0;
  for (const host of [arpHost, miiHost]) {
    for (const nic of ['eth0', 'eth1']) {
      await host.veth(nic, `port${port}`, sw);
      await sw.ip(['link', 'set', `port${port++}`, 'master', 'br0', 'up']);
    }
  }
  await sw.ip(['addr', 'add', '10.0.0.254/24', 'dev', 'br0']);
  await sw.setUp('br0');
});
afterEach(async () => {
  for (const lab of [sw, arpHost, miiHost]) await lab.destroy();
});

describe('ARP monitor', () => {
  it('marks slaves down when the target stops answering, while carrier stays up and miimon sees nothing', async () => {
    // arpValidate all: only ARP traffic for the target keeps a slave up. With 'none' any frame the
    // bridge floods to the slave (the other host's broadcasts) would count as a sign of life.
    await createBond('bond0', {
      mode: 'active-backup',
      arpInterval: 100,
      arpIpTarget: ['10.0.0.254'],
      arpValidate: 'all',
      slaves: ['eth0', 'eth1'],
      up: true,
      netns: arpHost.ns,
    });
    await arpHost.ip(['addr', 'add', '10.0.0.1/24', 'dev', 'bond0']);
    await createBond('bond0', { mode: 'active-backup', miimon: 100, slaves: ['eth0', 'eth1'], up: true, netns: miiHost.ns });
    await miiHost.ip(['addr', 'add', '10.0.0.2/24', 'dev', 'bond0']);

    const up = await waitFor(() => getBond('bond0', { netns: arpHost.ns }), (s) => s.carrier && s.activeSlave !== null && s.slaves.some((x) => x.miiStatus === 'up'));
    expect(up.arpInterval).toBe(100);
    expect(up.miimon).toBe(0);
    const active = up.activeSlave as string;
    expect(up.slaves.find((s) => s.name === active)?.miiStatus).toBe('up');

    // The target vanishes; every cable and port stays up.
    const cut = Date.now();
    await sw.ip(['addr', 'del', '10.0.0.254/24', 'dev', 'br0']);
    const down = await waitFor(
      () => getBond('bond0', { netns: arpHost.ns }),
      (s) => s.slaves.find((x) => x.name === active)?.miiStatus === 'down',
      10_000,
      20,
    );
    console.log(`ARP monitor: active slave ${active} down ${Date.now() - cut} ms after the target vanished`);
    expect(down.slaves.find((s) => s.name === active)).toMatchObject({ miiStatus: 'down', linkFailureCount: 1 });
    // The cable is fine: the NIC still has carrier, which is all miimon looks at.
    expect((await arpHost.link(active)).flags).toContain('LOWER_UP');

    // The MII-monitored bond on the same switch sees no failure at all.
    const mii = await getBond('bond0', { netns: miiHost.ns });
    expect(mii.slaves.map((s) => s.miiStatus)).toEqual(['up', 'up']);
    expect(mii.carrier).toBe(true);
  });
});
