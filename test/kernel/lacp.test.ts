// 802.3ad between two namespaces: a bond in each, two veth pairs between them, lacp_rate fast.
// Both bonds must form one aggregator with two ports, see each other's MAC as partner, and reach
// collecting+distributing on every port; checked against ip and /proc/net/bonding.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBond, getBond, parseProcBonding, type BondState } from '../../lib/index.js';
import { SLAVE_ATTR } from '../../lib/option-table.js';
import { driverHasSlaveAttr } from './helpers/driver.js';
import { Lab, procField } from './helpers/lab.js';
import { waitFor } from './helpers/wait.js';

let a: Lab;
let b: Lab;
beforeEach(async () => {
  a = await Lab.create();
  b = await Lab.create();
  await a.veth('eth1', 'eth1', b);
  await a.veth('eth2', 'eth2', b);
});
afterEach(async () => {
  await a.destroy();
  await b.destroy();
});

const converged = (s: BondState) =>
  s.adInfo?.numPorts === 2 &&
  s.slaves.length === 2 &&
  s.slaves.every((p) => p.adActorOperPortState?.distributing && p.adPartnerOperPortState?.distributing);

describe('802.3ad between two namespaces', () => {
  it('forms one aggregator of two ports with the other bond as partner, collecting and distributing', async () => {
    const options = { mode: '802.3ad', lacpRate: 'fast', miimon: 100, slaves: ['eth1', 'eth2'], up: true } as const;
    await createBond('bond0', { ...options, netns: a.ns });
    await createBond('bond0', { ...options, netns: b.ns });
    const [sa, sb] = await Promise.all([
      waitFor(() => getBond('bond0', { netns: a.ns, stats: true }), converged),
      waitFor(() => getBond('bond0', { netns: b.ns, stats: true }), converged),
    ]);
    for (const [mine, other, lab] of [[sa, sb, a], [sb, sa, b]] as const) {
      expect(mine.adInfo).toMatchObject({ numPorts: 2, partnerMac: other.mac });
      expect(new Set(mine.slaves.map((p) => p.adAggregatorId))).toEqual(new Set([mine.adInfo?.aggregator]));
      for (const port of mine.slaves) {
        for (const state of [port.adActorOperPortState, port.adPartnerOperPortState]) {
          expect(state).toMatchObject({ activity: true, timeout: true, aggregation: true, synchronization: true, collecting: true, distributing: true, defaulted: false, expired: false });
          expect(state?.value).toBe(63);
        }
        expect(port.lacpStats?.lacpduTx).toBeGreaterThan(0);
        expect(port.lacpStats?.lacpduRx).toBeGreaterThan(0);
        // ip decodes the same kernel data independently.
        const ipPort = (await lab.link(port.name)).linkinfo?.info_slave_data ?? {};
        expect(ipPort.ad_aggregator_id).toBe(port.adAggregatorId);
        expect(ipPort.ad_actor_oper_port_state).toBe(port.adActorOperPortState?.value);
        expect(ipPort.ad_partner_oper_port_state).toBe(port.adPartnerOperPortState?.value);
      }
      // The bond's counters are the sum over its ports; the bond is dumped after them (higher
      // ifindex), so a LACPDU sent in between can only make its sum larger.
      const portSum = mine.slaves.reduce((sum, p) => sum + (p.lacpStats?.lacpduTx ?? 0), 0);
      expect(portSum).toBeGreaterThan(0);
      expect(mine.lacpStats?.lacpduTx).toBeGreaterThanOrEqual(portSum);
      const ipAd = (await lab.link('bond0')).linkinfo?.info_data?.ad_info as Record<string, unknown>;
      expect(ipAd).toMatchObject({
        aggregator: mine.adInfo?.aggregator,
        num_ports: 2,
        actor_key: mine.adInfo?.actorKey,
        partner_key: mine.adInfo?.partnerKey,
        partner_mac: other.mac,
      });
      const proc = await lab.procBonding('bond0');
      expect(proc).toContain(`\tNumber of ports: 2`);
      expect(proc).toContain(`\tPartner Mac Address: ${other.mac}`);
      expect(procField(proc, 'LACP rate')).toBe('fast');
      // Churn detection: netlink (where the driver sends it) and /proc agree, port by port.
      const procPorts = parseProcBonding(proc).slaves;
      for (const port of mine.slaves) {
        const procPort = procPorts.find((p) => p.name === port.name);
        if (driverHasSlaveAttr(SLAVE_ATTR.AD_CHURN_ACTOR_STATE)) {
          expect(port.adChurnActorState).toBe(procPort?.actorChurnState);
          expect(port.adChurnPartnerState).toBe(procPort?.partnerChurnState);
        } else {
          expect(port.adChurnActorState).toBeUndefined();
        }
      }
    }
  });
});
