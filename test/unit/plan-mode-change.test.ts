// What a change of mode sets by itself (bond_option_mode_set: tlb_dynamic_lb 1 into balance-alb,
// arp_validate none, broadcast_neighbor 0, miimon 100 from 0 into 802.3ad/tlb/alb): a plan that
// changes the mode writes such an option again after the mode when the spec wants another value,
// even when the bond reports the wanted value before the change (found by the kernel test
// mode-pairs: a rollback from balance-rr to balance-alb left tlb_dynamic_lb 1).
import { describe, expect, it } from 'vitest';
import type { BondState } from '../../lib/bond/state.js';
import { normalizeSpec } from '../../lib/plan/normalize.js';
import { buildPlan } from '../../lib/plan/plan.js';
import type { BondSpec, LiveBond } from '../../lib/plan/types.js';
import { bond } from './helpers/states.js';

const live = (state: BondState): LiveBond => ({ exists: true, state, slaveOrder: [], addresses: [], routes: [], vlans: [], links: [] });
const plan = (spec: BondSpec, state: BondState) => buildPlan(normalizeSpec(spec), live(state), undefined).map((s) => `${s.description}: ${s.reason}`);

describe('options a change of mode sets', () => {
  it('tlb_dynamic_lb 0 is written again after the mode goes to balance-alb', () => {
    const steps = plan({ name: 'bond0', mode: 'balance-alb', tlbDynamicLb: false }, bond({ mode: 'balance-rr', tlbDynamicLb: false }));
    expect(steps).toEqual([
      'set bond0 down: mode, tlbDynamicLb can only change while bond0 is down',
      'set mode balance-alb on bond0: mode is balance-rr, wanted balance-alb',
      'set tlbDynamicLb false on bond0: tlbDynamicLb is false and the change of mode sets it to true, wanted false',
      'set bond0 up: bond0 was taken down for the option change',
    ]);
  });

  it('is not written into balance-tlb, which keeps it', () => {
    const steps = plan({ name: 'bond0', mode: 'balance-tlb', tlbDynamicLb: false }, bond({ mode: 'balance-rr', tlbDynamicLb: false }));
    expect(steps.filter((s) => s.includes('tlbDynamicLb'))).toEqual([]);
  });

  it('arp_validate is written again after any change of mode', () => {
    const steps = plan({ name: 'bond0', mode: 'balance-xor', arpValidate: 'all', arpInterval: 100, arpIpTarget: ['192.0.2.1'], miimon: 0 }, bond({ mode: 'active-backup', miimon: 0, arpInterval: 100, arpIpTarget: ['192.0.2.1'], arpValidate: 'all' }));
    expect(steps.map((s) => s.split(':')[0])).toEqual(['set bond0 down', 'set mode balance-xor on bond0', 'set arpValidate all on bond0', 'set bond0 up']);
  });

  it('without a change of mode, a value the bond has is not written', () => {
    expect(plan({ name: 'bond0', mode: 'balance-alb', tlbDynamicLb: false }, bond({ mode: 'balance-alb', tlbDynamicLb: false }))).toEqual([]);
  });
});
