// systemd-networkd: a .netdev with [NetDev] Kind=bond and the 25 [Bond] keys of
// systemd.netdev(5) (src/network/netdev/netdev-gperf.gperf), and .network files: the bond's own
// ([Match] Name=, [Network] Address=/Gateway=/VLAN=, [Address], [Route], [Link]) and one per slave
// ([Network] Bond=, PrimarySlave=, ActiveSlave=). *Sec= keys are time spans: a bare number is
// seconds ("100ms", "1s" with units).
// VLANs (vlan.ts): each VLAN= of the bond's .network puts a VLAN on the bond; the VLAN's
// .netdev (Kind=vlan, [VLAN] Id=, Protocol=) gives its id and protocol, and its .network is read
// by the bond's own reader (link.ts) for its state, MTU, addresses and routes.
// Export writes 10-<bond>.netdev, 10-<bond>.network (with a VLAN= per VLAN),
// 20-<bond>-<slave>.network per slave, and 10-<vlan>.netdev and 10-<vlan>.network per VLAN.
// networkd has no key for use_carrier, ns_ip6_target, lacp_active and the netlink-only options,
// nor for slave queue ids/priorities; a primary that is not a slave cannot be written either.
// Those go in a comment in the .netdev. A VLAN spec is written whole.
import { ValidationError } from '../../errors.js';
import { exportView, Leftovers, type ExportView, type ViewOption } from '../shared/export-view.js';
import type { FileFacts } from '../shared/facts.js';
import { parseIni, writeIni, type IniEntry, type IniOut, type IniSection } from '../shared/ini.js';
import { linkNetwork, networkdFile, readLinkNetwork, readNetDevSection, SKIPPED, type NetdevKind } from './link.js';
import { readVlanLines, vlanFiles, VLAN_NETDEV } from './vlan.js';
import { OPTION_BY_KEY, type BondOptionKey, type BondOptionDef } from '../../option-table.js';
import type { BondSpec } from '../../plan/types.js';
import type { ConfigFile, FormatDef } from '../shared/types.js';
import { optionText, parseTimeSpan } from '../shared/values.js';
import { parseBoolWord } from '../../validate/words.js';

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

const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const sectionsNamed = (sections: IniSection[], name: string) => sections.filter((s) => s.name === name);

export function parseNetworkd(file: { path: string; text: string }, out: FileFacts): void {
  const { sections, problems } = parseIni(file.text, { continuation: true });
  for (const problem of problems) out.warn(problem.line, undefined, `'${problem.text}' is not a section or Key=value line; not imported`);
  const isNetdev = basename(file.path).endsWith('.netdev') || sections.some((s) => s.name === 'NetDev');
  if (isNetdev) parseNetdev(sections, out);
  else parseNetwork(sections, out);
}

const BOND_NETDEV: NetdevKind = {
  noun: 'bond',
  section: 'Bond',
  identify: (bond, line, _sections, out) => out.declare(bond, line),
  readSection: readBondSection,
  mac: (bond, e, out) => out.mac(bond, e.value, e.line, e.key),
};

/** The kinds of .netdev imported; others are warned about. */
const NETDEV_KINDS: Readonly<Record<string, NetdevKind>> = { bond: BOND_NETDEV, vlan: VLAN_NETDEV };

function parseNetdev(sections: IniSection[], out: FileFacts): void {
  const entries = sectionsNamed(sections, 'NetDev').flatMap((s) => s.entries);
  const name = entries.filter((e) => e.key === 'Name').pop();
  const kindEntry = entries.filter((e) => e.key === 'Kind').pop();
  // Own keys only: Kind=constructor must not find Object.prototype's.
  const kind = kindEntry && Object.hasOwn(NETDEV_KINDS, kindEntry.value) ? NETDEV_KINDS[kindEntry.value] : undefined;
  if (kindEntry === undefined || kind === undefined) {
    out.warn(kindEntry?.line, 'Kind', `a netdev of kind ${kindEntry?.value ?? '(none)'}, not a bond or a VLAN; not imported`);
    return;
  }
  if (!name?.value) {
    out.warn(kindEntry.line, 'Name', `the ${kind.noun} has no Name=; not imported`);
    return;
  }
  const link = name.value;
  kind.identify(link, name.line, sections, out);
  for (const section of sections) {
    if (section.name === 'NetDev') readNetDevSection(link, section.entries, kind, out);
    else if (section.name === kind.section) kind.readSection(link, section.entries, out);
    else out.notImported(section.line, `[${section.name}]`, `not part of a ${kind.noun} spec`);
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

/**
 * The most (link, line) pairs one .network is read for: every line applies to each link its
 * [Match] Name= lists, so a hostile file (thousands of names, thousands of lines) must not
 * decide how much work and memory the importer takes.
 */
const MAX_LINK_LINES = 100_000;

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
  const lines = sections.reduce((count, s) => count + s.entries.length, 0);
  if (names.length > 1 && names.length * lines > MAX_LINK_LINES) {
    out.warn(nameEntry.line, 'Match', `matches ${names.length} interfaces, each with the file's ${lines} lines: more than the ${MAX_LINK_LINES} (interface, line) pairs read from one file; not imported`);
    return;
  }
  const network = sectionsNamed(sections, 'Network').flatMap((s) => s.entries);
  const bond = network.filter((e) => e.key === 'Bond').pop();
  if (bond) {
    for (const name of names) readSlaveNetwork(name, bond, sections, out);
    return;
  }
  readVlanLines(names, sections, out);
  for (const name of names) readLinkNetwork(name, sections, out);
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

// ---- export

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

/**
 * [Match] Name= is a list of shell-style globs that systemd unquotes (`*`, `?`, `[...]`, a
 * leading `!` inverts, backslashes escape, quotes are removed), and a line ending in a backslash
 * continues on the next: a name with any of those characters would match other interfaces or
 * none, so it is refused rather than written.
 */
const NOT_LITERAL_IN_MATCH = /[*?[\]!\\"']/u;

function refuseMatchPatterns(view: ExportView): void {
  const names: [option: string, name: string][] = [
    ['name', view.name],
    ...view.slaves.map((s): [string, string] => ['slaves', s.name]),
    ...view.vlans.map((v, i): [string, string] => [`vlans[${i}].name`, v.name]),
  ];
  for (const [option, name] of names) {
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
    networkdFile(`10-${view.name}.netdev`, netdev(view, left)),
    networkdFile(`10-${view.name}.network`, linkNetwork(view, view.vlans.map((v) => v.name))),
  ];
  for (const slave of view.slaves) {
    const entries: [string, string][] = [['Bond', view.name]];
    if (primary === slave.name) entries.push(['PrimarySlave', 'yes']);
    if (view.activeSlave === slave.name) entries.push(['ActiveSlave', 'yes']);
    const text = writeIni([{ name: 'Match', entries: [['Name', slave.name]] }, { name: 'Network', entries }]);
    files.push(networkdFile(`20-${view.name}-${slave.name}.network`, text));
  }
  return [...files, ...vlanFiles(view)];
}

/**
 * The registry's entry (lib/formats/registry.ts): a .netdev or .network file, else a [NetDev],
 * [Match] or [Bond] section.
 */
export const networkdFormat = {
  names: [/\.(netdev|network)$/u],
  text: /^[ \t]*\[(NetDev|Match|Bond)\][ \t]*$/mu,
  parse: parseNetworkd,
  write: exportNetworkd,
} satisfies FormatDef;
