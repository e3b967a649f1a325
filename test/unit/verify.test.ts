// One verifier for the verbs and applyBond (lib/bond/option-plan.ts optionMismatches): what the
// kernel reports is compared with what was asked in normalized terms, so every spelling that
// validation accepts verifies. applyBond's verifier used to compare the spec's raw text and failed
// a spec the kernel had applied (EIO, then a rollback).
import { describe, expect, it } from 'vitest';
import { BondError } from '../../lib/errors.js';
import { verifyApplied } from '../../lib/bond/option-plan.js';
import { normalizeSpec } from '../../lib/plan/normalize.js';
import type { LiveBond } from '../../lib/plan/types.js';
import { verify } from '../../lib/plan/verify.js';
import { normalizeBondOptions } from '../../lib/validate/options.js';
import { BOND_MODES, BOND_OPTION_DEFS, SLAVE_OPTION_DEFS, defaultValue, type BondOptions } from '../../lib/option-table.js';
import { normalizeValue } from '../../lib/validate/values.js';
import { bond, slave } from './helpers/states.js';

const lacp = bond({
  mode: '802.3ad',
  lacpRate: 'fast',
  adActorSystem: '02:aa:bb:cc:dd:ee',
  arpIpTarget: [],
  nsIp6Target: ['2001:db8::1', 'fe80::2'],
  slaves: [slave('eth0'), slave('eth1')],
});
const live: LiveBond = { exists: true, state: lacp, slaveOrder: ['eth0', 'eth1'], addresses: [], routes: [], vlans: [], links: [] };

// Each is what the kernel above reports, in another spelling than it reports it.
const SPELLINGS: [string, BondOptions][] = [
  ['an IPv6 target in upper case and long form', { nsIp6Target: ['2001:DB8:0:0::1', 'FE80::2'] }],
  ['targets in another order', { nsIp6Target: ['fe80::2', '2001:db8::1'] }],
  ['a MAC in upper case', { adActorSystem: '02:AA:BB:CC:DD:EE' }],
  ['enum values as numbers', { mode: 4, lacpRate: 1 }],
];

describe('the one verifier', () => {
  it.each(SPELLINGS)('applyBond verifies %s', (_label, options) => {
    expect(() => verify(normalizeSpec({ name: 'bond0', mode: '802.3ad', ...options }), live)).not.toThrow();
  });
  it.each(SPELLINGS)('the verbs verify %s', (_label, options) => {
    expect(() => verifyApplied('bond0', normalizeBondOptions(options, { bond: 'bond0', modeChecks: false }).options, lacp)).not.toThrow();
  });
  it('names the option, the value asked and the value reported, as the user writes them, with EIO', () => {
    const spec = normalizeSpec({ name: 'bond0', mode: '802.3ad', lacpRate: 'slow', nsIp6Target: ['2001:db8::9'] });
    let error: unknown;
    try {
      verify(spec, live);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BondError);
    expect((error as BondError).code).toBe('EIO');
    expect((error as BondError).message).toContain('lacpRate slow but reports fast');
    expect((error as BondError).message).toContain('nsIp6Target ["2001:db8::9"] but reports ["2001:db8::1","fe80::2"]');
  });
});

describe("ad_actor_system: the kernel's default is a value it takes", () => {
  it('00:00:00:00:00:00 is accepted (it is what the kernel reports and what it restores to)', () => {
    expect(normalizeSpec({ name: 'bond0', mode: '802.3ad', adActorSystem: '00:00:00:00:00:00' }).options.adActorSystem).toBe('00:00:00:00:00:00');
    expect(normalizeBondOptions({ mode: '802.3ad', adActorSystem: '00:00:00:00:00:00' }, { bond: 'bond0' }).options.size).toBe(2);
  });
  it('a group address is refused, as the kernel refuses it', () => {
    expect(() => normalizeSpec({ name: 'bond0', mode: '802.3ad', adActorSystem: '01:00:5e:00:00:01' })).toThrow(expect.objectContaining({ option: 'adActorSystem', allowed: expect.stringContaining("00:00:00:00:00:00 for the bond's own") }));
  });
});

describe("every kernel default is a value netbond writes back", () => {
  // What getBond reports on a bond nobody configured must be accepted by setBondOptions and
  // applyBond, or a changed option can never be put back (ad_actor_system's all-zero was not).
  it.each([...BOND_OPTION_DEFS, ...SLAVE_OPTION_DEFS].map((def) => [def.key, def] as const))('%s', (_key, def) => {
    for (const mode of BOND_MODES.keys()) expect(() => normalizeValue(def, defaultValue(def, mode)), `${def.key} in ${BOND_MODES[mode]}`).not.toThrow();
  });
});
