// The checks of a spec's non-option fields (MTU, MAC, names, addresses, routes) for config
// files, in both directions: import turns a failure into a warning, export into a
// ValidationError. Each rule is the API's own (lib/validate/); only the shape of the answer is here.
import { SLAVE_OPTION_DEFS, type OptionDef, type SlaveOptionKey } from '../../option-table.js';
import type { BondAddressSpec, BondRouteSpec } from '../../plan/types.js';
import { validateIfname } from '../../validate/names.js';
import { canonicalIp, familyOf, validateCidr, validateMac, validateMetric, validateMtu, routeDestination, type Family } from '../../validate/net.js';
import { normalizeValue, validateInteger } from '../../validate/values.js';
import { VLAN_PROTOCOLS, type VlanProtocol } from '../../link/info.js';

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const fail = (error: string): Checked<never> => ({ ok: false, error });

/** Runs an API rule and turns its ValidationError into a Checked failure. */
function checked<T>(rule: () => T): Checked<T> {
  try {
    return ok(rule());
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
}

/** Files give numbers as text, YAML as numbers; text that is not a whole number is left for the rule to refuse. */
const integerOf = (input: unknown) => (typeof input === 'string' && /^\d+$/u.test(input.trim()) ? Number(input) : input);

export function checkMtu(input: unknown): Checked<number> {
  return checked(() => validateMtu(integerOf(input)));
}

/** A VLAN id, 1-4094. */
export function checkVlanId(input: unknown): Checked<number> {
  return checked(() => validateInteger('VLAN id', integerOf(input), 1, 4094));
}

/** '802.1Q' or '802.1ad', in any case (files write 802.1q). */
export function checkVlanProtocol(input: unknown): Checked<VlanProtocol> {
  const text = typeof input === 'string' ? input.trim().toLowerCase() : undefined;
  const protocol = (Object.keys(VLAN_PROTOCOLS) as VlanProtocol[]).find((p) => p.toLowerCase() === text);
  return protocol === undefined ? fail(`VLAN protocol ${JSON.stringify(input)} is not 802.1Q or 802.1ad`) : ok(protocol);
}

/**
 * The VLAN id a name carries by the kernel's and ifupdown's naming conventions: DEV.ID
 * (bond0.100, bond0.0100) or vlanID (vlan100, vlan0100); undefined for other names.
 */
export function vlanIdOfName(name: string): number | undefined {
  const match = /^(?:.+\.|vlan)(\d{1,4})$/u.exec(name);
  const id = match ? Number(match[1]) : undefined;
  return id !== undefined && id >= 1 && id <= 4094 ? id : undefined;
}

export function checkMac(input: string): Checked<string> {
  return checked(() => validateMac('mac', input.trim()));
}

export function checkIfname(option: string, input: string): Checked<string> {
  return checked(() => validateIfname(option, input.trim()));
}

/** A slave option (queue id, priorities), by the slave option table's rules. */
export function checkSlaveOption(key: SlaveOptionKey, input: unknown): Checked<number> {
  const rule = SLAVE_OPTION_DEFS.find((s) => s.key === key) as OptionDef;
  const value = typeof input === 'string' && /^-?\d+$/u.test(input.trim()) ? Number(input) : input;
  return checked(() => normalizeValue(rule, value) as number);
}

/** "A/P" with an optional IPv4 broadcast, to the spec's form. */
export function checkAddress(cidrText: string, broadcast?: string): Checked<{ address: BondAddressSpec; family: Family }> {
  const cidr = checked(() => validateCidr('address', cidrText));
  if (!cidr.ok) return cidr;
  const { text, family } = cidr.value;
  if (broadcast === undefined) return ok({ address: { address: text }, family });
  const brd = canonicalIp(broadcast.trim(), 4);
  if (family !== 4 || brd === undefined) return fail(`broadcast ${JSON.stringify(broadcast)} is not an IPv4 broadcast for ${text}`);
  return ok({ address: { address: text, broadcast: brd }, family });
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
    const metric = checked(() => validateMetric(integerOf(input.metric)));
    if (!metric.ok) return metric;
    route.metric = metric.value;
  }
  return ok({ route, family: dest.family });
}
