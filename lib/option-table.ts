// The bond master options: their TypeScript names, kernel attribute numbers, value rules,
// modes, minimum kernels and the rules for when the kernel takes them. One table drives
// validation, encoding to netlink and decoding of what the kernel reports.
// Sources: drivers/net/bonding/bond_options.c and bond_netlink.c, include/uapi/linux/if_link.h,
// iproute2 ip/iplink_bond.c; docs/kernel-bonding.md keeps the facts they give.

/** Bonding modes; the index of a name is the kernel's value (iproute2's mode_tbl). */
export const BOND_MODES = [
  'balance-rr',
  'active-backup',
  'balance-xor',
  'broadcast',
  '802.3ad',
  'balance-tlb',
  'balance-alb',
] as const;
export type BondMode = (typeof BOND_MODES)[number];

export const XMIT_HASH_POLICIES = ['layer2', 'layer3+4', 'layer2+3', 'encap2+3', 'encap3+4', 'vlan+srcmac'] as const;
export type XmitHashPolicy = (typeof XMIT_HASH_POLICIES)[number];

export const ARP_VALIDATE_VALUES = [
  'none',
  'active',
  'backup',
  'all',
  'filter',
  'filter_active',
  'filter_backup',
] as const;
export type ArpValidate = (typeof ARP_VALIDATE_VALUES)[number];

export const ARP_ALL_TARGETS_VALUES = ['any', 'all'] as const;
export type ArpAllTargets = (typeof ARP_ALL_TARGETS_VALUES)[number];

export const PRIMARY_RESELECT_VALUES = ['always', 'better', 'failure'] as const;
export type PrimaryReselect = (typeof PRIMARY_RESELECT_VALUES)[number];

export const FAIL_OVER_MAC_VALUES = ['none', 'active', 'follow'] as const;
export type FailOverMac = (typeof FAIL_OVER_MAC_VALUES)[number];

export const LACP_RATES = ['slow', 'fast'] as const;
export type LacpRate = (typeof LACP_RATES)[number];

export const AD_SELECT_VALUES = ['stable', 'bandwidth', 'count', 'actor_port_prio'] as const;
export type AdSelect = (typeof AD_SELECT_VALUES)[number];

/**
 * Every bond master option, named after the kernel's option names in camelCase
 * (Documentation/networking/bonding.rst). Unset means "leave as the kernel has it".
 * Enumerated options take the name or the kernel's number.
 */
export interface BondOptions {
  /** Bonding policy. Default balance-rr. `ip link add ... type bond mode MODE`. Needs the bond down and without slaves. Linux 3.13. */
  mode?: BondMode | number;
  /** MII link monitoring interval, ms; 0 disables. Default 0 (the kernel sets 100 when mode becomes 802.3ad, balance-tlb or balance-alb). `miimon MS`. Linux 3.13. */
  miimon?: number;
  /** Wait before enabling a slave after link recovery, ms; a multiple of miimon, needs miimon. Default 0. `updelay MS`. Linux 3.13. */
  updelay?: number;
  /** Wait before disabling a slave after link failure, ms; a multiple of miimon, needs miimon. Default 0. `downdelay MS`. Linux 3.13. */
  downdelay?: number;
  /** Delay between a failover and peer notifications, ms (0-300000); a multiple of miimon, needs miimon. Default 0. `peer_notify_delay MS`. Linux 5.3. */
  peerNotifDelay?: number;
  /** Use the driver's carrier state rather than MII ioctls for link monitoring. Default true (only true from Linux 6.18). `use_carrier 0|1`. Linux 3.13. */
  useCarrier?: boolean;
  /** ARP link monitoring interval, ms; 0 disables. Exclusive with miimon. Not in 802.3ad, balance-tlb, balance-alb. Default 0. `arp_interval MS`. Linux 3.13. */
  arpInterval?: number;
  /** IPv4 addresses the ARP monitor probes, at most 16; replaces the whole list, [] clears it. Default none. `arp_ip_target A,B`. Linux 3.14. */
  arpIpTarget?: string[];
  /** IPv6 addresses the NS monitor probes, at most 16; replaces the whole list. Netlink only. Default none. `ns_ip6_target A,B`. Linux 5.18. */
  nsIp6Target?: string[];
  /** Whether ARP probes and replies are validated, and on which slaves. Not in 802.3ad, balance-tlb, balance-alb. Default none. `arp_validate VALUE`. Linux 3.14 (filter values 4.x). */
  arpValidate?: ArpValidate | number;
  /** Whether any or all ARP targets must be reachable for a slave to be up. Default any. `arp_all_targets any|all`. Linux 3.14. */
  arpAllTargets?: ArpAllTargets | number;
  /** Preferred slave (an interface name) in active-backup, balance-tlb, balance-alb; null clears it. Default none. `primary IFNAME`. Linux 3.14. */
  primary?: string | null;
  /** When the primary slave becomes active again after recovering. Default always. `primary_reselect VALUE`. Linux 3.14. */
  primaryReselect?: PrimaryReselect | number;
  /** How slave MAC addresses are handled on failover in active-backup. Needs a bond without slaves. Default none. `fail_over_mac VALUE`. Linux 3.14. */
  failOverMac?: FailOverMac | number;
  /** Transmit hash for balance-xor, 802.3ad and balance-tlb/alb. Default layer2. `xmit_hash_policy VALUE`. Linux 3.14 (vlan+srcmac 5.12). */
  xmitHashPolicy?: XmitHashPolicy | number;
  /** IGMP membership reports sent after a failover (0-255). Default 1. `resend_igmp N`. Linux 3.14. */
  resendIgmp?: number;
  /** Gratuitous ARPs / unsolicited IPv6 NAs sent after a failover (0-255); sysfs num_grat_arp and num_unsol_na. Default 1. `num_grat_arp N`. Linux 3.14. */
  numGratArp?: number;
  /** Deliver duplicate frames received on inactive slaves. Default false. `all_slaves_active 0|1`. Linux 3.14. */
  allSlavesActive?: boolean;
  /** Minimum number of slaves with link up before the bond asserts carrier (802.3ad). Default 0. `min_links N`. Linux 3.14. */
  minLinks?: number;
  /** Seconds between learning packets in balance-tlb/alb (1 or more). Default 1. `lp_interval S`. Linux 3.14. */
  lpInterval?: number;
  /** Packets sent through a slave before moving to the next, balance-rr only (0-65535; 0 = random slave). Default 1. `packets_per_slave N`. Linux 3.14. */
  packetsPerSlave?: number;
  /** LACPDU rate asked of the partner in 802.3ad: slow every 30 s, fast every 1 s. Needs the bond down. Default slow. `lacp_rate slow|fast`. Linux 3.14. */
  lacpRate?: LacpRate | number;
  /** 802.3ad aggregator selection policy. Needs the bond down. Default stable. `ad_select VALUE`. Linux 3.14 (actor_port_prio 6.18). */
  adSelect?: AdSelect | number;
  /** 802.3ad system priority (1-65535). Default 65535. `ad_actor_sys_prio N`. Linux 4.2. */
  adActorSysPrio?: number;
  /** Upper 10 bits of the 802.3ad port key (0-1023). Needs the bond down. Default 0. `ad_user_port_key N`. Linux 4.2. */
  adUserPortKey?: number;
  /** 802.3ad system MAC address in LACPDUs (no group bit). Default 00:00:00:00:00:00: the bond's MAC. `ad_actor_system MAC`. Linux 4.2. */
  adActorSystem?: string;
  /** balance-tlb/alb: rebalance transmit load by current load (true) or by hash (false). Needs the bond down. Default true. `tlb_dynamic_lb 0|1`. Linux 4.3. */
  tlbDynamicLb?: boolean;
  /** 802.3ad: send LACPDUs (active) or only answer them (passive). Needs the bond down. Default true. `lacp_active on|off`. Linux 5.15. */
  lacpActive?: boolean;
  /** ARP monitor: missed probes before a slave is declared down (1-255). Not in 802.3ad, balance-tlb, balance-alb. Default 2. `arp_missed_max N`. Linux 5.17. */
  arpMissedMax?: number;
  /** 802.3ad: couple collecting and distributing (true) or control them apart. Needs the bond down. Netlink only. Default true. `coupled_control on|off`. Linux 6.9. */
  coupledControl?: boolean;
  /** 802.3ad: broadcast ARP/ND on all ports. Netlink only. Default false. `broadcast_neighbor on|off`. Linux 6.17. */
  broadcastNeighbor?: boolean;
  /** 802.3ad: drop carrier when no port receives LACPDUs, rather than falling back. Netlink only. Default false. `lacp_strict on|off`. Linux 7.2. */
  lacpStrict?: boolean;
}

export type BondOptionKey = keyof BondOptions;

export type ValueRule =
  | { kind: 'enum'; names: readonly string[]; since?: Readonly<Record<string, KernelVersion>> }
  | { kind: 'int'; min: number; max: number }
  | { kind: 'bool' }
  | { kind: 'ipv4-list'; max: number }
  | { kind: 'ipv6-list'; max: number }
  /** zeroAllowed: all-zero is a value the kernel takes (and its default), not a refusal. */
  | { kind: 'mac'; zeroAllowed?: boolean }
  | { kind: 'ifname' };

export type KernelVersion = readonly [major: number, minor: number];

/** An option value as the kernel reports it and a spec holds it: enum names, integers, booleans, lists. */
export type OptionValue = string | number | boolean | string[];

/** What every option table entry has: a name, a netlink attribute and a value rule. */
export interface OptionDef<K extends string = string> {
  key: K;
  /** IFLA_BOND_* attribute number. */
  attr: number;
  /** File under /sys/class/net/BOND/bonding/, absent for netlink-only options. */
  sysfs?: string;
  /** The `ip link ... type bond` keyword. */
  ip: string;
  value: ValueRule;
  /**
   * What the kernel sets on a new bond (bonding.rst), in the terms getBond reports: enum names,
   * booleans, numbers, lists. miimon's depends on the mode: see defaultValue.
   */
  default: OptionValue | null;
  since: KernelVersion;
  /** Modes in which the kernel accepts the option; absent means every mode. */
  modes?: readonly number[];
  /** The kernel takes it only while the bond is down (BOND_OPTFLAG_IFDOWN). */
  needsDown?: boolean;
  /** The kernel takes it only while the bond has no slaves (BOND_OPTFLAG_NOSLAVES). */
  needsNoSlaves?: boolean;
  /** The kernel refuses it while miimon is 0, and stores it in units of miimon. */
  needsMiimon?: boolean;
  /**
   * A slave option no two slaves of a bond may share unless it is 0: the kernel refuses each write
   * that would make two equal (queue_id, bond_option_queue_id_set), so changes are ordered.
   */
  distinctUnlessZero?: boolean;
  /**
   * What the kernel sets it to when the bond's mode changes (bond_option_mode_set): into the modes
   * given (absent: into any mode), and with `onlyFromZero` only when it is 0. A plan that changes
   * the mode compares the wanted value with this one and writes it again after the mode.
   */
  modeChangeSets?: { value: OptionValue; intoModes?: readonly number[]; onlyFromZero?: boolean };
}

export type BondOptionDef = OptionDef<BondOptionKey>;

const INT_MAX = 2147483647;
const AB = 1;
const LACP = 4;
const TLB = 5;
const ALB = 6;
/** Modes that have an active slave (setActiveSlave, primary, slave prio). */
export const MODES_WITH_ACTIVE_SLAVE = [AB, TLB, ALB] as const;
const MODES_WITHOUT_ARP = [0, 1, 2, 3] as const;

const u32 = { kind: 'int', min: 0, max: INT_MAX } as const;
const enumOf = (names: readonly string[], since?: Record<string, KernelVersion>): ValueRule =>
  since ? { kind: 'enum', names, since } : { kind: 'enum', names };

/**
 * IFLA_BOND_* (include/uapi/linux/if_link.h): the number of every bond attribute, options and
 * state alike. The option rows below and the decoder (lib/backends/netlink/decode.ts) both name them here.
 */
export const BOND_ATTR = {
  MODE: 1,
  ACTIVE_SLAVE: 2,
  MIIMON: 3,
  UPDELAY: 4,
  DOWNDELAY: 5,
  USE_CARRIER: 6,
  ARP_INTERVAL: 7,
  ARP_IP_TARGET: 8,
  ARP_VALIDATE: 9,
  ARP_ALL_TARGETS: 10,
  PRIMARY: 11,
  PRIMARY_RESELECT: 12,
  FAIL_OVER_MAC: 13,
  XMIT_HASH_POLICY: 14,
  RESEND_IGMP: 15,
  NUM_PEER_NOTIF: 16,
  ALL_SLAVES_ACTIVE: 17,
  MIN_LINKS: 18,
  LP_INTERVAL: 19,
  PACKETS_PER_SLAVE: 20,
  AD_LACP_RATE: 21,
  AD_SELECT: 22,
  /** Nested, read-only: AD_INFO_ATTR. */
  AD_INFO: 23,
  AD_ACTOR_SYS_PRIO: 24,
  AD_USER_PORT_KEY: 25,
  AD_ACTOR_SYSTEM: 26,
  TLB_DYNAMIC_LB: 27,
  PEER_NOTIF_DELAY: 28,
  AD_LACP_ACTIVE: 29,
  MISSED_MAX: 30,
  NS_IP6_TARGET: 31,
  COUPLED_CONTROL: 32,
  BROADCAST_NEIGH: 33,
  LACP_STRICT: 34,
} as const;

/** IFLA_BOND_AD_INFO_*, nested in BOND_ATTR.AD_INFO (802.3ad only). */
export const AD_INFO_ATTR = { AGGREGATOR: 1, NUM_PORTS: 2, ACTOR_KEY: 3, PARTNER_KEY: 4, PARTNER_MAC: 5 } as const;

/** IFLA_BOND_SLAVE_*: a slave's state and its options. */
export const SLAVE_ATTR = {
  STATE: 1,
  MII_STATUS: 2,
  LINK_FAILURE_COUNT: 3,
  PERM_HWADDR: 4,
  QUEUE_ID: 5,
  AD_AGGREGATOR_ID: 6,
  AD_ACTOR_OPER_PORT_STATE: 7,
  AD_PARTNER_OPER_PORT_STATE: 8,
  PRIO: 9,
  ACTOR_PORT_PRIO: 10,
  AD_CHURN_ACTOR_STATE: 11,
  AD_CHURN_PARTNER_STATE: 12,
} as const;

/** Every option, in the order the kernel applies them inside one message (bond_changelink). */
export const BOND_OPTION_DEFS: readonly BondOptionDef[] = [
  { key: 'mode', attr: BOND_ATTR.MODE, sysfs: 'mode', ip: 'mode', value: enumOf(BOND_MODES), default: 'balance-rr', since: [3, 13], needsDown: true, needsNoSlaves: true },
  { key: 'miimon', attr: BOND_ATTR.MIIMON, sysfs: 'miimon', ip: 'miimon', value: u32, default: 0, since: [3, 13], modeChangeSets: { value: 100, intoModes: [LACP, TLB, ALB], onlyFromZero: true } },
  { key: 'updelay', attr: BOND_ATTR.UPDELAY, sysfs: 'updelay', ip: 'updelay', value: u32, default: 0, since: [3, 13], needsMiimon: true },
  { key: 'downdelay', attr: BOND_ATTR.DOWNDELAY, sysfs: 'downdelay', ip: 'downdelay', value: u32, default: 0, since: [3, 13], needsMiimon: true },
  { key: 'peerNotifDelay', attr: BOND_ATTR.PEER_NOTIF_DELAY, sysfs: 'peer_notif_delay', ip: 'peer_notify_delay', value: { kind: 'int', min: 0, max: 300000 }, default: 0, since: [5, 3], needsMiimon: true },
  { key: 'useCarrier', attr: BOND_ATTR.USE_CARRIER, sysfs: 'use_carrier', ip: 'use_carrier', value: { kind: 'bool' }, default: true, since: [3, 13] },
  { key: 'arpInterval', attr: BOND_ATTR.ARP_INTERVAL, sysfs: 'arp_interval', ip: 'arp_interval', value: u32, default: 0, since: [3, 13], modes: MODES_WITHOUT_ARP },
  { key: 'arpIpTarget', attr: BOND_ATTR.ARP_IP_TARGET, sysfs: 'arp_ip_target', ip: 'arp_ip_target', value: { kind: 'ipv4-list', max: 16 }, default: [], since: [3, 14] },
  { key: 'nsIp6Target', attr: BOND_ATTR.NS_IP6_TARGET, ip: 'ns_ip6_target', value: { kind: 'ipv6-list', max: 16 }, default: [], since: [5, 18] },
  { key: 'arpValidate', attr: BOND_ATTR.ARP_VALIDATE, sysfs: 'arp_validate', ip: 'arp_validate', value: enumOf(ARP_VALIDATE_VALUES), default: 'none', since: [3, 14], modes: MODES_WITHOUT_ARP, modeChangeSets: { value: 'none' } },
  { key: 'arpAllTargets', attr: BOND_ATTR.ARP_ALL_TARGETS, sysfs: 'arp_all_targets', ip: 'arp_all_targets', value: enumOf(ARP_ALL_TARGETS_VALUES), default: 'any', since: [3, 14] },
  { key: 'primary', attr: BOND_ATTR.PRIMARY, sysfs: 'primary', ip: 'primary', value: { kind: 'ifname' }, default: null, since: [3, 14], modes: MODES_WITH_ACTIVE_SLAVE },
  { key: 'primaryReselect', attr: BOND_ATTR.PRIMARY_RESELECT, sysfs: 'primary_reselect', ip: 'primary_reselect', value: enumOf(PRIMARY_RESELECT_VALUES), default: 'always', since: [3, 14] },
  { key: 'failOverMac', attr: BOND_ATTR.FAIL_OVER_MAC, sysfs: 'fail_over_mac', ip: 'fail_over_mac', value: enumOf(FAIL_OVER_MAC_VALUES), default: 'none', since: [3, 14], needsNoSlaves: true },
  { key: 'xmitHashPolicy', attr: BOND_ATTR.XMIT_HASH_POLICY, sysfs: 'xmit_hash_policy', ip: 'xmit_hash_policy', value: enumOf(XMIT_HASH_POLICIES, { 'vlan+srcmac': [5, 12] }), default: 'layer2', since: [3, 14] },
  { key: 'resendIgmp', attr: BOND_ATTR.RESEND_IGMP, sysfs: 'resend_igmp', ip: 'resend_igmp', value: { kind: 'int', min: 0, max: 255 }, default: 1, since: [3, 14] },
  { key: 'numGratArp', attr: BOND_ATTR.NUM_PEER_NOTIF, sysfs: 'num_grat_arp', ip: 'num_grat_arp', value: { kind: 'int', min: 0, max: 255 }, default: 1, since: [3, 14] },
  { key: 'allSlavesActive', attr: BOND_ATTR.ALL_SLAVES_ACTIVE, sysfs: 'all_slaves_active', ip: 'all_slaves_active', value: { kind: 'bool' }, default: false, since: [3, 14] },
  { key: 'minLinks', attr: BOND_ATTR.MIN_LINKS, sysfs: 'min_links', ip: 'min_links', value: u32, default: 0, since: [3, 14] },
  { key: 'lpInterval', attr: BOND_ATTR.LP_INTERVAL, sysfs: 'lp_interval', ip: 'lp_interval', value: { kind: 'int', min: 1, max: INT_MAX }, default: 1, since: [3, 14] },
  { key: 'packetsPerSlave', attr: BOND_ATTR.PACKETS_PER_SLAVE, sysfs: 'packets_per_slave', ip: 'packets_per_slave', value: { kind: 'int', min: 0, max: 65535 }, default: 1, since: [3, 14], modes: [0] },
  { key: 'lacpActive', attr: BOND_ATTR.AD_LACP_ACTIVE, sysfs: 'lacp_active', ip: 'lacp_active', value: { kind: 'bool' }, default: true, since: [5, 15], modes: [LACP], needsDown: true },
  { key: 'lacpRate', attr: BOND_ATTR.AD_LACP_RATE, sysfs: 'lacp_rate', ip: 'lacp_rate', value: enumOf(LACP_RATES), default: 'slow', since: [3, 14], modes: [LACP], needsDown: true },
  { key: 'adSelect', attr: BOND_ATTR.AD_SELECT, sysfs: 'ad_select', ip: 'ad_select', value: enumOf(AD_SELECT_VALUES, { actor_port_prio: [6, 18] }), default: 'stable', since: [3, 14], needsDown: true },
  { key: 'adActorSysPrio', attr: BOND_ATTR.AD_ACTOR_SYS_PRIO, sysfs: 'ad_actor_sys_prio', ip: 'ad_actor_sys_prio', value: { kind: 'int', min: 1, max: 65535 }, default: 65535, since: [4, 2], modes: [LACP] },
  { key: 'adUserPortKey', attr: BOND_ATTR.AD_USER_PORT_KEY, sysfs: 'ad_user_port_key', ip: 'ad_user_port_key', value: { kind: 'int', min: 0, max: 1023 }, default: 0, since: [4, 2], modes: [LACP], needsDown: true },
  { key: 'adActorSystem', attr: BOND_ATTR.AD_ACTOR_SYSTEM, sysfs: 'ad_actor_system', ip: 'ad_actor_system', value: { kind: 'mac', zeroAllowed: true }, default: '00:00:00:00:00:00', since: [4, 2], modes: [LACP] },
  { key: 'tlbDynamicLb', attr: BOND_ATTR.TLB_DYNAMIC_LB, sysfs: 'tlb_dynamic_lb', ip: 'tlb_dynamic_lb', value: { kind: 'bool' }, default: true, since: [4, 3], modes: [TLB, ALB], needsDown: true, modeChangeSets: { value: true, intoModes: [ALB] } },
  { key: 'arpMissedMax', attr: BOND_ATTR.MISSED_MAX, sysfs: 'arp_missed_max', ip: 'arp_missed_max', value: { kind: 'int', min: 1, max: 255 }, default: 2, since: [5, 17], modes: MODES_WITHOUT_ARP },
  { key: 'coupledControl', attr: BOND_ATTR.COUPLED_CONTROL, ip: 'coupled_control', value: { kind: 'bool' }, default: true, since: [6, 9], modes: [LACP], needsDown: true },
  { key: 'broadcastNeighbor', attr: BOND_ATTR.BROADCAST_NEIGH, ip: 'broadcast_neighbor', value: { kind: 'bool' }, default: false, since: [6, 17], modes: [LACP], modeChangeSets: { value: false } },
  { key: 'lacpStrict', attr: BOND_ATTR.LACP_STRICT, ip: 'lacp_strict', value: { kind: 'bool' }, default: false, since: [7, 2], modes: [LACP] },
];

export const OPTION_BY_KEY: ReadonlyMap<string, BondOptionDef> = new Map(BOND_OPTION_DEFS.map((def) => [def.key, def]));
export const OPTION_BY_ATTR: ReadonlyMap<number, BondOptionDef> = new Map(BOND_OPTION_DEFS.map((def) => [def.attr, def]));

/** Options of one slave (IFLA_BOND_SLAVE_*, set with RTM_NEWLINK on the slave). */
export interface SlaveOptions {
  /** Transmit queue that traffic steered to this slave uses (tc/multiqueue); 0 = normal selection. 1 to the bond's txQueues, unique per bond. Default 0. `ip link set dev SLAVE type bond_slave queue_id N`; sysfs `bonding/queue_id` ("SLAVE:N"). Linux 3.17. */
  queueId?: number;
  /** Failover priority: with no primary, the up slave with the highest prio becomes active. active-backup, balance-tlb, balance-alb. Default 0. `prio N`. Netlink only. Linux 6.0. */
  prio?: number;
  /** 802.3ad actor port priority (used by ad_select actor_port_prio). Default 255. `actor_port_prio N`. Netlink only. Linux 6.18. */
  actorPortPrio?: number;
}

export type SlaveOptionKey = keyof SlaveOptions;
export type SlaveOptionDef = OptionDef<SlaveOptionKey>;

export const SLAVE_OPTION_DEFS: readonly SlaveOptionDef[] = [
  { key: 'queueId', attr: SLAVE_ATTR.QUEUE_ID, sysfs: 'queue_id', ip: 'queue_id', value: { kind: 'int', min: 0, max: 65535 }, default: 0, since: [3, 17], distinctUnlessZero: true },
  { key: 'prio', attr: SLAVE_ATTR.PRIO, ip: 'prio', value: { kind: 'int', min: -2147483648, max: INT_MAX }, default: 0, since: [6, 0], modes: MODES_WITH_ACTIVE_SLAVE },
  { key: 'actorPortPrio', attr: SLAVE_ATTR.ACTOR_PORT_PRIO, ip: 'actor_port_prio', value: { kind: 'int', min: 0, max: 65535 }, default: 255, since: [6, 18], modes: [LACP] },
];


export function modeName(mode: number): BondMode | undefined {
  return BOND_MODES[mode];
}

/** Modes in which the kernel turns MII monitoring on (miimon 100) when miimon is 0. */
export const MODES_FORCING_MIIMON: readonly number[] = [LACP, TLB, ALB];
/** The miimon the kernel sets when a bond enters one of MODES_FORCING_MIIMON with miimon 0. */
export const FORCED_MIIMON = 100;

/** An option's kernel default on a bond in `mode` (miimon is 100 in 802.3ad, balance-tlb and balance-alb). */
export function defaultValue(def: OptionDef, mode: number): OptionValue | null {
  if (def.key === 'miimon' && MODES_FORCING_MIIMON.includes(mode)) return FORCED_MIIMON;
  return def.default;
}

/**
 * The order options are written one at a time (sysfs, the declarative engine): mode and
 * fail_over_mac first (they need a bond without slaves), arp_ip_target before arp_interval (the
 * ARP monitor needs a target), the rest in the kernel's own order (miimon before the delays).
 */
export const WRITE_ORDER: readonly string[] = (() => {
  const keys = BOND_OPTION_DEFS.map((def) => def.key as string).filter((k) => k !== 'mode' && k !== 'failOverMac' && k !== 'arpIpTarget');
  keys.splice(keys.indexOf('arpInterval'), 0, 'arpIpTarget');
  return ['mode', 'failOverMac', ...keys];
})();

export const byWriteOrder = (a: OptionDef, b: OptionDef): number => WRITE_ORDER.indexOf(a.key) - WRITE_ORDER.indexOf(b.key);
