// The links around a bond, made over rtnetlink as `ip link add` makes them: veth pairs (the "NICs"
// of a test network, each end in the namespace asked for), VLANs and bridges. Everything is
// validated before the first syscall; a link is made down unless `up` is asked.
import { ValidationError } from '../errors.js';
import { resolveNetns, type NetnsOption } from '../call/netns.js';
import { resolveCall, type CallOptions } from '../call/options.js';
import type { NativeRtnlRequest } from '../native.js';
import { runSteps } from '../netlink/batch.js';
import { checkKeys } from '../validate/keys.js';
import { validateIfname } from '../validate/names.js';
import { validateInteger, validateOptionalBoolean } from '../validate/values.js';
import { VLAN_PROTOCOLS, type VlanProtocol } from './info.js';
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

/** Makes the link; `lower` is the link it rides on (IFLA_LINK), looked up first. */
async function createLink(name: string, opts: CreateOptions, request: NativeRtnlRequest, lower?: string): Promise<void> {
  const { netns } = resolveCall({ netns: opts.netns }, name);
  const up = validateOptionalBoolean('up', opts.up, name);
  const full: NativeRtnlRequest = { ...request, op: 'newlink', create: true, ifname: name, ...(up ? { up } : {}) };
  if (lower !== undefined) full.parent = (await lookupLink(netns, lower)).ifindex;
  await runSteps(netns, [{ request: full, action: `create ${request.kind} ${name}`, hints: { EEXIST: `a link named ${name} exists already` } }]);
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
  await createLink(name, opts, { op: 'newlink', kind: 'veth', peer, ...(peerNetns?.path ? { peerNetnsPath: peerNetns.path } : {}) });
}

/** A VLAN on `link` (`ip link add NAME link LINK type vlan id ID [protocol P]`). */
export async function createVlan(name: string, opts: VlanOptions): Promise<void> {
  validateIfname('name', name);
  checkOptions(opts, name, ['netns', 'up', 'link', 'id', 'protocol']);
  const link = validateIfname('link', opts.link, name);
  const id = validateInteger('id', opts.id, 1, 4094, name);
  const protocol = opts.protocol ?? '802.1Q';
  if (!Object.hasOwn(VLAN_PROTOCOLS, protocol)) throw new ValidationError({ option: 'protocol', value: opts.protocol, allowed: "'802.1Q' or '802.1ad'", bond: name });
  await createLink(name, opts, { op: 'newlink', kind: 'vlan', vlanId: id, vlanProtocol: VLAN_PROTOCOLS[protocol] }, link);
}

/** A bridge (`ip link add NAME type bridge [stp_state 1]`). */
export async function createBridge(name: string, opts: BridgeOptions = {}): Promise<void> {
  validateIfname('name', name);
  checkOptions(opts, name, ['netns', 'up', 'stp']);
  validateOptionalBoolean('stp', opts.stp, name);
  await createLink(name, opts, { op: 'newlink', kind: 'bridge', ...(opts.stp !== undefined ? { bridgeStp: opts.stp } : {}) });
}
