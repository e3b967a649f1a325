// netplan YAML (netplan-yaml(5), "Properties for device type bonds"): network.bonds.<id> with
// interfaces, addresses, routes, mtu, macaddress, activation-mode and the 20 bond parameters
// of canonical/netplan src/parse.c bond_params_handlers. Time parameters take units ("100ms",
// "1s"); a bare number is milliseconds, except learn-packet-interval, which is seconds. Members
// are ethernets IDs, resolved to names through set-name or an exact match.name. Parsed with the
// `yaml` package, keeping node positions for line numbers.
// Export writes the bond and an empty ethernets entry per slave (netplan requires members to be
// defined). Netplan has no key for use_carrier, ns_ip6_target, ad_actor_*, ad_user_port_key,
// tlb_dynamic_lb, lacp_active, arp_missed_max, peer_notif_delay and the netlink-only options, for
// broadcasts, the active slave or slave queue ids/priorities, and accepts fewer values for some
// parameters (gratuitous-arp 1-255, arp-validate without the filter values): those go in a
// comment.
import { Document, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Node, type Pair, type YAMLMap } from 'yaml';
import { exportView, Leftovers, type ExportView } from './export-view.js';
import type { FileFacts } from './facts.js';
import { OPTION_BY_KEY, type BondOptionKey, type BondOptionDef } from '../option-table.js';
import type { BondSpec } from '../declarative/types.js';
import type { ConfigFile } from './types.js';
import { parseTimeSpan, type OptionValue } from './values.js';

interface Param {
  key: BondOptionKey;
  /** Bare numbers are in this unit; the option is in `unit`. */
  time?: { bare: 'ms' | 's'; unit: 'ms' | 's' };
  /** Values netplan itself accepts, when narrower than the kernel's. */
  accepts?: (value: OptionValue) => boolean;
}

const MS = { bare: 'ms', unit: 'ms' } as const;
const oneOf = (...values: OptionValue[]) => (value: OptionValue) => values.includes(value);

/** netplan name -> option; the first name of each option is the one written. */
const PARAMS: Readonly<Record<string, Param>> = {
  mode: { key: 'mode' },
  'lacp-rate': { key: 'lacpRate' },
  'mii-monitor-interval': { key: 'miimon', time: MS },
  'min-links': { key: 'minLinks' },
  'transmit-hash-policy': { key: 'xmitHashPolicy', accepts: oneOf('layer2', 'layer3+4', 'layer2+3', 'encap2+3', 'encap3+4') },
  'ad-select': { key: 'adSelect', accepts: oneOf('stable', 'bandwidth', 'count') },
  // The older names are written: every netplan version reads them (the new ones need 0.106).
  'all-slaves-active': { key: 'allSlavesActive' },
  'all-members-active': { key: 'allSlavesActive' },
  'arp-interval': { key: 'arpInterval', time: MS },
  'arp-ip-targets': { key: 'arpIpTarget' },
  'arp-validate': { key: 'arpValidate', accepts: oneOf('none', 'active', 'backup', 'all') },
  'arp-all-targets': { key: 'arpAllTargets' },
  'up-delay': { key: 'updelay', time: MS },
  'down-delay': { key: 'downdelay', time: MS },
  'fail-over-mac-policy': { key: 'failOverMac' },
  'gratuitous-arp': { key: 'numGratArp', accepts: (v) => typeof v === 'number' && v >= 1 },
  'gratuitious-arp': { key: 'numGratArp' },
  'packets-per-slave': { key: 'packetsPerSlave' },
  'packets-per-member': { key: 'packetsPerSlave' },
  'primary-reselect-policy': { key: 'primaryReselect' },
  'resend-igmp': { key: 'resendIgmp' },
  'learn-packet-interval': { key: 'lpInterval', time: { bare: 's', unit: 's' } },
  primary: { key: 'primary' },
};

const NAME_OF = new Map<BondOptionKey, string>();
for (const [name, param] of Object.entries(PARAMS)) if (!NAME_OF.has(param.key)) NAME_OF.set(param.key, name);

/** Keys of a bond that are not bond state (DNS, link-local, ...); warned about, not imported. */
const NOT_BOND = new Set(['nameservers', 'link-local', 'accept-ra', 'critical', 'ipv6-privacy', 'ipv6-mtu', 'ipv6-address-generation', 'ipv6-address-token', 'dhcp-identifier', 'dhcp4-overrides', 'dhcp6-overrides', 'routing-policy', 'neigh-suppress', 'ignore-carrier', 'openvswitch', 'ra-overrides', 'emit-lldp']);
/** Describe how netplan handles the file, not the bond. */
const SKIPPED = new Set(['renderer', 'optional']);
const DEVICE_TYPES = new Set(['bridges', 'vlans', 'wifis', 'tunnels', 'vrfs', 'modems', 'dummy-devices', 'virtual-ethernets', 'nm-devices', 'openvswitch']);

type Lines = (node: Node | null | undefined) => number | undefined;

const keyOf = (pair: Pair) => (isScalar(pair.key) ? String(pair.key.value) : String(pair.key));
const pairs = (node: unknown): Pair<unknown, unknown>[] => (isMap(node) ? (node as YAMLMap).items : []);
const plain = (node: unknown): unknown => (node && typeof node === 'object' && 'toJSON' in node ? (node as { toJSON: () => unknown }).toJSON() : node);

/**
 * The most YAML nodes alias expansion may produce: netplan files are small, and an alias bomb
 * (each anchor naming the one before it ten times) would otherwise grow without end.
 */
const MAX_EXPANDED_NODES = 20_000;

const nodeCount = (node: Node): number => {
  let count = 0;
  visit(node, () => void count++);
  return count;
};

/**
 * Replaces every alias (*name) with a copy of what it names, as netplan's own YAML reader sees
 * them, so that the walk below reads `parameters: *p` like the mapping it stands for. Returns
 * false (after a warning) when the expansion would exceed MAX_EXPANDED_NODES.
 */
function expandAliases(doc: Document, out: FileFacts): boolean {
  let budget = MAX_EXPANDED_NODES;
  let bomb = false;
  visit(doc, {
    Alias(_key, alias) {
      const target = alias.resolve(doc);
      if (target === undefined) return visit.REMOVE;
      budget -= nodeCount(target);
      if (budget < 0) {
        bomb = true;
        return visit.BREAK;
      }
      return target.clone() as Node;
    },
  });
  if (bomb) out.warn(undefined, undefined, `YAML aliases expand to more than ${MAX_EXPANDED_NODES} nodes; the file is not imported`);
  return !bomb;
}

export function parseNetplan(file: { path: string; text: string }, out: FileFacts): void {
  const counter = new LineCounter();
  const doc = parseDocument(file.text, { lineCounter: counter });
  const lineOf: Lines = (node) => (node?.range ? counter.linePos(node.range[0]).line : undefined);
  if (doc.errors.length > 0) {
    for (const error of doc.errors) out.warn(error.linePos?.[0].line, undefined, `YAML: ${error.message.split('\n')[0]}; the file is not imported`);
    return;
  }
  if (!expandAliases(doc, out)) return;
  const network = pairs(doc.contents).find((p) => keyOf(p) === 'network');
  if (!network) {
    out.warn(undefined, undefined, 'no network: mapping; not imported');
    return;
  }
  const sections = new Map(pairs(network.value).map((p) => [keyOf(p), p]));
  const ethernets = new Map(pairs(sections.get('ethernets')?.value).map((p) => [keyOf(p), p]));
  for (const [key, pair] of sections) {
    const line = lineOf(pair.key as Node);
    if (key === 'version') {
      if (plain(pair.value) !== 2) out.warn(line, key, `version ${JSON.stringify(plain(pair.value))}: only version 2 exists; read as version 2`);
    } else if (key === 'bonds') {
      for (const bond of pairs(pair.value)) readBond(keyOf(bond), bond, ethernets, lineOf, out);
    } else if (key !== 'ethernets' && key !== 'renderer' && !DEVICE_TYPES.has(key)) {
      out.unknownKey(line, `network.${key}`);
    }
  }
}

function readBond(name: string, bond: Pair, ethernets: Map<string, Pair>, lineOf: Lines, out: FileFacts): void {
  out.declare(name, lineOf(bond.key as Node));
  let upSet = false;
  for (const pair of pairs(bond.value)) {
    const key = keyOf(pair);
    const line = lineOf(pair.key as Node);
    const value = plain(pair.value);
    switch (key) {
      case 'interfaces':
        for (const item of isSeq(pair.value) ? pair.value.items : []) readMember(name, String(plain(item)), lineOf(item as Node), ethernets, lineOf, out);
        if (!isSeq(pair.value)) out.notImported(line, key, 'expected a list of interface IDs');
        break;
      case 'parameters':
        for (const param of pairs(pair.value)) readParam(name, keyOf(param), plain(param.value), lineOf(param.key as Node), out);
        break;
      case 'addresses':
        for (const item of isSeq(pair.value) ? pair.value.items : []) readAddress(name, item as Node, lineOf, out);
        break;
      case 'routes':
        for (const item of isSeq(pair.value) ? pair.value.items : []) readRoute(name, item as Node, lineOf, out);
        break;
      case 'gateway4':
      case 'gateway6':
        out.route(name, { destination: 'default', gateway: String(value) }, line, key);
        break;
      case 'mtu':
        out.mtu(name, value, line, key);
        break;
      case 'macaddress':
        out.mac(name, String(value), line, key);
        break;
      case 'activation-mode':
        if (value === 'manual' || value === 'off') out.up(name, false, line);
        else out.notImported(line, key, `${JSON.stringify(value)} is not manual or off`);
        upSet = true;
        break;
      case 'dhcp4':
      case 'dhcp6':
        if (value === true || value === 'yes' || value === 'true' || value === 'on') out.notImported(line, key, 'dynamic addressing is not expressible in a bond spec (only static addresses are)');
        break;
      default:
        if (SKIPPED.has(key)) break;
        if (NOT_BOND.has(key)) out.notImported(line, key, 'not part of a bond spec');
        else out.unknownKey(line, key);
    }
  }
  // netplan brings every interface up unless activation-mode says otherwise.
  if (!upSet) out.up(name, true, undefined, true);
}

/** A member ID to an interface name: set-name, an exact match.name, or the ID itself. */
function readMember(bond: string, id: string, line: number | undefined, ethernets: Map<string, Pair>, lineOf: Lines, out: FileFacts): void {
  const entry = ethernets.get(id);
  const fields = new Map(pairs(entry?.value).map((p) => [keyOf(p), plain(p.value)]));
  const setName = fields.get('set-name');
  const match = fields.get('match') as Record<string, unknown> | undefined;
  let name = id;
  if (typeof setName === 'string') name = setName;
  else if (match !== undefined) {
    const byName = match.name;
    if (typeof byName !== 'string' || /[*?[]/u.test(byName) || Object.keys(match).length > 1) {
      out.notImported(line, `interfaces ${id}`, `${id} matches interfaces by ${Object.keys(match).join(', ')}, so its name is not known`);
      return;
    }
    name = byName;
  }
  out.slave(bond, name, line, 'interfaces');
  for (const pair of pairs(entry?.value)) {
    const key = keyOf(pair);
    const value = plain(pair.value);
    const harmless = ['match', 'set-name', 'renderer', 'optional'].includes(key) || ((key === 'dhcp4' || key === 'dhcp6') && (value === false || value === 'no' || value === 'false'));
    if (!harmless) out.notImported(lineOf(pair.key as Node), `ethernets.${id}.${key}`, `${name} is a slave of ${bond}; its own settings are not part of the bond spec`);
  }
}

function readParam(bond: string, name: string, value: unknown, line: number | undefined, out: FileFacts): void {
  const param = PARAMS[name];
  if (param === undefined) {
    out.unknownKey(line, `parameters.${name}`);
    return;
  }
  const def = OPTION_BY_KEY.get(param.key) as BondOptionDef;
  let input = value;
  if (param.time && (typeof value === 'number' || typeof value === 'string')) {
    input = parseTimeSpan(value, param.time.bare, param.time.unit);
    if (input === undefined) {
      out.notImported(line, `parameters.${name}`, `${JSON.stringify(value)} is not a time span in whole ${param.time.unit === 'ms' ? 'milliseconds' : 'seconds'}`);
      return;
    }
  }
  out.option(bond, def, input, line, `parameters.${name}`);
}

function readAddress(bond: string, node: Node, lineOf: Lines, out: FileFacts): void {
  const line = lineOf(node);
  if (isScalar(node)) {
    out.address(bond, String(node.value), undefined, line, 'addresses');
    return;
  }
  // - "10.0.0.15/24": { lifetime: 0, label: maas }
  for (const pair of pairs(node)) {
    const extra = Object.keys((plain(pair.value) ?? {}) as object);
    if (extra.length > 0) out.warn(line, 'addresses', `${keyOf(pair)}: ${extra.join(', ')} not expressible in a bond spec; the address is imported without`);
    out.address(bond, keyOf(pair), undefined, line, 'addresses');
  }
}

function readRoute(bond: string, node: Node, lineOf: Lines, out: FileFacts): void {
  const line = lineOf(node);
  const route = plain(node) as Record<string, unknown> | null;
  if (route === null || typeof route !== 'object' || typeof route.to !== 'string') {
    out.notImported(line, 'routes', 'expected a mapping with to:');
    return;
  }
  const extra = Object.keys(route).filter((k) => !['to', 'via', 'metric'].includes(k) && !(k === 'on-link' && route[k] === false));
  if (extra.length > 0) {
    out.notImported(line, 'routes', `route ${route.to}: ${extra.join(', ')} make a route a bond spec cannot hold`);
    return;
  }
  out.route(bond, { destination: route.to, ...(route.via === undefined ? {} : { gateway: String(route.via) }), ...(route.metric === undefined ? {} : { metric: route.metric }) }, line, 'routes');
}

// ---- export

function parameters(view: ExportView, left: Leftovers): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const option of view.options) {
    const name = NAME_OF.get(option.def.key);
    const param = name === undefined ? undefined : PARAMS[name];
    if (name === undefined || (param?.accepts && !param.accepts(option.value))) left.option(option);
    else params[name] = option.value;
  }
  return params;
}

export function exportNetplan(spec: BondSpec): ConfigFile[] {
  const view = exportView(spec);
  const left = new Leftovers('netplan');
  const bond: Record<string, unknown> = {};
  if (view.slaves.length > 0) bond.interfaces = view.slaves.map((s) => s.name);
  if (view.addresses.length > 0) bond.addresses = view.addresses.map((a) => a.cidr);
  for (const a of view.addresses) if (a.broadcast !== undefined) left.add(`broadcast ${a.broadcast} of ${a.cidr}`);
  if (view.routes.length > 0) {
    bond.routes = view.routes.map((r) => ({ to: r.destination, ...(r.gateway ? { via: r.gateway } : {}), ...(r.metric === undefined ? {} : { metric: r.metric }) }));
  }
  if (view.mtu !== undefined) bond.mtu = view.mtu;
  if (view.mac !== undefined) bond.macaddress = view.mac;
  if (view.up === false) bond['activation-mode'] = 'off';
  const params = parameters(view, left);
  if (Object.keys(params).length > 0) bond.parameters = params;
  if (view.activeSlave !== undefined) left.add(`activeSlave ${view.activeSlave}`);
  left.slaveOptions(view);
  const network: Record<string, unknown> = { version: 2 };
  if (view.slaves.length > 0) network.ethernets = Object.fromEntries(view.slaves.map((s) => [s.name, {}]));
  network.bonds = { [view.name]: bond };
  const doc = new Document({ network });
  const comments = left.lines();
  // yaml writes '#' before each line of commentBefore.
  if (comments.length > 0) doc.commentBefore = comments.map((l) => ` ${l}`).join('\n');
  return [{ path: `/etc/netplan/60-${view.name}.yaml`, text: doc.toString(), format: 'netplan' }];
}
