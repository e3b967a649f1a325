// systemd-networkd: what a bond and a VLAN over it share. Their .netdev files differ only in
// their kind's own section ([Bond], [VLAN]), so `NetdevKind` says what that section holds. Their
// .network files are the same (systemd.network(5)): [Link] MTUBytes= and ActivationPolicy=,
// [Network] Address= and Gateway=, [Address] and [Route] sections. A .network does not say what
// kind of link it configures (the .netdev does), so one reader and one writer serve both.
import type { ExportView } from '../shared/export-view.js';
import type { FileFacts } from '../shared/facts.js';
import { writeIni, type IniEntry, type IniOut, type IniSection } from '../shared/ini.js';
import type { ConfigFile } from '../shared/types.js';
import { parseBoolWord } from '../../validate/words.js';

/** Keys that describe how networkd treats the file or waits at boot, not the link. */
export const SKIPPED = new Set(['Description', 'RequiredForOnline', 'RequiredFamilyForOnline']);

const DIR = '/etc/systemd/network';

/** A file of this format at its conventional place. */
export const networkdFile = (name: string, text: string): ConfigFile => ({ path: `${DIR}/${name}`, text, format: 'networkd' });

/** What a .netdev of one kind holds beyond [NetDev] Name= and Kind=. */
export interface NetdevKind {
  /** The link's kind in warnings: 'bond', 'VLAN'. */
  noun: string;
  /** The kind's own section: 'Bond', 'VLAN'. */
  section: string;
  /** Records what the file says the link is; `line` is the one of [NetDev] Name=. */
  identify(link: string, line: number, sections: IniSection[], out: FileFacts): void;
  readSection(link: string, entries: IniEntry[], out: FileFacts): void;
  /** [NetDev] MACAddress=. */
  mac(link: string, entry: IniEntry, out: FileFacts): void;
}

/** [NetDev]: the keys every kind has. */
export function readNetDevSection(link: string, entries: IniEntry[], kind: NetdevKind, out: FileFacts): void {
  for (const e of entries) {
    if (e.key === 'MTUBytes') out.mtu(link, e.value, e.line, e.key);
    else if (e.key === 'MACAddress') kind.mac(link, e, out);
    else if (e.key !== 'Name' && e.key !== 'Kind' && !SKIPPED.has(e.key)) out.unknownKey(e.line, `NetDev.${e.key}`);
  }
}

/**
 * The .network of a bond or a VLAN named `name`. VLAN= lines are not read here: they are read
 * once per file (vlan.ts), since a VLAN rides on one link.
 */
export function readLinkNetwork(name: string, sections: IniSection[], out: FileFacts): void {
  let upSet = false;
  for (const section of sections) {
    if (section.name === 'Match') continue;
    if (section.name === 'Address') {
      readAddressSection(name, section, out);
      continue;
    }
    if (section.name === 'Route') {
      readRouteSection(name, section, out);
      continue;
    }
    for (const e of section.entries) {
      const key = `${section.name}.${e.key}`;
      if (SKIPPED.has(e.key) || key === 'Network.VLAN') continue;
      if (key === 'Network.Address') out.address(name, e.value, undefined, e.line, key);
      else if (key === 'Network.Gateway') out.route(name, { destination: 'default', gateway: e.value }, e.line, key);
      else if (key === 'Network.DHCP') {
        if (parseBoolWord(e.value) !== false) out.notImported(e.line, key, 'dynamic addressing is not expressible in a bond spec (only static addresses are)');
      } else if (key === 'Link.MTUBytes') out.mtu(name, e.value, e.line, key);
      else if (key === 'Link.MACAddress') out.mac(name, e.value, e.line, key);
      else if (key === 'Link.ActivationPolicy') {
        upSet = true;
        readActivationPolicy(name, e, out);
      } else if (section.name === 'Network' || section.name === 'Link') out.notImported(e.line, key, 'not part of a bond spec');
      else out.unknownKey(e.line, key);
    }
  }
  // networkd brings up every link it configures unless ActivationPolicy= says otherwise.
  if (!upSet) out.up(name, true, undefined, true);
}

function readActivationPolicy(name: string, e: IniEntry, out: FileFacts): void {
  if (['up', 'always-up'].includes(e.value)) out.up(name, true, e.line);
  else if (['down', 'always-down'].includes(e.value)) out.up(name, false, e.line);
  else out.notImported(e.line, 'Link.ActivationPolicy', `${e.value} leaves the link state to others`);
}

function readAddressSection(name: string, section: IniSection, out: FileFacts): void {
  const address = section.entries.filter((e) => e.key === 'Address').pop();
  const broadcast = section.entries.filter((e) => e.key === 'Broadcast').pop();
  const extra = section.entries.filter((e) => e.key !== 'Address' && e.key !== 'Broadcast');
  if (!address) {
    out.notImported(section.line, '[Address]', 'no Address=');
    return;
  }
  for (const e of extra) out.notImported(e.line, `Address.${e.key}`, 'not expressible in a bond spec; the address is imported without it');
  // Broadcast=yes/no asks networkd to compute it (or not): a spec leaves it to the kernel.
  const brd = broadcast && parseBoolWord(broadcast.value) === undefined ? broadcast.value : undefined;
  out.address(name, address.value, brd, address.line, 'Address.Address');
}

function readRouteSection(name: string, section: IniSection, out: FileFacts): void {
  const get = (key: string) => section.entries.filter((e) => e.key === key).pop();
  const extra = section.entries.filter((e) => !['Destination', 'Gateway', 'Metric'].includes(e.key));
  const destination = get('Destination')?.value ?? 'default';
  if (extra.length > 0) {
    out.notImported(section.line, '[Route]', `route ${destination}: ${extra.map((e) => `${e.key}=`).join(', ')} make a route a bond spec cannot hold`);
    return;
  }
  const gateway = get('Gateway')?.value;
  const metric = get('Metric')?.value;
  out.route(name, { destination, ...(gateway ? { gateway } : {}), ...(metric ? { metric } : {}) }, section.line, '[Route]');
}

// ---- export

/** What the .network of a link holds (a bond's view, or a VLAN's). */
export type LinkView = Pick<ExportView, 'name' | 'up' | 'mtu' | 'addresses' | 'routes'>;

/** The .network of a bond or a VLAN; `vlans` names the VLANs that ride on the link (VLAN=). */
export function linkNetwork(link: LinkView, vlans: readonly string[] = []): string {
  const sections: IniOut[] = [{ name: 'Match', entries: [['Name', link.name]] }];
  const linkEntries: [string, string][] = [];
  if (link.mtu !== undefined) linkEntries.push(['MTUBytes', String(link.mtu)]);
  if (link.up === false) linkEntries.push(['ActivationPolicy', 'down']);
  if (linkEntries.length > 0) sections.push({ name: 'Link', entries: linkEntries });
  // One address form for all, so their order survives a round trip.
  const withBroadcast = link.addresses.some((a) => a.broadcast !== undefined);
  const network = [...(withBroadcast ? [] : link.addresses.map((a) => ['Address', a.cidr] as const)), ...vlans.map((name) => ['VLAN', name] as const)];
  if (network.length > 0) sections.push({ name: 'Network', entries: network });
  if (withBroadcast) {
    for (const a of link.addresses) sections.push({ name: 'Address', entries: [['Address', a.cidr], ...(a.broadcast === undefined ? [] : [['Broadcast', a.broadcast] as const])] });
  }
  for (const r of link.routes) {
    const destination = r.destination === 'default' ? (r.family === 6 ? '::/0' : '0.0.0.0/0') : r.destination;
    sections.push({ name: 'Route', entries: [['Destination', destination], ...(r.gateway ? [['Gateway', r.gateway] as const] : []), ...(r.metric === undefined ? [] : [['Metric', String(r.metric)] as const])] });
  }
  return writeIni(sections);
}
