// Routes through any link in the main table (RTM_NEWROUTE, RTM_DELROUTE, RTM_GETROUTE dump), as
// `ip route` adds and shows them.
import { ValidationError } from '../errors.js';
import type { NativeLink, NativeRoute } from '../native.js';
import { resolveCall, type CallOptions } from '../call/options.js';
import type { ResolvedNetns } from '../call/netns.js';
import { runSteps } from '../netlink/batch.js';
import { AF_INET, RTN_UNICAST, RT_TABLE_MAIN } from '../netlink/constants.js';
import { routeStep, type ParsedRoute } from '../netlink/link-steps.js';
import { validateIfname } from '../validate/names.js';
import { canonicalIp, familyOf, validateMetric, validateRouteDestination } from '../validate/net.js';
import { ipText } from './addresses.js';
import { lookupLink } from './lookup.js';

/** A route through a device, in the main table. */
export interface Route {
  /** CIDR of a network (no host bits), or 'default'. */
  destination: string;
  dev: string;
  gateway?: string;
  metric?: number;
}

export interface RouteInfo extends Route {
  /** Who added it: 'kernel' for the connected route of an address, 'boot' for `ip route add`. */
  protocol: 'kernel' | 'boot' | 'static' | number;
}

const PROTOCOLS: Record<number, RouteInfo['protocol']> = { 2: 'kernel', 3: 'boot', 4: 'static' };

/** Validates a route: its destination network, device, gateway of the same family, metric. */
export function parseRoute(route: Route, bond?: string): ParsedRoute {
  if (typeof route !== 'object' || route === null) throw new ValidationError({ option: 'route', value: route, allowed: '{ destination, dev, gateway?, metric? }', bond });
  const dev = validateIfname('dev', route.dev, bond);
  const gateway = route.gateway === undefined ? undefined : typeof route.gateway === 'string' ? canonicalIp(route.gateway) : undefined;
  if (route.gateway !== undefined && gateway === undefined) throw new ValidationError({ option: 'gateway', value: route.gateway, allowed: 'an IPv4 or IPv6 address', bond });
  const dst = validateRouteDestination(route.destination, gateway, bond);
  if (gateway !== undefined && familyOf(gateway) !== dst.family) {
    throw new ValidationError({ option: 'gateway', value: route.gateway, allowed: `an IPv${dst.family} address, as the destination`, bond });
  }
  const metric = route.metric === undefined ? undefined : validateMetric(route.metric, bond);
  const via = gateway === undefined ? '' : ` via ${gateway}`;
  const metricText = metric === undefined ? '' : ` metric ${metric}`;
  return {
    destination: dst.destination,
    family: dst.family,
    cidr: dst.cidr,
    ...(gateway === undefined ? {} : { gateway }),
    ...(metric === undefined ? {} : { metric }),
    dev,
    text: `${dst.destination}${via} dev ${dev}${metricText}`,
  };
}

export function decodeRoute(route: NativeRoute, nameOf: (ifindex: number) => string): RouteInfo {
  const family = route.family === AF_INET ? 4 : 6;
  const dst = route.dstLen === 0 ? 'default' : `${ipText(route.dst) ?? (family === 4 ? '0.0.0.0' : '::')}/${route.dstLen}`;
  const out: RouteInfo = { destination: dst, dev: nameOf(route.oif), protocol: PROTOCOLS[route.protocol] ?? route.protocol };
  const gateway = ipText(route.gateway);
  if (gateway) out.gateway = gateway;
  if (route.metric !== undefined) out.metric = route.metric;
  return out;
}

/** Unicast routes of the main table, optionally only those through `ifindex`. */
export async function readRoutes(netns: ResolvedNetns, ifindex?: number): Promise<RouteInfo[]> {
  const results = await runSteps(netns, [
    { request: { op: 'dumproutes', family: 0 }, action: 'list routes' },
    { request: { op: 'dumplinks' }, action: 'list links' },
  ]);
  return routesThrough(results[0] as unknown as NativeRoute[], results[1] ?? [], ifindex);
}

/** The unicast routes of the main table in a route dump, optionally only those through `ifindex`. */
export function routesThrough(routes: readonly NativeRoute[], links: readonly NativeLink[], ifindex?: number): RouteInfo[] {
  const names = new Map(links.map((l) => [l.ifindex, l.ifname]));
  return routes
    .filter((r) => r.table === RT_TABLE_MAIN && r.type === RTN_UNICAST && (ifindex === undefined || r.oif === ifindex))
    .map((r) => decodeRoute(r, (i) => names.get(i) ?? `if${i}`));
}

/** Adds a route through a device (main table, protocol boot, as `ip route add`). */
export async function addRoute(route: Route, opts: CallOptions = {}): Promise<void> {
  const parsed = parseRoute(route);
  const { netns } = resolveCall(opts, route.dev);
  const link = await lookupLink(netns, route.dev);
  await runSteps(netns, [routeStep(link.ifindex, parsed, true)]);
}

/** Removes a route. */
export async function removeRoute(route: Route, opts: CallOptions = {}): Promise<void> {
  const parsed = parseRoute(route);
  const { netns } = resolveCall(opts, route.dev);
  const link = await lookupLink(netns, route.dev);
  await runSteps(netns, [routeStep(link.ifindex, parsed, false)]);
}

/** Routes of the main table, all or those through `dev`. */
export async function listRoutes(opts: CallOptions & { dev?: string } = {}): Promise<RouteInfo[]> {
  const { dev, ...call } = opts;
  const { netns } = resolveCall(call, dev);
  if (dev === undefined) return readRoutes(netns);
  validateIfname('dev', dev);
  return readRoutes(netns, (await lookupLink(netns, dev)).ifindex);
}
