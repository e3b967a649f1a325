// What netbond reports about a bond and its slaves, the same from either backend: BondState,
// SlaveState and their parts, and the LACP port-state bits both backends decode.
import type { NativeLinkStats } from '../native.js';
import type { OperState } from '../netlink/decode.js';
import type { BondMode, BondOptionKey, BondOptions } from '../option-table.js';

/** The enum options: those BondOptions lets be a name or the kernel's number (the option table's enums). */
type EnumKeys = { [K in BondOptionKey]: number extends NonNullable<BondOptions[K]> ? ([Exclude<NonNullable<BondOptions[K]>, number>] extends [never] ? never : K) : never }[BondOptionKey];
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
/** DUPLEX_HALF and DUPLEX_FULL of include/uapi/linux/ethtool.h, in the kernel's order (0, 1). */
export const DUPLEXES = ['half', 'full'] as const;
export type Duplex = (typeof DUPLEXES)[number];
export type MiiStatus = 'up' | 'going-down' | 'down' | 'going-back';
/** 802.3ad churn detection (IEEE 802.1AX): watching, churned (no agreement in time), or settled. */
export type ChurnState = 'monitoring' | 'churned' | 'none';
export type { OperState };

/** rx/tx packet, byte, error and drop counters (IFLA_STATS64). */
export type LinkCounters = NativeLinkStats;

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
  /**
   * Mb/s: the driver's answer (ethtool's), which bonding asks at each link change and weighs in
   * 802.3ad aggregation, ad_select bandwidth and tlb/alb. Over netlink asked of the driver with
   * the read; over sysfs the bond's copy in /proc/net/bonding. null while the kernel does not know
   * it, or the slave is down or has no carrier. A veth says 10000.
   */
  speed: number | null;
  /** Like speed (the kernel knows both or neither). */
  duplex: Duplex | null;
  /** Failover priority (Linux 6.0). */
  prio?: number;
  /** 802.3ad only, when the port has an aggregator. */
  adAggregatorId?: number;
  /** 802.3ad: our LACP port state as we send it. */
  adActorOperPortState?: LacpPortState;
  /** 802.3ad: the partner's LACP port state as last received. */
  adPartnerOperPortState?: LacpPortState;
  /** 802.3ad: this port's LACP priority (lower wins), where the bonding driver has it (upstream 6.18, backported). */
  actorPortPrio?: number;
  /** 802.3ad: churn detection of our side and the partner's, where the driver reports it (upstream 7.1, backported). */
  adChurnActorState?: ChurnState;
  adChurnPartnerState?: ChurnState;
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

/** A slave's speed and duplex as a source reports them; undefined where it says nothing. */
export interface ReportedLinkSpeed {
  speed?: number | null;
  duplex?: Duplex | null;
}

/**
 * The speed and duplex a slave's state shows: what was reported, but null on both while the link
 * is down or without carrier. Drivers differ there (the bond asks the driver at each link
 * change): e1000 answers "unknown" once its carrier is gone, a veth keeps saying 10000/full. A
 * link that carries nothing has no speed worth reporting, whatever the driver.
 */
export function slaveLinkSpeed(reported: ReportedLinkSpeed | undefined, link: { up: boolean; carrier: boolean }): Pick<SlaveState, 'speed' | 'duplex'> {
  if (!reported || !link.up || !link.carrier) return { speed: null, duplex: null };
  return { speed: reported.speed ?? null, duplex: reported.duplex ?? null };
}

/** The state with each slave's speed and duplex from `speeds` (by slave name; none read: null), by slaveLinkSpeed's rule. */
export function withSlaveSpeeds(state: BondState, speeds: ReadonlyMap<string, ReportedLinkSpeed> | undefined): BondState {
  return { ...state, slaves: state.slaves.map((slave) => ({ ...slave, ...slaveLinkSpeed(speeds?.get(slave.name), slave) })) };
}

/** The LACP port state bits (IEEE 802.1AX), bit 0 first: decoded here, printed by the CLI. */
export const LACP_FLAGS = ['activity', 'timeout', 'aggregation', 'synchronization', 'collecting', 'distributing', 'defaulted', 'expired'] as const;

export function decodeLacpPortState(value: number): LacpPortState {
  const state = { value } as LacpPortState;
  LACP_FLAGS.forEach((flag, bit) => {
    state[flag] = (value & (1 << bit)) !== 0;
  });
  return state;
}
