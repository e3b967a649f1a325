// Link helpers for any link: up/down, MTU, MAC, addresses and routes (RTM_NEWLINK, RTM_NEWADDR,
// RTM_NEWROUTE and friends), with the same error model and netns option as the bond API. The
// step builders here are also what the bond code uses, so no logic is written twice.
import ipaddr from 'ipaddr.js';
import { ValidationError } from '../errors.js';
import { runSteps, type Step } from '../netlink/batch.js';
import { resolveCall } from '../call/options.js';
import { validateIfname } from '../validate/names.js';
import type { NativeAddr, NativeLink, NativeLinkRef, NativeRoute } from '../native.js';
import type { CallOptions, ResolvedNetns } from '../call/netns.js';

const AF_INET = 2;
const AF_INET6 = 10;
const RT_TABLE_MAIN = 254;
const IFA_F_PERMANENT = 0x80;
const RT_SCOPE_LINK = 253;

/** One address of an interface, as `ip addr` shows it. */
export interface InterfaceAddress {
  /** CIDR: 10.65.69.171/24, 2001:db8::1/64. */
  address: string;
  family: 4 | 6;
  /** IPv4 broadcast, when set. */
  broadcast?: string;
  scope: 'global' | 'site' | 'link' | 'host' | number;
  /** Assigned by the kernel (IPv6 link-local, autoconfiguration) rather than by someone. */
  dynamic: boolean;
}

/** A route through a device, in the main table. */
export interface RouteSpec {
  /** CIDR, or 'default'. */
  destination: string;
  dev: string;
  gateway?: string;
  metric?: number;
}

export interface RouteInfo extends RouteSpec {
  /** Who added it: 'kernel' for the connected route of an address, 'boot' for `ip route add`. */
  protocol: 'kernel' | 'boot' | 'static' | number;
}

interface ParsedCidr {
  family: 4 | 6;
  bytes: Uint8Array;
  prefixLen: number;
  text: string;
}

export function parseCidr(option: string, value: unknown, allowDefault = false): ParsedCidr {
  const allowed = allowDefault ? "an IPv4 or IPv6 CIDR such as 10.0.0.0/24, or 'default'" : 'an IPv4 or IPv6 address with prefix length, such as 10.0.0.1/24';
  if (allowDefault && value === 'default') return { family: 4, bytes: new Uint8Array(4), prefixLen: 0, text: 'default' };
  if (typeof value !== 'string') throw new ValidationError({ option, value, allowed });
  try {
    const [address, prefixLen] = ipaddr.parseCIDR(value);
    const family = address.kind() === 'ipv4' ? 4 : 6;
    return { family, bytes: Uint8Array.from(address.toByteArray()), prefixLen, text: `${address.toString()}/${prefixLen}` };
  } catch {
    throw new ValidationError({ option, value, allowed });
  }
}

function parseIp(option: string, value: unknown, family: 4 | 6): Uint8Array {
  const allowed = `an IPv${family} address`;
  if (typeof value !== 'string' || !ipaddr.isValid(value)) throw new ValidationError({ option, value, allowed });
  const address = ipaddr.parse(value);
  if ((address.kind() === 'ipv4' ? 4 : 6) !== family) throw new ValidationError({ option, value, allowed });
  return Uint8Array.from(address.toByteArray());
}

const text = (bytes: Buffer | undefined) => (bytes ? ipaddr.fromByteArray(Array.from(bytes)).toString() : undefined);
const SCOPES: Record<number, InterfaceAddress['scope']> = { 0: 'global', 200: 'site', 253: 'link', 254: 'host' };
const PROTOCOLS: Record<number, RouteInfo['protocol']> = { 2: 'kernel', 3: 'boot', 4: 'static' };

// ---- step builders (shared with the bond code)

export function linkUpStep(link: NativeLinkRef, name: string, up: boolean, extra: Partial<Step> = {}): Step {
  return { request: { op: 'newlink', link, up }, action: `set ${name} ${up ? 'up' : 'down'}`, ...extra };
}

export function addressStep(link: NativeLinkRef, name: string, cidr: ParsedCidr, add: boolean, broadcast?: Uint8Array): Step {
  return {
    request: {
      op: add ? 'newaddr' : 'deladdr',
      link,
      addr: { family: cidr.family === 4 ? AF_INET : AF_INET6, prefixLen: cidr.prefixLen, local: cidr.bytes, ...(broadcast ? { broadcast } : {}) },
    },
    action: `${add ? 'add' : 'remove'} address ${cidr.text} ${add ? 'to' : 'from'} ${name}`,
    hints: { EEXIST: `${name} already has ${cidr.text}`, EADDRNOTAVAIL: `${name} has no address ${cidr.text}` },
  };
}

export interface ParsedRoute {
  dst: ParsedCidr;
  gateway?: Uint8Array;
  metric?: number;
  text: string;
}

export function parseRoute(route: RouteSpec): ParsedRoute {
  if (typeof route !== 'object' || route === null) throw new ValidationError({ option: 'route', value: route, allowed: '{ destination, dev, gateway?, metric? }' });
  const dst = parseCidr('destination', route.destination, true);
  validateIfname('dev', route.dev);
  const gateway = route.gateway === undefined ? undefined : parseIp('gateway', route.gateway, dst.family);
  if (route.metric !== undefined && (!Number.isInteger(route.metric) || route.metric < 0 || route.metric > 0xffffffff)) {
    throw new ValidationError({ option: 'metric', value: route.metric, allowed: 'integer between 0 and 4294967295' });
  }
  const via = route.gateway === undefined ? '' : ` via ${route.gateway}`;
  const metric = route.metric === undefined ? '' : ` metric ${route.metric}`;
  return { dst, gateway, metric: route.metric, text: `${dst.text}${via} dev ${route.dev}${metric}` };
}

export function routeStep(link: NativeLinkRef, route: ParsedRoute, add: boolean): Step {
  const { dst } = route;
  return {
    request: {
      op: add ? 'newroute' : 'delroute',
      link,
      route: {
        family: dst.family === 4 ? AF_INET : AF_INET6,
        dstLen: dst.prefixLen,
        ...(dst.prefixLen > 0 ? { dst: dst.bytes } : {}),
        ...(route.gateway ? { gateway: route.gateway } : {}),
        ...(route.metric !== undefined ? { metric: route.metric } : {}),
        table: RT_TABLE_MAIN,
      },
    },
    action: `${add ? 'add' : 'remove'} route ${route.text}`,
    hints: { EEXIST: `the route ${route.text} exists already`, ESRCH: `no route ${route.text}` },
  };
}

// ---- decoding

export function decodeAddress(addr: NativeAddr): InterfaceAddress {
  const local = text(addr.local ?? addr.address) ?? '';
  const out: InterfaceAddress = {
    address: `${local}/${addr.prefixLen}`,
    family: addr.family === AF_INET ? 4 : 6,
    scope: SCOPES[addr.scope] ?? addr.scope,
    dynamic: (addr.flags & IFA_F_PERMANENT) === 0 || (addr.family === AF_INET6 && addr.scope === RT_SCOPE_LINK),
  };
  const broadcast = text(addr.broadcast);
  if (broadcast) out.broadcast = broadcast;
  return out;
}

export function decodeRoute(route: NativeRoute, nameOf: (ifindex: number) => string): RouteInfo {
  const family = route.family === AF_INET ? 4 : 6;
  const dst = route.dstLen === 0 ? 'default' : `${text(route.dst) ?? (family === 4 ? '0.0.0.0' : '::')}/${route.dstLen}`;
  const out: RouteInfo = { destination: dst, dev: nameOf(route.oif), protocol: PROTOCOLS[route.protocol] ?? route.protocol };
  const gateway = text(route.gateway);
  if (gateway) out.gateway = gateway;
  if (route.metric !== undefined) out.metric = route.metric;
  return out;
}

// ---- reads

async function lookup(netns: ResolvedNetns, name: string): Promise<NativeLink> {
  const [[link] = []] = await runSteps(netns, [{ request: { op: 'getlink', ifname: name }, action: `look up ${name}`, hints: { ENODEV: `${name} does not exist` } }]);
  if (!link) throw new Error(`netbond: no reply for ${name}`);
  return link;
}

/** Addresses of one interface (both families), in the kernel's order. */
export async function readAddresses(netns: ResolvedNetns, ifindex: number): Promise<InterfaceAddress[]> {
  const [addrs = []] = (await runSteps(netns, [{ request: { op: 'dumpaddrs', family: 0 }, action: 'list addresses' }])) as unknown as NativeAddr[][];
  return addrs.filter((a) => a.ifindex === ifindex).map(decodeAddress);
}

/** Routes of the main table, optionally only those through `ifindex`. */
export async function readRoutes(netns: ResolvedNetns, ifindex?: number): Promise<RouteInfo[]> {
  const results = await runSteps(netns, [
    { request: { op: 'dumproutes', family: 0 }, action: 'list routes' },
    { request: { op: 'dumplinks' }, action: 'list links' },
  ]);
  const routes = (results[0] ?? []) as unknown as NativeRoute[];
  const names = new Map((results[1] ?? []).map((l) => [l.ifindex, l.ifname]));
  return routes
    .filter((r) => r.table === RT_TABLE_MAIN && r.type === 1 && (ifindex === undefined || r.oif === ifindex))
    .map((r) => decodeRoute(r, (i) => names.get(i) ?? `if${i}`));
}

// ---- the public helpers

/** Brings a link up. */
export async function setLinkUp(name: string, opts: CallOptions = {}): Promise<void> {
  validateIfname('name', name);
  const { netns } = resolveCall(opts, name);
  await runSteps(netns, [linkUpStep(0, name, true, { request: { op: 'newlink', ifname: name, up: true } })]);
}

/** Takes a link down. */
export async function setLinkDown(name: string, opts: CallOptions = {}): Promise<void> {
  validateIfname('name', name);
  const { netns } = resolveCall(opts, name);
  await runSteps(netns, [linkUpStep(0, name, false, { request: { op: 'newlink', ifname: name, up: false } })]);
}

/** Sets the MTU (68-65535; the driver may allow less). */
export async function setMtu(name: string, mtu: number, opts: CallOptions = {}): Promise<void> {
  validateIfname('name', name);
  const { netns } = resolveCall(opts, name);
  if (!Number.isInteger(mtu) || mtu < 68 || mtu > 65535) throw new ValidationError({ option: 'mtu', value: mtu, allowed: 'integer between 68 and 65535' });
  await runSteps(netns, [{ request: { op: 'newlink', ifname: name, mtu }, action: `set mtu ${mtu} on ${name}` }]);
}

export function parseMac(option: string, value: unknown): Uint8Array {
  if (typeof value !== 'string' || !/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/iu.test(value) || parseInt(value.slice(0, 2), 16) & 1) {
    throw new ValidationError({ option, value, allowed: 'a unicast MAC address such as 02:00:00:00:00:01' });
  }
  return Uint8Array.from(value.split(':').map((h) => parseInt(h, 16)));
}

/** Sets the MAC address. */
export async function setMac(name: string, mac: string, opts: CallOptions = {}): Promise<void> {
  validateIfname('name', name);
  const { netns } = resolveCall(opts, name);
  const address = parseMac('mac', mac);
  await runSteps(netns, [{ request: { op: 'newlink', ifname: name, address }, action: `set mac ${mac.toLowerCase()} on ${name}` }]);
}

/** Adds an address (CIDR), with an IPv4 broadcast address when given. */
export async function addAddress(name: string, cidr: string, opts: CallOptions & { broadcast?: string } = {}): Promise<void> {
  validateIfname('name', name);
  const { broadcast, ...call } = opts;
  const { netns } = resolveCall(call, name);
  const parsed = parseCidr('address', cidr);
  const bcast = broadcast === undefined ? undefined : parseIp('broadcast', broadcast, 4);
  const link = await lookup(netns, name);
  await runSteps(netns, [addressStep(link.ifindex, name, parsed, true, bcast)]);
}

/** Removes an address (CIDR). */
export async function removeAddress(name: string, cidr: string, opts: CallOptions = {}): Promise<void> {
  validateIfname('name', name);
  const { netns } = resolveCall(opts, name);
  const parsed = parseCidr('address', cidr);
  const link = await lookup(netns, name);
  await runSteps(netns, [addressStep(link.ifindex, name, parsed, false)]);
}

/** The addresses of an interface. */
export async function listAddresses(name: string, opts: CallOptions = {}): Promise<InterfaceAddress[]> {
  validateIfname('name', name);
  const { netns } = resolveCall(opts, name);
  return readAddresses(netns, (await lookup(netns, name)).ifindex);
}

/** Adds a route through a device (main table, protocol boot, as `ip route add`). */
export async function addRoute(route: RouteSpec, opts: CallOptions = {}): Promise<void> {
  const parsed = parseRoute(route);
  const { netns } = resolveCall(opts, route.dev);
  const link = await lookup(netns, route.dev);
  await runSteps(netns, [routeStep(link.ifindex, parsed, true)]);
}

/** Removes a route. */
export async function removeRoute(route: RouteSpec, opts: CallOptions = {}): Promise<void> {
  const parsed = parseRoute(route);
  const { netns } = resolveCall(opts, route.dev);
  const link = await lookup(netns, route.dev);
  await runSteps(netns, [routeStep(link.ifindex, parsed, false)]);
}

/** Routes of the main table, all or those through `dev`. */
export async function listRoutes(opts: CallOptions & { dev?: string } = {}): Promise<RouteInfo[]> {
  const { dev, ...call } = opts;
  const { netns } = resolveCall(call, dev);
  if (dev === undefined) return readRoutes(netns);
  validateIfname('dev', dev);
  return readRoutes(netns, (await lookup(netns, dev)).ifindex);
}
