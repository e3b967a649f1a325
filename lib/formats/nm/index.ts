// NetworkManager keyfiles (nm-settings-keyfile(5)): the bond profile ([connection] type=bond,
// [bond] with sysfs option names as NMSettingBond takes them, [ethernet] mtu and
// cloned-mac-address, [ipv4]/[ipv6] addressN=A/P[,GW], gateway=, routeN=D/P[,NH[,METRIC]],
// route-metric=) and one profile per port (master=/controller= naming the bond by interface name
// or UUID, slave-type=/port-type=bond, [bond-port] queue-id and prio).
// A VLAN over the bond is a profile of type vlan: [vlan] parent= (the bond's interface name or
// its profile's UUID), id=, protocol= (802.1ad needs NetworkManager 1.42), its MTU in
// [ethernet] mtu, its addresses, routes and autoconnect read by the same code as the bond's;
// flags= and the priority maps are warnings.
// Export writes the bond and its ports with master=/slave-type= (every NetworkManager reads
// them; controller=/port-type= need 1.46), one profile per VLAN with parent= naming the bond's
// interface (readable without the bond's profile at hand, and the bond's name is fixed by the
// spec), and UUIDs derived from the names, so the same spec gives the same files.
// NetworkManager has no names for coupled_control, broadcast_neighbor and lacp_strict, and
// computes broadcasts itself: those go in a comment.
import { createHash } from 'node:crypto';
import { exportView, Leftovers, type ExportView, type ViewVlan } from '../shared/export-view.js';
import { checkSlaveOption } from '../shared/checks.js';
import type { FileFacts } from '../shared/facts.js';
import { parseIni, writeIni, type IniEntry, type IniOut, type IniSection } from '../shared/ini.js';
import type { BondSpec } from '../../plan/types.js';
import type { ConfigFile, FormatDef } from '../shared/types.js';
import { optionText, type OptionValue } from '../shared/values.js';
import { optionByNmName, parseBoolWord } from '../../validate/words.js';

const DIR = '/etc/NetworkManager/system-connections';

/** Keys that identify or schedule the profile rather than describe the interface. */
const SKIPPED = new Set(['id', 'uuid', 'timestamp', 'permissions', 'autoconnect-priority', 'autoconnect-retries', 'autoconnect-slaves', 'autoconnect-ports', 'stable-id', 'wait-device-timeout', 'may-fail', 'addr-gen-mode', 'ip6-privacy', 'type', 'interface-name']);
const ETHERNET = new Set(['ethernet', '802-3-ethernet']);
/** Methods that add no addresses beyond the static ones (IPv6 link-local is the kernel's). */
const STATIC_METHODS = new Set(['manual', 'disabled', 'ignore']);
const quietMethod = (family: string, method: string) => STATIC_METHODS.has(method) || (family === 'ipv6' && method === 'link-local');

interface Profile {
  sections: IniSection[];
  get(section: string, key: string): IniEntry | undefined;
}

function profileOf(sections: IniSection[]): Profile {
  return {
    sections,
    get: (section, key) =>
      sections
        .filter((s) => s.name === section || (ETHERNET.has(section) && ETHERNET.has(s.name)))
        .flatMap((s) => s.entries)
        .filter((e) => e.key === key)
        .pop(),
  };
}

export function parseNm(file: { path: string; text: string }, out: FileFacts): void {
  const { sections, problems } = parseIni(file.text, { escapes: true });
  for (const problem of problems) out.warn(problem.line, undefined, `'${problem.text}' is not a section or key=value line; not imported`);
  const profile = profileOf(sections);
  const type = profile.get('connection', 'type');
  const name = profile.get('connection', 'interface-name');
  const controller = profile.get('connection', 'controller') ?? profile.get('connection', 'master');
  const portType = profile.get('connection', 'port-type') ?? profile.get('connection', 'slave-type');
  if (controller) {
    readPort(profile, controller, portType, name, out);
    return;
  }
  if (type?.value !== 'bond' && type?.value !== 'vlan') {
    out.warn(type?.line, 'type', `a profile of type ${type?.value ?? '(none)'}, neither a bond, a bond port nor a VLAN; not imported`);
    return;
  }
  if (!name?.value) {
    out.warn(type.line, 'interface-name', `the ${type.value} profile names no interface; not imported`);
    return;
  }
  if (type.value === 'bond') readBond(profile, name.value, out);
  else readVlan(profile, name.value, out);
}

function readPort(profile: Profile, controller: IniEntry, portType: IniEntry | undefined, name: IniEntry | undefined, out: FileFacts): void {
  if (portType?.value !== 'bond') {
    out.warn(portType?.line ?? controller.line, portType?.key ?? controller.key, `a port of a ${portType?.value ?? 'unknown'} controller, not of a bond; not imported`);
    return;
  }
  if (!name?.value) {
    out.warn(controller.line, 'interface-name', 'the port profile names no interface (a match by MAC address is not a name); not imported');
    return;
  }
  const extra: { queueId?: number; prio?: number } = {};
  for (const section of profile.sections) {
    for (const e of section.entries) {
      const key = `${section.name}.${e.key}`;
      if (section.name === 'bond-port' && (e.key === 'queue-id' || e.key === 'prio')) {
        const field = e.key === 'queue-id' ? 'queueId' : 'prio';
        const checked = checkSlaveOption(field, e.value);
        if (checked.ok) extra[field] = checked.value;
        else out.notImported(e.line, key, checked.error);
      } else if (section.name === 'connection' && ['master', 'controller', 'slave-type', 'port-type', 'autoconnect'].includes(e.key)) {
        continue;
      } else if (!SKIPPED.has(e.key) && !(ETHERNET.has(section.name) && e.key === 'mac-address') && !isEmptyIpSection(section)) {
        out.notImported(e.line, key, `${name.value} is a port of ${controller.value}; its own settings are not part of the bond spec`);
      }
    }
  }
  out.slave(controller.value, name.value, controller.line, `connection.${controller.key}`, extra);
}

/** NetworkManager writes [ipv4] method=disabled / [ipv6] method=ignore into port profiles. */
function isEmptyIpSection(section: IniSection): boolean {
  return (section.name === 'ipv4' || section.name === 'ipv6') && section.entries.every((e) => e.key === 'method' && quietMethod(section.name, e.value));
}

/**
 * What a bond and a VLAN profile share: autoconnect, [ipv4]/[ipv6], [ethernet] mtu. `own` reads
 * the entries of the kind's own sections and returns false for the ones it does not take.
 */
function readLinkProfile(profile: Profile, link: string, kind: string, out: FileFacts, own: (section: IniSection, e: IniEntry, key: string) => boolean): void {
  const uuid = profile.get('connection', 'uuid');
  if (uuid) out.uuid(uuid.value, link);
  let upSet = false;
  for (const section of profile.sections) {
    if (section.name === 'ipv4' || section.name === 'ipv6') {
      readIp(link, section, out);
      continue;
    }
    for (const e of section.entries) {
      const key = `${section.name}.${e.key}`;
      if (section.name === 'connection' && e.key === 'autoconnect') {
        const up = parseBoolWord(e.value);
        if (up === undefined) out.notImported(e.line, key, `${JSON.stringify(e.value)} is not true or false`);
        else out.up(link, up, e.line);
        upSet = true;
      } else if (section.name === 'connection' && SKIPPED.has(e.key)) {
        continue;
      } else if (ETHERNET.has(section.name) && e.key === 'mtu') {
        if (e.value !== '0' && e.value !== 'auto') out.mtu(link, e.value, e.line, key);
      } else if (!own(section, e, key)) {
        out.notImported(e.line, key, `not part of a ${kind} spec`);
      }
    }
  }
  // NetworkManager activates a profile at boot unless autoconnect=false.
  if (!upSet) out.up(link, true, undefined, true);
}

function readBond(profile: Profile, bond: string, out: FileFacts): void {
  out.declare(bond, profile.get('connection', 'interface-name')?.line);
  readLinkProfile(profile, bond, 'bond', out, (section, e, key) => {
    if (section.name === 'bond') readBondOption(bond, e, out);
    else if (ETHERNET.has(section.name) && e.key === 'cloned-mac-address') {
      if (/^(preserve|permanent|random|stable)$/u.test(e.value)) out.notImported(e.line, key, `${e.value} is a NetworkManager policy, not an address`);
      else out.mac(bond, e.value, e.line, key);
    } else return false;
    return true;
  });
}

/** [vlan] keys a VLAN spec has no place for (NetworkManager writes flags=1 itself). */
const VLAN_NOT_IMPORTED = new Set(['flags', 'egress-priority-map', 'ingress-priority-map']);

function readVlan(profile: Profile, vlan: string, out: FileFacts): void {
  const parent = profile.get('vlan', 'parent');
  if (!parent?.value) {
    out.warn(profile.get('connection', 'type')?.line, 'vlan.parent', `VLAN ${vlan} names no parent (a match by MAC address is not a name); not imported`);
    return;
  }
  out.vlan(parent.value, vlan, parent.line, 'vlan.parent');
  readLinkProfile(profile, vlan, 'VLAN', out, (section, e, key) => {
    if (section.name !== 'vlan') return false;
    if (e.key === 'id') out.vlanId(vlan, e.value, e.line, key);
    else if (e.key === 'protocol') out.vlanProtocol(vlan, e.value, e.line, key);
    else if (e.key === 'flags' && e.value === '1') return true; // reorder-headers, the default NetworkManager writes
    else if (VLAN_NOT_IMPORTED.has(e.key)) out.notImported(e.line, key, 'not part of a VLAN spec');
    else if (e.key !== 'parent') out.unknownKey(e.line, key);
    return true;
  });
}

function readBondOption(bond: string, e: IniEntry, out: FileFacts): void {
  const key = `bond.${e.key}`;
  if (e.key === 'active_slave') out.activeSlave(bond, e.value, e.line, key);
  else if (e.key === 'balance_slb') out.notImported(e.line, key, 'balance-slb is done by NetworkManager (nftables), not by the bonding driver');
  else {
    const spec = optionByNmName(e.key);
    if (spec === undefined) out.unknownKey(e.line, key);
    else out.option(bond, spec, e.value, e.line, key);
  }
}

function readIp(bond: string, section: IniSection, out: FileFacts): void {
  const entries = section.entries;
  const value = (key: string) => entries.filter((e) => e.key === key).pop();
  const routeMetric = value('route-metric')?.value;
  const metric = routeMetric !== undefined && routeMetric !== '-1' ? routeMetric : undefined;
  const routeOptions = new Set(entries.filter((e) => /^route\d+_options$/u.test(e.key)).map((e) => e.key.replace(/_options$/u, '')));
  const defaultRoute = (gateway: string, line: number, key: string) => {
    if (!/^(0\.0\.0\.0|::)$/u.test(gateway)) out.route(bond, { destination: 'default', gateway, ...(metric ? { metric } : {}) }, line, key);
  };
  for (const e of entries) {
    const key = `${section.name}.${e.key}`;
    const items = e.value.split(';').filter((item) => item !== '');
    if (e.key === 'method') {
      if (!quietMethod(section.name, e.value)) out.notImported(e.line, key, `${e.value}: dynamic addressing is not expressible in a bond spec (only static addresses are)`);
    } else if (/^address(es)?\d*$/u.test(e.key)) {
      // "A/P,GW" (current), or the older "A/P;" lists.
      for (const item of items) {
        const [cidr, gateway] = item.split(',') as [string, string | undefined];
        out.address(bond, cidr, undefined, e.line, key);
        if (gateway) defaultRoute(gateway, e.line, key);
      }
    } else if (e.key === 'gateway') {
      defaultRoute(e.value, e.line, key);
    } else if (/^routes?\d*$/u.test(e.key)) {
      if (routeOptions.has(e.key)) {
        out.notImported(e.line, key, `${e.key}_options make a route a bond spec cannot hold`);
        continue;
      }
      for (const item of items) {
        const [destination, nextHop, routeMetricText] = item.split(',') as [string, string | undefined, string | undefined];
        const gateway = nextHop && !/^(0\.0\.0\.0|::)$/u.test(nextHop) ? nextHop : undefined;
        const m = routeMetricText ?? metric;
        out.route(bond, { destination, ...(gateway ? { gateway } : {}), ...(m ? { metric: m } : {}) }, e.line, key);
      }
    } else if (e.key === 'route-metric' || SKIPPED.has(e.key) || routeOptions.has(e.key.replace(/_options$/u, ''))) {
      continue;
    } else {
      out.notImported(e.line, key, 'not part of a bond spec');
    }
  }
}

// ---- export

/** A stable UUID for a profile name (RFC 4122 layout, version 5 bits over SHA-1). */
export function profileUuid(name: string): string {
  const hex = createHash('sha1').update(`netbond:${name}`).digest('hex');
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** NetworkManager's bond options take 0/1 for booleans, but lacp_active is off/on. */
function nmText(name: string, value: OptionValue): string {
  return optionText(value, name === 'lacp_active' ? { bool: ['on', 'off'] } : {});
}

function ipSection(view: Pick<ExportView, 'addresses' | 'routes'>, family: 4 | 6, left: Leftovers): IniOut {
  const entries: [string, string][] = [];
  const addresses = view.addresses.filter((a) => a.family === family);
  addresses.forEach((a, i) => {
    entries.push([`address${i + 1}`, a.cidr]);
    if (a.broadcast !== undefined) left.add(`broadcast ${a.broadcast} of ${a.cidr} (NetworkManager computes it)`);
  });
  entries.unshift(['method', addresses.length > 0 ? 'manual' : family === 4 ? 'disabled' : 'ignore']);
  view.routes
    .filter((r) => r.family === family)
    .forEach((r, i) => {
      const destination = r.destination === 'default' ? (family === 4 ? '0.0.0.0/0' : '::/0') : r.destination;
      const nextHop = r.gateway ?? (r.metric === undefined ? undefined : family === 4 ? '0.0.0.0' : '::');
      entries.push([`route${i + 1}`, [destination, ...(nextHop ? [nextHop] : []), ...(r.metric === undefined ? [] : [String(r.metric)])].join(',')]);
    });
  return { name: `ipv${family}`, entries };
}

export function exportNm(spec: BondSpec): ConfigFile[] {
  const view = exportView(spec);
  const left = new Leftovers('NetworkManager');
  const connection: [string, string][] = [['id', view.name], ['uuid', profileUuid(view.name)], ['type', 'bond'], ['interface-name', view.name]];
  if (view.up === false) connection.push(['autoconnect', 'false']);
  const ethernet: [string, string][] = [];
  if (view.mtu !== undefined) ethernet.push(['mtu', String(view.mtu)]);
  if (view.mac !== undefined) ethernet.push(['cloned-mac-address', view.mac]);
  const bond: [string, string][] = [];
  for (const option of view.options) {
    const name = option.def.sysfs ?? (option.def.key === 'nsIp6Target' ? option.def.ip : undefined);
    if (name === undefined) left.option(option);
    else bond.push([name, nmText(name, option.value)]);
  }
  if (view.activeSlave !== undefined) bond.push(['active_slave', view.activeSlave]);
  const sections: IniOut[] = [{ name: 'connection', entries: connection }];
  if (ethernet.length > 0) sections.push({ name: 'ethernet', entries: ethernet });
  // [bond-port] has queue-id and prio; actor_port_prio has no NetworkManager name.
  left.slaveOptions(view, ['queueId', 'prio']);
  sections.push({ name: 'bond', entries: bond }, ipSection(view, 4, left), ipSection(view, 6, left));
  const files: ConfigFile[] = [{ path: `${DIR}/${view.name}.nmconnection`, text: writeIni(sections, left.lines(), { escapes: true }), format: 'nm' }];
  for (const slave of view.slaves) {
    const id = `${view.name}-port-${slave.name}`;
    const port: IniOut[] = [{ name: 'connection', entries: [['id', id], ['uuid', profileUuid(id)], ['type', 'ethernet'], ['interface-name', slave.name], ['master', view.name], ['slave-type', 'bond']] }];
    const extra: [string, string][] = [];
    if (slave.queueId !== undefined) extra.push(['queue-id', String(slave.queueId)]);
    if (slave.prio !== undefined) extra.push(['prio', String(slave.prio)]);
    if (extra.length > 0) port.push({ name: 'bond-port', entries: extra });
    files.push({ path: `${DIR}/${id}.nmconnection`, text: writeIni(port, [], { escapes: true }), format: 'nm' });
  }
  for (const vlan of view.vlans) files.push(vlanProfile(view, vlan));
  return files;
}

/** A VLAN's profile; a VLAN whose spec leaves `up` out is as its bond is. */
function vlanProfile(view: ExportView, vlan: ViewVlan): ConfigFile {
  const left = new Leftovers('NetworkManager');
  const connection: [string, string][] = [['id', vlan.name], ['uuid', profileUuid(vlan.name)], ['type', 'vlan'], ['interface-name', vlan.name]];
  if ((vlan.up ?? view.up) === false) connection.push(['autoconnect', 'false']);
  const sections: IniOut[] = [{ name: 'connection', entries: connection }];
  if (vlan.mtu !== undefined) sections.push({ name: 'ethernet', entries: [['mtu', String(vlan.mtu)]] });
  const entries: [string, string][] = [['parent', view.name], ['id', String(vlan.id)]];
  if (vlan.protocol !== '802.1Q') entries.push(['protocol', vlan.protocol]);
  sections.push({ name: 'vlan', entries }, ipSection(vlan, 4, left), ipSection(vlan, 6, left));
  return { path: `${DIR}/${vlan.name}.nmconnection`, text: writeIni(sections, left.lines(), { escapes: true }), format: 'nm' };
}

/**
 * The registry's entry (lib/formats/registry.ts): a .nmconnection file, else a [connection]
 * section.
 */
export const nmFormat = {
  names: [/\.nmconnection$/u],
  text: /^[ \t]*\[connection\][ \t]*$/mu,
  parse: parseNm,
  write: exportNm,
} satisfies FormatDef;
