// Cases a declarative peer's public bond suite checks (issue 33), ported to netbond's API and
// checked with `ip -d -j`: values netbond reads must be writable back, a rollback must put back
// every value it saved or say which it could not, and a value written in another valid spelling
// than the kernel reports it must verify.
import { describe, expect, it } from 'vitest';
import { ApplyError, applyBond, setBondOptions, type BondSpec } from '../../lib/index.js';
import type { Lab } from './helpers/lab.js';
import { labPerTest } from './helpers/lab-per-test.js';
import { settledSnapshot } from './helpers/snapshot.js';

let lab: Lab;
labPerTest((created) => (lab = created), [['e1', 'sw-e1'], ['e2', 'sw-e2']], { peersUp: true });

const bondData = async () => (await lab.link('bond0')).linkinfo?.info_data as Record<string, unknown>;
const ZERO = '00:00:00:00:00:00';

describe('ad_actor_system', () => {
  it("is settable back to the kernel's default 00:00:00:00:00:00, by applyBond and by setBondOptions", async () => {
    const netns = lab.ns;
    const spec: BondSpec = { name: 'bond0', mode: '802.3ad', miimon: 100, slaves: ['e1', 'e2'] };
    await applyBond(spec, { netns, healthTimeout: 0 });
    expect((await bondData()).ad_actor_system).toBe(ZERO);
    await applyBond({ ...spec, adActorSystem: '02:aa:bb:cc:dd:ee' }, { netns, healthTimeout: 0 });
    expect((await bondData()).ad_actor_system).toBe('02:aa:bb:cc:dd:ee');
    const back = await applyBond({ ...spec, adActorSystem: ZERO }, { netns, healthTimeout: 0 });
    expect(back.state?.adActorSystem).toBe(ZERO);
    expect((await bondData()).ad_actor_system).toBe(ZERO);
    await setBondOptions('bond0', { adActorSystem: '02:aa:bb:cc:dd:ee' }, { netns });
    await setBondOptions('bond0', { adActorSystem: ZERO }, { netns });
    expect((await bondData()).ad_actor_system).toBe(ZERO);
  });

  it('a rollback puts the default back: ip shows 00:00:00:00:00:00 after an apply fails at its last step', async () => {
    const netns = lab.ns;
    const spec: BondSpec = { name: 'bond0', mode: '802.3ad', miimon: 100, slaves: ['e1', 'e2'] };
    await applyBond(spec, { netns, healthTimeout: 0 });
    const before = await settledSnapshot(lab);
    const target: BondSpec = { ...spec, adActorSystem: '02:aa:bb:cc:dd:ee', miimon: 200, addresses: ['10.9.0.1/24'] };
    const error = await applyBond(target, {
      netns,
      healthTimeout: 0,
      onStep: (_index, step) => {
        if (step.kind === 'add-address') throw new Error('injected fault at the last step');
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplyError);
    expect((error as ApplyError).rollbackErrors).toEqual([]);
    expect((await bondData()).ad_actor_system).toBe(ZERO);
    expect(await settledSnapshot(lab)).toBe(before);
  });
});

describe('values in another spelling than the kernel reports them', () => {
  it('verify: IPv6 targets in upper case and long form, a MAC in upper case, enum numbers', async () => {
    const netns = lab.ns;
    const spec: BondSpec = {
      name: 'bond0',
      mode: 4,
      lacpRate: 1,
      miimon: 100,
      adActorSystem: '02:AA:BB:CC:DD:EE',
      nsIp6Target: ['2001:DB8:0:0::1', 'FE80::2'],
      slaves: ['e1', 'e2'],
    };
    const result = await applyBond(spec, { netns, healthTimeout: 0 });
    expect(result.state).toMatchObject({ mode: '802.3ad', lacpRate: 'fast', adActorSystem: '02:aa:bb:cc:dd:ee', nsIp6Target: ['2001:db8::1', 'fe80::2'] });
    const data = await bondData();
    expect(data).toMatchObject({ mode: '802.3ad', ad_lacp_rate: 'fast', ad_actor_system: '02:aa:bb:cc:dd:ee' });
    // iproute2 prints ns_ip6_target from 6.0 on; Debian's 6.1 does.
    expect(data.ns_ip6_target).toEqual(['2001:db8::1', 'fe80::2']);
    // And the same spec again changes nothing.
    expect((await applyBond(spec, { netns, healthTimeout: 0 })).steps).toEqual([]);
  });
});
