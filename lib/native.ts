// The one place the compiled addon is loaded, with the typed surface lib/ uses. node-gyp-build
// finds a prebuilt binary or the local build; a load failure says what was tried and how to fix it.
import { createRequire } from 'node:module';
import { packageRoot } from './package-root.js';

/**
 * A table-driven attribute's value, in the shape its width table (native/netlink_attrs.cc) takes:
 * a number for the integer widths, bytes for a MAC, a list of byte strings for an address list, a
 * string for a name or a namespace file's path (sent as its fd), `nested` for a link message
 * (a veth's peer).
 */
export type NativeAttrValue = number | string | Uint8Array | Uint8Array[] | { nested: NativeAttr[] };
export interface NativeAttr {
  type: number;
  value: NativeAttrValue;
}

/** An ifindex, or the ifindex of the link returned by an earlier request of the same batch. */
export type NativeLinkRef = number | { fromRequest: number };

export interface NativeRtnlRequest {
  /** dumpbondstats: RTM_GETSTATS dump of the bond extended stats (802.3ad counters) of every link. */
  op:
    | 'newlink'
    | 'dellink'
    | 'getlink'
    | 'dumplinks'
    | 'dumpbondstats'
    | 'newaddr'
    | 'deladdr'
    | 'dumpaddrs'
    | 'newroute'
    | 'delroute'
    | 'dumproutes';
  /** NLM_F_CREATE | NLM_F_EXCL */
  create?: boolean;
  link?: NativeLinkRef;
  ifname?: string;
  up?: boolean;
  /** IFLA_MASTER; 0 releases. On a dump, only links with this master are returned. */
  master?: NativeLinkRef;
  mtu?: number;
  address?: Uint8Array;
  kind?: string;
  /** IFLA_INFO_DATA of `kind`, through its table: IFLA_BOND_*, IFLA_VLAN_*, ... (lib/link/kinds.ts). */
  infoData?: NativeAttr[];
  /** IFLA_BOND_SLAVE_* attributes. */
  slaveData?: NativeAttr[];
  /** Include IFLA_STATS64 counters in the reply. */
  stats?: boolean;
  /** getlink/dumplinks: each link returned that has a master also gets its driver's `speed` and `duplex` (SIOCETHTOOL). */
  portSpeeds?: boolean;
  /** newaddr/deladdr on `link`. */
  addr?: { family: number; prefixLen: number; local: Uint8Array; broadcast?: Uint8Array };
  /** newroute/delroute through `link` (RTA_OIF). */
  route?: { family: number; dstLen: number; dst?: Uint8Array; gateway?: Uint8Array; metric?: number; table?: number };
  /** dumpaddrs/dumproutes: AF_INET (2), AF_INET6 (10), or 0 for both. */
  family?: number;
  /** IFLA_LINK: the lower link of a VLAN, a macvlan or an ipvlan. */
  parent?: NativeLinkRef;
  /** IFLA_NET_NS_FD: make the link in, or move it to, the namespace at this path. */
  netnsPath?: string;
  /**
   * getlink: stop the batch here (errnum EINVAL, syscall 'expect kind') unless the link is of this
   * kind, so a check and the change it guards are one batch.
   */
  expectKind?: string;
  /** getlink: the same ('expect master') unless the link's master is this one (0: it has none). */
  expectMaster?: NativeLinkRef;
  /**
   * getlink: the same ('expect mtu') unless the link's driver takes the MTU of the link an earlier
   * getlink of the batch returned ({ fromRequest }): within its minMtu..maxMtu.
   */
  expectMtuOf?: NativeLinkRef;
  /** Sent only if the link an earlier getlink of the batch returned ({ fromRequest }) is up; else skipped, with no replies. */
  onlyIfUp?: NativeLinkRef;
}

/** A dumped address (RTM_NEWADDR). */
export interface NativeAddr {
  ifindex: number;
  family: number;
  prefixLen: number;
  scope: number;
  flags: number;
  local?: Buffer;
  address?: Buffer;
  broadcast?: Buffer;
  label?: string;
}

/** A dumped route (RTM_NEWROUTE). */
export interface NativeRoute {
  family: number;
  dstLen: number;
  protocol: number;
  scope: number;
  type: number;
  table: number;
  oif: number;
  metric?: number;
  dst?: Buffer;
  gateway?: Buffer;
  prefsrc?: Buffer;
}

/** Decoded attributes keyed by attribute number; nests (AD_INFO) decode to the same shape. */
export interface NativeAttrs {
  [type: number]: number | string | Buffer | Buffer[] | NativeAttrs;
}

export interface NativeLinkStats {
  rxPackets: number;
  txPackets: number;
  rxBytes: number;
  txBytes: number;
  rxErrors: number;
  txErrors: number;
  rxDropped: number;
  txDropped: number;
}

export interface NativeLink {
  ifindex: number;
  ifname: string;
  flags: number;
  mtu: number;
  /** IFLA_MIN_MTU, IFLA_MAX_MTU (Linux 4.19): the MTUs the driver takes; a maxMtu of 0 sets no limit. */
  minMtu?: number;
  maxMtu?: number;
  operstate: number;
  carrier?: boolean;
  address: Buffer;
  permAddress?: Buffer;
  master: number;
  numTxQueues: number;
  kind?: string;
  slaveKind?: string;
  /** IFLA_INFO_DATA, for every kind the addon has a table for (bond, vlan, bridge, macvlan, ipvlan, veth). */
  infoData?: NativeAttrs;
  /** IFLA_INFO_SLAVE_DATA, for a port of a bond. */
  slaveData?: NativeAttrs;
  stats?: NativeLinkStats;
  /** BOND_3AD_STAT_* counters by index, from dumpbondstats (802.3ad bonds and their slaves only). */
  lacpStats?: number[];
  /** Asked for with portSpeeds, when the driver knows them: Mb/s, and DUPLEX_HALF 0 / DUPLEX_FULL 1. */
  speed?: number;
  duplex?: number;
  /** IFLA_EVENT of a notification: 3 bonding failover, 4 notify peers, 6 bonding options, ... */
  event?: number;
  /** IFLA_LINK: the lower link of a VLAN or macvlan, a veth's peer (in another namespace when linkNetnsId is set). */
  parent?: number;
  linkNetnsId?: number;
}

/** One RTNLGRP_LINK notification. */
export interface NativeLinkNotice {
  deleted: boolean;
  /** CLOCK_MONOTONIC ns when the addon read it; comparable with process.hrtime.bigint(). */
  timestamp: bigint;
  link: NativeLink;
}

/** Reads link notifications on the event loop (uv_poll) and hands them over in batches. */
export interface NativeLinkMonitor {
  close(): void;
}

/** How the addon rejects: an Error with the errno and what the kernel said. */
export interface NativeError extends Error {
  errnum: number;
  syscall: string;
  kernelMessage?: string;
  /** Which request of the batch failed; -1 when the socket could not be opened. */
  requestIndex: number;
  /** rtnlBatch: the replies of the requests before the one that failed. */
  results?: unknown[];
}

/** A sysfs or procfs file operation, relative to /sys/class/net/ or /proc/net/. */
export interface NativeFileOp {
  op: 'read' | 'write' | 'list';
  base: 'sys' | 'procnet';
  path: string;
  value?: string;
  /** A failure gives null instead of rejecting (a down link's carrier file, an absent option). */
  optional?: boolean;
}

/** The text read, the names listed ('' for a write), or null for a failed optional op. */
export type NativeFileResult = string | string[] | null;

/** One connectivity probe (lib/probe/): an echo, an ARP request or a TCP connect. */
export interface NativeProbeRequest {
  kind: 'echo' | 'arp' | 'tcp';
  /** 4 bytes (IPv4) or 16 (IPv6; not for arp). */
  address: Uint8Array;
  /** ms to wait for the answer. */
  timeoutMs: number;
  /** tcp: the port. */
  port?: number;
  /** echo: send out of this link only; arp: the link to ask on (required). */
  ifname?: string;
  /** arp: the sender's IPv4 address (zeros: an RFC 5227 probe). */
  senderAddress?: Uint8Array;
}

/** A probe's answer, or what it saw instead (errnum ETIMEDOUT: nothing). */
export interface NativeProbeOutcome {
  ok: boolean;
  errnum: number;
  micros: number;
  seen: string;
}

/** Netlink sockets of one namespace kept open between batches; close() closes them. */
export interface NativeRtnlSockets {
  close(): void;
}

export interface NativeBinding {
  /**
   * Runs the requests on one socket: one of `sockets`, one kept open for the caller's namespace
   * (nsPath ''), or one opened for the batch in the namespace at nsPath. Replies are links, except
   * for dumpaddrs (NativeAddr) and dumproutes (NativeRoute); lib/link/ reads those through its own
   * typed view.
   */
  rtnlBatch(target: string | NativeRtnlSockets, requests: readonly NativeRtnlRequest[]): Promise<NativeLink[][]>;
  /** The same in a new, empty network namespace that ends with the batch (needs CAP_SYS_ADMIN). */
  rtnlBatchInNewNamespace(requests: readonly NativeRtnlRequest[]): Promise<NativeLink[][]>;
  fileBatch(nsPath: string, ops: readonly NativeFileOp[]): Promise<NativeFileResult[]>;
  /** A non-blocking socket subscribed to RTNLGRP_LINK in the namespace; resolves with its fd. */
  openLinkSubscription(nsPath: string, rcvbuf: number): Promise<number>;
  closeFd(fd: number): void;
  /** `ip netns add` / `ip netns del` of the namespace file at path (/run/netns/NAME). */
  namedNamespace(op: 'add' | 'delete', path: string): Promise<void>;
  /** SO_NETNS_COOKIE of the namespace (decimal; '0' when the kernel has none): never reused, unlike its inode. */
  netnsCookie(nsPath: string): Promise<string>;
  /** flock(fd, LOCK_EX | LOCK_NB): 0 when held now, else the errno (EWOULDBLOCK: someone else holds it). */
  tryLockFile(fd: number): number;
  /** Runs one probe with a socket made in the namespace; rejects only when it cannot be made. */
  probe(nsPath: string, request: NativeProbeRequest): Promise<NativeProbeOutcome>;
  LinkMonitor: new (fd: number, onBatch: (notices: NativeLinkNotice[], overrun: boolean) => void) => NativeLinkMonitor;
  /** Sockets in the namespace at nsPath, opened as batches need them (none until then). */
  RtnlSockets: new (nsPath: string) => NativeRtnlSockets;
}

export function isNativeError(error: unknown): error is NativeError {
  return error instanceof Error && typeof (error as Partial<NativeError>).errnum === 'number';
}

function load(): NativeBinding {
  const require = createRequire(import.meta.url);
  // NETBOND_ADDON names a specific build (the test bed runs part of the suite on the cmake-js one).
  const override = process.env.NETBOND_ADDON;
  if (override) return require(override) as NativeBinding;
  try {
    const nodeGypBuild = require('node-gyp-build') as (dir: string) => NativeBinding;
    return nodeGypBuild(packageRoot());
  } catch (cause) {
    throw new Error(
      `netbond: could not load its native addon from ${packageRoot()} (looked in prebuilds/ and build/Release/). ` +
        'Build it with `npm rebuild netbond` (needs python3, make and g++), or install on linux-x64 where a prebuilt binary ships.',
      { cause },
    );
  }
}

let binding: NativeBinding | undefined;

/** The addon, loaded on first use so that importing netbond never fails on its own. */
export function native(): NativeBinding {
  binding ??= load();
  return binding;
}
