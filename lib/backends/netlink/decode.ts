// Decoding of what the kernel reports of a bond (RTM_NEWLINK with IFLA_BOND_* and
// IFLA_BOND_SLAVE_*) into the typed BondState, through the attribute numbers and option rows of
// the option table. What every link reports is decoded by lib/netlink/decode.ts.
import ipaddr from 'ipaddr.js';
import type { NativeAttrs, NativeLink, NativeLinkStats } from '../../native.js';
import { AD_INFO_ATTR, BOND_ATTR, BOND_MODES, BOND_OPTION_DEFS, SLAVE_ATTR, type BondOptionDef } from '../../option-table.js';
import { DUPLEXES, decodeLacpPortState, slaveLinkSpeed, type AdInfo, type BondState, type LacpStats, type LinkCounters, type ChurnState, type MiiStatus, type SlaveState } from '../../bond/state.js';
import { OPERSTATES, formatMac, linkCarrier, linkUp } from '../../netlink/decode.js';

const MII_STATUSES: readonly MiiStatus[] = ['up', 'going-down', 'down', 'going-back'];
/** IFLA_BOND_SLAVE_AD_CHURN_*_STATE values (iproute2 prints MONITOR / CHURN / NO_CHURN). */
const CHURN_STATES: readonly ChurnState[] = ['monitoring', 'churned', 'none'];

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

function decodeOption(def: BondOptionDef, raw: NativeAttrs[number] | undefined): unknown {
  const v = def.value;
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

/** LACP counters of a link by ifindex, when they were read. */
export type LacpStatsOf = (ifindex: number) => number[] | undefined;

export function decodeSlave(link: NativeLink, lacpStatsOf?: LacpStatsOf): SlaveState {
  const data = link.slaveData;
  const perm = data?.[SLAVE_ATTR.PERM_HWADDR];
  const up = linkUp(link);
  const carrier = linkCarrier(link);
  const slave: SlaveState = {
    name: link.ifname,
    ifindex: link.ifindex,
    mac: formatMac(link.address),
    mtu: link.mtu,
    up,
    carrier,
    state: num(data, SLAVE_ATTR.STATE) === 1 ? 'backup' : 'active',
    miiStatus: MII_STATUSES[num(data, SLAVE_ATTR.MII_STATUS) ?? 0] ?? 'up',
    linkFailureCount: num(data, SLAVE_ATTR.LINK_FAILURE_COUNT) ?? 0,
    permHwaddr: Buffer.isBuffer(perm) ? formatMac(perm) : '',
    queueId: num(data, SLAVE_ATTR.QUEUE_ID) ?? 0,
    // The driver's, asked for with the read (portSpeeds); none in a notification.
    ...slaveLinkSpeed({ speed: link.speed ?? null, duplex: DUPLEXES[link.duplex ?? -1] ?? null }, { up, carrier }),
  };
  const prio = num(data, SLAVE_ATTR.PRIO);
  if (prio !== undefined) slave.prio = prio;
  const aggregator = num(data, SLAVE_ATTR.AD_AGGREGATOR_ID);
  if (aggregator !== undefined) slave.adAggregatorId = aggregator;
  const actor = num(data, SLAVE_ATTR.AD_ACTOR_OPER_PORT_STATE);
  if (actor !== undefined) slave.adActorOperPortState = decodeLacpPortState(actor);
  const partner = num(data, SLAVE_ATTR.AD_PARTNER_OPER_PORT_STATE);
  if (partner !== undefined) slave.adPartnerOperPortState = decodeLacpPortState(partner);
  const actorPortPrio = num(data, SLAVE_ATTR.ACTOR_PORT_PRIO);
  if (actorPortPrio !== undefined) slave.actorPortPrio = actorPortPrio;
  const churnActor = CHURN_STATES[num(data, SLAVE_ATTR.AD_CHURN_ACTOR_STATE) ?? -1];
  if (churnActor) slave.adChurnActorState = churnActor;
  const churnPartner = CHURN_STATES[num(data, SLAVE_ATTR.AD_CHURN_PARTNER_STATE) ?? -1];
  if (churnPartner) slave.adChurnPartnerState = churnPartner;
  const stats = counters(link.stats);
  if (stats) slave.stats = stats;
  const lacp = decodeLacpStats(lacpStatsOf?.(link.ifindex));
  if (lacp) slave.lacpStats = lacp;
  return slave;
}

function decodeAdInfo(raw: NativeAttrs[number] | undefined): AdInfo | undefined {
  if (raw === undefined || typeof raw === 'number' || Buffer.isBuffer(raw) || Array.isArray(raw)) return undefined;
  const mac = raw[AD_INFO_ATTR.PARTNER_MAC];
  return {
    aggregator: num(raw, AD_INFO_ATTR.AGGREGATOR) ?? 0,
    numPorts: num(raw, AD_INFO_ATTR.NUM_PORTS) ?? 0,
    actorKey: num(raw, AD_INFO_ATTR.ACTOR_KEY) ?? 0,
    partnerKey: num(raw, AD_INFO_ATTR.PARTNER_KEY) ?? 0,
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
    mode: BOND_MODES[num(data, BOND_ATTR.MODE) ?? 0] ?? 'balance-rr',
    activeSlave: nameOf(num(data, BOND_ATTR.ACTIVE_SLAVE)),
    primary: nameOf(num(data, BOND_ATTR.PRIMARY)),
    slaves,
  };
  for (const def of BOND_OPTION_DEFS) {
    if (def.key === 'mode' || def.key === 'primary' || data[def.attr] === undefined) continue;
    const value = decodeOption(def, data[def.attr]);
    if (value !== undefined) (state as unknown as Record<string, unknown>)[def.key] = value;
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
