// Addresses of any link (RTM_NEWADDR, RTM_DELADDR, RTM_GETADDR dump), as `ip addr` shows them.
import ipaddr from 'ipaddr.js';
import type { NativeAddr } from '../native.js';
import { resolveCall, type CallOptions } from '../call/options.js';
import type { ResolvedNetns } from '../call/netns.js';
import { runSteps } from '../netlink/batch.js';
import { AF_INET, AF_INET6, IFA_F_PERMANENT, RT_SCOPE_LINK } from '../netlink/constants.js';
import { addressStep } from '../netlink/link-steps.js';
import { validateIfname } from '../validate/names.js';
import { validateCidr, validateIp } from '../validate/net.js';
import { lookupLink } from './lookup.js';

/** One address of an interface, as `ip addr` shows it. */
export interface InterfaceAddress {
  /** CIDR: 10.65.69.171/24, 2001:db8::1/64. */
  address: string;
  family: 4 | 6;
  /** IPv4 broadcast, when set. */
  broadcast?: string;
  scope: 'global' | 'site' | 'link' | 'host' | number;
  /** Assigned by the kernel (IPv6 link-local, autoconfiguration) rather than by someone. */
  dynamic: boolean;
}

const SCOPES: Record<number, InterfaceAddress['scope']> = { 0: 'global', 200: 'site', 253: 'link', 254: 'host' };

/** Address bytes from the kernel as text. */
export const ipText = (bytes: Buffer | undefined) => (bytes ? ipaddr.fromByteArray(Array.from(bytes)).toString() : undefined);

export function decodeAddress(addr: NativeAddr): InterfaceAddress {
  const local = ipText(addr.local ?? addr.address) ?? '';
  const out: InterfaceAddress = {
    address: `${local}/${addr.prefixLen}`,
    family: addr.family === AF_INET ? 4 : 6,
    scope: SCOPES[addr.scope] ?? addr.scope,
    dynamic: (addr.flags & IFA_F_PERMANENT) === 0 || (addr.family === AF_INET6 && addr.scope === RT_SCOPE_LINK),
  };
  const broadcast = ipText(addr.broadcast);
  if (broadcast) out.broadcast = broadcast;
  return out;
}

/** Addresses of one interface (both families), in the kernel's order. */
export async function readAddresses(netns: ResolvedNetns, ifindex: number): Promise<InterfaceAddress[]> {
  const [addrs = []] = (await runSteps(netns, [{ request: { op: 'dumpaddrs', family: 0 }, action: 'list addresses' }])) as unknown as NativeAddr[][];
  return addrs.filter((a) => a.ifindex === ifindex).map(decodeAddress);
}

/** Adds an address (CIDR), with an IPv4 broadcast address when given. */
export async function addAddress(name: string, cidr: string, opts: CallOptions & { broadcast?: string } = {}): Promise<void> {
  validateIfname('name', name);
  const { broadcast, ...call } = opts;
  const { netns } = resolveCall(call, name);
  const parsed = validateCidr('address', cidr);
  const bcast = broadcast === undefined ? undefined : validateIp('broadcast', broadcast, 4);
  const link = await lookupLink(netns, name);
  await runSteps(netns, [addressStep(link.ifindex, name, parsed, true, bcast)]);
}

/** Removes an address (CIDR). */
export async function removeAddress(name: string, cidr: string, opts: CallOptions = {}): Promise<void> {
  validateIfname('name', name);
  const { netns } = resolveCall(opts, name);
  const parsed = validateCidr('address', cidr);
  const link = await lookupLink(netns, name);
  await runSteps(netns, [addressStep(link.ifindex, name, parsed, false)]);
}

/** The addresses of an interface. */
export async function listAddresses(name: string, opts: CallOptions = {}): Promise<InterfaceAddress[]> {
  validateIfname('name', name);
  const { netns } = resolveCall(opts, name);
  return readAddresses(netns, (await lookupLink(netns, name)).ifindex);
}
