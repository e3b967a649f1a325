// netplan VLANs over a bond: network.vlans.<id> with id: and link: (netplan-yaml(5) "Properties
// for device type vlans"; canonical/netplan src/parse.c vlan_def_handlers), plus the common keys
// every link has (link.ts). The definition's ID is the VLAN's interface name; link: names
// the netplan ID of the link it rides on, the bond's key under bonds:. netplan has no key for the
// VLAN protocol: every netplan VLAN is 802.1Q. An 802.1ad VLAN is therefore not written (as
// 802.1Q it would be another link, and clash with an 802.1Q VLAN of the same id) but listed whole
// in the file's Leftovers comment.
import { isScalar, type Node, type Pair } from 'yaml';
import type { ExportView, Leftovers, ViewVlan } from '../shared/export-view.js';
import type { FileFacts } from '../shared/facts.js';
import { linkKeys, pairs, plain, readLink, type LinkKind, type Lines } from './link.js';

/** One definition under vlans:. */
export function readVlan(name: string, entry: Pair, lineOf: Lines, out: FileFacts): void {
  if (pairs(entry.value).length === 0) {
    out.notImported(lineOf(entry.key as Node), `vlans.${name}`, 'expected a mapping with id: and link:');
    return;
  }
  const kind: LinkKind = {
    noun: 'VLAN',
    readOwn(pair, key, line) {
      if (key === 'id') out.vlanId(name, plain(pair.value), line, key);
      else if (key === 'link' && isScalar(pair.value)) out.vlan(String(pair.value.value), name, line, key);
      else if (key === 'link') out.notImported(line, key, 'expected the netplan ID of the link');
      else if (key === 'macaddress') out.notImported(line, key, 'a VLAN spec has no MAC address');
      else return false;
      return true;
    },
  };
  readLink(name, entry, kind, lineOf, out);
}

// ---- export

/**
 * The vlans: of the bond's file. A VLAN whose spec leaves `up` out follows the bond
 * (normalizeVlans), so it is written down over a bond that is down.
 */
export function vlanDefinitions(view: ExportView, left: Leftovers): Record<string, unknown> {
  const vlans: [string, unknown][] = [];
  for (const vlan of view.vlans) {
    if (vlan.protocol === '802.1Q') vlans.push([vlan.name, { id: vlan.id, link: view.name, ...linkKeys({ ...vlan, up: vlan.up ?? view.up }, left) }]);
    else left.add(`VLAN ${vlan.name} (protocol ${vlan.protocol}) = ${JSON.stringify(vlanSpec(vlan))}`);
  }
  // fromEntries defines own keys: a VLAN named __proto__ must not become the object's prototype.
  return Object.fromEntries(vlans);
}

/** A VLAN as its spec gives it, for a reader of the Leftovers comment. */
function vlanSpec(vlan: ViewVlan): Record<string, unknown> {
  return {
    id: vlan.id,
    ...(vlan.up === undefined ? {} : { up: vlan.up }),
    ...(vlan.mtu === undefined ? {} : { mtu: vlan.mtu }),
    ...(vlan.addresses.length > 0 ? { addresses: vlan.addresses.map((a) => (a.broadcast === undefined ? a.cidr : { address: a.cidr, broadcast: a.broadcast })) } : {}),
    ...(vlan.routes.length > 0 ? { routes: vlan.routes.map(({ family: _family, ...route }) => route) } : {}),
  };
}
