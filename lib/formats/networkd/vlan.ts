// systemd-networkd VLANs over a bond. The bond's .network names each VLAN with VLAN=
// (systemd.network(5)): that line is what ties a VLAN to its link. The VLAN's .netdev has
// [NetDev] Kind=vlan and a [VLAN] section with Id= and Protocol= (systemd.netdev(5)); its own
// .network carries its state, MTU, addresses and routes like the bond's (link.ts).
// The [VLAN] flags and priority maps have no place in a VLAN spec and become warnings.
import type { ExportView, ViewVlan } from '../shared/export-view.js';
import type { FileFacts } from '../shared/facts.js';
import { writeIni, type IniEntry, type IniOut, type IniSection } from '../shared/ini.js';
import { linkNetwork, networkdFile, type NetdevKind } from './link.js';
import type { ConfigFile } from '../shared/types.js';

/** [VLAN] keys a VLAN spec has no field for, with what they set. */
const NOT_IMPORTED: Readonly<Record<string, string>> = {
  GVRP: 'GVRP registration',
  MVRP: 'MVRP registration',
  LooseBinding: 'loose binding to the lower link',
  ReorderHeader: 'header reordering flag',
  EgressQOSMaps: 'egress priority map',
  IngressQOSMaps: 'ingress priority map',
};

function readVlanSection(vlan: string, entries: IniEntry[], out: FileFacts): void {
  for (const e of entries) {
    const key = `VLAN.${e.key}`;
    if (e.key === 'Id') out.vlanId(vlan, e.value, e.line, key);
    else if (e.key === 'Protocol') out.vlanProtocol(vlan, e.value, e.line, key);
    else if (Object.hasOwn(NOT_IMPORTED, e.key)) out.notImported(e.line, key, `a VLAN spec has no ${NOT_IMPORTED[e.key]}`);
    else out.unknownKey(e.line, key);
  }
}

export const VLAN_NETDEV: NetdevKind = {
  noun: 'VLAN',
  section: 'VLAN',
  identify(vlan, line, sections, out) {
    // Without Id= networkd refuses the .netdev; the id the name carries (shared/merge.ts) is a
    // guess.
    const hasId = sections.some((s) => s.name === 'VLAN' && s.entries.some((e) => e.key === 'Id'));
    if (!hasId) out.warn(line, 'VLAN.Id', `missing: systemd-networkd does not create VLAN ${vlan} without it`);
  },
  readSection: readVlanSection,
  mac: (_vlan, e, out) => out.notImported(e.line, 'NetDev.MACAddress', 'a VLAN spec has no MAC address'),
};

/**
 * VLAN= lines of a .network that configures `names`. A VLAN rides on one link, so they are read
 * once per file, and not at all when the file matches several links.
 */
export function readVlanLines(names: readonly string[], sections: IniSection[], out: FileFacts): void {
  for (const section of sections) {
    if (section.name !== 'Network') continue;
    for (const e of section.entries) {
      if (e.key !== 'VLAN') continue;
      if (names.length === 1) out.vlan(names[0] as string, e.value, e.line, 'Network.VLAN');
      else out.notImported(e.line, 'Network.VLAN', `this file configures ${names.length} links, and a VLAN rides on one`);
    }
  }
}

// ---- export

function vlanNetdev(vlan: ViewVlan): string {
  const sections: IniOut[] = [
    { name: 'NetDev', entries: [['Name', vlan.name], ['Kind', 'vlan']] },
    // 802.1Q is networkd's default, so only 802.1ad is written.
    { name: 'VLAN', entries: [['Id', String(vlan.id)], ...(vlan.protocol === '802.1Q' ? [] : [['Protocol', vlan.protocol] as const])] },
  ];
  return writeIni(sections);
}

/** A .netdev and a .network per VLAN of the bond; the bond's .network names them with VLAN=. */
export function vlanFiles(view: ExportView): ConfigFile[] {
  return view.vlans.flatMap((vlan) => [
    networkdFile(`10-${vlan.name}.netdev`, vlanNetdev(vlan)),
    // A VLAN whose spec leaves `up` out follows the bond (normalizeVlans): down over a bond that is down.
    networkdFile(`10-${vlan.name}.network`, linkNetwork({ ...vlan, up: vlan.up ?? view.up })),
  ]);
}
