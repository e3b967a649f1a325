import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.js';
import { validateIfname } from '../../lib/validate/names.js';
import { resolveNetns } from '../../lib/call/netns.js';

describe('validateIfname', () => {
  it('accepts 1-15 byte names', () => {
    expect(validateIfname('name', 'bond0')).toBe('bond0');
    expect(validateIfname('name', 'a'.repeat(15))).toBe('a'.repeat(15));
  });

  it.each([[''], ['a'.repeat(16)], ['bond/0'], ['bond 0'], ['bond\t0'], ['.'], ['..'], ['eth0:1'], ['bond%d'], ['%s'], [42]])(
    'refuses %j',
    (name) => {
      expect(() => validateIfname('name', name)).toThrow(ValidationError);
    },
  );

  it('counts bytes, not characters', () => {
    expect(() => validateIfname('name', 'é'.repeat(8))).toThrow(ValidationError);
  });
});

describe('resolveNetns', () => {
  it('maps names, paths and pids to namespace files', () => {
    expect(resolveNetns(undefined).path).toBe('');
    expect(resolveNetns('blue').path).toBe('/run/netns/blue');
    expect(resolveNetns({ path: '/proc/1/ns/net' }).path).toBe('/proc/1/ns/net');
    expect(resolveNetns({ pid: 42 }).path).toBe('/proc/42/ns/net');
  });

  it.each([['a/b'], [''], [{ path: 'relative' }], [{ pid: 0 }], [{ pid: 1.5 }], [7]])('refuses %j', (netns) => {
    expect(() => resolveNetns(netns as never)).toThrow(ValidationError);
  });
});
