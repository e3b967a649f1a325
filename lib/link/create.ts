// The links around a bond, made over rtnetlink as `ip link add` makes them: veth pairs (the "NICs"
// of a test network, each end in the namespace asked for), VLANs, bridges, and the macvlans and
// ipvlans containers put on a bond. Each kind's data goes through its table (kinds.ts). Everything
// is validated before the first syscall; a link is made down unless `up` is asked.
import { ValidationError } from '../errors.js';
import { resolveNetns, type NetnsOption } from '../call/netns.js';
import { resolveCall, type CallOptions } from '../call/options.js';
import type { NativeRtnlRequest } from '../native.js';
import { runSteps } from '../netlink/batch.js';
import { checkKeys } from '../validate/keys.js';
import { validateIfname } from '../validate/names.js';
import { validateOptionalBoolean } from '../validate/values.js';
import { encodeKindData, validateKindOption, type IpvlanFlags, type IpvlanMode, type KindData, type LinkKind, type MacvlanMode, type VlanProtocol } from './kinds.js';
import { lookupLink } from './lookup.js';

interface CreateOptions extends Pick<CallOptions, 'netns'> {
  /** Bring the new link up (default false, as `ip link add`). */
  up?: boolean;
}

export interface VethOptions extends CreateOptions {
  /** The other end's name. */
  peer: string;
  /** The other end's namespace (default: the same as `netns`). */
  peerNetns?: NetnsOption;
}

export interface VlanOptions extends CreateOptions {
  /** The link the VLAN rides on (a bond, a NIC). */
  link: string;
  /** 1-4094. */
  id: number;
  /** Default '802.1Q'; '802.1ad' for QinQ's service tag. */
  protocol?: VlanProtocol;
}

export interface BridgeOptions extends CreateOptions {
  /** Spanning tree on (IFLA_BR_STP_STATE). Default: the kernel's (off). */
  stp?: boolean;
}

export interface MacvlanOptions extends CreateOptions {
  /** The link the macvlan rides on (a bond, a NIC); IFLA_LINK. */
  link: string;
  /**
   * IFLA_MACVLAN_MODE (`ip link add NAME link LINK type macvlan mode MODE`). Default: the kernel's,
   * 'vepa', as `ip link add` without `mode` (drivers/net/macvlan.c). Macvlans on one link talk to
   * each other only in 'bridge' mode (or through a switch that sends frames back, in 'vepa').
   */
  mode?: MacvlanMode;
}

export interface IpvlanOptions extends CreateOptions {
  /** The link the ipvlan rides on (a bond, a NIC); IFLA_LINK. It shares that link's MAC. */
  link: string;
  /**
   * IFLA_IPVLAN_MODE (`ip link add NAME link LINK type ipvlan mode MODE`). Default: the kernel's,
   * 'l3'. Mode and flags belong to the lower link, shared by all its ipvlans: the last one made
   * with a mode sets it for all. 'l3s' needs a kernel with netfilter (CONFIG_IPVLAN_L3S).
   */
  mode?: IpvlanMode;
  /** IFLA_IPVLAN_FLAGS (`... mode l2 private`). Default: the kernel's, 'bridge'. */
  flags?: IpvlanFlags;
}

/**
 * Makes a link of `kind` with its data; `lower` is the link it rides on (IFLA_LINK), looked up
 * first; `hints` say what a kernel error means for this kind.
 */
async function createLink<K extends LinkKind>(name: string, opts: CreateOptions, kind: K, data: Partial<KindData[K]>, lower?: string, hints: Record<string, string> = {}): Promise<void> {
  const { netns } = resolveCall({ netns: opts.netns }, name);
  const up = validateOptionalBoolean('up', opts.up, name);
  const infoData = encodeKindData(kind, data);
  const request: NativeRtnlRequest = { op: 'newlink', create: true, ifname: name, kind, ...(infoData.length > 0 ? { infoData } : {}), ...(up ? { up } : {}) };
  if (lower !== undefined) request.parent = (await lookupLink(netns, lower)).ifindex;
  await runSteps(netns, [{ request, action: `create ${kind} ${name}`, hints: { EEXIST: `a link named ${name} exists already`, ...hints } }]);
}

function checkOptions(opts: unknown, name: string, keys: readonly string[]): void {
  if (typeof opts !== 'object' || opts === null) throw new ValidationError({ option: 'options', value: opts, allowed: 'an object', bond: name });
  checkKeys(opts, keys, name);
}

/** A veth pair: `name` in `netns`, `peer` in `peerNetns` (both down unless `up`, which brings up `name`). */
export async function createVeth(name: string, opts: VethOptions): Promise<void> {
  validateIfname('name', name);
  checkOptions(opts, name, ['netns', 'up', 'peer', 'peerNetns']);
  const peer = validateIfname('peer', opts.peer, name);
  const peerNetns = opts.peerNetns === undefined ? undefined : resolveNetns(opts.peerNetns);
  await createLink(name, opts, 'veth', { peer: { name: peer, ...(peerNetns?.path ? { netnsPath: peerNetns.path } : {}) } });
}

/** A VLAN on `link` (`ip link add NAME link LINK type vlan id ID [protocol P]`). */
export async function createVlan(name: string, opts: VlanOptions): Promise<void> {
  validateIfname('name', name);
  checkOptions(opts, name, ['netns', 'up', 'link', 'id', 'protocol']);
  const link = validateIfname('link', opts.link, name);
  const id = validateKindOption('vlan', 'id', opts.id, name);
  const protocol = validateKindOption('vlan', 'protocol', opts.protocol ?? '802.1Q', name);
  await createLink(name, opts, 'vlan', { id, protocol }, link);
}

/** A bridge (`ip link add NAME type bridge [stp_state 1]`). */
export async function createBridge(name: string, opts: BridgeOptions = {}): Promise<void> {
  validateIfname('name', name);
  checkOptions(opts, name, ['netns', 'up', 'stp']);
  const stp = validateOptionalBoolean('stp', opts.stp, name);
  await createLink(name, opts, 'bridge', stp === undefined ? {} : { stp });
}

/** A macvlan on `link` (`ip link add NAME link LINK type macvlan [mode MODE]`). */
export async function createMacvlan(name: string, opts: MacvlanOptions): Promise<void> {
  validateIfname('name', name);
  checkOptions(opts, name, ['netns', 'up', 'link', 'mode']);
  const link = validateIfname('link', opts.link, name);
  const mode = opts.mode === undefined ? undefined : validateKindOption('macvlan', 'mode', opts.mode, name);
  await createLink(name, opts, 'macvlan', mode === undefined ? {} : { mode }, link);
}

/** An ipvlan on `link` (`ip link add NAME link LINK type ipvlan [mode MODE] [FLAGS]`). */
export async function createIpvlan(name: string, opts: IpvlanOptions): Promise<void> {
  validateIfname('name', name);
  checkOptions(opts, name, ['netns', 'up', 'link', 'mode', 'flags']);
  const link = validateIfname('link', opts.link, name);
  const mode = opts.mode === undefined ? undefined : validateKindOption('ipvlan', 'mode', opts.mode, name);
  const flags = opts.flags === undefined ? undefined : validateKindOption('ipvlan', 'flags', opts.flags, name);
  // A kernel without CONFIG_IPVLAN_L3S (it needs netfilter) answers l3s with its internal ENOTSUPP.
  const hints: Record<string, string> = mode === 'l3s' ? { E524: 'this kernel has no ipvlan mode l3s (CONFIG_IPVLAN_L3S, which needs netfilter)' } : {};
  await createLink(name, opts, 'ipvlan', { ...(mode === undefined ? {} : { mode }), ...(flags === undefined ? {} : { flags }) }, link, hints);
}
