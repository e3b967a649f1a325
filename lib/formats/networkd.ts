// systemd-networkd: a .netdev with [NetDev] Kind=bond and the 25 [Bond] keys of
// systemd.netdev(5) (src/network/netdev/netdev-gperf.gperf), and .network files: the bond's own
// ([Match] Name=, [Network] Address=/Gateway=, [Address], [Route], [Link]) and one per slave
// ([Network] Bond=, PrimarySlave=, ActiveSlave=). *Sec= keys are time spans: a bare number is
// seconds ("100ms", "1s" with units).
// Export writes 10-<bond>.netdev, 10-<bond>.network and 20-<bond>-<slave>.network per slave.
// networkd has no key for use_carrier, ns_ip6_target, lacp_active and the netlink-only options,
// nor for slave queue ids/priorities; a primary that is not a slave cannot be written either.
// Those go in a comment in the .netdev.
import { ValidationError } from '../errors.js';
import { exportView, Leftovers, type ExportView, type ViewOption } from './export-view.js';
import type { FileFacts } from './facts.js';
import { parseIni, writeIni, type IniEntry, type IniOut, type IniSection } from './ini.js';
import { OPTION_BY_KEY, type BondOptionKey, type BondOptionDef } from '../option-table.js';
import type { BondSpec } from '../declarative/types.js';
import type { ConfigFile } from './types.js';
import { optionText, parseTimeSpan } from './values.js';
import { parseBoolWord } from '../validate/words.js';

interface BondKey {
  key: BondOptionKey;
  /** A *Sec= key, in this unit. */
  unit?: 'ms' | 's';
}

const BOND_KEYS: Readonly<Record<string, BondKey>> = {
  Mode: { key: 'mode' },
  TransmitHashPolicy: { key: 'xmitHashPolicy' },
  LACPTransmitRate: { key: 'lacpRate' },
  MIIMonitorSec: { key: 'miimon', unit: 'ms' },
  UpDelaySec: { key: 'updelay', unit: 'ms' },
  DownDelaySec: { key: 'downdelay', unit: 'ms' },
  LearnPacketIntervalSec: { key: 'lpInterval', unit: 's' },
  AdSelect: { key: 'adSelect' },
  AdActorSystemPriority: { key: 'adActorSysPrio' },
  AdUserPortKey: { key: 'adUserPortKey' },
  AdActorSystem: { key: 'adActorSystem' },
  FailOverMACPolicy: { key: 'failOverMac' },
  ARPValidate: { key: 'arpValidate' },
  ARPIntervalSec: { key: 'arpInterval', unit: 'ms' },
  ARPIPTargets: { key: 'arpIpTarget' },
  ARPAllTargets: { key: 'arpAllTargets' },
  PrimaryReselectPolicy: { key: 'primaryReselect' },
  ResendIGMP: { key: 'resendIgmp' },
  PacketsPerSlave: { key: 'packetsPerSlave' },
  GratuitousARP: { key: 'numGratArp' },
  AllSlavesActive: { key: 'allSlavesActive' },
  DynamicTransmitLoadBalancing: { key: 'tlbDynamicLb' },
  MinLinks: { key: 'minLinks' },
  PeerNotifyDelaySec: { key: 'peerNotifDelay', unit: 'ms' },
  ARPMissedMax: { key: 'arpMissedMax' },
};
const NAME_OF = new Map(Object.entries(BOND_KEYS).map(([name, k]) => [k.key, name]));

/** Keys that describe how networkd treats the file or waits at boot, not the bond. */
const SKIPPED = new Set(['Description', 'RequiredForOnline', 'RequiredFamilyForOnline']);

const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const sectionsNamed = (sections: IniSection[], name: string) => sections.filter((s) => s.name === name);

export function parseNetworkd(file: { path: string; text: string }, out: FileFacts): void {
  const { sections, problems } = parseIni(file.text, { continuation: true });
  for (const problem of problems) out.warn(problem.line, undefined, `'${problem.text}' is not a section or Key=value line; not imported`);
  const isNetdev = basename(file.path).endsWith('.netdev') || sections.some((s) => s.name === 'NetDev');
  if (isNetdev) parseNetdev(sections, out);
  else parseNetwork(sections, out);
}

function parseNetdev(sections: IniSection[], out: FileFacts): void {
  const entries = sectionsNamed(sections, 'NetDev').flatMap((s) => s.entries);
  const name = entries.filter((e) => e.key === 'Name').pop();
  const kind = entries.filter((e) => e.key === 'Kind').pop();
  if (kind?.value !== 'bond') {
    out.warn(kind?.line, 'Kind', `a netdev of kind ${kind?.value ?? '(none)'}, not a bond; not imported`);
    return;
  }
  if (!name?.value) {
    out.warn(kind.line, 'Name', 'the bond has no Name=; not imported');
    return;
  }
  const bond = name.value;
  out.declare(bond, name.line);
  for (const section of sections) {
    if (section.name === 'NetDev') {
      for (const e of section.entries) {
        if (e.key === 'MTUBytes') out.mtu(bond, e.value, e.line, e.key);
        else if (e.key === 'MACAddress') out.mac(bond, e.value, e.line, e.key);
        else if (e.key !== 'Name' && e.key !== 'Kind' && !SKIPPED.has(e.key)) out.unknownKey(e.line, `NetDev.${e.key}`);
      }
    } else if (section.name === 'Bond') {
      readBondSection(bond, section.entries, out);
    } else {
      out.notImported(section.line, `[${section.name}]`, 'not part of a bond spec');
    }
  }
}

function readBondSection(bond: string, entries: IniEntry[], out: FileFacts): void {
  let targets: IniEntry | undefined;
  const list: string[] = [];
  for (const e of entries) {
    const known = BOND_KEYS[e.key];
    if (known === undefined) {
      out.unknownKey(e.line, `Bond.${e.key}`);
      continue;
    }
    const def = OPTION_BY_KEY.get(known.key) as BondOptionDef;
    if (known.key === 'arpIpTarget') {
      // Each ARPIPTargets= adds addresses; an empty one clears the list (systemd.syntax(7)).
      if (e.value === '') list.length = 0;
      else list.push(...e.value.split(/\s+/u));
      targets = e;
    } else if (known.unit) {
      const value = parseTimeSpan(e.value, 's', known.unit);
      if (value === undefined) out.notImported(e.line, `Bond.${e.key}`, `${JSON.stringify(e.value)} is not a time span in whole ${known.unit === 'ms' ? 'milliseconds' : 'seconds'}`);
      else out.option(bond, def, value, e.line, `Bond.${e.key}`);
    } else {
      out.option(bond, def, e.value, e.line, `Bond.${e.key}`);
    }
  }
  if (targets) out.option(bond, OPTION_BY_KEY.get('arpIpTarget') as BondOptionDef, list, targets.line, 'Bond.ARPIPTargets');
}

function parseNetwork(sections: IniSection[], out: FileFacts): void {
  const match = sectionsNamed(sections, 'Match').flatMap((s) => s.entries);
  const nameEntry = match.filter((e) => e.key === 'Name').pop();
  const names = nameEntry?.value.split(/\s+/u).filter((n) => n !== '') ?? [];
  const others = match.filter((e) => e.key !== 'Name');
  if (!nameEntry || names.some((n) => /[*?[!]/u.test(n)) || others.length > 0) {
    const how = [...(nameEntry ? [`Name=${nameEntry.value}`] : []), ...others.map((e) => `${e.key}=${e.value}`)].join(' ');
    out.warn(nameEntry?.line ?? sections[0]?.line, 'Match', `matches ${how || 'every interface'}, so the interfaces it configures are not known; not imported`);
    return;
  }
  const network = sectionsNamed(sections, 'Network').flatMap((s) => s.entries);
  const bond = network.filter((e) => e.key === 'Bond').pop();
  if (bond) {
    for (const name of names) readSlaveNetwork(name, bond, sections, out);
    return;
  }
  for (const name of names) readBondNetwork(name, sections, out);
}

function readSlaveNetwork(name: string, bond: IniEntry, sections: IniSection[], out: FileFacts): void {
  out.slave(bond.value, name, bond.line, 'Network.Bond');
  for (const section of sections) {
    for (const e of section.entries) {
      if (section.name === 'Match' || e === bond || SKIPPED.has(e.key)) continue;
      const flag = section.name === 'Network' || section.name === 'Bond' ? e.key : undefined;
      if ((flag === 'PrimarySlave' || flag === 'ActiveSlave') && parseBoolWord(e.value) !== undefined) {
        if (parseBoolWord(e.value) !== true) continue;
        if (flag === 'PrimarySlave') out.option(bond.value, OPTION_BY_KEY.get('primary') as BondOptionDef, name, e.line, `${section.name}.${e.key}`);
        else out.activeSlave(bond.value, name, e.line, `${section.name}.${e.key}`);
      } else {
        out.notImported(e.line, `${section.name}.${e.key}`, `${name} is a slave of ${bond.value}; its own settings are not part of the bond spec`);
      }
    }
  }
}

function readBondNetwork(name: string, sections: IniSection[], out: FileFacts): void {
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
      if (SKIPPED.has(e.key)) continue;
      if (section.name === 'Network' && e.key === 'Address') out.address(name, e.value, undefined, e.line, key);
      else if (section.name === 'Network' && e.key === 'Gateway') out.route(name, { destination: 'default', gateway: e.value }, e.line, key);
      else if (section.name === 'Network' && e.key === 'DHCP') {
        if (parseBoolWord(e.value) !== false) out.notImported(e.line, key, 'dynamic addressing is not expressible in a bond spec (only static addresses are)');
      } else if (section.name === 'Link' && e.key === 'MTUBytes') out.mtu(name, e.value, e.line, key);
      else if (section.name === 'Link' && e.key === 'MACAddress') out.mac(name, e.value, e.line, key);
      else if (section.name === 'Link' && e.key === 'ActivationPolicy') {
        upSet = true;
        if (['up', 'always-up'].includes(e.value)) out.up(name, true, e.line);
        else if (['down', 'always-down'].includes(e.value)) out.up(name, false, e.line);
        else out.notImported(e.line, key, `${e.value} leaves the link state to others`);
      } else if (section.name === 'Network' || section.name === 'Link') out.notImported(e.line, key, 'not part of a bond spec');
      else out.unknownKey(e.line, key);
    }
  }
  // networkd brings up every link it configures unless ActivationPolicy= says otherwise.
  if (!upSet) out.up(name, true, undefined, true);
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

const DIR = '/etc/systemd/network';

function bondEntry(option: ViewOption): [string, string] | undefined {
  const name = NAME_OF.get(option.def.key);
  if (name === undefined) return undefined;
  const unit = BOND_KEYS[name]?.unit;
  const text = unit && typeof option.value === 'number' ? `${option.value}${unit}` : optionText(option.value, { bool: ['yes', 'no'], listSeparator: ' ' });
  return [name, text];
}

function netdev(view: ExportView, left: Leftovers): string {
  const bond: [string, string][] = [];
  const slaves = view.slaves.map((s) => s.name);
  for (const option of view.options) {
    // The primary is a flag on its slave's .network (PrimarySlave=), not a [Bond] key.
    if (option.def.key === 'primary') {
      if (!slaves.includes(option.value as string)) left.add(`primary ${String(option.value)} (networkd names the primary on one of the bond's slaves)`);
      continue;
    }
    const entry = bondEntry(option);
    if (entry) bond.push(entry);
    else left.option(option);
  }
  if (view.activeSlave !== undefined && !slaves.includes(view.activeSlave)) left.add(`activeSlave ${view.activeSlave} (networkd names it on one of the bond's slaves)`);
  left.slaveOptions(view);
  const sections: IniOut[] = [{ name: 'NetDev', entries: [['Name', view.name], ['Kind', 'bond'], ...(view.mac === undefined ? [] : [['MACAddress', view.mac] as const])] }];
  if (bond.length > 0) sections.push({ name: 'Bond', entries: bond });
  return writeIni(sections, left.lines());
}

function network(view: ExportView): string {
  const sections: IniOut[] = [{ name: 'Match', entries: [['Name', view.name]] }];
  const link: [string, string][] = [];
  if (view.mtu !== undefined) link.push(['MTUBytes', String(view.mtu)]);
  if (view.up === false) link.push(['ActivationPolicy', 'down']);
  if (link.length > 0) sections.push({ name: 'Link', entries: link });
  // One address form for all, so their order survives a round trip.
  const withBroadcast = view.addresses.some((a) => a.broadcast !== undefined);
  if (!withBroadcast && view.addresses.length > 0) sections.push({ name: 'Network', entries: view.addresses.map((a) => ['Address', a.cidr] as const) });
  if (withBroadcast) {
    for (const a of view.addresses) sections.push({ name: 'Address', entries: [['Address', a.cidr], ...(a.broadcast === undefined ? [] : [['Broadcast', a.broadcast] as const])] });
  }
  for (const r of view.routes) {
    const destination = r.destination === 'default' ? (r.family === 6 ? '::/0' : '0.0.0.0/0') : r.destination;
    sections.push({ name: 'Route', entries: [['Destination', destination], ...(r.gateway ? [['Gateway', r.gateway] as const] : []), ...(r.metric === undefined ? [] : [['Metric', String(r.metric)] as const])] });
  }
  return writeIni(sections);
}

/**
 * [Match] Name= is a list of shell-style globs that systemd unquotes (`*`, `?`, `[...]`, a
 * leading `!` inverts, backslashes escape, quotes are removed), and a line ending in a backslash
 * continues on the next: a name with any of those characters would match other interfaces or
 * none, so it is refused rather than written.
 */
const NOT_LITERAL_IN_MATCH = /[*?[\]!\\"']/u;

function refuseMatchPatterns(view: ExportView): void {
  for (const [option, name] of [['name', view.name], ...view.slaves.map((s) => ['slaves', s.name])] as const) {
    const character = NOT_LITERAL_IN_MATCH.exec(name)?.[0];
    if (character === undefined) continue;
    throw new ValidationError({
      option,
      value: name,
      allowed: 'a name without *, ?, [, ], !, \\ or quotes',
      bond: view.name,
      message: `${JSON.stringify(name)} has the character ${JSON.stringify(character)}, which systemd-networkd's [Match] Name= reads as a pattern, an escape or a quote; the networkd format cannot hold it`,
    });
  }
}

export function exportNetworkd(spec: BondSpec): ConfigFile[] {
  const view = exportView(spec);
  refuseMatchPatterns(view);
  const left = new Leftovers('systemd-networkd');
  const primary = view.options.find((o) => o.def.key === 'primary')?.value;
  const files: ConfigFile[] = [
    { path: `${DIR}/10-${view.name}.netdev`, text: netdev(view, left), format: 'networkd' },
    { path: `${DIR}/10-${view.name}.network`, text: network(view), format: 'networkd' },
  ];
  for (const slave of view.slaves) {
    const entries: [string, string][] = [['Bond', view.name]];
    if (primary === slave.name) entries.push(['PrimarySlave', 'yes']);
    if (view.activeSlave === slave.name) entries.push(['ActiveSlave', 'yes']);
    const text = writeIni([{ name: 'Match', entries: [['Name', slave.name]] }, { name: 'Network', entries }]);
    files.push({ path: `${DIR}/20-${view.name}-${slave.name}.network`, text, format: 'networkd' });
  }
  return files;
}
