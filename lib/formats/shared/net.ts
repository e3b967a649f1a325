// Addresses as config files write them beyond the shared rules of lib/validate/net.ts: netmasks,
// the classful prefixes ifconfig and route(8) assume, broadcast addresses, and a spec route's family.
import ipaddr from 'ipaddr.js';
import { familyOf, parseCidr, type Cidr, type Family } from '../../validate/net.js';

/** The prefix length of a netmask: "255.255.255.0" or "24" (IPv6 configs write a number). */
export function prefixOfNetmask(mask: string): number | undefined {
  const text = mask.trim();
  if (/^\d{1,3}$/u.test(text)) return Number(text) <= 128 ? Number(text) : undefined;
  if (!ipaddr.IPv4.isValidFourPartDecimal(text)) return undefined;
  return ipaddr.IPv4.parse(text).prefixLengthFromSubnetMask() ?? undefined;
}

/**
 * What ifconfig and route(8) assume when no netmask is given: the address class (A /8, B /16,
 * C /24), or /32 for anything else.
 */
export function classfulPrefix(address: string): number {
  const first = Number(address.split('.')[0]);
  if (first < 128) return 8;
  if (first < 192) return 16;
  if (first < 224) return 24;
  return 32;
}

/** The all-ones broadcast of an IPv4 address/prefix. */
export function broadcastOf(cidr: Cidr): string {
  const bytes = ipaddr.parse(cidr.address).toByteArray();
  for (let bit = cidr.prefix; bit < 32; bit++) bytes[bit >> 3] = (bytes[bit >> 3] as number) | (0x80 >> (bit & 7));
  return ipaddr.fromByteArray(bytes).toString();
}

/** The family of a spec route: its destination's, or its gateway's for 'default'. */
export function routeFamily(destination: string, gateway?: string): Family {
  if (destination === 'default') return (gateway === undefined ? undefined : familyOf(gateway)) ?? 4;
  return parseCidr(destination)?.family ?? 4;
}
