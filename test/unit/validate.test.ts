import { describe, expect, it } from 'vitest';
import { OPTION_BY_KEY, BOND_OPTION_DEFS } from '../../lib/option-table.js';
import { normalizeOptions } from '../../lib/validate/options.js';
import { normalizeValue } from '../../lib/validate/values.js';
import { validationError } from './helpers/errors.js';

const ctx = { bond: 'bond0', mode: 1, currentMiimon: 0 };
const spec = (key: string) => OPTION_BY_KEY.get(key)!;

describe('normalizeValue', () => {
  it('maps enum names and numbers to the kernel value', () => {
    expect(normalizeValue(spec('mode'), '802.3ad')).toBe(4);
    expect(normalizeValue(spec('mode'), 6)).toBe(6);
    expect(normalizeValue(spec('xmitHashPolicy'), 'layer3+4')).toBe(1);
    expect(normalizeValue(spec('arpValidate'), 'filter_backup')).toBe(6);
  });

  it('names the option, the value and the allowed values', () => {
    const error = validationError(() => normalizeValue(spec('mode'), 'balance-foo', 'bond0'));
    expect(error.message).toBe(
      "Expected one of 'balance-rr', 'active-backup', 'balance-xor', 'broadcast', '802.3ad', 'balance-tlb', 'balance-alb' (or 0-6) for mode of bond bond0 but received \"balance-foo\"",
    );
    expect(error.option).toBe('mode');
    expect(error.value).toBe('balance-foo');
    expect(error.code).toBe('EINVAL');
    expect(error.errno).toBe(-22);
    expect(error.syscall).toBe('validate');
  });

  it('checks integer ranges and types', () => {
    expect(validationError(() => normalizeValue(spec('miimon'), -5)).message).toBe(
      'Expected integer between 0 and 2147483647 for miimon but received -5',
    );
    validationError(() => normalizeValue(spec('miimon'), 1.5));
    validationError(() => normalizeValue(spec('miimon'), '100'));
    validationError(() => normalizeValue(spec('resendIgmp'), 256));
    validationError(() => normalizeValue(spec('lpInterval'), 0));
    validationError(() => normalizeValue(spec('peerNotifDelay'), 300001));
    validationError(() => normalizeValue(spec('adActorSysPrio'), 0));
    validationError(() => normalizeValue(spec('adUserPortKey'), 1024));
    expect(normalizeValue(spec('packetsPerSlave'), 65535)).toBe(65535);
  });

  it('checks booleans strictly', () => {
    expect(normalizeValue(spec('allSlavesActive'), true)).toBe(true);
    validationError(() => normalizeValue(spec('allSlavesActive'), 1));
  });

  it('checks ARP and NS targets', () => {
    expect(normalizeValue(spec('arpIpTarget'), ['10.0.0.1', '10.0.0.2'])).toEqual(['10.0.0.1', '10.0.0.2']);
    validationError(() => normalizeValue(spec('arpIpTarget'), ['0.0.0.0']));
    validationError(() => normalizeValue(spec('arpIpTarget'), ['255.255.255.255']));
    validationError(() => normalizeValue(spec('arpIpTarget'), ['10.0.0.1', '10.0.0.1']));
    validationError(() => normalizeValue(spec('arpIpTarget'), ['fe80::1']));
    validationError(() => normalizeValue(spec('arpIpTarget'), Array.from({ length: 17 }, (_, i) => `10.0.0.${i + 1}`)));
    expect(normalizeValue(spec('nsIp6Target'), ['2001:DB8:0:0::1'])).toEqual(['2001:db8::1']);
    validationError(() => normalizeValue(spec('nsIp6Target'), ['::1']));
    validationError(() => normalizeValue(spec('nsIp6Target'), ['ff02::1']));
  });

  it('checks MAC addresses', () => {
    expect(normalizeValue(spec('adActorSystem'), '02:AA:00:00:00:01')).toBe('02:aa:00:00:00:01');
    validationError(() => normalizeValue(spec('adActorSystem'), '01:00:5e:00:00:01'));
    validationError(() => normalizeValue(spec('adActorSystem'), '02:aa:00:00:00'));
  });

});

describe('normalizeOptions', () => {
  it('rejects unknown keys and suggests the nearest', () => {
    const error = validationError(() => normalizeOptions({ miimom: 100 } as never, ctx));
    expect(error.message).toMatch(/^Unknown option 'miimom' for bond bond0; did you mean 'miimon'\?/);
  });


  it('refuses options the mode does not take', () => {
    expect(validationError(() => normalizeOptions({ packetsPerSlave: 2 }, ctx)).message).toBe(
      'packetsPerSlave is only supported in mode balance-rr; bond bond0 is active-backup',
    );
    validationError(() => normalizeOptions({ arpInterval: 100 }, { ...ctx, mode: 4 }));
    validationError(() => normalizeOptions({ lacpRate: 'fast' }, ctx));
  });

  it('refuses MII and ARP monitoring together', () => {
    expect(validationError(() => normalizeOptions({ miimon: 100, arpInterval: 100 }, ctx)).message).toMatch(/exclude each other/);
    validationError(() => normalizeOptions({ miimon: 100, arpValidate: 'all' }, ctx));
  });

  it('needs miimon for delays and multiples of it', () => {
    expect(validationError(() => normalizeOptions({ updelay: 200 }, ctx)).message).toMatch(/needs MII monitoring/);
    expect(validationError(() => normalizeOptions({ miimon: 100, downdelay: 150 }, ctx)).message).toMatch(/round it down to 100/);
    expect(normalizeOptions({ updelay: 200 }, { ...ctx, currentMiimon: 100 }).size).toBe(1);
    // 802.3ad turns miimon on by itself when it is 0.
    expect(normalizeOptions({ mode: '802.3ad', updelay: 200 }, { ...ctx, mode: 4 }).size).toBe(2);
  });

  it('returns options in the order the kernel applies them', () => {
    const out = normalizeOptions({ updelay: 200, miimon: 100, mode: 1 }, ctx);
    expect([...out.keys()].map((s) => s.key)).toEqual(['mode', 'miimon', 'updelay']);
  });
});

describe('the option table', () => {
  it('has one entry per attribute and key', () => {
    expect(new Set(BOND_OPTION_DEFS.map((s) => s.attr)).size).toBe(BOND_OPTION_DEFS.length);
    expect(new Set(BOND_OPTION_DEFS.map((s) => s.key)).size).toBe(BOND_OPTION_DEFS.length);
  });
});
