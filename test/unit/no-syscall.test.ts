// Bad input is refused before anything reaches the kernel: the addon is never called.
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { createBond, deleteBond, enslave, getBond, release, setActiveSlave, setBondOptions, ValidationError } from '../../lib/index.js';
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
];

describe('validation happens before any syscall', () => {
  it.each(cases)('%s', async (_name, call) => {
    await expect(call()).rejects.toBeInstanceOf(ValidationError);
    expect(spy).not.toHaveBeenCalled();
  });
});
