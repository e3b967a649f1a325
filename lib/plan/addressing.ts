// The addresses and routes of one link (the bond, or a VLAN over it): the steps that take what it
// has to what the spec lists, and the rules both the plan and the verifier use to match a live
// route with a wanted one. Taking a link down flushes its routes and IPv6 addresses (IPv4
// addresses stay), so a link the plan takes down counts as having none of those.
import type { NetnsOption } from '../call/netns.js';
import { addAddress, removeAddress, type InterfaceAddress } from '../link/addresses.js';
import { addRoute, removeRoute, type RouteInfo } from '../link/routes.js';
import type { ParsedRoute } from '../netlink/link-steps.js';
import { networkOf, parseCidr } from '../validate/net.js';
import type { NormalizedAddress, NormalizedAddressing } from './normalize.js';
import type { StepList } from './step.js';

/** What a link has now. */
export interface LiveAddressing {
  addresses: InterfaceAddress[];
  routes: RouteInfo[];
}

const addressText = (a: NormalizedAddress) => a.text + (a.broadcast ? ` brd ${a.broadcast}` : '');

/** Addresses someone configured (not IPv6 link-local or autoconfiguration). */
export const configuredAddresses = (addresses: readonly InterfaceAddress[]) => addresses.filter((a) => !a.dynamic);

/** The metric the kernel gives a route added without one: 0 for IPv4, 1024 for IPv6. */
const defaultMetric = (family: 4 | 6) => (family === 4 ? 0 : 1024);

export function routeMatches(live: RouteInfo, wanted: ParsedRoute): boolean {
  const metric = wanted.metric ?? defaultMetric(wanted.family);
  return live.destination === wanted.destination && (live.metric ?? 0) === metric && live.gateway === wanted.gateway;
}

/**
 * A route the kernel adds by itself with an address: no gateway, metric 0, the address's network
 * (the seed's `route add -net ... dev bond0`).
 */
export function isConnectedRoute(route: ParsedRoute, addresses: readonly string[]): boolean {
  if (route.gateway !== undefined || (route.metric ?? 0) !== 0) return false;
  return addresses.some((address) => {
    const cidr = parseCidr(address);
    return cidr !== undefined && networkOf(cidr) === route.destination;
  });
}

/** Adds to `steps` what takes `live` to `wanted` on `link`; `wentDown`: the plan takes the link down first. */
export function addressingSteps(steps: StepList, link: string, wanted: NormalizedAddressing, live: LiveAddressing, wentDown: boolean, netns: NetnsOption | undefined): void {
  const call = { netns };
  const liveAddresses = configuredAddresses(live.addresses).filter((a) => !(wentDown && a.family === 6));
  if (wanted.addresses) {
    const byText = new Map(wanted.addresses.map((a) => [a.text, a]));
    for (const a of liveAddresses) {
      const keep = byText.get(a.address);
      if (keep && (keep.broadcast ?? a.broadcast) === a.broadcast) continue;
      steps.add('remove-address', `remove address ${a.address} from ${link}`, keep ? `broadcast of ${a.address} differs` : `${a.address} is not in the spec's addresses`, () => removeAddress(link, a.address, call));
    }
    for (const a of wanted.addresses) {
      const have = liveAddresses.find((l) => l.address === a.text);
      if (have && (a.broadcast ?? have.broadcast) === have.broadcast) continue;
      steps.add('add-address', `add address ${addressText(a)} to ${link}`, `${a.text} is missing`, () => addAddress(link, a.text, { ...call, ...(a.broadcast ? { broadcast: a.broadcast } : {}) }));
    }
  }
  if (!wanted.routes) return;
  const liveRoutes = wentDown ? [] : live.routes;
  for (const r of liveRoutes) {
    if (r.protocol === 'kernel' || wanted.routes.some((w) => routeMatches(r, w.parsed))) continue;
    const routeSpec = { destination: r.destination, dev: link, ...(r.gateway ? { gateway: r.gateway } : {}), ...(r.metric !== undefined ? { metric: r.metric } : {}) };
    steps.add('remove-route', `remove route ${r.destination}${r.gateway ? ` via ${r.gateway}` : ''} dev ${link}`, "not in the spec's routes", () => removeRoute(routeSpec, call));
  }
  for (const { spec: r, parsed } of wanted.routes) {
    const present = liveRoutes.some((l) => routeMatches(l, parsed));
    // A route equal to the connected route of an address (the seed's `route add -net ... dev
    // bond0`) exists as soon as the address does.
    const coveredByAddress = isConnectedRoute(parsed, wanted.addresses?.map((a) => a.text) ?? liveAddresses.map((a) => a.address));
    if (present || coveredByAddress) continue;
    steps.add('add-route', `add route ${parsed.text}`, `${parsed.destination} is missing`, () => addRoute({ ...r, dev: link }, call));
  }
}
