// netplan: what a bond and a VLAN over it share. netplan-yaml(5) gives every device type the same
// "common properties" (canonical/netplan src/parse.c COMMON_LINK_HANDLERS): addresses, routes,
// gateway4/gateway6 (deprecated, still read), mtu, activation-mode, and DHCP, DNS, IPv6 and
// policy keys a spec cannot hold (warnings). One reader and one writer serve both kinds; each
// kind reads its own keys first (bonds: interfaces, parameters; vlans: id, link). Also the YAML
// helpers of the netplan reader.
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Leftovers, ViewAddress, ViewRoute } from '../shared/export-view.js';
import type { FileFacts } from '../shared/facts.js';

/** The line of a node, from the document's line counter. */
export type Lines = (node: Node | null | undefined) => number | undefined;

export const keyOf = (pair: Pair) => (isScalar(pair.key) ? String(pair.key.value) : String(pair.key));
export const pairs = (node: unknown): Pair<unknown, unknown>[] => (isMap(node) ? (node as YAMLMap).items : []);
export const plain = (node: unknown): unknown => (node && typeof node === 'object' && 'toJSON' in node ? (node as { toJSON: () => unknown }).toJSON() : node);

/** Common keys that are not link state (DNS, link-local, ...); warned about, not imported. */
const NOT_IMPORTED = new Set(['nameservers', 'link-local', 'accept-ra', 'critical', 'ipv6-privacy', 'ipv6-mtu', 'ipv6-address-generation', 'ipv6-address-token', 'dhcp-identifier', 'dhcp4-overrides', 'dhcp6-overrides', 'routing-policy', 'neigh-suppress', 'ignore-carrier', 'openvswitch', 'ra-overrides', 'emit-lldp']);
/** Describe how netplan handles the file, not the link. */
const SKIPPED = new Set(['renderer', 'optional']);

/** What one device type reads beyond the common keys. */
export interface LinkKind {
  /** The spec the link goes in, for warnings: 'bond', 'VLAN'. */
  noun: string;
  /** Reads one of the type's own keys; false for a key that is not one, left to the common reader. */
  readOwn(pair: Pair, key: string, line: number | undefined): boolean;
}

/** One definition (`bond0: {...}` under bonds:, `bond0.100: {...}` under vlans:) of link `name`. */
export function readLink(name: string, entry: Pair, kind: LinkKind, lineOf: Lines, out: FileFacts): void {
  let upSet = false;
  for (const pair of pairs(entry.value)) {
    const key = keyOf(pair);
    const line = lineOf(pair.key as Node);
    if (kind.readOwn(pair, key, line)) continue;
    const value = plain(pair.value);
    switch (key) {
      case 'addresses':
        for (const item of isSeq(pair.value) ? pair.value.items : []) readAddress(name, item as Node, kind.noun, lineOf, out);
        break;
      case 'routes':
        for (const item of isSeq(pair.value) ? pair.value.items : []) readRoute(name, item as Node, kind.noun, lineOf, out);
        break;
      case 'gateway4':
      case 'gateway6':
        out.route(name, { destination: 'default', gateway: String(value) }, line, key);
        break;
      case 'mtu':
        out.mtu(name, value, line, key);
        break;
      case 'activation-mode':
        if (value === 'manual' || value === 'off') out.up(name, false, line);
        else out.notImported(line, key, `${JSON.stringify(value)} is not manual or off`);
        upSet = true;
        break;
      case 'dhcp4':
      case 'dhcp6':
        if (value === true || value === 'yes' || value === 'true' || value === 'on') out.notImported(line, key, `dynamic addressing is not expressible in a ${kind.noun} spec (only static addresses are)`);
        break;
      default:
        if (SKIPPED.has(key)) break;
        if (NOT_IMPORTED.has(key)) out.notImported(line, key, `not part of a ${kind.noun} spec`);
        else out.unknownKey(line, key);
    }
  }
  // netplan brings every interface up unless activation-mode says otherwise.
  if (!upSet) out.up(name, true, undefined, true);
}

function readAddress(link: string, node: Node, noun: string, lineOf: Lines, out: FileFacts): void {
  const line = lineOf(node);
  if (isScalar(node)) {
    out.address(link, String(node.value), undefined, line, 'addresses');
    return;
  }
  // - "10.0.0.15/24": { lifetime: 0, label: maas }
  for (const pair of pairs(node)) {
    const extra = Object.keys((plain(pair.value) ?? {}) as object);
    if (extra.length > 0) out.warn(line, 'addresses', `${keyOf(pair)}: ${extra.join(', ')} not expressible in a ${noun} spec; the address is imported without`);
    out.address(link, keyOf(pair), undefined, line, 'addresses');
  }
}

function readRoute(link: string, node: Node, noun: string, lineOf: Lines, out: FileFacts): void {
  const line = lineOf(node);
  const route = plain(node) as Record<string, unknown> | null;
  if (route === null || typeof route !== 'object' || typeof route.to !== 'string') {
    out.notImported(line, 'routes', 'expected a mapping with to:');
    return;
  }
  const extra = Object.keys(route).filter((k) => !['to', 'via', 'metric'].includes(k) && !(k === 'on-link' && route[k] === false));
  if (extra.length > 0) {
    out.notImported(line, 'routes', `route ${route.to}: ${extra.join(', ')} make a route a ${noun} spec cannot hold`);
    return;
  }
  out.route(link, { destination: route.to, ...(route.via === undefined ? {} : { gateway: String(route.via) }), ...(route.metric === undefined ? {} : { metric: route.metric }) }, line, 'routes');
}

// ---- export

/** The common keys of a link as a spec has them. */
export interface LinkView {
  addresses: ViewAddress[];
  routes: ViewRoute[];
  mtu?: number;
  up?: boolean;
}

/** addresses, routes, mtu and activation-mode of a bond or a VLAN; broadcasts go to `left` (netplan computes them). */
export function linkKeys(link: LinkView, left: Leftovers): Record<string, unknown> {
  const keys: Record<string, unknown> = {};
  if (link.addresses.length > 0) keys.addresses = link.addresses.map((a) => a.cidr);
  for (const a of link.addresses) if (a.broadcast !== undefined) left.add(`broadcast ${a.broadcast} of ${a.cidr}`);
  if (link.routes.length > 0) {
    keys.routes = link.routes.map((r) => ({ to: r.destination, ...(r.gateway ? { via: r.gateway } : {}), ...(r.metric === undefined ? {} : { metric: r.metric }) }));
  }
  if (link.mtu !== undefined) keys.mtu = link.mtu;
  if (link.up === false) keys['activation-mode'] = 'off';
  return keys;
}
