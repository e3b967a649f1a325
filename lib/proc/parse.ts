// Parser of /proc/net/bonding/<bond>, the bonding driver's text status (bond_procfs.c; format in
// docs/kernel-bonding.md §6). Pure: text in, typed object out, no I/O.
//
// The kernel documents this format as changing with configuration, state and version, so lines
// are read by label ("Label: value"), never by position. Each section (bond, 802.3ad info, active
// aggregator, slave, LACP PDU) has a table of label -> rule. Like the netlink decoder: strict about
// known labels (a bad value throws, naming the line), lenient about unknown ones (kept in
// unknownLines). Lines older kernels did not print are left undefined.
import { isIPv4, isIPv6 } from 'node:net';
import {
  AD_SELECT_VALUES,
  FAIL_OVER_MAC_VALUES,
  LACP_RATES,
  PRIMARY_RESELECT_VALUES,
  XMIT_HASH_POLICIES,
  type AdSelect,
  type BondMode,
  type FailOverMac,
  type LacpRate,
  type PrimaryReselect,
  type XmitHashPolicy,
} from '../option-table.js';
import { DUPLEXES, type Duplex, type MiiStatus, type ReportedLinkSpeed } from '../bond/state.js';

/** One side of a port's LACP state ("details actor/partner lacp pdu:"). Needs CAP_NET_ADMIN to be shown. */
export interface ProcLacpPdu {
  systemPriority: number;
  systemMac: string;
  /** "port key" for the actor, "oper key" for the partner. */
  portKey: number;
  portPriority: number;
  portNumber: number;
  /** LACP port state bits: 63 = activity, timeout, aggregation, sync, collecting, distributing. */
  portState: number;
}

/** "Active Aggregator Info:" of an 802.3ad bond. */
export interface ProcAggregator {
  aggregatorId: number;
  numPorts: number;
  actorKey: number;
  partnerKey: number;
  /** 00:00:00:00:00:00 while no LACP partner answers. */
  partnerMac: string;
}

/** The "802.3ad info" block. */
export interface ProcAdInfo {
  /** Linux 5.15. */
  lacpActive?: boolean;
  lacpRate: LacpRate;
  minLinks?: number;
  adSelect?: AdSelect;
  /** Shown with CAP_NET_ADMIN only (Linux 4.x+). */
  systemPriority?: number;
  systemMac?: string;
  /** null: "bond X has no active aggregator"; undefined: not shown (no CAP_NET_ADMIN). */
  activeAggregator?: ProcAggregator | null;
}

export type ProcChurnState = 'monitoring' | 'churned' | 'none' | 'unknown';

export interface ProcSlave {
  name: string;
  miiStatus: MiiStatus;
  /** Mbps; null when the kernel says Unknown, undefined when it printed no Speed line (2.6.x and older). */
  speed?: number | null;
  /** null when the kernel says Unknown, undefined when it printed no Duplex line (2.6.x and older). */
  duplex?: Duplex | null;
  linkFailureCount: number;
  /** The slave's own MAC, lower-case colon hex; undefined in Linux 2.4's /proc/net/<bond>/info. */
  permHwaddr?: string;
  /** Linux 2.6.35. */
  queueId?: number;
  /** 802.3ad only; null when the port has no aggregator ("N/A"). */
  aggregatorId?: number | null;
  /** 802.3ad with an aggregator, Linux 4.5. */
  actorChurnState?: ProcChurnState;
  partnerChurnState?: ProcChurnState;
  actorChurnedCount?: number;
  partnerChurnedCount?: number;
  actorLacpPdu?: ProcLacpPdu;
  partnerLacpPdu?: ProcLacpPdu;
}

export interface ProcBonding {
  /**
   * As printed after "v": the kernel release ("6.1.176"), or on older kernels the driver's own
   * version and date ("2.6.0 (January 14, 2004)"). Undefined in Linux 2.4's /proc/net/<bond>/info.
   */
  driverVersion?: string;
  mode: BondMode;
  /** Active-backup only, and only when not none (printed as a suffix of the mode line). */
  failOverMac?: FailOverMac;
  /** balance-xor, 802.3ad, and balance-tlb with tlb_dynamic_lb 0. */
  xmitHashPolicy?: XmitHashPolicy;
  /** active-backup, balance-tlb, balance-alb; "None" -> null. */
  primary?: string | null;
  /** Printed only while a primary is set. */
  primaryReselect?: PrimaryReselect;
  /** active-backup, balance-tlb, balance-alb; "None" -> null. */
  activeSlave?: string | null;
  /** The bond's carrier. */
  miiStatus: 'up' | 'down';
  /** ms. */
  miimon: number;
  /** ms. */
  updelay: number;
  /** ms. */
  downdelay: number;
  /** ms; Linux 5.3. */
  peerNotifDelay?: number;
  /** The ARP block is printed only when arp_interval > 0. ms. */
  arpInterval?: number;
  /** Linux 5.17. */
  arpMissedMax?: number;
  arpIpTarget?: string[];
  /** Linux 5.18. */
  nsIp6Target?: string[];
  /** 802.3ad only. */
  ad?: ProcAdInfo;
  slaves: ProcSlave[];
  /** Lines the parser did not recognise, kept rather than dropped. */
  unknownLines: string[];
}

/** bond_mode_name() in drivers/net/bonding/bond_main.c; every BondMode must have its name. */
export const PROC_MODE_NAMES = {
  'balance-rr': 'load balancing (round-robin)',
  'active-backup': 'fault-tolerance (active-backup)',
  'balance-xor': 'load balancing (xor)',
  broadcast: 'fault-tolerance (broadcast)',
  '802.3ad': 'IEEE 802.3ad Dynamic link aggregation',
  'balance-tlb': 'transmit load balancing',
  'balance-alb': 'adaptive load balancing',
} as const satisfies Record<BondMode, string>;
const MODE_BY_NAME: ReadonlyMap<string, BondMode> = new Map(
  Object.entries(PROC_MODE_NAMES).map(([mode, name]) => [name, mode as BondMode]),
);

// --- value parsers: the value text -> a typed value, or undefined when malformed.

type Parse<V> = (value: string) => V | undefined;

const nonEmpty: Parse<string> = (value) => value || undefined;
const int: Parse<number> = (value) => (/^\d+$/u.test(value) ? Number(value) : undefined);
/** %pM or %*phC: colon hex, any length (InfiniBand slaves have 20 bytes). */
const mac: Parse<string> = (value) => (/^[\da-f]{2}(?::[\da-f]{2})*$/iu.test(value) ? value.toLowerCase() : undefined);

function oneOf<V extends string>(values: readonly V[]): Parse<V> {
  return (value) => values.find((v) => v === value);
}

/** A value where one word means "none" (null). */
function orNull<V>(word: string, parse: Parse<V>): Parse<V | null> {
  return (value) => (value === word ? null : parse(value));
}

/** "a, b, c" (possibly empty) of addresses the predicate accepts. */
function addressList(isAddress: (address: string) => boolean): Parse<string[]> {
  return (value) => {
    const addresses = value === '' ? [] : value.split(/,\s*/u);
    return addresses.every(isAddress) ? addresses : undefined;
  };
}

const SLAVE_MII: ReadonlyMap<string, MiiStatus> = new Map([
  ['up', 'up'],
  ['going down', 'going-down'],
  ['down', 'down'],
  ['going back', 'going-back'],
]);
const churn = oneOf<ProcChurnState>(['monitoring', 'churned', 'none', 'unknown']);

// --- rules: a labelled line's value -> the fields it sets, or undefined when malformed.

type Rule<T> = (value: string) => Partial<T> | undefined;
type Rules<T> = ReadonlyMap<string, Rule<T>>;

/** The rule for a line that sets one field. */
function to<T, K extends keyof T>(key: K, parse: Parse<T[K]>): Rule<T> {
  return (value) => {
    const parsed = parse(value);
    return parsed === undefined ? undefined : ({ [key]: parsed } as unknown as Partial<T>);
  };
}

function rules<T>(table: Record<string, Rule<T>>): Rules<T> {
  return new Map(Object.entries(table));
}

/** The labelled fields of each section: everything but nested blocks and lists. */
type BondFields = Omit<ProcBonding, 'ad' | 'slaves' | 'unknownLines'>;
type AdFields = Omit<ProcAdInfo, 'activeAggregator'>;
type SlaveFields = Omit<ProcSlave, 'name' | 'actorLacpPdu' | 'partnerLacpPdu'>;

const BOND_RULES = rules<BondFields>({
  'Ethernet Channel Bonding Driver': to('driverVersion', (value) => nonEmpty(value.replace(/^v/u, ''))),
  // "<mode name>[ (fail_over_mac <policy>)]"; mode names have parentheses of their own.
  'Bonding Mode': (value) => {
    const match = /^(.*?)(?: \(fail_over_mac (\S+)\))?$/u.exec(value);
    const mode = MODE_BY_NAME.get(match?.[1] ?? '');
    if (!match || !mode) return undefined;
    if (match[2] === undefined) return { mode };
    const failOverMac = oneOf(FAIL_OVER_MAC_VALUES)(match[2]);
    return failOverMac && { mode, failOverMac };
  },
  // "<policy> (<kernel number>)".
  'Transmit Hash Policy': to('xmitHashPolicy', (value) => oneOf(XMIT_HASH_POLICIES)(value.replace(/ \(\d+\)$/u, ''))),
  // "<slave>[ (primary_reselect <policy>)]" or "None".
  'Primary Slave': (value) => {
    if (value === 'None') return { primary: null };
    const match = /^(\S+)(?: \(primary_reselect (\S+)\))?$/u.exec(value);
    if (!match) return undefined;
    if (match[2] === undefined) return { primary: match[1] };
    const primaryReselect = oneOf(PRIMARY_RESELECT_VALUES)(match[2]);
    return primaryReselect && { primary: match[1], primaryReselect };
  },
  'Currently Active Slave': to('activeSlave', orNull('None', nonEmpty)),
  'MII Status': to('miiStatus', oneOf(['up', 'down'] as const)),
  'MII Polling Interval (ms)': to('miimon', int),
  'Up Delay (ms)': to('updelay', int),
  'Down Delay (ms)': to('downdelay', int),
  'Peer Notification Delay (ms)': to('peerNotifDelay', int),
  'ARP Polling Interval (ms)': to('arpInterval', int),
  'ARP Missed Max': to('arpMissedMax', int),
  'ARP IP target/s (n.n.n.n form)': to('arpIpTarget', addressList(isIPv4)),
  'NS IPv6 target/s (xx::xx form)': to('nsIp6Target', addressList(isIPv6)),
});

const AD_RULES = rules<AdFields>({
  'LACP active': to('lacpActive', (value) => (value === 'on' ? true : value === 'off' ? false : undefined)),
  'LACP rate': to('lacpRate', oneOf(LACP_RATES)),
  'Min links': to('minLinks', int),
  'Aggregator selection policy (ad_select)': to('adSelect', oneOf(AD_SELECT_VALUES)),
  'System priority': to('systemPriority', int),
  'System MAC address': to('systemMac', mac),
});

const AGGREGATOR_RULES = rules<ProcAggregator>({
  'Aggregator ID': to('aggregatorId', int),
  'Number of ports': to('numPorts', int),
  'Actor Key': to('actorKey', int),
  'Partner Key': to('partnerKey', int),
  'Partner Mac Address': to('partnerMac', mac),
});

const SLAVE_RULES = rules<SlaveFields>({
  'MII Status': to('miiStatus', (value) => SLAVE_MII.get(value)),
  Speed: to('speed', orNull('Unknown', (value) => int(value.replace(/ Mbps$/u, '')))),
  Duplex: to('duplex', orNull('Unknown', oneOf(DUPLEXES))),
  'Link Failure Count': to('linkFailureCount', int),
  'Permanent HW addr': to('permHwaddr', mac),
  'Slave queue ID': to('queueId', int),
  'Aggregator ID': to('aggregatorId', orNull('N/A', int)),
  'Actor Churn State': to('actorChurnState', churn),
  'Partner Churn State': to('partnerChurnState', churn),
  'Actor Churned Count': to('actorChurnedCount', int),
  'Partner Churned Count': to('partnerChurnedCount', int),
});

const PDU_RULES = rules<ProcLacpPdu>({
  'system priority': to('systemPriority', int),
  'system mac address': to('systemMac', mac),
  'port key': to('portKey', int), // actor
  'oper key': to('portKey', int), // partner
  'port priority': to('portPriority', int),
  'port number': to('portNumber', int),
  'port state': to('portState', int),
});

// Required fields per section and the label that carries each. RequiredLabels<T> makes the
// compiler insist that every required field is listed, which is what lets complete() cast.
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
type RequiredLabels<T> = Record<RequiredKeys<T>, string>;

const BOND_REQUIRED: RequiredLabels<BondFields> = {
  mode: 'Bonding Mode',
  miiStatus: 'MII Status',
  miimon: 'MII Polling Interval (ms)',
  updelay: 'Up Delay (ms)',
  downdelay: 'Down Delay (ms)',
};
const AD_REQUIRED: RequiredLabels<AdFields> = { lacpRate: 'LACP rate' };
const AGGREGATOR_REQUIRED: RequiredLabels<ProcAggregator> = {
  aggregatorId: 'Aggregator ID',
  numPorts: 'Number of ports',
  actorKey: 'Actor Key',
  partnerKey: 'Partner Key',
  partnerMac: 'Partner Mac Address',
};
const SLAVE_REQUIRED: RequiredLabels<SlaveFields> = { miiStatus: 'MII Status', linkFailureCount: 'Link Failure Count' };
const PDU_REQUIRED: RequiredLabels<ProcLacpPdu> = {
  systemPriority: 'system priority',
  systemMac: 'system mac address',
  portKey: 'port key / oper key',
  portPriority: 'port priority',
  portNumber: 'port number',
  portState: 'port state',
};

// --- the parser

interface Line {
  number: number;
  text: string;
}

function lineError(line: Line, problem: string): Error {
  return new Error(`/proc/net/bonding line ${line.number}: ${problem}: ${JSON.stringify(line.text)}`);
}

/** Where labelled lines go. */
interface Sink {
  /** Applies a labelled line; false when the label is not one this section (or its parent) knows. */
  apply(label: string, value: string, line: Line): boolean;
}

/**
 * A section being filled: its fields so far, the line that opened it, and what it needs at the
 * end. A label it does not know goes to its parent (a slave's line printed after its LACP details
 * still lands in the slave), so a kernel that reorders lines is still read correctly.
 */
class Section<T> implements Sink {
  readonly fields: Partial<T> = {};

  constructor(
    readonly name: string,
    private readonly rules: Rules<T>,
    private readonly required: RequiredLabels<T>,
    private readonly parent?: Sink,
    readonly opened?: Line,
  ) {}

  apply(label: string, value: string, line: Line): boolean {
    const rule = this.rules.get(label);
    if (!rule) return this.parent?.apply(label, value, line) ?? false;
    const fields = rule(value);
    if (!fields) throw lineError(line, `unexpected value for "${label}"`);
    for (const key of Object.keys(fields) as (keyof T)[]) {
      if (this.fields[key] !== undefined) throw lineError(line, `a second "${label}" line in ${this.name}`);
    }
    Object.assign(this.fields, fields);
    return true;
  }

  /** The fields, once every required one is there. */
  complete(): T {
    for (const [key, label] of Object.entries(this.required) as [keyof T, string][]) {
      if (this.fields[key] === undefined) {
        const where = this.opened ? `${this.name} (opened at line ${this.opened.number})` : this.name;
        throw new Error(`/proc/net/bonding: no "${label}" line in ${where}`);
      }
    }
    // Sound: RequiredLabels<T> lists every required key of T, and each was just checked.
    return { ...this.fields } as T;
  }
}

interface SlaveSections {
  name: string;
  fields: Section<SlaveFields>;
  actor?: Section<ProcLacpPdu>;
  partner?: Section<ProcLacpPdu>;
}

const NO_AGGREGATOR = /^bond \S+ has no active aggregator$/u;
// "Label: value" or "Label:" (an empty list). The label ends at the first colon followed by
// white space or the end: "NS IPv6 target/s (xx::xx form): ..." has colons inside its label, and
// MAC values have colons of their own.
const LABELLED = /^(.+?):(?:\s+(.*))?$/u;

/**
 * Each slave's labelled lines, in the order /proc lists the slaves (the order they were
 * enslaved). For the lenient readers below: a value the full parser does not know elsewhere in
 * the file (a newer kernel's mode or policy) never hides what they read.
 */
function slaveLines(text: string): Map<string, Map<string, string>> {
  const slaves = new Map<string, Map<string, string>>();
  let slave: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/u)) {
    const match = LABELLED.exec(raw.trim());
    const [label, value = ''] = [match?.[1], match?.[2]?.trim()];
    if (label === 'Slave Interface') {
      slave = value ? new Map() : undefined;
      if (slave) slaves.set(value, slave);
    } else if (label !== undefined && slave && !slave.has(label)) {
      slave.set(label, value);
    }
  }
  return slaves;
}

/** The slaves' names in the order /proc lists them (the order they were enslaved). */
export function procSlaveOrder(text: string): string[] {
  return [...slaveLines(text).keys()];
}

/**
 * Each slave's speed and duplex as the bond holds them (its "Speed:" and "Duplex:" lines, read by
 * the slave rules above); a line the rules cannot read counts as not printed.
 */
export function procSlaveSpeeds(text: string): Map<string, ReportedLinkSpeed> {
  const read = (lines: Map<string, string>, label: 'Speed' | 'Duplex'): Partial<SlaveFields> => {
    const value = lines.get(label);
    return (value === undefined ? undefined : SLAVE_RULES.get(label)?.(value)) ?? {};
  };
  return new Map([...slaveLines(text)].map(([name, lines]) => [name, { ...read(lines, 'Speed'), ...read(lines, 'Duplex') }]));
}

/**
 * Parses the text of /proc/net/bonding/<bond> (or Linux 2.4's /proc/net/<bond>/info). Throws an
 * Error naming the line when a known line has a value it cannot read, and when a required line
 * (such as "Bonding Mode") is missing.
 */
export function parseProcBonding(text: string): ProcBonding {
  const bond = new Section('the bond section', BOND_RULES, BOND_REQUIRED);
  let ad: Section<AdFields> | undefined;
  let aggregator: Section<ProcAggregator> | null | undefined;
  const slaves: SlaveSections[] = [];
  const unknownLines: string[] = [];
  // Where labelled lines go: the headers switch it.
  let current: Sink = bond;

  for (const [index, raw] of text.split(/\r?\n/u).entries()) {
    const trimmed = raw.trim();
    if (trimmed === '') continue;
    const line: Line = { number: index + 1, text: raw };
    const slave = slaves.at(-1);

    if (trimmed === '802.3ad info' && !ad && !slave) {
      current = ad = new Section('the 802.3ad info', AD_RULES, AD_REQUIRED, bond, line);
    } else if ((trimmed === 'Active Aggregator Info:' || NO_AGGREGATOR.test(trimmed)) && ad && !slave) {
      if (aggregator !== undefined) throw lineError(line, 'a second active aggregator');
      aggregator = null;
      if (trimmed === 'Active Aggregator Info:') {
        current = aggregator = new Section('the active aggregator info', AGGREGATOR_RULES, AGGREGATOR_REQUIRED, ad, line);
      }
    } else if ((trimmed === 'details actor lacp pdu:' || trimmed === 'details partner lacp pdu:') && slave) {
      const side = trimmed === 'details actor lacp pdu:' ? 'actor' : 'partner';
      if (slave[side]) throw lineError(line, `a second ${side} LACP PDU for slave ${slave.name}`);
      const name = `the ${side} LACP PDU of slave ${slave.name}`;
      current = slave[side] = new Section(name, PDU_RULES, PDU_REQUIRED, slave.fields, line);
    } else {
      const match = LABELLED.exec(trimmed);
      const label = match?.[1];
      const value = match?.[2] ?? '';
      if (label === 'Slave Interface') {
        const name = nonEmpty(value);
        if (!name) throw lineError(line, 'no interface name');
        // No parent: the bond section's labels ("MII Status") mean something else here.
        const fields = new Section(`slave ${name}`, SLAVE_RULES, SLAVE_REQUIRED, undefined, line);
        slaves.push({ name, fields });
        current = fields;
      } else if (label === undefined || !current.apply(label, value, line)) {
        unknownLines.push(raw);
      }
    }
  }

  const result: ProcBonding = { ...bond.complete(), slaves: [], unknownLines };
  if (ad) {
    result.ad = ad.complete();
    if (aggregator !== undefined) result.ad.activeAggregator = aggregator && aggregator.complete();
  }
  for (const { name, fields, actor, partner } of slaves) {
    const slave: ProcSlave = { name, ...fields.complete() };
    if (actor) slave.actorLacpPdu = actor.complete();
    if (partner) slave.partnerLacpPdu = partner.complete();
    result.slaves.push(slave);
  }
  return result;
}
