// Declarative specs: validation before any syscall, and the pure pieces of planning.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.js';
import { parseRoute } from '../../lib/link/routes.js';
import { isConnectedRoute, routeMatches } from '../../lib/plan/addressing.js';
import { normalizeSpec } from '../../lib/plan/normalize.js';
import { networkOf, parseCidr, type Cidr } from '../../lib/validate/net.js';

describe('normalizeSpec', () => {
  it('accepts the seeds as specs and normalizes them', () => {
    const spec = normalizeSpec({
      name: 'bond0',
      mode: 'balance-rr',
      slaves: ['eth1', { name: 'eth2', queueId: 1 }],
      addresses: [{ address: '10.65.69.171/24', broadcast: '10.65.69.255' }, '2001:DB8::1/64'],
      routes: [{ destination: '10.65.69.0/24' }],
    });
    expect(spec.slaves).toEqual([{ name: 'eth1' }, { name: 'eth2', queueId: 1 }]);
    expect(spec.addresses).toEqual([
      { text: '10.65.69.171/24', family: 4, broadcast: '10.65.69.255' },
      { text: '2001:db8::1/64', family: 6 },
    ]);
    expect(spec.up).toBe(true);
    expect(spec.present).toBe(true);
  });

  it.each([
    [{ name: 'bond0', miimom: 100 }],
    [{ name: 'bond 0' }],
    [{ name: 'bond0', state: 'gone' }],
    [{ name: 'bond0', slaves: ['bond0'] }],
    [{ name: 'bond0', slaves: ['eth1', 'eth1'] }],
    [{ name: 'bond0', slaves: [{ name: 'eth1', queueId: -1 }] }],
    [{ name: 'bond0', addresses: ['10.0.0.1'] }],
    [{ name: 'bond0', addresses: [{ address: '2001:db8::1/64', broadcast: '10.0.0.255' }] }],
    [{ name: 'bond0', routes: [{ destination: '10.0.0.0/24', via: '10.0.0.1' }] }],
    [{ name: 'bond0', routes: [{ destination: '10.0.0.0/24', gateway: '2001:db8::1' }] }],
    [{ name: 'bond0', mtu: 40 }],
    [{ name: 'bond0', mac: '01:00:5e:00:00:01' }],
    [{ name: 'bond0', mode: 'balance-foo' }],
  ])('refuses %j', (spec) => {
    expect(() => normalizeSpec(spec as never)).toThrow(ValidationError);
  });
});

describe('planning helpers', () => {
  it('computes the network of an address', () => {
    const cidr = (text: string) => parseCidr(text) as Cidr;
    expect(networkOf(cidr('10.65.69.171/24'))).toBe('10.65.69.0/24');
    expect(networkOf(cidr('172.16.248.50/16'))).toBe('172.16.0.0/16');
    expect(networkOf(cidr('2001:db8:1::1/64'))).toBe('2001:db8:1::/64');
  });

  it('matches routes with the kernel default metric of each family', () => {
    const v4 = parseRoute({ destination: '192.0.2.0/24', dev: 'bond0', gateway: '10.0.0.1' });
    expect(routeMatches({ destination: '192.0.2.0/24', dev: 'bond0', gateway: '10.0.0.1', protocol: 'boot' }, v4)).toBe(true);
    expect(routeMatches({ destination: '192.0.2.0/24', dev: 'bond0', gateway: '10.0.0.2', protocol: 'boot' }, v4)).toBe(false);
    const v6 = parseRoute({ destination: '2001:db8:9::/48', dev: 'bond0', gateway: '2001:db8::fe' });
    expect(routeMatches({ destination: '2001:db8:9::/48', dev: 'bond0', gateway: '2001:db8::fe', metric: 1024, protocol: 'boot' }, v6)).toBe(true);
  });

  it('knows the routes an address brings with it', () => {
    const connected = parseRoute({ destination: '10.65.69.0/24', dev: 'bond0' });
    expect(isConnectedRoute(connected, ['10.65.69.171/24'])).toBe(true);
    expect(isConnectedRoute(connected, ['10.65.70.1/24'])).toBe(false);
    expect(isConnectedRoute(parseRoute({ destination: '10.65.69.0/24', dev: 'bond0', gateway: '10.65.69.1' }), ['10.65.69.171/24'])).toBe(false);
    expect(isConnectedRoute(parseRoute({ destination: '10.65.69.0/24', dev: 'bond0', metric: 10 }), ['10.65.69.171/24'])).toBe(false);
  });
});
