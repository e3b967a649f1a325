// The driver check with the addon replaced: what the trial bond's dump says decides, not a version
// number; a request for what the driver lacks is refused before any change reaches the kernel,
// naming the attribute or value; without a new namespace (EPERM) the bonds already there are read.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { featuresFromLinks, needsDriverCheck, driverLacks } from '../../lib/features/model.js';
import type { NativeLink, NativeRtnlRequest } from '../../lib/native.js';
import { OPTION_BY_KEY, SLAVE_OPTION_DEFS } from '../../lib/option-table.js';

const range = (last: number) => Object.fromEntries(Array.from({ length: last }, (_, i) => [i + 1, 0]));
const link = (fields: Partial<NativeLink>): NativeLink => ({ ifindex: 1, ifname: 'x', flags: 0, mtu: 1500, operstate: 0, address: Buffer.alloc(6), master: 0, numTxQueues: 1, ...fields });
// A driver like Debian's 6.12: bond attributes to COUPLED_CONTROL (32), slave attributes to ACTOR_PORT_PRIO (10).
const dump = [link({ ifname: 'trial-bond', kind: 'bond', infoData: range(32) }), link({ ifname: 'trial-slave', slaveKind: 'bond', slaveData: range(10) })];
const def = (key: string) => OPTION_BY_KEY.get(key)!;
const nativeError = (errnum: number) => Object.assign(new Error('netlink'), { errnum, syscall: 'netlink', requestIndex: 0 });

afterEach(() => {
  vi.restoreAllMocks();
  vi.resetModules();
});

describe('features from a dump', () => {
  it('counts every attribute below the highest one sent (the kernel leaves empty lists out)', () => {
    const features = featuresFromLinks([link({ kind: 'bond', infoData: { 1: 0, 3: 0, 32: 0 } })], 'trial bond')!;
    expect(features.bondAttrs.has(8)).toBe(true); // ARP_IP_TARGET, empty, not in the dump
    expect(driverLacks(features, { def: def('coupledControl'), space: 'bond' })).toBe(false);
    expect(driverLacks(features, { def: def('broadcastNeighbor'), space: 'bond' })).toBe(true);
  });

  it('asks the kernel only about what is newer than every kernel netbond runs on', () => {
    expect(needsDriverCheck({ def: def('miimon'), space: 'bond' })).toBe(false);
    expect(needsDriverCheck({ def: def('coupledControl'), space: 'bond' })).toBe(true);
    expect(needsDriverCheck({ def: def('adSelect'), space: 'bond', value: 'stable' })).toBe(false);
    expect(needsDriverCheck({ def: def('adSelect'), space: 'bond', value: 'actor_port_prio' })).toBe(true);
    const actorPortPrio = SLAVE_OPTION_DEFS.find((d) => d.key === 'actorPortPrio')!;
    expect(driverLacks(featuresFromLinks(dump, 'trial bond'), { def: actorPortPrio, space: 'slave' })).toBe(false);
  });
});

describe('the driver check in the verbs', () => {
  async function withTrial(trial: (requests: readonly NativeRtnlRequest[]) => Promise<NativeLink[][]>) {
    const lib = await import('../../lib/index.js');
    const addon = (await import('../../lib/native.js')).native();
    const trials = vi.spyOn(addon, 'rtnlBatchInNewNamespace').mockImplementation(trial);
    const changes = vi.spyOn(addon, 'rtnlBatch').mockImplementation(async (_ns, requests) => requests.map((r) => (r.op === 'dumplinks' ? dump : [])));
    return { lib, changes, trials };
  }

  it('refuses an option the detection did not find, naming its attribute, before any change', async () => {
    const { lib, changes } = await withTrial(async (requests) => (requests.length > 1 ? [[], [], [], [], dump] : Promise.reject(nativeError(22))));
    await expect(lib.createBond('bond0', { mode: '802.3ad', broadcastNeighbor: true })).rejects.toMatchObject({
      name: 'ValidationError',
      option: 'broadcastNeighbor',
      message: "this kernel's bonding driver has no broadcastNeighbor (IFLA_BOND_BROADCAST_NEIGH)",
    });
    await expect(lib.createBond('bond0', { mode: '802.3ad', adSelect: 'actor_port_prio' })).rejects.toMatchObject({
      message: "this kernel's bonding driver has no adSelect value 'actor_port_prio'",
    });
    expect(changes).not.toHaveBeenCalled();
  });

  it('without a new namespace (EPERM), learns from the bonds already in the caller\'s namespace', async () => {
    const { lib, changes } = await withTrial(() => Promise.reject(nativeError(1)));
    await expect(lib.createBond('bond0', { mode: '802.3ad', lacpStrict: true })).rejects.toMatchObject({
      message: "this kernel's bonding driver has no lacpStrict (IFLA_BOND_LACP_STRICT) (learned from the existing bonds)",
    });
    expect(changes.mock.calls.map(([, requests]) => requests.map((r) => r.op))).toEqual([['dumplinks']]);
  });

  it('does not keep a detection failure that is not the kernel\'s answer: the next call detects again', async () => {
    let calls = 0;
    const { lib } = await withTrial(async (requests) => {
      calls += 1;
      if (calls === 1) throw new TypeError('not a kernel answer');
      return requests.length > 1 ? [[], [], [], [], dump] : Promise.reject(nativeError(22));
    });
    await expect(lib.createBond('bond0', { mode: '802.3ad', lacpStrict: true })).rejects.toThrow('not a kernel answer');
    await expect(lib.createBond('bond0', { mode: '802.3ad', lacpStrict: true })).rejects.toMatchObject({
      message: "this kernel's bonding driver has no lacpStrict (IFLA_BOND_LACP_STRICT)",
    });
  });

  it('asks nothing for options every kernel has', async () => {
    const { lib, changes, trials } = await withTrial(() => Promise.reject(new Error('must not detect')));
    // The faked kernel answers nothing to the create, so the call fails after sending it.
    await lib.createBond('bond0', { mode: 'active-backup', miimon: 100 }).catch(() => undefined);
    expect(trials).not.toHaveBeenCalled();
    expect(changes.mock.calls[0]?.[1][0]).toMatchObject({ op: 'newlink', ifname: 'bond0', kind: 'bond' });
  });
});
