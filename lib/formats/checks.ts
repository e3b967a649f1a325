// The checks of a spec's non-option fields (MTU, MAC, names, addresses, routes), written once
// for both directions: import turns a failure into a warning, export into a ValidationError.
import { validateIfname } from '../validate/names.js';
import { SLAVE_OPTION_SPECS, type SpecBase } from '../option-table.js';
import type { BondAddressSpec, BondRouteSpec } from '../declarative/types.js';
import { normalizeValue } from '../validate/options.js';
import { canonicalIp, familyOf, parseCidr, routeDestination, type Family } from './net.js';
import { ANY_KERNEL } from './values.js';

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const fail = (error: string): Checked<never> => ({ ok: false, error });
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The option table's MAC rule (unicast, not all-zero), for the bond's own address. */
const MAC_RULE: SpecBase = { key: 'mac', attr: 0, ip: 'address', value: { kind: 'mac' }, since: [0, 0] };
const MTU_MIN = 68;
const MTU_MAX = 65535;
const METRIC_MAX = 0xffffffff;

/** Files give numbers as text, YAML as numbers; anything else is not a number. */
const integerOf = (input: unknown) => (typeof input === 'number' ? input : typeof input === 'string' && /^\d+$/u.test(input.trim()) ? Number(input) : Number.NaN);

export function checkMtu(input: unknown): Checked<number> {
  const mtu = integerOf(input);
  return Number.isInteger(mtu) && mtu >= MTU_MIN && mtu <= MTU_MAX ? ok(mtu) : fail(`MTU ${JSON.stringify(input)} is not an integer between ${MTU_MIN} and ${MTU_MAX}`);
}

export function checkMac(input: string): Checked<string> {
  try {
    return ok(normalizeValue(MAC_RULE, input.trim(), ANY_KERNEL) as string);
  } catch (error) {
    return fail(errorText(error));
  }
}

export function checkIfname(option: string, input: string): Checked<string> {
  try {
    return ok(validateIfname(option, input.trim()));
  } catch (error) {
    return fail(errorText(error));
  }
}

/** A slave's queue id or priority, by the slave option table's rules. */
export function checkSlaveOption(key: 'queueId' | 'prio', input: unknown): Checked<number> {
  const rule = SLAVE_OPTION_SPECS.find((s) => s.key === key) as SpecBase;
  const value = typeof input === 'string' && /^-?\d+$/u.test(input.trim()) ? Number(input) : input;
  try {
    return ok(normalizeValue(rule, value, ANY_KERNEL) as number);
  } catch (error) {
    return fail(errorText(error));
  }
}

/** "A/P" with an optional IPv4 broadcast, to the spec's form. */
export function checkAddress(cidrText: string, broadcast?: string): Checked<{ address: BondAddressSpec; family: Family }> {
  const cidr = parseCidr(cidrText);
  if (!cidr) return fail(`${JSON.stringify(cidrText)} is not an address with a prefix length such as 10.0.0.1/24`);
  if (broadcast === undefined) return ok({ address: { address: cidr.text }, family: cidr.family });
  const brd = canonicalIp(broadcast.trim(), 4);
  if (cidr.family !== 4 || brd === undefined) return fail(`broadcast ${JSON.stringify(broadcast)} is not an IPv4 broadcast for ${cidr.text}`);
  return ok({ address: { address: cidr.text, broadcast: brd }, family: cidr.family });
}

export interface RouteInput {
  destination: string;
  gateway?: string;
  metric?: unknown;
}

/** A route through the bond, to the spec's form ('default' or the network's CIDR). */
export function checkRoute(input: RouteInput): Checked<{ route: BondRouteSpec; family: Family }> {
  const gateway = input.gateway === undefined ? undefined : canonicalIp(input.gateway.trim());
  if (input.gateway !== undefined && gateway === undefined) return fail(`gateway ${JSON.stringify(input.gateway)} is not an IP address`);
  const dest = routeDestination(input.destination, gateway);
  if ('error' in dest) return fail(dest.error);
  if (gateway !== undefined && familyOf(gateway) !== dest.family) return fail(`gateway ${gateway} is not of the destination's address family`);
  const route: BondRouteSpec = { destination: dest.destination };
  if (gateway !== undefined) route.gateway = gateway;
  if (input.metric !== undefined) {
    const metric = integerOf(input.metric);
    if (!Number.isInteger(metric) || metric < 0 || metric > METRIC_MAX) return fail(`metric ${JSON.stringify(input.metric)} is not an integer between 0 and ${METRIC_MAX}`);
    route.metric = metric;
  }
  return ok({ route, family: dest.family });
}
