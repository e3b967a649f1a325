// netbond show's text: per slave the priorities and, in 802.3ad, the churn states where the
// kernel reports them.
import { describe, expect, it } from 'vitest';
import { formatBond } from '../../lib/cli/format-bond.js';
import { bond, slave } from './helpers/states.js';

const state = bond({
  mode: '802.3ad',
  activeSlave: null,
  slaves: [slave('eth0', { prio: 0, actorPortPrio: 100, adAggregatorId: 1, adChurnActorState: 'none', adChurnPartnerState: 'churned' })],
});

describe('formatBond', () => {
  it('shows prio, actor port prio and churn states of a slave', () => {
    const text = formatBond(state);
    expect(text).toContain('queue 0, prio 0, actor port prio 100');
    expect(text).toContain('; churn actor none, partner churned');
  });
});
