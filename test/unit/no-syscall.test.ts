// Bad input is refused before anything reaches the kernel: the addon is never called.
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { createBond, createBridge, createIpvlan, createMacvlan, createNamespace, createVeth, createVlan, deleteBond, deleteLink, enslave, getBond, moveLink, release, setActiveSlave, setBondOptions, setMaster, ValidationError } from '../../lib/index.js';
import { native } from '../../lib/native.js';

let spy: MockInstance;
beforeEach(() => {
  spy = vi.spyOn(native(), 'rtnlBatch');
});
afterEach(() => {
  spy.mockRestore();
});

const cases: [string, () => Promise<unknown>][] = [
  ['out-of-range miimon', () => createBond('bond0', { miimon: -5 })],
  ['wrong-type miimon', () => createBond('bond0', { miimon: '100' as never })],
  ['unknown mode', () => createBond('bond0', { mode: 'balance-foo' as never })],
  ['mode number out of range', () => createBond('bond0', { mode: 7 })],
  ['misspelled option', () => createBond('bond0', { miimom: 100 } as never)],
  ['option of another mode', () => createBond('bond0', { mode: 'active-backup', lacpRate: 'fast' })],
  ['MII and ARP together', () => createBond('bond0', { miimon: 100, arpInterval: 100 })],
  ['too-long name', () => createBond('bond0123456789ab')],
  ['name with a slash', () => createBond('bond/0')],
  ['name with a space', () => createBond('bond 0')],
  ['bad slave name', () => createBond('bond0', { slaves: ['eth 0'] })],
  ['duplicate slave', () => createBond('bond0', { slaves: ['eth0', 'eth0'] })],
  ['bond as its own slave', () => enslave('bond0', 'bond0')],
  ['bad netns', () => getBond('bond0', { netns: '../x' })],
  ['unknown call option', () => deleteBond('bond0', { netnz: 'x' } as never)],
  ['bad release name', () => release('bond0', ['ok0', 'no/pe'])],
  ['bad active slave name', () => setActiveSlave('bond0', 'a b')],
  ['bad value in setBondOptions', () => setBondOptions('bond0', { resendIgmp: 300 })],
  ['VLAN id 0', () => createVlan('v0', { link: 'eth0', id: 0 })],
  ['VLAN id 4095', () => createVlan('v0', { link: 'eth0', id: 4095 })],
  ['VLAN protocol', () => createVlan('v0', { link: 'eth0', id: 5, protocol: '802.1x' as never })],
  ['VLAN without link', () => createVlan('v0', { id: 5 } as never)],
  ['veth without peer', () => createVeth('v0', {} as never)],
  ['veth peer name', () => createVeth('v0', { peer: 'a/b' })],
  ['veth peer namespace', () => createVeth('v0', { peer: 'v1', peerNetns: '..' })],
  ['macvlan mode', () => createMacvlan('mv0', { link: 'bond0', mode: 'bridged' as never })],
  ['macvlan mode by number', () => createMacvlan('mv0', { link: 'bond0', mode: 4 as never })],
  ['macvlan without link', () => createMacvlan('mv0', {} as never)],
  ['macvlan link name', () => createMacvlan('mv0', { link: 'bond 0' })],
  ['misspelled macvlan option', () => createMacvlan('mv0', { link: 'bond0', mdoe: 'bridge' } as never)],
  ['macvlan name', () => createMacvlan('mv/0', { link: 'bond0' })],
  ['ipvlan mode', () => createIpvlan('iv0', { link: 'bond0', mode: 'l4' as never })],
  ['ipvlan flags', () => createIpvlan('iv0', { link: 'bond0', mode: 'l2', flags: 'private,vepa' as never })],
  ['ipvlan without link', () => createIpvlan('iv0', { mode: 'l2' } as never)],
  ['ipvlan bad netns', () => createIpvlan('iv0', { link: 'bond0', netns: '../x' })],
  ['ipvlan up not boolean', () => createIpvlan('iv0', { link: 'bond0', up: 'yes' as never })],
  ['misspelled bridge option', () => createBridge('br0', { sttp: true } as never)],
  ['bridge stp not boolean', () => createBridge('br0', { stp: 'on' as never })],
  ['up not boolean', () => createBridge('br0', { up: 1 as never })],
  ['setMaster name', () => setMaster('eth0', 'br 0')],
  ['moveLink target', () => moveLink('eth0', { pid: -1 })],
  ['deleteLink name', () => deleteLink('x'.repeat(16))],
  ['namespace name', () => createNamespace('a/b')],
  ['namespace name type', () => createNamespace(7 as never)],
];

describe('validation happens before any syscall', () => {
  it.each(cases)('%s', async (_name, call) => {
    await expect(call()).rejects.toBeInstanceOf(ValidationError);
    expect(spy).not.toHaveBeenCalled();
  });
});
