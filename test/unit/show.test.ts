// netbond show's text: per slave the priorities and, in 802.3ad, the churn states where the
// kernel reports them.
import { describe, expect, it } from 'vitest';
import { formatBond } from '../../lib/cli/show.js';
import type { BondState } from '../../lib/bond/state.js';

const state: BondState = {
  name: 'bond0',
  ifindex: 7,
  mac: '02:00:00:00:00:01',
  mtu: 1500,
  txQueues: 16,
  up: true,
  carrier: true,
  operstate: 'up',
  mode: '802.3ad',
  miimon: 100,
  activeSlave: null,
  primary: null,
  slaves: [
    {
      name: 'eth0', ifindex: 2, mac: '02:00:00:00:00:01', mtu: 1500, up: true, carrier: true, state: 'active', miiStatus: 'up',
      linkFailureCount: 0, permHwaddr: '02:00:00:00:00:01', queueId: 0, prio: 0, actorPortPrio: 100, adAggregatorId: 1,
      adChurnActorState: 'none', adChurnPartnerState: 'churned',
    },
  ],
};

describe('formatBond', () => {
  it('shows prio, actor port prio and churn states of a slave', () => {
    const text = formatBond(state);
    expect(text).toContain('queue 0, prio 0, actor port prio 100');
    expect(text).toContain('; churn actor none, partner churned');
  });
});
