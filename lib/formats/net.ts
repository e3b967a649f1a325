// Addresses, netmasks and route destinations as config files write them, turned into the CIDR
// text a BondSpec holds (ipaddr.js's canonical form: 2001:db8::1/64, not 2001:DB8:0::1/64).
import ipaddr from 'ipaddr.js';

export type Family = 4 | 6;

export interface Cidr {
  /** Canonical address/prefix text. */
  text: string;
  address: string;
  prefix: number;
  family: Family;
}

/** An IP address in canonical form, or undefined when it is not one (or not of `family`). */
export function canonicalIp(text: string, family?: Family): string | undefined {
  if (!ipaddr.isValid(text)) return undefined;
  const parsed = ipaddr.parse(text);
  const kind: Family = parsed.kind() === 'ipv4' ? 4 : 6;
  if (family !== undefined && kind !== family) return undefined;
  // isValid accepts the old inet_aton shorthands ("10.1"); configs mean four dotted parts.
  if (kind === 4 && !ipaddr.IPv4.isValidFourPartDecimal(text)) return undefined;
  return parsed.toString();
}

export function familyOf(address: string): Family | undefined {
  return ipaddr.isValid(address) ? (ipaddr.parse(address).kind() === 'ipv4' ? 4 : 6) : undefined;
}

/** "10.0.0.1/24" to its parts; undefined when it is not address/prefix. */
export function parseCidr(text: string): Cidr | undefined {
  const match = /^([^/\s]+)\/(\d{1,3})$/u.exec(text.trim());
  if (!match) return undefined;
  const address = canonicalIp(match[1] as string);
  const prefix = Number(match[2]);
  if (address === undefined) return undefined;
  const family = familyOf(address) as Family;
  if (prefix > (family === 4 ? 32 : 128)) return undefined;
  return { text: `${address}/${prefix}`, address, prefix, family };
}

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

/** The network of an address/prefix: 10.65.69.171/24 -> 10.65.69.0/24. */
export function networkOf(cidr: Cidr): string {
  const bytes = ipaddr.parse(cidr.address).toByteArray();
  for (let bit = cidr.prefix; bit < bytes.length * 8; bit++) bytes[bit >> 3] = (bytes[bit >> 3] as number) & ~(0x80 >> (bit & 7));
  return `${ipaddr.fromByteArray(bytes).toString()}/${cidr.prefix}`;
}

/** The all-ones broadcast of an IPv4 address/prefix. */
export function broadcastOf(cidr: Cidr): string {
  const bytes = ipaddr.parse(cidr.address).toByteArray();
  for (let bit = cidr.prefix; bit < 32; bit++) bytes[bit >> 3] = (bytes[bit >> 3] as number) | (0x80 >> (bit & 7));
  return ipaddr.fromByteArray(bytes).toString();
}

/**
 * A route destination as a spec holds it: 'default' for 0.0.0.0/0 (and for ::/0 when an IPv6
 * gateway says the family), else the network's CIDR. Returns an error text when the destination
 * has host bits set: the kernel refuses such a route ("Invalid prefix for given prefix length").
 */
export function routeDestination(text: string, gateway?: string): { destination: string; family: Family } | { error: string } {
  const word = text.trim();
  const gatewayFamily = gateway === undefined ? undefined : familyOf(gateway);
  if (word === 'default') return { destination: 'default', family: gatewayFamily ?? 4 };
  const cidr = parseCidr(word.includes('/') ? word : `${word}/${familyOf(word) === 6 ? 128 : 32}`);
  if (!cidr) return { error: `'${word}' is not an address or CIDR` };
  if (networkOf(cidr) !== cidr.text) return { error: `${cidr.text} has host bits set (the network is ${networkOf(cidr)})` };
  if (cidr.prefix === 0 && (cidr.family === 4 || gatewayFamily === 6)) return { destination: 'default', family: cidr.family };
  return { destination: cidr.text, family: cidr.family };
}

/** The family of a spec route: its destination's, or its gateway's for 'default'. */
export function routeFamily(destination: string, gateway?: string): Family {
  if (destination === 'default') return (gateway === undefined ? undefined : familyOf(gateway)) ?? 4;
  return parseCidr(destination)?.family ?? 4;
}
