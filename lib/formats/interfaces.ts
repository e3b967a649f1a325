// Debian ifupdown: /etc/network/interfaces and interfaces.d/* (interfaces(5)) with the bond-*
// keys of ifenslave (interfaces-bond(5)): bond-X is the sysfs option X with '-' for '_', written
// to /sys/class/net/<bond>/bonding/X. Slaves come from bond-slaves (or bond-members) on the bond,
// or bond-master on the slave. Routes are `up ip route add ...` / `up route add ...` lines and
// `gateway`. down/pre-down/post-down lines only undo what the others did and are skipped.
// Export writes one `inet` stanza (static with the IPv4 addresses, else manual) carrying the bond
// keys, and an `inet6 static` stanza for IPv6 addresses; several `address` lines per stanza need
// ifupdown >= 0.8 or ifupdown2. Only the first IPv4 address can have a broadcast (the stanza has
// one `broadcast`); options without a sysfs file and slave queue ids/priorities go in a comment.
import { ValidationError } from '../errors.js';
import { runCommand } from './commands.js';
import { logicalLines, shellCommands, shellQuote } from './shell.js';
import { commentLines, exportView, Leftovers, type ExportView } from './export-view.js';
import type { FileFacts } from './facts.js';
import { prefixOfNetmask } from './net.js';
import { familyOf } from '../validate/net.js';
import type { ConfigFile } from './types.js';
import { optionText } from './values.js';
import type { BondSpec } from '../declarative/types.js';

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
  for (const stanza of stanzas) readStanza(stanza, auto, out);
}

function readStanza(stanza: Stanza, auto: Set<string>, out: FileFacts): void {
  const { name } = stanza;
  const master = stanza.options.find((o) => o.key === 'bond-master');
  if (master) {
    readSlaveStanza(stanza, master, out);
    return;
  }
  const isBond = stanza.options.some((o) => o.key.startsWith('bond-'));
  if (isBond) out.declare(name, stanza.line);
  if (!STATIC_METHODS.has(stanza.method)) {
    const what = `iface ${name} ${stanza.family} ${stanza.method}`;
    out.notImported(stanza.line, what, `method ${stanza.method}: only static and manual configuration is expressible in a bond spec`);
    // A stanza that is neither a bond's nor static (lo, a DHCP NIC) has nothing else to give.
    if (!isBond) return;
  }
  // Without an auto line ifup -a leaves the interface down; another file may still say auto.
  if (auto.has(name)) out.up(name, true, undefined);
  else out.up(name, false, stanza.line, true);
  const addresses: StanzaOption[] = [];
  let netmask: StanzaOption | undefined;
  let broadcast: StanzaOption | undefined;
  let gateway: StanzaOption | undefined;
  let metric: StanzaOption | undefined;
  for (const option of stanza.options) {
    const { key, value, line } = option;
    if (key === 'address') addresses.push(option);
    else if (key === 'netmask') netmask = option;
    else if (key === 'broadcast') broadcast = option;
    else if (key === 'gateway') gateway = option;
    else if (key === 'metric') metric = option;
    else if (key === 'mtu') out.mtu(name, value, line, key);
    else if (key === 'hwaddress') out.mac(name, value.replace(/^ether\s+/u, ''), line, key);
    else if (key.startsWith('bond-')) readBondKey(name, option, out);
    else if (UP_KEYS.has(key)) readCommand(option, out);
    else if (DOWN_KEYS.has(key)) continue;
    else if (key.startsWith('dns-')) out.notImported(line, key, 'DNS is not part of a bond spec');
    else out.unknownKey(line, key);
  }
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

function routeLines(view: ExportView, family: 4 | 6): string[] {
  return view.routes
    .filter((r) => r.family === family)
    // ifupdown runs up lines through /bin/sh: every word is quoted for it.
    .map((r) => ['up', ...['ip', ...(family === 6 ? ['-6'] : []), 'route', 'add', r.destination, ...(r.gateway ? ['via', r.gateway] : []), 'dev', view.name, ...(r.metric === undefined ? [] : ['metric', String(r.metric)])].map(shellQuote)].join(' '));
}

/**
 * ifupdown joins a line that ends in a backslash with the next one, so a name ending in one
 * cannot be written at the end of a line (auto, bond-slaves, bond-active-slave, up).
 */
function refuseContinuation(view: ExportView): void {
  for (const [option, name] of [['name', view.name], ...view.slaves.map((s) => ['slaves', s.name]), ['activeSlave', view.activeSlave]] as const) {
    if (name?.endsWith('\\')) {
      throw new ValidationError({ option, value: name, allowed: 'a name that does not end in "\\"', bond: view.name, message: `${JSON.stringify(name)} ends in "\\", which ifupdown reads as a line continuation; the interfaces format cannot hold it` });
    }
  }
}

export function exportInterfaces(spec: BondSpec): ConfigFile[] {
  const view = exportView(spec);
  refuseContinuation(view);
  const left = new Leftovers('ifupdown');
  const v4 = view.addresses.filter((a) => a.family === 4);
  const v6 = view.addresses.filter((a) => a.family === 6);
  const inet: string[] = [];
  v4.forEach((a, index) => {
    inet.push(`address ${a.cidr}`);
    if (a.broadcast === undefined) return;
    if (index === 0) inet.push(`broadcast ${a.broadcast}`);
    else left.add(`broadcast ${a.broadcast} of ${a.cidr} (only the first address has one)`);
  });
  if (view.mtu !== undefined) inet.push(`mtu ${view.mtu}`);
  if (view.mac !== undefined) inet.push(`hwaddress ether ${view.mac}`);
  inet.push(...bondLines(view, left), ...routeLines(view, 4));
  const stanzas = [[`iface ${view.name} inet ${v4.length > 0 ? 'static' : 'manual'}`, ...inet.map((l) => `    ${l}`)]];
  if (v6.length > 0 || routeLines(view, 6).length > 0) {
    const inet6 = [...v6.map((a) => `address ${a.cidr}`), ...routeLines(view, 6)];
    stanzas.push([`iface ${view.name} inet6 ${v6.length > 0 ? 'static' : 'manual'}`, ...inet6.map((l) => `    ${l}`)]);
  }
  const head = view.up === false ? ['netbond: no auto line, so the bond stays down at boot (up: false)'] : [];
  const lines = [...commentLines([...left.lines(), ...head]), ...(view.up === false ? [] : [`auto ${view.name}`]), ...stanzas.map((s) => s.join('\n')).join('\n\n').split('\n')];
  return [{ path: `/etc/network/interfaces.d/${view.name}`, text: `${lines.join('\n')}\n`, format: 'interfaces' }];
}
