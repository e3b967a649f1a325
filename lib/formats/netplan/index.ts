// netplan YAML (netplan-yaml(5), "Properties for device type bonds"): network.bonds.<id> with
// interfaces, parameters (the 20 bond parameters of canonical/netplan src/parse.c
// bond_params_handlers) and the keys every link has (link.ts: addresses, routes, mtu,
// activation-mode, ...), plus macaddress. Time parameters take units ("100ms", "1s"); a bare
// number is milliseconds, except learn-packet-interval, which is seconds. Members are ethernets
// IDs, resolved to names through set-name or an exact match.name. VLANs over the bond are
// network.vlans.<name> with id: and link: <the bond's ID> (vlan.ts). Parsed with the
// `yaml` package, keeping node positions for line numbers.
// Export writes one file, /etc/netplan/60-<bond>.yaml: the bond, an empty ethernets entry per
// slave (netplan requires members to be defined) and a vlans entry per VLAN. Netplan has no key
// for use_carrier, ns_ip6_target, ad_actor_*, ad_user_port_key, tlb_dynamic_lb, lacp_active,
// arp_missed_max, peer_notif_delay and the netlink-only options, for broadcasts, the active
// slave, slave queue ids/priorities or the VLAN protocol (a VLAN is 802.1Q), and accepts fewer
// values for some parameters (gratuitous-arp 1-255, arp-validate without the filter values):
// those go in a comment.
import { Document, isMap, isSeq, LineCounter, parseDocument, visit, type Node, type Pair } from 'yaml';
import { exportView, Leftovers, type ExportView } from '../shared/export-view.js';
import type { FileFacts } from '../shared/facts.js';
import { keyOf, linkKeys, pairs, plain, readLink, type LinkKind, type Lines } from './link.js';
import { readVlan, vlanDefinitions } from './vlan.js';
import { OPTION_BY_KEY, type BondOptionKey, type BondOptionDef } from '../../option-table.js';
import type { BondSpec } from '../../plan/types.js';
import type { ConfigFile, FormatDef } from '../shared/types.js';
import { parseTimeSpan, type OptionValue } from '../shared/values.js';

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

/** Device types that do not carry a bond or its VLANs; not read. */
const DEVICE_TYPES = new Set(['bridges', 'wifis', 'tunnels', 'vrfs', 'modems', 'dummy-devices', 'virtual-ethernets', 'nm-devices', 'openvswitch']);

/**
 * The definitions of one device type (bonds:, vlans:) by ID. A `renderer:` key among them is the
 * type's renderer (parse.c handle_network_type), not a definition.
 */
const definitions = (section: Pair | undefined) => pairs(section?.value).filter((p) => keyOf(p) !== 'renderer');

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

/** False (after a warning) when a mapping gives a key twice, which YAML does not allow. */
function uniqueKeys(doc: Document, lineOf: Lines, out: FileFacts): boolean {
  let twice: Pair | undefined;
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = keyOf(pair);
        if (seen.has(key)) twice = pair;
        if (twice) return visit.BREAK;
        seen.add(key);
      }
      return undefined;
    },
  });
  if (twice) out.warn(lineOf(twice.key as Node), undefined, `YAML: Map keys must be unique (${keyOf(twice)} is given twice); the file is not imported`);
  return twice === undefined;
}

export function parseNetplan(file: { path: string; text: string }, out: FileFacts): void {
  const counter = new LineCounter();
  // The yaml package's own check of unique keys compares every key with every other one of its
  // mapping: quadratic, minutes for a hostile mapping of 100 000 keys. uniqueKeys below is linear.
  const doc = parseDocument(file.text, { lineCounter: counter, uniqueKeys: false });
  const lineOf: Lines = (node) => (node?.range ? counter.linePos(node.range[0]).line : undefined);
  if (doc.errors.length > 0) {
    for (const error of doc.errors) out.warn(error.linePos?.[0].line, undefined, `YAML: ${error.message.split('\n')[0]}; the file is not imported`);
    return;
  }
  if (!uniqueKeys(doc, lineOf, out) || !expandAliases(doc, out)) return;
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
      for (const bond of definitions(pair)) readBond(keyOf(bond), bond, ethernets, lineOf, out);
    } else if (key === 'vlans') {
      if (!isMap(pair.value) && plain(pair.value) !== null) out.notImported(line, 'network.vlans', 'expected a mapping of VLAN IDs');
      for (const vlan of definitions(pair)) readVlan(keyOf(vlan), vlan, lineOf, out);
    } else if (key !== 'ethernets' && key !== 'renderer' && !DEVICE_TYPES.has(key)) {
      out.unknownKey(line, `network.${key}`);
    }
  }
}

function readBond(name: string, bond: Pair, ethernets: Map<string, Pair>, lineOf: Lines, out: FileFacts): void {
  out.declare(name, lineOf(bond.key as Node));
  const kind: LinkKind = {
    noun: 'bond',
    readOwn(pair, key, line) {
      if (key === 'interfaces') {
        for (const item of isSeq(pair.value) ? pair.value.items : []) readMember(name, String(plain(item)), lineOf(item as Node), ethernets, lineOf, out);
        if (!isSeq(pair.value)) out.notImported(line, key, 'expected a list of interface IDs');
      } else if (key === 'parameters') {
        for (const param of pairs(pair.value)) readParam(name, keyOf(param), plain(param.value), lineOf(param.key as Node), out);
      } else if (key === 'macaddress') {
        out.mac(name, String(plain(pair.value)), line, key);
      } else {
        return false;
      }
      return true;
    },
  };
  readLink(name, bond, kind, lineOf, out);
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
  Object.assign(bond, linkKeys(view, left));
  if (view.mac !== undefined) bond.macaddress = view.mac;
  const params = parameters(view, left);
  if (Object.keys(params).length > 0) bond.parameters = params;
  if (view.activeSlave !== undefined) left.add(`activeSlave ${view.activeSlave}`);
  left.slaveOptions(view);
  const network: Record<string, unknown> = { version: 2 };
  if (view.slaves.length > 0) network.ethernets = Object.fromEntries(view.slaves.map((s) => [s.name, {}]));
  network.bonds = { [view.name]: bond };
  const vlans = vlanDefinitions(view, left);
  if (Object.keys(vlans).length > 0) network.vlans = vlans;
  const doc = new Document({ network });
  const comments = left.lines();
  // yaml writes '#' before each line of commentBefore.
  if (comments.length > 0) doc.commentBefore = comments.map((l) => ` ${l}`).join('\n');
  return [{ path: `/etc/netplan/60-${view.name}.yaml`, text: doc.toString(), format: 'netplan' }];
}

/**
 * The registry's entry (lib/formats/registry.ts): a .yaml or .yml file, else a top-level network:
 * key.
 */
export const netplanFormat = {
  names: [/\.ya?ml$/u],
  text: /^network:[ \t]*$/mu,
  parse: parseNetplan,
  write: exportNetplan,
} satisfies FormatDef;
