// Scenarios of the kernel's own bonding selftests (tools/testing/selftests/drivers/net/bonding/ in
// linux-source-6.12), made with netbond's API and checked with the kernel's own counters and with
// traffic, as the selftests check them.
import { describe, expect, it } from 'vitest';
import { applyBond, createBridge, getBond, setBondOptions, setLinkUp, setMaster } from '../../lib/index.js';
import type { Lab } from './helpers/lab.js';
import { labPerTest } from './helpers/lab-per-test.js';
import { switchedHost } from './helpers/switched.js';
import { waitFor } from './helpers/wait.js';

describe('bond-break-lacpdu-tx.sh: LACPDUs still go out after the bond takes a MAC and joins a bridge', () => {
  let lab: Lab;
  labPerTest((created) => (lab = created), [['e1', 'sw-e1'], ['e2', 'sw-e2']], { peersUp: true });

  /** LACPDUs (ethertype 0x8809) that switch port `port` has received, counted by tc. */
  const lacpduCount = async (port: string) => {
    const [filter] = (JSON.parse(await lab.exec('tc', ['-s', '-j', 'filter', 'show', 'dev', port, 'ingress'])) as { options?: { actions?: { stats?: { packets?: number } }[] } }[]).filter((f) => f.options);
    return filter?.options?.actions?.[0]?.stats?.packets ?? 0;
  };

  it('counts LACPDUs on both far ends', async () => {
    const netns = lab.ns;
    const MAC = '52:54:00:3b:7c:a6';
    await createBridge('fab-br0', { netns });
    await applyBond({ name: 'fbond', mode: '802.3ad', miimon: 200, xmitHashPolicy: 'layer3+4', adActorSysPrio: 65535, lacpRate: 'fast', mac: MAC }, { netns, healthTimeout: 0 });
    // Set again, as the selftest does through ip: the write that used to stop the LACPDUs.
    await setBondOptions('fbond', { adActorSysPrio: 65535 }, { netns });
    await setMaster('fbond', 'fab-br0', { netns });
    await applyBond({ name: 'fbond', mode: '802.3ad', miimon: 200, xmitHashPolicy: 'layer3+4', adActorSysPrio: 65535, lacpRate: 'fast', mac: MAC, slaves: ['e1', 'e2'] }, { netns, healthTimeout: 0 });
    await setLinkUp('fab-br0', { netns });
    for (const port of ['sw-e1', 'sw-e2']) {
      await lab.exec('tc', ['qdisc', 'add', 'dev', port, 'clsact']);
      await lab.exec('tc', ['filter', 'add', 'dev', port, 'ingress', 'protocol', '0x8809', 'pref', '1', 'handle', '101', 'matchall', 'action', 'pass']);
    }
    // lacp_rate fast: one LACPDU a second per port; the selftest waits for 2 within 15 s.
    for (const port of ['sw-e1', 'sw-e2']) expect(await waitFor(() => lacpduCount(port), (n) => n >= 2, 15_000), port).toBeGreaterThanOrEqual(2);
    expect((await lab.link('fbond')).address).toBe(MAC);
  });
});

describe('mode-1-recovery-updelay.sh: an active-backup bond whose every slave went down recovers at once, whatever updelay', () => {
  it.each([0, 1000, 10_000])('updelay %i', async (updelay) => {
    const net = await switchedHost(['eth0', 'eth1'], ['192.0.2.1/24']);
    try {
      const netns = net.host.ns;
      await applyBond({ name: 'bond0', mode: 'active-backup', miimon: 100, updelay, slaves: ['eth0', 'eth1'], addresses: ['192.0.2.2/24'] }, { netns, healthTimeout: 0 });
      const pingOnce = async () => {
        try {
          await net.host.exec('ping', ['-n', '-c', '1', '-W', '1', '192.0.2.1']);
          return true;
        } catch {
          return false;
        }
      };
      expect(await waitFor(pingOnce, Boolean, 10_000)).toBe(true);
      // Both cables out, then eth0's back: with no slave up, the kernel takes the first one that
      // returns without waiting for updelay.
      await net.sw.setUp(net.portOf('eth0'), false);
      await net.sw.setUp(net.portOf('eth1'), false);
      await waitFor(() => getBond('bond0', { netns }), (s) => s.slaves.every((x) => x.miiStatus === 'down'));
      await net.sw.setUp(net.portOf('eth0'), true);
      const back = await waitFor(() => getBond('bond0', { netns }), (s) => s.activeSlave === 'eth0' && s.carrier, Math.max(5000, updelay / 2));
      expect(back).toMatchObject({ activeSlave: 'eth0', carrier: true });
      expect(await waitFor(pingOnce, Boolean, 5000)).toBe(true);
    } finally {
      await net.destroy();
    }
  });
});
