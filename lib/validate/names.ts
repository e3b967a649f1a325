// Names, checked before any syscall: interface names by the kernel's dev_valid_name() (1-15
// bytes, not "." or "..", no '/', ':' or whitespace) and without '%', which the kernel takes as a
// template (dev_alloc_name: "bond%d" becomes bond0, and netbond would then read and roll back a
// name that does not exist); slave lists; `ip netns` names.
import { ValidationError } from '../errors.js';

const IFNAMSIZ = 16;

export const IFNAME_ALLOWED = 'an interface name of 1-15 bytes without "/", ":", "%" or whitespace';

export function validateIfname(option: string, value: unknown, bond?: string): string {
  if (typeof value !== 'string') throw new ValidationError({ option, value, allowed: IFNAME_ALLOWED, bond });
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes === 0 || bytes >= IFNAMSIZ || value === '.' || value === '..' || /[/:%\s\0]/u.test(value)) {
    throw new ValidationError({ option, value, allowed: IFNAME_ALLOWED, bond });
  }
  return value;
}

/**
 * The rules of a slave list once its names are valid: not the bond itself, each at most once.
 * `given` is what the caller passed, for the message.
 */
export function checkSlaveList(bond: string, names: readonly string[], given: unknown): void {
  for (const [i, name] of names.entries()) {
    if (name === bond) {
      throw new ValidationError({
        option: 'slaves',
        value: name,
        allowed: 'interfaces other than the bond itself',
        bond,
        message: `Cannot enslave bond ${bond} to itself`,
      });
    }
    if (names.indexOf(name) !== i) {
      throw new ValidationError({ option: 'slaves', value: given, allowed: 'each interface at most once', bond });
    }
  }
}

/** Validates a slave list given as one name or an array of names. */
export function validateSlaveNames(bond: string, slaves: unknown): string[] {
  const list = typeof slaves === 'string' ? [slaves] : slaves;
  if (!Array.isArray(list)) {
    throw new ValidationError({ option: 'slaves', value: slaves, allowed: 'an interface name or an array of them', bond });
  }
  const names = list.map((name) => validateIfname('slaves', name, bond));
  checkSlaveList(bond, names, slaves);
  return names;
}

/** A name under /run/netns, as `ip netns add` makes them. */
export function validateNetnsName(value: string): string {
  if (value.length === 0 || value === '.' || value === '..' || value.includes('/') || value.includes('\0')) {
    throw new ValidationError({ option: 'netns', value, allowed: 'a namespace name without "/"' });
  }
  return value;
}
