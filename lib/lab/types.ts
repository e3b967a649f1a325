// What runLab takes and what it returns. The report is plain data (JSON-safe: no bigint) so that
// `netbond lab --json`, the Markdown report and the SVG chart are all views of the same object.
import type { BondMode } from '../option-table.js';

/** The measurements the lab can make. */
export type LabTest = 'throughput' | 'failover' | 'reordering';
export const LAB_TESTS: readonly LabTest[] = ['throughput', 'failover', 'reordering'];

export interface LabOptions {
  /** Bonding modes to compare. Default: balance-rr, active-backup, 802.3ad (the seed's comparison). */
  modes?: readonly BondMode[];
  /** NICs per host (veth pairs), 2 to 4. Default 2. */
  nics?: number;
  /** Rate of each link, each direction, as tc writes it ('1gbit', '100mbit', '500kbit'); shaped with tbf. Default '1gbit'. */
  rate?: string;
  /** One-way delay added to every link, ms (netem). Default 0. */
  delay?: number;
  /** Extra delay per link, ms: link k gets delay + k * skew (netem). Default 0. */
  skew?: number;
  /** Seconds of traffic per measurement. Default 5. */
  duration?: number;
  /** Parallel TCP streams to measure throughput with, one run each. Default [1, 4]. */
  streams?: readonly number[];
  /** Which measurements to make. Default all. Reordering counters come from the throughput runs. */
  tests?: readonly LabTest[];
  /** MII link monitoring interval of every bond, ms. Default 100. */
  miimon?: number;
  /** Stops the run; everything the lab made is removed before runLab rejects. */
  signal?: AbortSignal;
  /** Called with a line of progress ('802.3ad: throughput, 4 streams'). */
  onProgress?: (message: string) => void;
}

/** TCP counters of one measurement, as deltas of /proc/net/netstat and /proc/net/snmp. */
export interface TcpCounters {
  /** Sender: reordering detected from SACKs (TcpExtTCPSACKReorder). */
  sackReorder: number;
  /** Receiver: segments queued out of order (TcpExtTCPOFOQueue). */
  ofoQueue: number;
  /** Sender: segments retransmitted (TcpRetransSegs). */
  retransSegs: number;
  /** Sender: duplicate SACKs received, i.e. segments that arrived twice (TcpExtTCPDSACKRecv). */
  dsacks: number;
}

export interface ThroughputResult {
  streams: number;
  /** Goodput at the receiver over the send window, Mbit/s. */
  mbps: number;
  /** mbps divided by the single unbonded link's mbps with the same streams. */
  vsSingleLink?: number;
  bytes: number;
  counters: TcpCounters;
}

export interface FailoverResult {
  /** The link cut (its far end set down, so the NIC loses carrier), and when, ms after traffic started. */
  cutLink: string;
  cutAtMs: number;
  /** ms from the cut to the bond reporting the slave down (watchBonds slave-link event). */
  detectedMs?: number;
  /** active-backup/tlb/alb: the active slave before and after. */
  activeBefore?: string | null;
  activeAfter?: string | null;
  pingsSent: number;
  pingsLost: number;
  /** Longest run of unanswered pings times the interval: the path's interruption, ms. */
  pingGapMs: number;
  /** Longest stretch with no TCP payload received after the cut, ms (includes TCP's retransmission timeout). */
  tcpStallMs: number;
}

export interface ModeResult {
  /** A bonding mode, or 'single link' for the unbonded baseline. */
  mode: BondMode | 'single link';
  /** How host B is attached: a matching bond, or a bridge standing in for the switch. */
  peer: string;
  /** What this mode asks of a real switch. */
  switchNeeds: string;
  throughput: ThroughputResult[];
  failover?: FailoverResult;
  /** Sum of the throughput runs' counters. */
  counters: TcpCounters;
  /** Reordering events (SACKReorder + OFOQueue) per GB received in the throughput runs. */
  reorderPerGB: number;
  /** A measurement that could not be made, in words. */
  errors: string[];
}

export interface LabSettings {
  modes: BondMode[];
  nics: number;
  rate: string;
  rateMbps: number;
  delay: number;
  skew: number;
  duration: number;
  streams: number[];
  tests: LabTest[];
  miimon: number;
}

export interface LabReport {
  settings: LabSettings;
  /** 'node:net' (the lab's own generator). */
  trafficGenerator: string;
  kernel: string;
  startedAt: string;
  /** The unbonded baseline first, then one per mode. */
  results: ModeResult[];
  recommendation: string[];
  limitations: string[];
}
