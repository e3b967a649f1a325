// RHEL/CentOS network-scripts: ifcfg-<dev> (shell variables), route-<dev> and route6-<dev>.
// Read as initscripts reads them (ifup-eth, ifup-routes, network-functions' expand_config):
// IPADDR/IPADDR0..n with PREFIXn or NETMASKn and BROADCASTn are separate addresses, a slave is
// MASTER=bondN plus SLAVE=yes in the slave's own file, BONDING_OPTS holds sysfs option names,
// each written to /sys/class/net/<bond>/bonding/<name> (arp_ip_target as a comma list).
// Written back the same way. What ifcfg cannot hold (options without a sysfs file, slave
// queue ids and priorities) is listed in a comment at the top of ifcfg-<bond>. The active slave
// is written as BONDING_OPTS active_slave=, which NetworkManager's ifcfg-rh reader applies;
// initscripts alone writes it before enslaving, and the kernel refuses it there.
// A VLAN over the bond is its own ifcfg-<vlan> with VLAN=yes, tied to the bond by PHYSDEV or its
// <bond>.<id> name (the bond's file does not name it; vlan.ts reads and writes those
// keys). Its ONBOOT, addresses, GATEWAY, MTU and route-<vlan>/route6-<vlan> go through the same
// code as the bond's, both ways. Export writes ifcfg-<vlan> (and its route files) after the
// bond's files; a VLAN spec has nothing ifcfg cannot hold.
import { parseIpRouteArgs, recordRoute } from '../shared/route-commands.js';
import { shellCommands, shellQuote } from '../shared/shell.js';
import { commentLines, exportView, Leftovers, type ExportView, type ViewAddress, type ViewRoute } from '../shared/export-view.js';
import type { FileFacts } from '../shared/facts.js';
import { readVariables, type Variable, type Variables } from './vars.js';
import { readVlanKeys, VLAN_KEYS, vlanComments, vlanVars } from './vlan.js';
import { classfulPrefix, prefixOfNetmask } from '../shared/net.js';
import { networkOf, parseCidr } from '../../validate/net.js';
import type { ConfigFile, FormatDef } from '../shared/types.js';
import { optionText } from '../shared/values.js';
import { optionBySysfs, parseBoolWord } from '../../validate/words.js';
import type { BondSpec } from '../../plan/types.js';

const DIR = '/etc/sysconfig/network-scripts';

/**
 * Keys that describe the file or the profile rather than the interface (names, UUIDs, who may
 * run ifup, which daemon reads the file) or kernel-managed IPv6 autoconfiguration, whose
 * addresses a spec leaves alone. Recognised and skipped without a warning.
 */
const SKIPPED = new Set([
  'NAME', 'UUID', 'TYPE', 'NM_CONTROLLED', 'USERCTL', 'DEFROUTE', 'IPV4_FAILURE_FATAL', 'IPV6_FAILURE_FATAL',
  'PROXY_METHOD', 'BROWSER_ONLY', 'IPV6_AUTOCONF', 'IPV6_DEFROUTE', 'IPV6_ADDR_GEN_MODE', 'IPV6_PRIVACY',
]);
/** Keys read outside the per-key loop of readInterface (or, for MASTER/SLAVE, reported there). */
const READ_ELSEWHERE = new Set(['DEVICE', 'BONDING_MASTER', 'NETWORK', 'IPV6INIT', 'IPV6ADDR', 'IPV6ADDR_SECONDARIES', 'MASTER', 'MASTER_UUID', 'SLAVE']);
const NOT_BOND = new Set(['DNS1', 'DNS2', 'DNS3', 'DOMAIN', 'PEERDNS', 'PEERROUTES', 'ZONE', 'IPV6_PEERDNS', 'IPV6_PEERROUTES', 'ETHTOOL_OPTS']);
const SLAVE_KEYS = new Set(['DEVICE', 'NAME', 'UUID', 'TYPE', 'ONBOOT', 'USERCTL', 'NM_CONTROLLED', 'HWADDR', 'MASTER', 'MASTER_UUID', 'SLAVE', 'BOOTPROTO']);
const STATIC_BOOTPROTO = new Set(['', 'none', 'static']);

const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);

export function parseIfcfg(file: { path: string; text: string }, out: FileFacts): void {
  const name = basename(file.path);
  const routeFile = /^route(6?)-(.+)$/u.exec(name);
  if (routeFile) {
    parseRouteFile(file.text, routeFile[2] as string, out);
    return;
  }
  const vars = readVariables(file.text, out);
  const device = vars.get('DEVICE')?.value || name.replace(/^ifcfg-/u, '');
  const uuid = vars.get('UUID');
  if (uuid?.value) out.uuid(uuid.value, device);
  const master = vars.get('MASTER') ?? vars.get('MASTER_UUID');
  const slave = vars.get('SLAVE');
  if (master || slave) {
    if (master && slave && parseBoolWord(slave.value) === true) {
      readSlave(device, master, vars, out);
      return;
    }
    const at = master ?? slave;
    out.notImported(at?.line, master ? 'MASTER' : 'SLAVE', 'initscripts enslaves only with both MASTER=<bond> and SLAVE=yes');
  }
  if (readVlanKeys(device, vars, out)) readInterface(device, vars, out);
}

function readSlave(device: string, master: Variable, vars: Variables, out: FileFacts): void {
  out.slave(master.value, device, master.line, 'MASTER');
  for (const [key, { value, line }] of vars) {
    if (key === 'BOOTPROTO' && !STATIC_BOOTPROTO.has(value.toLowerCase())) out.notImported(line, key, `a slave has no addresses of its own (BOOTPROTO=${value})`);
    else if (!SLAVE_KEYS.has(key)) out.notImported(line, key, `${device} is a slave of ${master.value}; its own settings are not part of the bond spec`);
  }
}

/** What a bond's or a VLAN's own file says about it (the VLAN keys: vlan.ts). */
function readInterface(device: string, vars: Variables, out: FileFacts): void {
  const has = (key: string) => vars.get(key) !== undefined;
  if (parseBoolWord(vars.get('BONDING_MASTER')?.value ?? '') === true || /^bond$/iu.test(vars.get('TYPE')?.value ?? '') || has('BONDING_OPTS')) {
    out.declare(device, vars.get('DEVICE')?.line);
  }
  // initscripts brings up every interface whose ONBOOT is not "no".
  out.up(device, true, undefined, true);
  const addressKeys = /^(IPADDR|NETMASK|PREFIX|BROADCAST)(\d*)$/u;
  for (const [key, { value, line }] of vars) {
    if (addressKeys.test(key) || SKIPPED.has(key) || READ_ELSEWHERE.has(key) || VLAN_KEYS.has(key)) continue;
    switch (key) {
      case 'ONBOOT': {
        const up = parseBoolWord(value);
        if (up === undefined) out.notImported(line, key, `${JSON.stringify(value)} is not yes or no`);
        else out.up(device, up, line);
        break;
      }
      case 'BOOTPROTO':
        if (!STATIC_BOOTPROTO.has(value.toLowerCase())) out.notImported(line, key, `${value}: dynamic addressing is not expressible in a bond spec (only static addresses are)`);
        break;
      case 'MTU':
        out.mtu(device, value, line, key);
        break;
      case 'MACADDR':
        out.mac(device, value, line, key);
        break;
      case 'HWADDR':
        out.notImported(line, key, 'HWADDR names the NIC a file belongs to; a bond address is MACADDR');
        break;
      case 'BONDING_OPTS':
        readBondingOpts(device, value, line, out);
        break;
      case 'GATEWAY':
        readGateway(device, vars, line, out);
        break;
      case 'METRIC':
        if (!has('GATEWAY')) out.notImported(line, key, 'METRIC is the metric of the GATEWAY route, and there is no GATEWAY');
        break;
      case 'IPV6_DEFAULTGW':
        out.route(device, { destination: 'default', gateway: value.replace(/%.*$/u, '') }, line, key);
        break;
      default:
        if (NOT_BOND.has(key)) out.notImported(line, key, 'not part of a bond spec');
        else out.unknownKey(line, key);
    }
  }
  // IPv4 first, then IPv6 (the primary IPV6ADDR, then the secondaries), whatever the line order.
  readIpv4Addresses(device, vars, out);
  for (const key of ['IPV6ADDR', 'IPV6ADDR_SECONDARIES']) {
    const v = vars.get(key);
    if (v) readIpv6Addresses(device, key, v.value, v.line, vars, out);
  }
}

function readBondingOpts(device: string, text: string, line: number, out: FileFacts): void {
  out.declare(device, line);
  const targets: string[] = [];
  for (const word of text.split(/\s+/u).filter((w) => w !== '')) {
    const eq = word.indexOf('=');
    const key = eq < 0 ? word : word.slice(0, eq);
    const value = word.slice(eq + 1);
    if (eq < 0) {
      out.notImported(line, key, 'BONDING_OPTS entries are name=value');
    } else if (key === 'arp_ip_target') {
      // initscripts adds each comma-separated target; repeated entries add more.
      targets.push(...value.split(',').filter((t) => t !== ''));
    } else {
      out.sysfsSetting(device, key, value, line, key === 'active_slave' ? key : `BONDING_OPTS ${key}`);
    }
  }
  const spec = optionBySysfs('arp_ip_target');
  if (targets.length > 0 && spec) out.option(device, spec, targets.join(','), line, 'BONDING_OPTS arp_ip_target');
}

function readIpv4Addresses(device: string, vars: Variables, out: FileFacts): void {
  // expand_config reads IPADDR, then IPADDR0 .. IPADDR255 with the same suffix on PREFIX,
  // NETMASK and BROADCAST; IPADDR, IPADDR0 and IPADDR1 may be missing, but from IPADDR2 on the
  // first missing one ends the list.
  const suffixes = ['', ...Array.from({ length: 256 }, (_, i) => String(i))];
  let first: { cidr: string; line: number } | undefined;
  let end: string | undefined;
  for (const suffix of suffixes) {
    const ip = vars.get(`IPADDR${suffix}`);
    const prefix = vars.get(`PREFIX${suffix}`);
    const netmask = vars.get(`NETMASK${suffix}`);
    const broadcast = vars.get(`BROADCAST${suffix}`);
    if (end !== undefined) {
      if (ip?.value) out.notImported(ip.line, `IPADDR${suffix}`, `initscripts stops at the first missing address from IPADDR2 on, and IPADDR${end} is missing`);
      continue;
    }
    if (!ip?.value) {
      for (const [key, v] of [[`PREFIX${suffix}`, prefix], [`NETMASK${suffix}`, netmask], [`BROADCAST${suffix}`, broadcast]] as const) {
        if (v) out.notImported(v.line, key, `there is no IPADDR${suffix} for it`);
      }
      if (suffix !== '' && Number(suffix) >= 2) end = suffix;
      continue;
    }
    let length = prefix ? prefixOfNetmask(prefix.value) : netmask ? prefixOfNetmask(netmask.value) : undefined;
    if ((prefix || netmask) && length === undefined) {
      const bad = (prefix ?? netmask) as Variable;
      out.notImported(bad.line, prefix ? `PREFIX${suffix}` : `NETMASK${suffix}`, `${JSON.stringify(bad.value)} is not a prefix length or netmask; IPADDR${suffix} not imported`);
      continue;
    }
    if (length === undefined) {
      length = classfulPrefix(ip.value);
      out.warn(ip.line, `IPADDR${suffix}`, `no PREFIX or NETMASK: initscripts gives ${ip.value} the classful /${length}, and so does this import`);
    }
    const cidr = `${ip.value}/${length}`;
    first ??= { cidr, line: ip.line };
    out.address(device, cidr, broadcast?.value || undefined, ip.line, `IPADDR${suffix}`);
  }
  const network = vars.get('NETWORK');
  const parsed = first && parseCidr(first.cidr);
  if (network && parsed && network.value !== networkOf(parsed).split('/')[0]) {
    out.warn(network.line, 'NETWORK', `${network.value} is not the network of ${parsed.text} (${networkOf(parsed)}); NETWORK is only checked, not imported`);
  }
}

function readIpv6Addresses(device: string, key: string, value: string, line: number, vars: Variables, out: FileFacts): void {
  if (parseBoolWord(vars.get('IPV6INIT')?.value ?? '') !== true) {
    out.notImported(line, key, 'IPV6INIT is not yes, so initscripts does not configure IPv6');
    return;
  }
  for (const address of value.split(/\s+/u).filter((a) => a !== '')) {
    // initscripts gives an IPv6 address without a prefix length /64.
    out.address(device, address.includes('/') ? address : `${address}/64`, undefined, line, key);
  }
}

function readGateway(device: string, vars: Variables, line: number, out: FileFacts): void {
  const gateway = vars.get('GATEWAY') as Variable;
  if (parseBoolWord(vars.get('DEFROUTE')?.value ?? 'yes') === false) {
    out.notImported(line, 'GATEWAY', 'DEFROUTE=no: the gateway does not make a default route');
    return;
  }
  const metric = vars.get('METRIC')?.value;
  out.route(device, { destination: 'default', gateway: gateway.value, ...(metric ? { metric } : {}) }, line, 'GATEWAY');
}

/** route-<dev>: `ip route add` arguments per line, or ADDRESSn/NETMASKn/GATEWAYn/METRICn. */
function parseRouteFile(text: string, device: string, out: FileFacts): void {
  const lines = text.split(/\r?\n/u);
  if (lines.some((l) => /^\s*ADDRESS\d+=/u.test(l))) {
    const vars = readVariables(text, out);
    for (let i = 0; vars.has(`ADDRESS${i}`); i++) {
      const address = vars.get(`ADDRESS${i}`) as Variable;
      const length = prefixOfNetmask(vars.get(`NETMASK${i}`)?.value ?? '255.255.255.255');
      const gateway = vars.get(`GATEWAY${i}`)?.value;
      const metric = vars.get(`METRIC${i}`)?.value;
      const options = vars.get(`OPTIONS${i}`);
      if (options) {
        out.notImported(options.line, `OPTIONS${i}`, `route options make a different route than a spec holds; route ${address.value} not imported`);
        continue;
      }
      if (length === undefined) {
        out.notImported(address.line, `NETMASK${i}`, 'not a netmask; the route is not imported');
        continue;
      }
      out.route(device, { destination: `${address.value}/${length}`, ...(gateway ? { gateway } : {}), ...(metric ? { metric } : {}) }, address.line, `ADDRESS${i}`);
    }
    return;
  }
  lines.forEach((raw, index) => {
    for (const words of shellCommands(raw)) recordRoute(parseIpRouteArgs(words, device), index + 1, 'route', out);
  });
}

// ---- export

function bondingOpts(view: ExportView, left: Leftovers): string {
  const words: string[] = [];
  for (const option of view.options) {
    if (option.def.sysfs === undefined) left.option(option);
    else words.push(`${option.def.sysfs}=${optionText(option.value)}`);
  }
  if (view.activeSlave !== undefined) words.push(`active_slave=${view.activeSlave}`);
  return words.join(' ');
}

/** ONBOOT, BOOTPROTO, addresses and MTU of a link (the bond, a VLAN), as ifup-eth reads them. */
function linkVars(link: { up?: boolean; mtu?: number; addresses: ViewAddress[] }): [string, string][] {
  const vars: [string, string][] = [
    ['ONBOOT', link.up === false ? 'no' : 'yes'],
    ['BOOTPROTO', 'none'],
  ];
  const v4 = link.addresses.filter((a) => a.family === 4);
  v4.forEach((a, i) => {
    const suffix = i === 0 ? '' : String(i);
    vars.push([`IPADDR${suffix}`, a.address], [`PREFIX${suffix}`, String(a.prefix)]);
    if (a.broadcast !== undefined) vars.push([`BROADCAST${suffix}`, a.broadcast]);
  });
  const v6 = link.addresses.filter((a) => a.family === 6).map((a) => a.cidr);
  if (v6.length > 0) {
    vars.push(['IPV6INIT', 'yes'], ['IPV6ADDR', v6[0] as string]);
    if (v6.length > 1) vars.push(['IPV6ADDR_SECONDARIES', v6.slice(1).join(' ')]);
  }
  if (link.mtu !== undefined) vars.push(['MTU', String(link.mtu)]);
  return vars;
}

/** ifcfg-<name>: the comment lines, then each non-empty variable quoted for the shell. */
function ifcfgFile(name: string, comments: string[], vars: [string, string][]): ConfigFile {
  const lines = [...commentLines(comments), ...vars.filter(([, v]) => v !== '').map(([k, v]) => `${k}=${shellQuote(v)}`)];
  return { path: `${DIR}/ifcfg-${name}`, text: `${lines.join('\n')}\n`, format: 'ifcfg' };
}

/** route-<name> and route6-<name>: `ip route add` arguments per line, for the families it has. */
function routeFiles(name: string, routes: ViewRoute[]): ConfigFile[] {
  return ([4, 6] as const).flatMap((family) => {
    const lines = routes
      .filter((r) => r.family === family)
      .map((r) => [r.destination, ...(r.gateway ? ['via', r.gateway] : []), 'dev', name, ...(r.metric === undefined ? [] : ['metric', String(r.metric)])].join(' '));
    return lines.length === 0 ? [] : [{ path: `${DIR}/route${family === 6 ? '6' : ''}-${name}`, text: `${lines.join('\n')}\n`, format: 'ifcfg' as const }];
  });
}

export function exportIfcfg(spec: BondSpec): ConfigFile[] {
  const view = exportView(spec);
  const left = new Leftovers('ifcfg');
  const vars: [string, string][] = [['DEVICE', view.name], ['TYPE', 'Bond'], ['BONDING_MASTER', 'yes'], ['BONDING_OPTS', bondingOpts(view, left)], ...linkVars(view)];
  if (view.mac !== undefined) vars.push(['MACADDR', view.mac]);
  left.slaveOptions(view);
  const slaves = view.slaves.map((slave) => ifcfgFile(slave.name, [], [['DEVICE', slave.name], ['ONBOOT', 'yes'], ['BOOTPROTO', 'none'], ['MASTER', view.name], ['SLAVE', 'yes']]));
  // A VLAN whose spec leaves `up` out follows the bond (normalizeVlans): down over a bond that is down.
  const vlans = view.vlans.flatMap((vlan) => [
    ifcfgFile(vlan.name, vlanComments(vlan), [['DEVICE', vlan.name], ...vlanVars(view.name, vlan), ...linkVars({ ...vlan, up: vlan.up ?? view.up })]),
    ...routeFiles(vlan.name, vlan.routes),
  ]);
  return [ifcfgFile(view.name, left.lines(), vars), ...slaves, ...routeFiles(view.name, view.routes), ...vlans];
}

/**
 * The registry's entry (lib/formats/registry.ts): ifcfg-<dev>, route-<dev> and route6-<dev> by
 * name, else a DEVICE=, BONDING_OPTS=, MASTER= or IPADDR= line.
 */
export const ifcfgFormat = {
  names: [/(^|\/)(ifcfg|route6?)-[^/]+$/u],
  text: /^[ \t]*(DEVICE|BONDING_OPTS|MASTER|IPADDR)=/mu,
  parse: parseIfcfg,
  write: exportIfcfg,
} satisfies FormatDef;
