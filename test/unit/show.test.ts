// netbond show's text: per slave its speed and duplex, the priorities and, in 802.3ad, the churn
// states where the kernel reports them.
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

describe('formatBond speed and duplex', () => {
  it('shows them as ethtool does, and "speed unknown" for null', () => {
    const text = formatBond(bond({ slaves: [slave('eth0', { speed: 1000, duplex: 'full' }), slave('eth1', { speed: 100, duplex: 'half' }), slave('eth2', { speed: null, duplex: null })] }));
    expect(text).toContain('slave eth0: active, MII up, 1000Mb/s full, link failures 0');
    expect(text).toContain('slave eth1: active, MII up, 100Mb/s half, link failures 0');
    expect(text).toContain('slave eth2: active, MII up, speed unknown, link failures 0');
  });
});
