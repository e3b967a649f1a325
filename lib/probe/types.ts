// Connectivity probes: what a transaction checks before and after a change, so that a change that
// cuts the host off is rolled back at once instead of at its deadline.

interface ProbeTiming {
  /** ms to wait for an answer, per attempt. Default 1000, at most 60000. */
  timeout?: number;
  /** Attempts after the first, one every `timeout` ms. Default 3, at most 100. */
  retries?: number;
}

/**
 * The default route's gateway answers an ICMP echo sent out of the default route's link (its
 * IPv4 default route, or IPv6 with `family: 6`). Fails when there is no default route.
 */
export interface GatewayProbe extends ProbeTiming {
  kind: 'gateway';
  family?: 4 | 6;
}

/** An address answers an ICMP (ICMPv6) echo, sent where the routing table says. */
export interface PingProbe extends ProbeTiming {
  kind: 'ping';
  address: string;
}

/**
 * An IPv4 address answers an ARP request on `dev` (default: the first bond of the transaction),
 * asked from the link's address on the target's subnet (0.0.0.0 when it has none).
 */
export interface ArpProbe extends ProbeTiming {
  kind: 'arp';
  address: string;
  dev?: string;
}

/** A TCP connection to host:port is accepted. A host name is looked up with the system resolver. */
export interface TcpProbe extends ProbeTiming {
  kind: 'tcp';
  host: string;
  port: number;
}

export type Probe = GatewayProbe | PingProbe | ArpProbe | TcpProbe;

/** One run of a probe (all its attempts). */
export interface ProbeResult {
  ok: boolean;
  /** How many attempts ran (1 + the retries used). */
  attempts: number;
  /** What the last attempt saw: "echo reply from 10.0.0.1", "no ARP reply from 10.0.0.9 ...". */
  seen: string;
  /** The errno name of a failure: ETIMEDOUT (no answer), EHOSTUNREACH, ECONNREFUSED, ENETUNREACH. */
  code?: string;
  /** Round trip of the answering attempt, ms. */
  rttMs?: number;
}

/** What a probe did in a transaction. */
export interface ProbeReport {
  probe: Probe;
  /** In words: "gateway (10.9.0.254 via bond0)", "tcp 10.0.0.1:22". */
  name: string;
  /** Added by netbond (the gateway probe of a checkpoint) rather than asked for. */
  implicit: boolean;
  before: ProbeResult;
  /** Absent when the probe was dropped. */
  after?: ProbeResult;
  /** Failed before the change, so it was left out rather than blamed on the change. */
  dropped: boolean;
}
