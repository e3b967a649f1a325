// Cases a declarative peer's public bond suite checks (issue 33), ported to netbond's API and
// checked with `ip -d -j`: values netbond reads must be writable back, a rollback must put back
// every value it saved or say which it could not, and a value written in another valid spelling
// than the kernel reports it must verify.
import { describe, expect, it } from 'vitest';
import { ApplyError, applyBond, applyBonds, setBondOptions, ValidationError, type BondSpec } from '../../lib/index.js';
import type { Lab } from './helpers/lab.js';
import { labPerTest } from './helpers/lab-per-test.js';
import { settledSnapshot } from './helpers/snapshot.js';

let lab: Lab;
labPerTest((created) => (lab = created), [['e1', 'sw-e1'], ['e2', 'sw-e2']], { peersUp: true });

const bondData = async () => (await lab.link('bond0')).linkinfo?.info_data as Record<string, unknown>;
const queueIds = async () => Object.fromEntries(await Promise.all(['e1', 'e2'].map(async (nic) => [nic, (await lab.link(nic)).linkinfo?.info_slave_data?.queue_id])));
const ZERO = '00:00:00:00:00:00';

/** Applies `spec` with a fault injected at its last step (adding an address) and expects a complete rollback. */
async function expectRolledBack(spec: BondSpec): Promise<void> {
  const error = await applyBond(spec, {
    netns: lab.ns,
    healthTimeout: 0,
    onStep: (_index, step) => {
      if (step.kind === 'add-address') throw new Error('injected fault at the last step');
    },
  }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ApplyError);
  expect((error as ApplyError).rollbackErrors).toEqual([]);
}

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
    await expectRolledBack(target);
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

describe('per-port options', () => {
  it('queue ids swap between two ports in one apply (the kernel refuses a duplicate at each write)', async () => {
    const netns = lab.ns;
    const spec = (e1: number, e2: number): BondSpec => ({ name: 'bond0', mode: 'active-backup', miimon: 100, slaves: [{ name: 'e1', queueId: e1 }, { name: 'e2', queueId: e2 }] });
    await applyBond(spec(0, 1), { netns, healthTimeout: 0 });
    expect(await queueIds()).toEqual({ e1: 0, e2: 1 });
    await applyBond(spec(1, 0), { netns, healthTimeout: 0 });
    expect(await queueIds()).toEqual({ e1: 1, e2: 0 });
    await applyBond(spec(2, 1), { netns, healthTimeout: 0 });
    const swapped = await applyBond(spec(1, 2), { netns, healthTimeout: 0 });
    expect(await queueIds()).toEqual({ e1: 1, e2: 2 });
    // Two nonzero ids swap through 0, once.
    expect(swapped.steps.map((s) => s.description)).toEqual(['set queueId 0 on e1', 'set queueId 2 on e2', 'set queueId 1 on e1']);
  });

  it('an id another port keeps is refused before any change', async () => {
    const netns = lab.ns;
    await applyBond({ name: 'bond0', mode: 'active-backup', miimon: 100, slaves: [{ name: 'e1', queueId: 0 }, { name: 'e2', queueId: 1 }] }, { netns, healthTimeout: 0 });
    const before = await settledSnapshot(lab);
    const error = await applyBond({ name: 'bond0', mode: 'active-backup', miimon: 100, slaves: [{ name: 'e1', queueId: 1 }, 'e2'] }, { netns, healthTimeout: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ bond: 'bond0', option: 'slaves', value: 1 });
    expect(String((error as Error).message)).toContain('queueId 1 of e1 is held by e2');
    expect(await settledSnapshot(lab)).toBe(before);
    // A mode change re-enslaves both ports with queue id 0: then the same ports are no conflict.
    await applyBond({ name: 'bond0', mode: 'balance-xor', miimon: 100, slaves: [{ name: 'e1', queueId: 1 }, 'e2'] }, { netns, healthTimeout: 0 });
    expect(await queueIds()).toEqual({ e1: 1, e2: 0 });
  });
});

describe("the bond's MAC across a live mode change", () => {
  it('stays what the spec says, and what it was when the spec does not say', async () => {
    const netns = lab.ns;
    const MAC = '02:ff:ff:ff:ff:00';
    const spec: BondSpec = { name: 'bond0', mode: 'balance-rr', miimon: 100, mac: MAC, slaves: ['e1', 'e2'] };
    await applyBond(spec, { netns, healthTimeout: 0 });
    expect((await lab.link('bond0')).address).toBe(MAC);
    await applyBond({ ...spec, mode: 'active-backup' }, { netns, healthTimeout: 0 });
    expect((await lab.link('bond0')).address).toBe(MAC);
    // Without mac in the spec the bond keeps the one it has, and the ports follow it.
    const { mac: _mac, ...noMac } = spec;
    await applyBond({ ...noMac, mode: 'balance-xor' }, { netns, healthTimeout: 0 });
    expect((await lab.link('bond0')).address).toBe(MAC);
    for (const nic of ['e1', 'e2']) expect((await lab.link(nic)).address).toBe(MAC);
  });
});

describe('ports moved between bonds in one transaction', () => {
  const b8 = (slave: string): BondSpec => ({ name: 'b8', mode: 'active-backup', miimon: 100, slaves: [slave] });
  const b9 = (slave: string): BondSpec => ({ name: 'b9', mode: 'balance-xor', miimon: 100, slaves: [slave] });
  const masters = async () => Object.fromEntries(await Promise.all(['e1', 'e2'].map(async (nic) => [nic, (await lab.link(nic)).master])));

  it('swap: b8 takes b9\'s port and b9 takes b8\'s; a failure at the last step puts both back', async () => {
    const netns = lab.ns;
    await applyBonds([b8('e1'), b9('e2')], { netns, healthTimeout: 0 });
    expect(await masters()).toEqual({ e1: 'b8', e2: 'b9' });
    const before = await settledSnapshot(lab);
    const error = await applyBonds([b8('e2'), b9('e1')], {
      netns,
      healthTimeout: 0,
      onStep: (_index, step) => {
        if (step.description === 'enslave e1 -> b9') throw new Error('injected fault at the last step');
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplyError);
    expect((error as ApplyError).rollbackErrors).toEqual([]);
    expect(await settledSnapshot(lab)).toBe(before);

    const swapSteps = ['release e1 from b8', 'enslave e2 -> b8', 'release e2 from b9', 'enslave e1 -> b9'];
    // The dry run says what the run does: each bond's plan starts from the bond without its contested port.
    const dry = await applyBonds([b8('e2'), b9('e1')], { netns, dryRun: true });
    expect(dry.bonds.flatMap((b) => b.steps.map((s) => s.description))).toEqual(swapSteps);
    const result = await applyBonds([b8('e2'), b9('e1')], { netns, healthTimeout: 0 });
    expect(await masters()).toEqual({ e1: 'b9', e2: 'b8' });
    expect(result.bonds.flatMap((b) => b.steps.map((s) => s.description))).toEqual(swapSteps);
  });
});

describe('what the live read shows to be impossible is refused before the first change', () => {
  it('a slave that does not exist: lacp_rate and every other value stay as they were', async () => {
    const netns = lab.ns;
    const ab: BondSpec = { name: 'bond0', mode: 'active-backup', miimon: 100, slaves: ['e1'] };
    await applyBond(ab, { netns, healthTimeout: 0 });
    const before = await settledSnapshot(lab);
    const steps: string[] = [];
    const error = await applyBond({ ...ab, mode: '802.3ad', lacpRate: 'fast', slaves: ['e1', 'nosuch0'] }, { netns, healthTimeout: 0, onStep: (_i, step) => void steps.push(step.description) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplyError);
    expect(error).toMatchObject({ code: 'ENODEV', failedStep: undefined, rollbackErrors: [] });
    expect(String((error as Error).message)).toContain('nosuch0 does not exist');
    expect(steps).toEqual([]);
    expect((await bondData()).ad_lacp_rate).toBe('slow');
    expect(await settledSnapshot(lab)).toBe(before);
  });

  it("a bonds: [...] transaction whose second bond names a missing slave leaves the first bond's NIC alone", async () => {
    const netns = lab.ns;
    const before = await settledSnapshot(lab);
    const error = await applyBonds([
      { name: 'b1', mode: 'active-backup', slaves: ['e1'] },
      { name: 'b2', mode: 'active-backup', slaves: ['e2', 'nosuch0'] },
    ], { netns, healthTimeout: 0 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ENODEV', bond: 'b2', failedStep: undefined });
    expect(await settledSnapshot(lab)).toBe(before);
  });
});

describe('a rollback through a mode change', () => {
  it('puts back what only the other mode takes: lacp_rate of an active-backup bond after a failed change to 802.3ad', async () => {
    const netns = lab.ns;
    const ab: BondSpec = { name: 'bond0', mode: 'active-backup', miimon: 100, slaves: ['e1', 'e2'] };
    await applyBond(ab, { netns, healthTimeout: 0 });
    expect((await bondData()).ad_lacp_rate).toBe('slow');
    const before = await settledSnapshot(lab);
    await expectRolledBack({ ...ab, mode: '802.3ad', lacpRate: 'fast', adSelect: 'bandwidth', addresses: ['10.9.0.1/24'] });
    expect(await bondData()).toMatchObject({ mode: 'active-backup', ad_lacp_rate: 'slow', ad_select: 'stable' });
    expect(await settledSnapshot(lab)).toBe(before);
  });
});
