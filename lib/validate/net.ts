// Link and IP values, each rule written once for the API, the declarative engine, the CLI and
// the importers: MAC addresses, MTU (and a bond's against what its slaves' drivers take), IP
// addresses, address/prefix (CIDR), route destinations and metrics. Text is held to the canonical
// forms the kernel reports back (ipaddr.js's toString).
import ipaddr from 'ipaddr.js';
import { ValidationError, formatValue } from '../errors.js';

export type Family = 4 | 6;

export const MAC_ALLOWED = 'a unicast MAC address such as 02:00:00:00:00:01';
/** ad_actor_system's rule: the kernel refuses only the group bit; all-zero is its default. */
export const ACTOR_SYSTEM_ALLOWED = "a MAC address without the group bit such as 02:00:00:00:00:01, or 00:00:00:00:00:00 for the bond's own";

const ZERO_MAC = '00:00:00:00:00:00';

/**
 * A MAC address in lower case, or undefined when the kernel would refuse it: for a link's address
 * is_valid_ether_addr() refuses multicast (group bit) and all-zero; ad_actor_system
 * (`zeroAllowed`) refuses only multicast, and all-zero is its default (the bond's own MAC).
 */
export function normalizeMac(value: unknown, { zeroAllowed = false }: { zeroAllowed?: boolean } = {}): string | undefined {
  if (typeof value !== 'string' || !/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/iu.test(value)) return undefined;
  const mac = value.toLowerCase();
  if (parseInt(mac.slice(0, 2), 16) & 1 || (mac === ZERO_MAC && !zeroAllowed)) return undefined;
  return mac;
}

export function validateMac(option: string, value: unknown, bond?: string): string {
  const mac = normalizeMac(value);
  if (mac === undefined) throw new ValidationError({ option, value, allowed: MAC_ALLOWED, bond });
  return mac;
}

export function macBytes(mac: string): Uint8Array {
  return Uint8Array.from(mac.split(':').map((h) => parseInt(h, 16)));
}

/** IPv4's minimum (RFC 791) to the largest the kernel takes; a driver may allow less. */
export const MTU_MIN = 68;
export const MTU_MAX = 65535;

/** The MTU a new Ethernet link, a bond among them, gets (ether_setup). */
export const MTU_DEFAULT = 1500;

export function validateMtu(value: unknown, bond?: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MTU_MIN || value > MTU_MAX) {
    throw new ValidationError({ option: 'mtu', value, allowed: `integer between ${MTU_MIN} and ${MTU_MAX}`, bond });
  }
  return value;
}

/** A link and the MTUs its driver takes (IFLA_MIN_MTU, IFLA_MAX_MTU; absent before Linux 4.19). */
export interface MtuRange {
  ifname: string;
  minMtu?: number;
  /** 0: no limit, as dev_validate_mtu() reads it. */
  maxMtu?: number;
}

/**
 * A bond's slaves carry its MTU: the kernel gives each slave the bond's MTU when it enslaves it and
 * when the bond's MTU changes, and refuses one its driver does not take (an e100 takes at most
 * 1500) with a bare EINVAL, the reason only in the kernel log. By then it has changed things: a
 * first slave refused leaves the bond a new random MAC, and a bond MTU refused by one slave has
 * reset the NICs before it (an e1000 drops its link; an active-backup bond fails over). So every
 * path that sets a bond's MTU or enslaves refuses here first, naming the slave and its limit.
 */
export function checkSlavesTakeMtu(bond: string, mtu: number, slaves: Iterable<MtuRange>): void {
  for (const { ifname: name, minMtu, maxMtu } of slaves) {
    const max = maxMtu !== undefined && maxMtu > 0 ? maxMtu : undefined;
    let limit: string | undefined;
    if (max !== undefined && mtu > max) limit = `above ${name}'s maximum ${max}`;
    else if (minMtu !== undefined && mtu < minMtu) limit = `below ${name}'s minimum ${minMtu}`;
    if (limit === undefined) continue;
    throw new ValidationError({
      option: 'mtu',
      value: mtu,
      allowed: `${minMtu ?? MTU_MIN}-${max ?? MTU_MAX}, what ${name}'s driver takes`,
      bond,
      slave: name,
      message: `${bond}: mtu ${mtu} is ${limit} (its driver's limit; a bond's slaves take its MTU)`,
    });
  }
}

export const METRIC_MAX = 0xffffffff;

export function validateMetric(value: unknown, bond?: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > METRIC_MAX) {
    throw new ValidationError({ option: 'metric', value, allowed: `integer between 0 and ${METRIC_MAX}`, bond });
  }
  return value;
}

/**
 * An IP address in canonical form, or undefined when it is not one (or not of `family`). IPv4
 * must be four dotted decimals: the inet_aton shorthands ("10.1" = 10.0.0.1) that ipaddr.js
 * also takes mean something else to iproute2 ("10.1" = 10.1.0.0), so neither is guessed.
 */
export function canonicalIp(text: string, family?: Family): string | undefined {
  if (!ipaddr.isValid(text)) return undefined;
  const parsed = ipaddr.parse(text);
  const kind: Family = parsed.kind() === 'ipv4' ? 4 : 6;
  if (family !== undefined && kind !== family) return undefined;
  if (kind === 4 && !ipaddr.IPv4.isValidFourPartDecimal(text)) return undefined;
  return parsed.toString();
}

export function familyOf(address: string): Family | undefined {
  return ipaddr.isValid(address) ? (ipaddr.parse(address).kind() === 'ipv4' ? 4 : 6) : undefined;
}

export function validateIp(option: string, value: unknown, family: Family, bond?: string): string {
  const ip = typeof value === 'string' ? canonicalIp(value, family) : undefined;
  if (ip === undefined) throw new ValidationError({ option, value, allowed: `an IPv${family} address`, bond });
  return ip;
}

export function ipBytes(address: string): Uint8Array {
  return Uint8Array.from(ipaddr.parse(address).toByteArray());
}

export interface Cidr {
  /** Canonical address/prefix text. */
  text: string;
  address: string;
  prefix: number;
  family: Family;
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

export const CIDR_ALLOWED = 'an IPv4 or IPv6 address with prefix length, such as 10.0.0.1/24';

export function validateCidr(option: string, value: unknown, bond?: string): Cidr {
  const cidr = typeof value === 'string' ? parseCidr(value) : undefined;
  if (cidr === undefined) throw new ValidationError({ option, value, allowed: CIDR_ALLOWED, bond });
  return cidr;
}

/** The network of an address/prefix: 10.65.69.171/24 -> 10.65.69.0/24. */
export function networkOf(cidr: Cidr): string {
  const bytes = ipaddr.parse(cidr.address).toByteArray();
  for (let bit = cidr.prefix; bit < bytes.length * 8; bit++) bytes[bit >> 3] = (bytes[bit >> 3] as number) & ~(0x80 >> (bit & 7));
  return `${ipaddr.fromByteArray(bytes).toString()}/${cidr.prefix}`;
}

/** A route destination: 'default' or a network's CIDR with no host bits. */
export interface RouteDestination {
  /** 'default', or the network's CIDR text. */
  destination: string;
  family: Family;
  /** The network; prefix 0 for 'default'. */
  cidr: Cidr;
}

/**
 * A route destination as the kernel takes it. 'default' and a /0 are the default route, of the
 * gateway's family when one is given. A bare address is a host route. Host bits are refused, as
 * the kernel refuses them ("Invalid prefix for given prefix length"). Returns an error text.
 */
export function routeDestination(text: string, gateway?: string): RouteDestination | { error: string } {
  const word = text.trim();
  const gatewayFamily = gateway === undefined ? undefined : familyOf(gateway);
  const defaultRoute = (family: Family): RouteDestination => ({
    destination: 'default',
    family,
    cidr: { text: family === 4 ? '0.0.0.0/0' : '::/0', address: family === 4 ? '0.0.0.0' : '::', prefix: 0, family },
  });
  if (word === 'default') return defaultRoute(gatewayFamily ?? 4);
  const cidr = parseCidr(word.includes('/') ? word : `${word}/${familyOf(word) === 6 ? 128 : 32}`);
  if (!cidr) return { error: `'${word}' is not an address or CIDR` };
  if (networkOf(cidr) !== cidr.text) return { error: `${cidr.text} has host bits set (the network is ${networkOf(cidr)})` };
  // '::/0' stays as written unless an IPv6 gateway says so: a def's 'default' is IPv4 by itself.
  if (cidr.prefix === 0 && (cidr.family === 4 || gatewayFamily === 6)) return defaultRoute(cidr.family);
  return { destination: cidr.text, family: cidr.family, cidr };
}

export const ROUTE_DESTINATION_ALLOWED = "an IPv4 or IPv6 network such as 10.0.0.0/24 (no host bits), or 'default'";

export function validateRouteDestination(value: unknown, gateway?: string, bond?: string): RouteDestination {
  const dest = typeof value === 'string' ? routeDestination(value, gateway) : { error: `${formatValue(value)} is not text` };
  if ('error' in dest) {
    const forBond = bond === undefined ? '' : ` of bond ${bond}`;
    const message = `Expected ${ROUTE_DESTINATION_ALLOWED} for destination${forBond} but received ${formatValue(value)}: ${dest.error}`;
    throw new ValidationError({ option: 'destination', value, allowed: ROUTE_DESTINATION_ALLOWED, bond, message });
  }
  return dest;
}
