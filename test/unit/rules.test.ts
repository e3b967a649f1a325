// Each input rule is written once (lib/validate/) and every caller gets the same answer: the API,
// the declarative engine, the CLI and the importers. These are the rules whose copies disagreed
// before they were unified, each checked through every caller that used to have its own copy.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.js';
import { normalizeSpec } from '../../lib/plan/normalize.js';
import { parseOptionWords } from '../../lib/cli/values.js';
import { checkAddress, checkMac, checkMtu, checkRoute } from '../../lib/formats/shared/checks.js';
import { importConfigs } from '../../lib/formats/index.js';
import { parseRoute } from '../../lib/link/routes.js';
import { setMac } from '../../lib/link/link.js';
import { addAddress } from '../../lib/link/addresses.js';
import { validateCidr, validateMac, validateMtu } from '../../lib/validate/net.js';
import { optionByAnyName, optionBySysfs, parseBoolWord } from '../../lib/validate/words.js';
import { checkSlaveList } from '../../lib/validate/names.js';

describe('MAC addresses: unicast and not all-zero everywhere (the kernel is_valid_ether_addr)', () => {
  it('the link helper refuses 00:00:00:00:00:00 before any syscall, as bond options always did', async () => {
    await expect(setMac('eth0', '00:00:00:00:00:00')).rejects.toThrow(ValidationError);
    expect(() => validateMac('mac', '00:00:00:00:00:00')).toThrow(ValidationError);
  });
  it('the declarative engine and the importers refuse it too', () => {
    expect(() => normalizeSpec({ name: 'bond0', mac: '00:00:00:00:00:00' })).toThrow(ValidationError);
    expect(checkMac('00:00:00:00:00:00').ok).toBe(false);
    expect(normalizeSpec({ name: 'bond0', mac: '02:AA:00:00:00:01' }).mac).toBe('02:aa:00:00:00:01');
  });
});

describe('CIDR: four dotted decimals for IPv4, canonical text, everywhere', () => {
  it.each(['10.1/8', '10.0.0.1/33', '10.0.0.1', '2001:db8::1/129'])('refuses %s in the API, specs and files alike', async (cidr) => {
    expect(() => validateCidr('address', cidr)).toThrow(ValidationError);
    await expect(addAddress('eth0', cidr)).rejects.toThrow(ValidationError);
    expect(() => normalizeSpec({ name: 'bond0', addresses: [cidr] })).toThrow(ValidationError);
    expect(checkAddress(cidr).ok).toBe(false);
  });
  it('gives the same canonical text to every caller', () => {
    expect(validateCidr('address', '2001:DB8:0::1/64').text).toBe('2001:db8::1/64');
    expect(normalizeSpec({ name: 'bond0', addresses: ['2001:DB8:0::1/64'] }).addresses?.[0]?.text).toBe('2001:db8::1/64');
    expect(checkAddress('2001:DB8:0::1/64')).toEqual({ ok: true, value: { address: { address: '2001:db8::1/64' }, family: 6 } });
  });
});

describe('route destinations: no host bits, default of the gateway family', () => {
  it('the API refuses host bits before the kernel does, as the importers did', () => {
    expect(() => parseRoute({ destination: '10.65.69.171/24', dev: 'bond0' })).toThrow(/host bits set/u);
    expect(checkRoute({ destination: '10.65.69.171/24' }).ok).toBe(false);
  });
  it("'default' with an IPv6 gateway is the IPv6 default route in the API, as in files", () => {
    const route = parseRoute({ destination: 'default', dev: 'bond0', gateway: '2001:db8::1' });
    expect(route).toMatchObject({ destination: 'default', family: 6, cidr: { prefix: 0, family: 6 } });
    expect(checkRoute({ destination: 'default', gateway: '2001:db8::1' })).toEqual({ ok: true, value: { route: { destination: 'default', gateway: '2001:db8::1' }, family: 6 } });
  });
});

describe('MTU 68-65535 with one message', () => {
  it('the API, specs and files give the same words', () => {
    const message = 'Expected integer between 68 and 65535 for mtu but received 67';
    expect(() => validateMtu(67)).toThrow(message);
    expect(() => normalizeSpec({ name: 'bond0', mtu: 67 })).toThrow('Expected integer between 68 and 65535 for mtu of bond bond0 but received 67');
    expect(checkMtu('67')).toEqual({ ok: false, error: message });
  });
});

describe('slave lists: not the bond itself, each once', () => {
  it('gives the API and specs the same refusals', () => {
    expect(() => checkSlaveList('bond0', ['eth0', 'eth0'], ['eth0', 'eth0'])).toThrow('each interface at most once');
    expect(() => normalizeSpec({ name: 'bond0', slaves: ['eth0', { name: 'eth0' }] })).toThrow('each interface at most once');
    expect(() => normalizeSpec({ name: 'bond0', slaves: ['bond0'] })).toThrow('Cannot enslave bond bond0 to itself');
  });
});

describe('option names and boolean words: the CLI reads them as the importers do', () => {
  it('the CLI now takes y/n and any case, as config files always could', () => {
    expect(parseOptionWords(['all_slaves_active=Y', 'tlb_dynamic_lb=n', 'use_carrier=ON'])).toEqual({ allSlavesActive: true, tlbDynamicLb: false, useCarrier: true });
    expect(parseBoolWord('Yes')).toBe(true);
  });
  it('the CLI takes address lists split on spaces too, and refuses a "-" removal with the importers\' words', () => {
    expect(parseOptionWords(['arp_ip_target=10.0.0.1 10.0.0.2'])).toEqual({ arpIpTarget: ['10.0.0.1', '10.0.0.2'] });
    expect(() => parseOptionWords(['arp_ip_target=-10.0.0.1'])).toThrow("'-10.0.0.1' removes a target");
  });
  it('num_unsol_na is num_grat_arp for the CLI and for every file', () => {
    expect(optionByAnyName('num_unsol_na')?.key).toBe('numGratArp');
    expect(optionBySysfs('num_unsol_na')?.key).toBe('numGratArp');
    const imported = importConfigs([{ path: 'ifcfg-bond0', text: 'DEVICE=bond0\nBONDING_OPTS="mode=1 num_unsol_na=3"\n', format: 'ifcfg' }]);
    expect(imported.specs[0]).toMatchObject({ name: 'bond0', numGratArp: 3 });
  });
});
