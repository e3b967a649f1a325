// Any link as a plain object (getLink, listLinks) and deleteLink: what a CI suite or an ops script
// needs to see of the network around a bond, with the same errors and netns option.
import type { OperState } from '../bond/state.js';
import { resolveCall, type CallOptions } from '../call/options.js';
import type { NativeLink } from '../native.js';
import { runSteps } from '../netlink/batch.js';
import { OPERSTATES, formatMac, linkUp } from '../netlink/decode.js';
import { validateIfname } from '../validate/names.js';
import { decodeKindData, type BridgeData, type IpvlanData, type MacvlanData, type VlanData } from './kinds.js';

export { VLAN_PROTOCOLS, type VlanProtocol } from './kinds.js';

export interface LinkInfo {
  name: string;
  ifindex: number;
  /** IFLA_INFO_KIND: 'bond', 'veth', 'vlan', 'bridge', 'macvlan', 'ipvlan', 'dummy', ...; absent for a plain device. */
  kind?: string;
  up: boolean;
  operstate: OperState;
  mtu: number;
  /** The MTUs its driver takes (IFLA_MIN_MTU, IFLA_MAX_MTU; a maxMtu of 0 sets no limit). Absent before Linux 4.19. */
  minMtu?: number;
  maxMtu?: number;
  mac: string;
  /** The bond or bridge this link is a port of. */
  master?: string;
  /**
   * IFLA_LINK: the lower link of a VLAN, a macvlan or an ipvlan, a veth's peer: its name when in
   * this namespace, else its ifindex there (with `parentNetnsId`, the other namespace's id as `ip`
   * shows link-netnsid; a macvlan moved into a namespace of its own reads so).
   */
  parent?: string | number;
  parentNetnsId?: number;
  /** Each kind's data, under the kind's name (lib/link/kinds.ts). */
  vlan?: VlanData;
  bridge?: BridgeData;
  macvlan?: MacvlanData;
  ipvlan?: IpvlanData;
}

export function decodeLinkInfo(link: NativeLink, nameOf: (ifindex: number) => string | undefined): LinkInfo {
  const info: LinkInfo = {
    name: link.ifname,
    ifindex: link.ifindex,
    ...(link.kind ? { kind: link.kind } : {}),
    up: linkUp(link),
    operstate: OPERSTATES[link.operstate] ?? 'unknown',
    mtu: link.mtu,
    ...(link.minMtu === undefined ? {} : { minMtu: link.minMtu }),
    ...(link.maxMtu === undefined ? {} : { maxMtu: link.maxMtu }),
    mac: formatMac(link.address),
  };
  const master = link.master ? nameOf(link.master) : undefined;
  if (master) info.master = master;
  if (link.parent) {
    const local = link.linkNetnsId === undefined ? nameOf(link.parent) : undefined;
    info.parent = local ?? link.parent;
    if (link.linkNetnsId !== undefined) info.parentNetnsId = link.linkNetnsId;
  }
  const data = decodeKindData(link.kind, link.infoData);
  if (data) Object.assign(info, { [link.kind as string]: data });
  return info;
}

/** Every link of the namespace, in ifindex order (`ip -d link show`). */
export async function listLinks(opts: CallOptions = {}): Promise<LinkInfo[]> {
  const { netns } = resolveCall(opts);
  const [links = []] = await runSteps(netns, [{ request: { op: 'dumplinks' }, action: 'list links' }]);
  const names = new Map(links.map((l) => [l.ifindex, l.ifname]));
  return links.map((l) => decodeLinkInfo(l, (i) => names.get(i)));
}

/** One link by name; ENODEV when it does not exist. */
export async function getLink(name: string, opts: CallOptions = {}): Promise<LinkInfo> {
  validateIfname('name', name);
  const { netns } = resolveCall(opts, name);
  // One batch: the link (ENODEV named when missing) and the names of its master and parent.
  const [[link] = [], all = []] = await runSteps(netns, [
    { request: { op: 'getlink', ifname: name }, action: `look up ${name}`, hints: { ENODEV: `${name} does not exist` } },
    { request: { op: 'dumplinks' }, action: `read the links around ${name}` },
  ]);
  if (!link) throw new Error(`netbond: no reply for ${name}`);
  const names = new Map(all.map((l) => [l.ifindex, l.ifname]));
  return decodeLinkInfo(link, (i) => names.get(i));
}

/** Deletes any link (`ip link del`): a veth takes its peer along, a bond releases its slaves. */
export async function deleteLink(name: string, opts: CallOptions = {}): Promise<void> {
  validateIfname('name', name);
  const { netns } = resolveCall(opts, name);
  await runSteps(netns, [{ request: { op: 'dellink', ifname: name }, action: `delete ${name}`, hints: { ENODEV: `${name} does not exist` } }]);
}
