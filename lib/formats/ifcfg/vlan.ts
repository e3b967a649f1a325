// VLANs in ifcfg files: ifcfg-<vlan> with VLAN=yes, as initscripts' ifup and NetworkManager's
// ifcfg-rh reader (make_vlan_setting) read it. The VLAN's own file ties it to its link, so the
// bond's file does not name its VLANs. The link is PHYSDEV, else the <link> of a <link>.<id>
// name; the id is VLAN_ID (ifcfg-rh), else VID (initscripts), else the one the name carries
// (<link>.<id>, vlan<id>: shared/merge.ts). VLAN_PROTOCOL is read by the ifcfg-rh of
// NetworkManager releases that have vlan.protocol; initscripts ignores it and creates 802.1Q,
// which the written file says in a comment. Where the two readers make different VLANs of one
// file, the import warns and follows the file's explicit keys (PHYSDEV, VLAN_ID, VID) over its
// name. The rest of the file (ONBOOT, BOOTPROTO, addresses, GATEWAY, MTU) and route-<vlan> are
// read and written by index.ts exactly as for the bond.
import { checkIfname, checkVlanId, vlanIdOfName } from '../shared/checks.js';
import type { ViewVlan } from '../shared/export-view.js';
import type { FileFacts } from '../shared/facts.js';
import type { Variable, Variables } from './vars.js';
import { parseBoolWord } from '../../validate/words.js';

/** VLAN keys a VLAN spec has no field for, with what they set. */
const NOT_IMPORTED: Readonly<Record<string, string>> = {
  VLAN_EGRESS_PRIORITY_MAP: 'egress priority map',
  VLAN_INGRESS_PRIORITY_MAP: 'ingress priority map',
  REORDER_HDR: 'header reordering flag',
  GVRP: 'GVRP registration',
  MVRP: 'MVRP registration',
  VLAN_FLAGS: 'VLAN flags (GVRP, LOOSE_BINDING, NO_REORDER_HDR)',
  VLAN_NAME_TYPE: "vconfig naming scheme (a VLAN's name is given whole)",
};

/** The id keys, the one that wins first: ifcfg-rh reads VLAN_ID, initscripts VID. */
const ID_KEYS = ['VLAN_ID', 'VID'] as const;

/** Every key read here, in a VLAN's file or in another; index.ts leaves them alone. */
export const VLAN_KEYS: ReadonlySet<string> = new Set(['VLAN', 'PHYSDEV', ...ID_KEYS, 'VLAN_PROTOCOL', ...Object.keys(NOT_IMPORTED)]);

/** The link of a <link>.<id> name (bond0.100 -> bond0), as initscripts takes it: up to the last dot. */
function linkOfName(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  return dot > 0 && /^\d{1,4}$/u.test(name.slice(dot + 1)) ? name.slice(0, dot) : undefined;
}

/**
 * Whether initscripts, given PHYSDEV=<link> and no VID, reads this VLAN's link and id from its
 * name: a <link>.<id> name over that link, or vlan<id>.
 */
function nameCarries(name: string, link: string, id: number): boolean {
  const linkInName = /^vlan\d/u.test(name) ? link : linkOfName(name);
  return linkInName === link && vlanIdOfName(name) === id;
}

/**
 * Reads the VLAN keys of a non-slave ifcfg file. Returns false when the file is a VLAN that
 * rides on no link it names, so nothing more of it is read (the warning says why).
 */
export function readVlanKeys(device: string, vars: Variables, out: FileFacts): boolean {
  const flag = vars.get('VLAN');
  const flagged = flag === undefined ? undefined : parseBoolWord(flag.value);
  if (flag !== undefined && flagged === undefined) out.notImported(flag.line, 'VLAN', `${JSON.stringify(flag.value)} is not yes or no`);
  const type = vars.get('TYPE');
  const typedVlan = /^vlan$/iu.test(type?.value ?? '');
  if (flagged !== true && !typedVlan) {
    for (const key of VLAN_KEYS) {
      const v = vars.get(key);
      if (v !== undefined && key !== 'VLAN') out.notImported(v.line, key, 'a VLAN key, and the file has no VLAN=yes');
    }
    return true;
  }
  if (type !== undefined && !typedVlan) {
    out.warn(type.line, 'TYPE', `NetworkManager's ifcfg-rh makes a TYPE=${type.value} profile of this file, not a VLAN; imported as initscripts reads VLAN=yes`);
  } else if (type !== undefined && flagged !== true) {
    out.warn(type.line, 'TYPE', 'TYPE=Vlan without VLAN=yes: initscripts does not create the VLAN; imported as NetworkManager reads it');
  }
  return readVlan(device, vars, (flag ?? type) as Variable, out);
}

function readVlan(vlan: string, vars: Variables, at: Variable, out: FileFacts): boolean {
  const physdev = vars.get('PHYSDEV');
  const named = linkOfName(vlan);
  if (physdev === undefined && named === undefined) {
    out.warn(at.line, 'PHYSDEV', `missing, and the name ${vlan} is not <link>.<id>: VLAN ${vlan} rides on no link; the file is not imported`);
    return false;
  }
  if (physdev !== undefined) {
    const link = checkIfname('PHYSDEV', physdev.value);
    if (!link.ok) {
      out.warn(physdev.line, 'PHYSDEV', `${link.error}; the file is not imported`);
      return false;
    }
    // With VID, initscripts takes PHYSDEV too; without it, the link the name gives.
    if (named !== undefined && named !== link.value && !vars.has('VID')) {
      out.warn(physdev.line, 'PHYSDEV', `${link.value}, but the name ${vlan} says ${named}: initscripts takes the name's link, NetworkManager's ifcfg-rh PHYSDEV; using PHYSDEV`);
    }
  }
  out.vlan(physdev?.value ?? (named as string), vlan, physdev?.line ?? at.line, 'DEVICE');
  readVlanId(vlan, vars, out);
  const protocol = vars.get('VLAN_PROTOCOL');
  if (protocol !== undefined) out.vlanProtocol(vlan, protocol.value, protocol.line, 'VLAN_PROTOCOL');
  for (const [key, what] of Object.entries(NOT_IMPORTED)) {
    const v = vars.get(key);
    if (v !== undefined) out.notImported(v.line, key, `a VLAN spec has no ${what}`);
  }
  return true;
}

/**
 * The id from VLAN_ID or VID; without either, shared/merge.ts takes the one the name carries.
 * When the keys and the name give different ids, initscripts and the versions of ifcfg-rh each
 * pick another, so the import says which one it uses.
 */
function readVlanId(vlan: string, vars: Variables, out: FileFacts): void {
  const given: { key: string; line: number; id: number }[] = [];
  for (const key of ID_KEYS) {
    const v = vars.get(key);
    if (v === undefined) continue;
    const id = checkVlanId(v.value);
    if (id.ok) given.push({ key, line: v.line, id: id.value });
    else out.notImported(v.line, key, id.error);
  }
  const [chosen] = given;
  if (chosen === undefined) return;
  out.vlanId(vlan, chosen.id, chosen.line, chosen.key);
  const nameId = vlanIdOfName(vlan);
  const said = [...given.map((g) => `${g.id} in ${g.key}`), ...(nameId === undefined ? [] : [`${nameId} in the name`])];
  const ids = new Set([...given.map((g) => g.id), ...(nameId === undefined ? [] : [nameId])]);
  if (ids.size > 1) out.warn(chosen.line, chosen.key, `the VLAN id is ${said.join(', ')}: initscripts and NetworkManager's ifcfg-rh do not agree on which wins; using ${chosen.key}`);
}

// ---- export

/**
 * The keys that make ifcfg-<vlan> a VLAN of `link`, for both readers: PHYSDEV and VLAN_ID
 * (ifcfg-rh), VID where initscripts could not read the link and id from the name, and
 * VLAN_PROTOCOL for 802.1ad (802.1Q is the default of both).
 */
export function vlanVars(link: string, vlan: ViewVlan): [string, string][] {
  const vars: [string, string][] = [['TYPE', 'Vlan'], ['VLAN', 'yes'], ['PHYSDEV', link], ['VLAN_ID', String(vlan.id)]];
  if (!nameCarries(vlan.name, link, vlan.id)) vars.push(['VID', String(vlan.id)]);
  if (vlan.protocol !== '802.1Q') vars.push(['VLAN_PROTOCOL', vlan.protocol]);
  return vars;
}

/** A comment for the reader of ifcfg-<vlan> where initscripts would make another VLAN of it. */
export function vlanComments(vlan: ViewVlan): string[] {
  return vlan.protocol === '802.1Q' ? [] : [`VLAN_PROTOCOL is read by NetworkManager's ifcfg-rh; initscripts ignores it and creates an 802.1Q VLAN.`];
}
