// Debian ifupdown: /etc/network/interfaces and interfaces.d/* (interfaces(5)) with the bond-*
// keys of ifenslave (interfaces-bond(5)): bond-X is the sysfs option X with '-' for '_', written
// to /sys/class/net/<bond>/bonding/X. Slaves come from bond-slaves (or bond-members) on the bond,
// or bond-master on the slave. Routes are `up ip route add ...` / `up route add ...` lines and
// `gateway`. down/pre-down/post-down lines only undo what the others did and are skipped.
// VLANs, as ifupdown >= 0.8, the vlan package (vlan-interfaces(5)) and ifupdown2 read them: a
// stanza named DEV.ID (bond0.100) rides on DEV (ifupdown and the vlan package then ignore
// vlan-raw-device; another link there is a warning); any other name rides on its
// vlan-raw-device, with its id from vlan-id (ifupdown2) or its name (vlan100, vlan0100;
// shared/merge.ts). vlan-protocol gives 802.1ad (ifupdown2). '_' spellings (vlan_raw_device)
// are read too, as both ifupdowns do. A name with bond-* keys in the file is a bond's, dot or
// not. A VLAN's auto line, addresses, gateway, mtu and up lines are read by the bond's code;
// hwaddress and the vlan package's hw-mac-address, ip-proxy-arp and ip-rp-filter become warnings
// (a VLAN spec holds no MAC and no sysctl).
// Export writes one `inet` stanza (static with the IPv4 addresses, else manual) carrying the bond
// keys, and an `inet6 static` stanza for IPv6 addresses; several `address` lines per stanza need
// ifupdown >= 0.8 or ifupdown2. Only the first IPv4 address can have a broadcast (the stanza has
// one `broadcast`); options without a sysfs file and slave queue ids/priorities go in a comment.
// Each VLAN follows in the same file, after the bond (ifup -a raises them in file order), with
// the same stanzas, `auto` when it is up and always vlan-raw-device, so vlanID names work with
// the vlan package too. vlan-id (a name carrying no id) and vlan-protocol (802.1ad) are read by
// ifupdown2 only, which the file then says. A VLAN whose name carries another link or id than
// its own is refused: ifupdown would follow the name.
import { ValidationError } from '../../errors.js';
import { runCommand } from '../shared/commands.js';
import { logicalLines, shellCommands, shellQuote } from '../shared/shell.js';
import { commentLines, exportView, Leftovers, type ExportView, type ViewAddress, type ViewRoute, type ViewVlan } from '../shared/export-view.js';
import type { FileFacts } from '../shared/facts.js';
import { checkIfname, vlanIdOfName } from '../shared/checks.js';
import { prefixOfNetmask } from '../shared/net.js';
import { familyOf } from '../../validate/net.js';
import type { ConfigFile, FormatDef } from '../shared/types.js';
import { optionText } from '../shared/values.js';
import type { BondSpec } from '../../plan/types.js';

interface StanzaOption {
  key: string;
  value: string;
  line: number;
}

interface Stanza {
  name: string;
  family: string;
  method: string;
  line: number;
  options: StanzaOption[];
}

const UP_KEYS = new Set(['up', 'post-up', 'pre-up']);
const DOWN_KEYS = new Set(['down', 'pre-down', 'post-down']);
const STATIC_METHODS = new Set(['static', 'manual']);

/** The vlan package's other keys (vlan-interfaces(5)), each setting what a spec does not hold. */
const VLAN_PACKAGE_KEYS: Readonly<Record<string, string>> = {
  'hw-mac-address': 'a VLAN spec has no MAC address',
  'ip-proxy-arp': 'a sysctl of the interface (proxy_arp), not part of a spec',
  'ip-rp-filter': 'a sysctl of the interface (rp_filter), not part of a spec',
};

/** A VLAN key as ifupdown2 names it: both ifupdowns read vlan_raw_device as vlan-raw-device. */
const vlanKeyOf = (key: string) => key.replace(/_/gu, '-');
const isVlanKey = (key: string) => vlanKeyOf(key).startsWith('vlan-') || Object.hasOwn(VLAN_PACKAGE_KEYS, vlanKeyOf(key));

/** What the whole file says about names: which are raised (auto), which are bonds (bond-* keys). */
interface FileNames {
  auto: Set<string>;
  bonds: Set<string>;
}

const masterOf = (stanza: Stanza) => stanza.options.find((o) => o.key === 'bond-master');
const hasBondKeys = (stanza: Stanza) => stanza.options.some((o) => o.key.startsWith('bond-'));

/** DEV of a DEV.ID name: the link ifupdown and the vlan package make the VLAN over. */
function linkOfName(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : undefined;
}

/** A VLAN's stanza by its name or its keys; readStanza rules out the names that are bonds' first. */
const isVlanStanza = (stanza: Stanza) => linkOfName(stanza.name) !== undefined || stanza.options.some((o) => vlanKeyOf(o.key) === 'vlan-raw-device');

export function parseInterfaces(file: { path: string; text: string }, out: FileFacts): void {
  const stanzas: Stanza[] = [];
  const auto = new Set<string>();
  let current: Stanza | undefined;
  for (const { text, line } of logicalLines(file.text)) {
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const [word, ...rest] = trimmed.split(/\s+/u) as [string, ...string[]];
    if (word === 'iface') {
      const [name, family = '', method = ''] = rest;
      current = name === undefined ? undefined : { name, family, method, line, options: [] };
      if (current) stanzas.push(current);
      else out.notImported(line, 'iface', 'expected iface NAME FAMILY METHOD');
    } else if (word === 'auto' || word === 'allow-auto' || word === 'allow-hotplug') {
      for (const name of rest) auto.add(name);
      current = undefined;
    } else if (word === 'mapping' || word === 'source' || word === 'source-directory' || word.startsWith('allow-')) {
      out.notImported(line, word, word.startsWith('source') ? 'the files it includes are not read here (pass them too)' : 'not expressible in a bond spec');
      current = undefined;
    } else if (current) {
      current.options.push({ key: word, value: rest.join(' '), line });
    } else {
      out.notImported(line, word, 'outside any iface stanza');
    }
  }
  const bonds = new Set(stanzas.filter((s) => !masterOf(s) && hasBondKeys(s)).map((s) => s.name));
  for (const stanza of stanzas) readStanza(stanza, { auto, bonds }, out);
}

function readStanza(stanza: Stanza, names: FileNames, out: FileFacts): void {
  const { name } = stanza;
  const master = masterOf(stanza);
  if (master) {
    readSlaveStanza(stanza, master, out);
    return;
  }
  const isBond = hasBondKeys(stanza);
  if (isBond) out.declare(name, stanza.line);
  const isVlan = !names.bonds.has(name) && isVlanStanza(stanza);
  const named = linkOfName(name);
  if (isVlan && named !== undefined) out.vlan(named, name, stanza.line, `iface ${name}`);
  if (!STATIC_METHODS.has(stanza.method)) {
    const what = `iface ${name} ${stanza.family} ${stanza.method}`;
    out.notImported(stanza.line, what, `method ${stanza.method}: only static and manual configuration is expressible in a bond spec`);
    // A stanza that is neither a bond's nor a VLAN's nor static (lo, a DHCP NIC) has nothing else to give.
    if (!isBond && !isVlan) return;
  }
  // Without an auto line ifup -a leaves the interface down; another file may still say auto.
  if (names.auto.has(name)) out.up(name, true, undefined);
  else out.up(name, false, stanza.line, true);
  readLinkOptions(stanza, isVlan, out);
}

interface AddressOptions {
  addresses: StanzaOption[];
  netmask?: StanzaOption;
  broadcast?: StanzaOption;
  gateway?: StanzaOption;
  metric?: StanzaOption;
}

/** The keys of a bond's or a VLAN's stanza (its name and method are read already). */
function readLinkOptions(stanza: Stanza, isVlan: boolean, out: FileFacts): void {
  const { name } = stanza;
  const addressing: AddressOptions = { addresses: [] };
  for (const option of stanza.options) {
    const { key, value, line } = option;
    if (key === 'address') addressing.addresses.push(option);
    else if (key === 'netmask' || key === 'broadcast' || key === 'gateway' || key === 'metric') addressing[key] = option;
    else if (key === 'mtu') out.mtu(name, value, line, key);
    else if (key === 'hwaddress' && isVlan) out.notImported(line, key, 'a VLAN spec has no MAC address');
    else if (key === 'hwaddress') out.mac(name, value.replace(/^ether\s+/u, ''), line, key);
    else if (key.startsWith('bond-')) readBondKey(name, option, out);
    else if (isVlanKey(key)) readVlanKey(name, option, isVlan, out);
    else if (UP_KEYS.has(key)) readCommand(option, out);
    else if (DOWN_KEYS.has(key)) continue;
    else if (key.startsWith('dns-')) out.notImported(line, key, 'DNS is not part of a bond spec');
    else out.unknownKey(line, key);
  }
  readAddressing(name, addressing, out);
}

function readVlanKey(name: string, option: StanzaOption, isVlan: boolean, out: FileFacts): void {
  const { key, value, line } = option;
  const spelled = vlanKeyOf(key);
  if (spelled === 'vlan-raw-device') {
    if (isVlan) readRawDevice(name, option, out);
    else out.notImported(line, key, `${name} has bond-* keys in this file, so it is a bond, not a VLAN`);
  } else if (spelled === 'vlan-id') out.vlanId(name, value, line, key);
  else if (spelled === 'vlan-protocol') out.vlanProtocol(name, value, line, key);
  else if (Object.hasOwn(VLAN_PACKAGE_KEYS, spelled)) out.notImported(line, key, VLAN_PACKAGE_KEYS[spelled] as string);
  else out.unknownKey(line, key);
}

/** vlan-raw-device: the VLAN's link, unless its DEV.ID name gives one (ifupdown and the vlan package then ignore it). */
function readRawDevice(name: string, { key, value, line }: StanzaOption, out: FileFacts): void {
  const link = checkIfname(key, value);
  const named = linkOfName(name);
  if (!link.ok) out.notImported(line, key, link.error);
  else if (named === undefined) out.vlan(link.value, name, line, key);
  else if (link.value !== named) out.notImported(line, key, `ifupdown creates ${name} over ${named}, the link its name names`);
}

function readAddressing(name: string, { addresses, netmask, broadcast, gateway, metric }: AddressOptions, out: FileFacts): void {
  addresses.forEach((option, index) => {
    let cidr = option.value;
    if (!cidr.includes('/')) {
      const prefix = netmask ? prefixOfNetmask(netmask.value) : undefined;
      if (prefix === undefined) {
        out.notImported(option.line, 'address', netmask ? `netmask ${netmask.value} is not a netmask` : `no prefix length and no netmask for ${cidr}`);
        return;
      }
      cidr = `${cidr}/${prefix}`;
    }
    // The stanza's one broadcast belongs to its first address.
    const brd = index === 0 && broadcast && familyOf(option.value.split('/')[0] as string) === 4 ? broadcast.value : undefined;
    out.address(name, cidr, brd, option.line, 'address');
  });
  if (broadcast && addresses.length === 0) out.notImported(broadcast.line, 'broadcast', 'there is no address for it');
  if (gateway) out.route(name, { destination: 'default', gateway: gateway.value, ...(metric ? { metric: metric.value } : {}) }, gateway.line, 'gateway');
  else if (metric) out.notImported(metric.line, 'metric', 'the metric of the gateway route, and there is no gateway');
}

function readSlaveStanza(stanza: Stanza, master: StanzaOption, out: FileFacts): void {
  out.slave(master.value, stanza.name, master.line, 'bond-master');
  for (const option of stanza.options) {
    if (option === master || DOWN_KEYS.has(option.key)) continue;
    // Old ifenslave setups name the primary on the slave's stanza.
    if (option.key === 'bond-primary') readBondKey(master.value, option, out);
    else out.notImported(option.line, option.key, `${stanza.name} is a slave of ${master.value}; its own settings are not part of the bond spec`);
  }
}

function readBondKey(bond: string, option: StanzaOption, out: FileFacts): void {
  const { key, value, line } = option;
  const sysfs = key.slice('bond-'.length).replace(/-/gu, '_');
  if (sysfs === 'slaves' || sysfs === 'members') {
    if (value !== 'none') for (const slave of value.split(/\s+/u)) out.slave(bond, slave, line, key);
  } else {
    out.sysfsSetting(bond, sysfs, value, line, key);
  }
}

function readCommand(option: StanzaOption, out: FileFacts): void {
  for (const words of shellCommands(option.value)) {
    if (!runCommand(words, option.line, out)) out.notImported(option.line, option.key, `'${words.join(' ')}' does not configure a bond`);
  }
}

// ---- export

function bondLines(view: ExportView, left: Leftovers): string[] {
  const lines: string[] = [];
  lines.push(`bond-slaves ${view.slaves.length > 0 ? view.slaves.map((s) => s.name).join(' ') : 'none'}`);
  for (const option of view.options) {
    if (option.def.sysfs === undefined) left.option(option);
    else lines.push(`bond-${option.def.sysfs.replace(/_/gu, '-')} ${optionText(option.value, { listSeparator: ' ' })}`);
  }
  if (view.activeSlave !== undefined) lines.push(`bond-active-slave ${view.activeSlave}`);
  left.slaveOptions(view);
  return lines;
}

function routeLines(name: string, routes: ViewRoute[], family: 4 | 6): string[] {
  return routes
    .filter((r) => r.family === family)
    // ifupdown runs up lines through /bin/sh: every word is quoted for it.
    .map((r) => ['up', ...['ip', ...(family === 6 ? ['-6'] : []), 'route', 'add', r.destination, ...(r.gateway ? ['via', r.gateway] : []), 'dev', name, ...(r.metric === undefined ? [] : ['metric', String(r.metric)])].map(shellQuote)].join(' '));
}

/** One link (the bond, a VLAN) as its stanzas take it. */
interface Link {
  name: string;
  up: boolean;
  /** What the inet stanza opens with: a VLAN's link, id and protocol. */
  head: string[];
  /** What follows the addresses: MTU, MAC, bond keys. */
  settings: string[];
  addresses: ViewAddress[];
  routes: ViewRoute[];
}

const indent = (lines: string[]) => lines.map((l) => `    ${l}`);

/** A link's blocks: `auto` (when up) and its inet stanza, then an inet6 stanza when it has IPv6. */
function linkBlocks(link: Link, left: Leftovers): string[][] {
  const v4 = link.addresses.filter((a) => a.family === 4);
  const v6 = link.addresses.filter((a) => a.family === 6);
  const inet: string[] = [...link.head];
  v4.forEach((a, index) => {
    inet.push(`address ${a.cidr}`);
    if (a.broadcast === undefined) return;
    if (index === 0) inet.push(`broadcast ${a.broadcast}`);
    else left.add(`broadcast ${a.broadcast} of ${a.cidr} (only the first address has one)`);
  });
  inet.push(...link.settings, ...routeLines(link.name, link.routes, 4));
  const blocks = [[...(link.up ? [`auto ${link.name}`] : []), `iface ${link.name} inet ${v4.length > 0 ? 'static' : 'manual'}`, ...indent(inet)]];
  const inet6 = [...v6.map((a) => `address ${a.cidr}`), ...routeLines(link.name, link.routes, 6)];
  if (inet6.length > 0) blocks.push([`iface ${link.name} inet6 ${v6.length > 0 ? 'static' : 'manual'}`, ...indent(inet6)]);
  return blocks;
}

/** Keys only ifupdown2 reads: vlan-id for a name that carries no id, vlan-protocol for 802.1ad. */
const needsVlanId = (vlan: ViewVlan) => vlanIdOfName(vlan.name) === undefined;
const needsIfupdown2 = (vlan: ViewVlan) => needsVlanId(vlan) || vlan.protocol !== '802.1Q';

function vlanHead(bond: string, vlan: ViewVlan): string[] {
  return [`vlan-raw-device ${bond}`, ...(needsVlanId(vlan) ? [`vlan-id ${vlan.id}`] : []), ...(vlan.protocol === '802.1Q' ? [] : [`vlan-protocol ${vlan.protocol}`])];
}

/**
 * ifupdown joins a line that ends in a backslash with the next one, so a name ending in one
 * cannot be written at the end of a line (auto, bond-slaves, bond-active-slave, up).
 */
function refuseContinuation(view: ExportView): void {
  const names = [['name', view.name], ...view.slaves.map((s) => ['slaves', s.name]), ['activeSlave', view.activeSlave], ...view.vlans.map((v, i) => [`vlans[${i}].name`, v.name])] as const;
  for (const [option, name] of names) {
    if (name?.endsWith('\\')) {
      throw new ValidationError({ option, value: name, allowed: 'a name that does not end in "\\"', bond: view.name, message: `${JSON.stringify(name)} ends in "\\", which ifupdown reads as a line continuation; the interfaces format cannot hold it` });
    }
  }
}

/** ifupdown and the vlan package take a VLAN's link from a DEV.ID name and its id from DEV.ID or vlanID. */
function refuseMisleadingName(bond: string, vlan: ViewVlan, index: number): void {
  const link = linkOfName(vlan.name) ?? bond;
  const id = vlanIdOfName(vlan.name) ?? vlan.id;
  if (link === bond && id === vlan.id) return;
  throw new ValidationError({
    option: `vlans[${index}].name`,
    value: vlan.name,
    allowed: `a name that does not carry another link or id than ${bond} and ${vlan.id}`,
    bond,
    message: `VLAN ${vlan.id} of ${bond} cannot be named ${vlan.name} in the interfaces format: ifupdown would create it over ${link} with id ${id}`,
  });
}

export function exportInterfaces(spec: BondSpec): ConfigFile[] {
  const view = exportView(spec);
  refuseContinuation(view);
  view.vlans.forEach((vlan, index) => refuseMisleadingName(view.name, vlan, index));
  const left = new Leftovers('ifupdown');
  const bondUp = view.up !== false;
  const settings = [...(view.mtu === undefined ? [] : [`mtu ${view.mtu}`]), ...(view.mac === undefined ? [] : [`hwaddress ether ${view.mac}`]), ...bondLines(view, left)];
  const blocks = linkBlocks({ name: view.name, up: bondUp, head: [], settings, addresses: view.addresses, routes: view.routes }, left);
  const notes = bondUp ? [] : ['netbond: no auto line, so the bond stays down at boot (up: false)'];
  for (const vlan of view.vlans) {
    const up = vlan.up ?? bondUp;
    blocks.push(...linkBlocks({ name: vlan.name, up, head: vlanHead(view.name, vlan), settings: vlan.mtu === undefined ? [] : [`mtu ${vlan.mtu}`], addresses: vlan.addresses, routes: vlan.routes }, left));
    if (!up) notes.push(`netbond: no auto line, so VLAN ${vlan.name} stays down at boot (up: false)`);
  }
  if (view.vlans.some(needsIfupdown2)) {
    notes.push("netbond: only ifupdown2 reads vlan-id and vlan-protocol; Debian's ifupdown (with the vlan", "package) takes a VLAN's id from its name (DEV.ID, vlanID) and makes 802.1Q VLANs only");
  }
  const lines = [...commentLines([...left.lines(), ...notes]), ...blocks.map((b) => b.join('\n')).join('\n\n').split('\n')];
  return [{ path: `/etc/network/interfaces.d/${view.name}`, text: `${lines.join('\n')}\n`, format: 'interfaces' }];
}

/**
 * The registry's entry (lib/formats/registry.ts): interfaces by name, any file in interfaces.d/,
 * else an iface stanza.
 */
export const interfacesFormat = {
  names: [/(^|\/)interfaces$/u],
  folders: [/(^|\/)interfaces\.d\/[^/]+$/u],
  text: /^[ \t]*iface[ \t]+\S+[ \t]+inet6?[ \t]+\S/mu,
  parse: parseInterfaces,
  write: exportInterfaces,
} satisfies FormatDef;
