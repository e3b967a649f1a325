// diffBond: which events lead from one state of a bond to the next.
import { describe, expect, it } from 'vitest';
import { diffBond } from '../../lib/watch/watcher.js';
import type { BondState } from '../../lib/bond/state.js';
import { bond, slave } from './helpers/states.js';

const types = (before: BondState, after: BondState) => diffBond(before, after, 1n).map((e) => e.type);

describe('diffBond', () => {
  it('reports nothing for equal states', () => {
    expect(types(bond(), bond())).toEqual([]);
  });

  it('reports a failover with the link change that caused it', () => {
    const after = bond({
      activeSlave: 'eth1',
      slaves: [slave('eth0', { state: 'backup', miiStatus: 'down', linkFailureCount: 1 }), slave('eth1')],
    });
    const events = diffBond(bond(), after, 42n);
    expect(events.map((e) => e.type)).toEqual(['slave-link', 'active-slave-changed']);
    expect(events[0]).toMatchObject({ slave: 'eth0', status: 'down', previous: 'up', linkFailureCount: 1, timestamp: 42n, bond: 'bond0' });
    expect(events[1]).toMatchObject({ from: 'eth0', to: 'eth1' });
    expect(events[1]?.type !== 'resync' && events[1]?.state).toBe(after);
  });

  it('reports slaves joining and leaving', () => {
    expect(types(bond(), bond({ slaves: [slave('eth0')] }))).toEqual(['slave-removed']);
    expect(types(bond({ slaves: [slave('eth0')] }), bond())).toEqual(['slave-added']);
  });

  it('reports carrier and option changes', () => {
    const events = diffBond(bond(), bond({ carrier: false, miimon: 200, updelay: 200 }), 1n);
    expect(events.map((e) => e.type)).toEqual(['carrier', 'options-changed']);
    expect(events[1]).toMatchObject({ changed: { miimon: { from: 100, to: 200 }, updelay: { from: undefined, to: 200 } } });
  });

  it('reports LACP changes in 802.3ad only', () => {
    const lacp = (value: number) => ({ value, activity: true, timeout: true, aggregation: true, synchronization: value === 63, collecting: value === 63, distributing: value === 63, defaulted: false, expired: false });
    const before = bond({ mode: '802.3ad', activeSlave: null, slaves: [slave('eth0', { adAggregatorId: 1, adActorOperPortState: lacp(7) })] });
    const after = bond({ mode: '802.3ad', activeSlave: null, slaves: [slave('eth0', { adAggregatorId: 1, adActorOperPortState: lacp(63) })] });
    const events = diffBond(before, after, 1n);
    expect(events.map((e) => e.type)).toEqual(['lacp-changed']);
    expect(events[0]).toMatchObject({ ports: [{ slave: 'eth0', adActorOperPortState: { distributing: true } }] });
  });
});

describe('churn in lacp-changed', () => {
  it('reports a churn change of a port, with the churn states in the port view', () => {
    const lacp = (churn: 'monitoring' | 'none') =>
      bond({ mode: '802.3ad', activeSlave: null, slaves: [slave('eth0', { adAggregatorId: 1, adChurnActorState: churn, adChurnPartnerState: churn })] });
    const [event] = diffBond(lacp('monitoring'), lacp('none'), 1n);
    expect(event).toMatchObject({ type: 'lacp-changed', ports: [{ slave: 'eth0', adChurnActorState: 'none', adChurnPartnerState: 'none' }] });
  });
});
