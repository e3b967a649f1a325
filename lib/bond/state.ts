// Decoding of what the kernel reports (RTM_NEWLINK with IFLA_BOND_* and IFLA_BOND_SLAVE_*) into
// the typed BondState, through the same option table that encodes requests.
import ipaddr from 'ipaddr.js';
import type { NativeAttrs, NativeLink, NativeLinkStats } from '../native.js';
import { BOND_ATTR, BOND_MODES, OPTION_SPECS, type BondMode, type BondOptionKey, type BondOptions, type OptionSpec } from '../option-table.js';

type EnumKeys = 'mode' | 'arpValidate' | 'arpAllTargets' | 'primaryReselect' | 'failOverMac' | 'xmitHashPolicy' | 'lacpRate' | 'adSelect';
type ReadValue<K extends BondOptionKey> = K extends EnumKeys
  ? Exclude<NonNullable<BondOptions[K]>, number>
  : NonNullable<BondOptions[K]>;

/**
 * Option values as the kernel reports them: enum names, booleans, ms. An option is absent when
 * the running kernel does not report it (too old, or not in this mode: the 802.3ad actor
 * settings are reported only in 802.3ad).
 */
export type BondOptionState = { [K in Exclude<BondOptionKey, 'mode' | 'primary'>]?: ReadValue<K> };

export type SlaveRole = 'active' | 'backup';
export type MiiStatus = 'up' | 'going-down' | 'down' | 'going-back';
export type OperState = 'unknown' | 'notpresent' | 'down' | 'lowerlayerdown' | 'testing' | 'dormant' | 'up';

export interface LinkCounters {
  rxPackets: number;
  txPackets: number;
  rxBytes: number;
  txBytes: number;
  rxErrors: number;
  txErrors: number;
  rxDropped: number;
  txDropped: number;
}

/** LACP port state bits (IEEE 802.1AX; include/uapi/linux/if_bonding.h), decoded. */
export interface LacpPortState {
  /** The raw state byte. */
  value: number;
  /** Active LACP (sends LACPDUs on its own) rather than passive. */
  activity: boolean;
  /** Short timeout (fast LACPDUs, lacp_rate fast) rather than long. */
  timeout: boolean;
  /** The link may be aggregated (not an individual link). */
  aggregation: boolean;
  /** The port is in sync with its aggregator. */
  synchronization: boolean;
  collecting: boolean;
  distributing: boolean;
  /** Using default partner information: no LACPDU received. */
  defaulted: boolean;
  expired: boolean;
}

/** 802.3ad LACPDU and marker counters (RTM_GETSTATS, BOND_XSTATS_3AD), Linux 5.1. */
export interface LacpStats {
  lacpduRx: number;
  lacpduTx: number;
  lacpduUnknownRx: number;
  lacpduIllegalRx: number;
  markerRx: number;
  markerTx: number;
  markerRespRx: number;
  markerRespTx: number;
  markerUnknownRx: number;
}

export interface SlaveState {
  name: string;
  ifindex: number;
  /** Current MAC (the bond's, in most modes). */
  mac: string;
  mtu: number;
  up: boolean;
  carrier: boolean;
  /** active or backup, as the bond sees this slave. */
  state: SlaveRole;
  miiStatus: MiiStatus;
  linkFailureCount: number;
  /** The MAC the slave had before it was enslaved; restored on release. */
  permHwaddr: string;
  queueId: number;
  /** Failover priority (Linux 6.0). */
  prio?: number;
  /** 802.3ad only, when the port has an aggregator. */
  adAggregatorId?: number;
  /** 802.3ad: our LACP port state as we send it. */
  adActorOperPortState?: LacpPortState;
  /** 802.3ad: the partner's LACP port state as last received. */
  adPartnerOperPortState?: LacpPortState;
  /** Present when read with `{ stats: true }`. */
  stats?: LinkCounters;
  /** 802.3ad counters for this port; present when read with `{ stats: true }`. */
  lacpStats?: LacpStats;
}

/** 802.3ad: the active aggregator, when there is one. */
export interface AdInfo {
  aggregator: number;
  numPorts: number;
  actorKey: number;
  partnerKey: number;
  partnerMac: string;
}

export interface BondState extends BondOptionState {
  name: string;
  ifindex: number;
  mac: string;
  mtu: number;
  /** Transmit queues of the bond (the upper bound of a slave's queueId). */
  txQueues: number;
  /** Administratively up (IFF_UP). */
  up: boolean;
  /** The bond has carrier: enough slaves have link (IFLA_CARRIER). */
  carrier: boolean;
  operstate: OperState;
  mode: BondMode;
  /** The slave carrying traffic in active-backup, balance-tlb, balance-alb; null when none. */
  activeSlave: string | null;
  /** The preferred slave, when it is set and enslaved; null otherwise. */
  primary: string | null;
  adInfo?: AdInfo;
  slaves: SlaveState[];
  /** Present when read with `{ stats: true }`. */
  stats?: LinkCounters;
  /** 802.3ad counters summed over the ports; present when read with `{ stats: true }`. */
  lacpStats?: LacpStats;
}

const OPERSTATES: readonly OperState[] = ['unknown', 'notpresent', 'down', 'lowerlayerdown', 'testing', 'dormant', 'up'];
const MII_STATUSES: readonly MiiStatus[] = ['up', 'going-down', 'down', 'going-back'];
const IFF_UP = 0x1;
const IFF_LOWER_UP = 0x10000;

const LACP_FLAGS = ['activity', 'timeout', 'aggregation', 'synchronization', 'collecting', 'distributing', 'defaulted', 'expired'] as const;

export function decodeLacpPortState(value: number): LacpPortState {
  const state = { value } as LacpPortState;
  LACP_FLAGS.forEach((flag, bit) => {
    state[flag] = (value & (1 << bit)) !== 0;
  });
  return state;
}

const LACP_COUNTERS = [
  'lacpduRx',
  'lacpduTx',
  'lacpduUnknownRx',
  'lacpduIllegalRx',
  'markerRx',
  'markerTx',
  'markerRespRx',
  'markerRespTx',
  'markerUnknownRx',
] as const;

export function decodeLacpStats(counters: readonly number[] | undefined): LacpStats | undefined {
  if (!counters) return undefined;
  return Object.fromEntries(LACP_COUNTERS.map((name, i) => [name, counters[i] ?? 0])) as unknown as LacpStats;
}

export function formatMac(bytes: Uint8Array | undefined): string {
  return bytes ? Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(':') : '';
}

function decodeOption(spec: OptionSpec, raw: NativeAttrs[number] | undefined): unknown {
  const v = spec.value;
  switch (v.kind) {
    case 'enum':
      return typeof raw === 'number' ? v.names[raw] : undefined;
    case 'int':
      return typeof raw === 'number' ? raw : undefined;
    case 'bool':
      return typeof raw === 'number' ? raw !== 0 : undefined;
    case 'ipv4-list':
    case 'ipv6-list':
      return Array.isArray(raw) ? raw.map((bytes) => ipaddr.fromByteArray(Array.from(bytes)).toString()) : undefined;
    case 'mac':
      return Buffer.isBuffer(raw) ? formatMac(raw) : undefined;
    case 'ifname':
      return undefined; // an ifindex: resolved against the slaves by the caller
  }
}

function num(attrs: NativeAttrs | undefined, type: number): number | undefined {
  const value = attrs?.[type];
  return typeof value === 'number' ? value : undefined;
}

function counters(stats: NativeLinkStats | undefined): LinkCounters | undefined {
  return stats ? { ...stats } : undefined;
}

function linkUp(link: NativeLink): boolean {
  return (link.flags & IFF_UP) !== 0;
}

function linkCarrier(link: NativeLink): boolean {
  return link.carrier ?? (link.flags & IFF_LOWER_UP) !== 0;
}

/** LACP counters of a link by ifindex, when they were read. */
export type LacpStatsOf = (ifindex: number) => number[] | undefined;

export function decodeSlave(link: NativeLink, lacpStatsOf?: LacpStatsOf): SlaveState {
  const data = link.slaveData;
  const perm = data?.[4];
  const slave: SlaveState = {
    name: link.ifname,
    ifindex: link.ifindex,
    mac: formatMac(link.address),
    mtu: link.mtu,
    up: linkUp(link),
    carrier: linkCarrier(link),
    state: num(data, 1) === 1 ? 'backup' : 'active',
    miiStatus: MII_STATUSES[num(data, 2) ?? 0] ?? 'up',
    linkFailureCount: num(data, 3) ?? 0,
    permHwaddr: Buffer.isBuffer(perm) ? formatMac(perm) : '',
    queueId: num(data, 5) ?? 0,
  };
  const prio = num(data, 9);
  if (prio !== undefined) slave.prio = prio;
  const aggregator = num(data, 6);
  if (aggregator !== undefined) slave.adAggregatorId = aggregator;
  const actor = num(data, 7);
  if (actor !== undefined) slave.adActorOperPortState = decodeLacpPortState(actor);
  const partner = num(data, 8);
  if (partner !== undefined) slave.adPartnerOperPortState = decodeLacpPortState(partner);
  const stats = counters(link.stats);
  if (stats) slave.stats = stats;
  const lacp = decodeLacpStats(lacpStatsOf?.(link.ifindex));
  if (lacp) slave.lacpStats = lacp;
  return slave;
}

function decodeAdInfo(raw: NativeAttrs[number] | undefined): AdInfo | undefined {
  if (raw === undefined || typeof raw === 'number' || Buffer.isBuffer(raw) || Array.isArray(raw)) return undefined;
  const mac = raw[5];
  return {
    aggregator: num(raw, 1) ?? 0,
    numPorts: num(raw, 2) ?? 0,
    actorKey: num(raw, 3) ?? 0,
    partnerKey: num(raw, 4) ?? 0,
    partnerMac: Buffer.isBuffer(mac) ? formatMac(mac) : '',
  };
}

/** Builds a BondState from the bond's link and its slaves' links. */
export function decodeBond(bond: NativeLink, slaveLinks: readonly NativeLink[], lacpStatsOf?: LacpStatsOf): BondState {
  const data = bond.infoData ?? {};
  const slaves = slaveLinks.map((link) => decodeSlave(link, lacpStatsOf));
  const nameOf = (ifindex: number | undefined) =>
    ifindex === undefined ? null : (slaves.find((s) => s.ifindex === ifindex)?.name ?? null);
  const state: BondState = {
    name: bond.ifname,
    ifindex: bond.ifindex,
    mac: formatMac(bond.address),
    mtu: bond.mtu,
    txQueues: bond.numTxQueues,
    up: linkUp(bond),
    carrier: linkCarrier(bond),
    operstate: OPERSTATES[bond.operstate] ?? 'unknown',
    mode: BOND_MODES[num(data, 1) ?? 0] ?? 'balance-rr',
    activeSlave: nameOf(num(data, BOND_ATTR.ACTIVE_SLAVE)),
    primary: nameOf(num(data, 11)),
    slaves,
  };
  for (const spec of OPTION_SPECS) {
    if (spec.key === 'mode' || spec.key === 'primary' || data[spec.attr] === undefined) continue;
    const value = decodeOption(spec, data[spec.attr]);
    if (value !== undefined) (state as unknown as Record<string, unknown>)[spec.key] = value;
  }
  // An empty target list is omitted from the dump; report it as [] since the kernel knows it.
  state.arpIpTarget ??= [];
  const adInfo = decodeAdInfo(data[BOND_ATTR.AD_INFO]);
  if (adInfo) state.adInfo = adInfo;
  const stats = counters(bond.stats);
  if (stats) state.stats = stats;
  const lacp = decodeLacpStats(lacpStatsOf?.(bond.ifindex));
  if (lacp) state.lacpStats = lacp;
  return state;
}
