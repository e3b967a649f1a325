// The bond master options: their TypeScript names, kernel attribute numbers, value rules,
// modes, minimum kernels and the rules for when the kernel takes them. One table drives
// validation, encoding to netlink and decoding of what the kernel reports.
// Sources: drivers/net/bonding/bond_options.c and bond_netlink.c, include/uapi/linux/if_link.h,
// iproute2 ip/iplink_bond.c (see shared/reference/kernel-bonding.md §1).

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
  /** Preferred slave (an interface name) in active-backup, balance-tlb, balance-alb. Default none. `primary IFNAME`. Linux 3.14. */
  primary?: string;
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
  /** 802.3ad system MAC address in LACPDUs (unicast). Default the bond's MAC. `ad_actor_system MAC`. Linux 4.2. */
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

export type ValueSpec =
  | { kind: 'enum'; names: readonly string[]; since?: Readonly<Record<string, KernelVersion>> }
  | { kind: 'int'; min: number; max: number }
  | { kind: 'bool' }
  | { kind: 'ipv4-list'; max: number }
  | { kind: 'ipv6-list'; max: number }
  | { kind: 'mac' }
  | { kind: 'ifname' };

export type KernelVersion = readonly [major: number, minor: number];

/** What every option table entry has: a name, a netlink attribute and a value rule. */
export interface SpecBase<K extends string = string> {
  key: K;
  /** IFLA_BOND_* attribute number. */
  attr: number;
  /** File under /sys/class/net/BOND/bonding/, absent for netlink-only options. */
  sysfs?: string;
  /** The `ip link ... type bond` keyword. */
  ip: string;
  value: ValueSpec;
  since: KernelVersion;
  /** Modes in which the kernel accepts the option; absent means every mode. */
  modes?: readonly number[];
  /** The kernel takes it only while the bond is down (BOND_OPTFLAG_IFDOWN). */
  needsDown?: boolean;
  /** The kernel takes it only while the bond has no slaves (BOND_OPTFLAG_NOSLAVES). */
  needsNoSlaves?: boolean;
  /** The kernel refuses it while miimon is 0, and stores it in units of miimon. */
  needsMiimon?: boolean;
}

export type OptionSpec = SpecBase<BondOptionKey>;

const INT_MAX = 2147483647;
const AB = 1;
const LACP = 4;
const TLB = 5;
const ALB = 6;
const MODES_WITH_ACTIVE_SLAVE = [AB, TLB, ALB] as const;
const MODES_WITHOUT_ARP = [0, 1, 2, 3] as const;

const u32 = { kind: 'int', min: 0, max: INT_MAX } as const;
const enumOf = (names: readonly string[], since?: Record<string, KernelVersion>): ValueSpec =>
  since ? { kind: 'enum', names, since } : { kind: 'enum', names };

/** Every option, in the order the kernel applies them inside one message (bond_changelink). */
export const OPTION_SPECS: readonly OptionSpec[] = [
  { key: 'mode', attr: 1, sysfs: 'mode', ip: 'mode', value: enumOf(BOND_MODES), since: [3, 13], needsDown: true, needsNoSlaves: true },
  { key: 'miimon', attr: 3, sysfs: 'miimon', ip: 'miimon', value: u32, since: [3, 13] },
  { key: 'updelay', attr: 4, sysfs: 'updelay', ip: 'updelay', value: u32, since: [3, 13], needsMiimon: true },
  { key: 'downdelay', attr: 5, sysfs: 'downdelay', ip: 'downdelay', value: u32, since: [3, 13], needsMiimon: true },
  { key: 'peerNotifDelay', attr: 28, sysfs: 'peer_notif_delay', ip: 'peer_notify_delay', value: { kind: 'int', min: 0, max: 300000 }, since: [5, 3], needsMiimon: true },
  { key: 'useCarrier', attr: 6, sysfs: 'use_carrier', ip: 'use_carrier', value: { kind: 'bool' }, since: [3, 13] },
  { key: 'arpInterval', attr: 7, sysfs: 'arp_interval', ip: 'arp_interval', value: u32, since: [3, 13], modes: MODES_WITHOUT_ARP },
  { key: 'arpIpTarget', attr: 8, sysfs: 'arp_ip_target', ip: 'arp_ip_target', value: { kind: 'ipv4-list', max: 16 }, since: [3, 14] },
  { key: 'nsIp6Target', attr: 31, ip: 'ns_ip6_target', value: { kind: 'ipv6-list', max: 16 }, since: [5, 18] },
  { key: 'arpValidate', attr: 9, sysfs: 'arp_validate', ip: 'arp_validate', value: enumOf(ARP_VALIDATE_VALUES), since: [3, 14], modes: MODES_WITHOUT_ARP },
  { key: 'arpAllTargets', attr: 10, sysfs: 'arp_all_targets', ip: 'arp_all_targets', value: enumOf(ARP_ALL_TARGETS_VALUES), since: [3, 14] },
  { key: 'primary', attr: 11, sysfs: 'primary', ip: 'primary', value: { kind: 'ifname' }, since: [3, 14], modes: MODES_WITH_ACTIVE_SLAVE },
  { key: 'primaryReselect', attr: 12, sysfs: 'primary_reselect', ip: 'primary_reselect', value: enumOf(PRIMARY_RESELECT_VALUES), since: [3, 14] },
  { key: 'failOverMac', attr: 13, sysfs: 'fail_over_mac', ip: 'fail_over_mac', value: enumOf(FAIL_OVER_MAC_VALUES), since: [3, 14], needsNoSlaves: true },
  { key: 'xmitHashPolicy', attr: 14, sysfs: 'xmit_hash_policy', ip: 'xmit_hash_policy', value: enumOf(XMIT_HASH_POLICIES, { 'vlan+srcmac': [5, 12] }), since: [3, 14] },
  { key: 'resendIgmp', attr: 15, sysfs: 'resend_igmp', ip: 'resend_igmp', value: { kind: 'int', min: 0, max: 255 }, since: [3, 14] },
  { key: 'numGratArp', attr: 16, sysfs: 'num_grat_arp', ip: 'num_grat_arp', value: { kind: 'int', min: 0, max: 255 }, since: [3, 14] },
  { key: 'allSlavesActive', attr: 17, sysfs: 'all_slaves_active', ip: 'all_slaves_active', value: { kind: 'bool' }, since: [3, 14] },
  { key: 'minLinks', attr: 18, sysfs: 'min_links', ip: 'min_links', value: u32, since: [3, 14] },
  { key: 'lpInterval', attr: 19, sysfs: 'lp_interval', ip: 'lp_interval', value: { kind: 'int', min: 1, max: INT_MAX }, since: [3, 14] },
  { key: 'packetsPerSlave', attr: 20, sysfs: 'packets_per_slave', ip: 'packets_per_slave', value: { kind: 'int', min: 0, max: 65535 }, since: [3, 14], modes: [0] },
  { key: 'lacpActive', attr: 29, sysfs: 'lacp_active', ip: 'lacp_active', value: { kind: 'bool' }, since: [5, 15], modes: [LACP], needsDown: true },
  { key: 'lacpRate', attr: 21, sysfs: 'lacp_rate', ip: 'lacp_rate', value: enumOf(LACP_RATES), since: [3, 14], modes: [LACP], needsDown: true },
  { key: 'adSelect', attr: 22, sysfs: 'ad_select', ip: 'ad_select', value: enumOf(AD_SELECT_VALUES, { actor_port_prio: [6, 18] }), since: [3, 14], needsDown: true },
  { key: 'adActorSysPrio', attr: 24, sysfs: 'ad_actor_sys_prio', ip: 'ad_actor_sys_prio', value: { kind: 'int', min: 1, max: 65535 }, since: [4, 2], modes: [LACP] },
  { key: 'adUserPortKey', attr: 25, sysfs: 'ad_user_port_key', ip: 'ad_user_port_key', value: { kind: 'int', min: 0, max: 1023 }, since: [4, 2], modes: [LACP], needsDown: true },
  { key: 'adActorSystem', attr: 26, sysfs: 'ad_actor_system', ip: 'ad_actor_system', value: { kind: 'mac' }, since: [4, 2], modes: [LACP] },
  { key: 'tlbDynamicLb', attr: 27, sysfs: 'tlb_dynamic_lb', ip: 'tlb_dynamic_lb', value: { kind: 'bool' }, since: [4, 3], modes: [TLB, ALB], needsDown: true },
  { key: 'arpMissedMax', attr: 30, sysfs: 'arp_missed_max', ip: 'arp_missed_max', value: { kind: 'int', min: 1, max: 255 }, since: [5, 17], modes: MODES_WITHOUT_ARP },
  { key: 'coupledControl', attr: 32, ip: 'coupled_control', value: { kind: 'bool' }, since: [6, 9], modes: [LACP], needsDown: true },
  { key: 'broadcastNeighbor', attr: 33, ip: 'broadcast_neighbor', value: { kind: 'bool' }, since: [6, 17], modes: [LACP] },
  { key: 'lacpStrict', attr: 34, ip: 'lacp_strict', value: { kind: 'bool' }, since: [7, 2], modes: [LACP] },
];

export const OPTION_BY_KEY: ReadonlyMap<string, OptionSpec> = new Map(OPTION_SPECS.map((spec) => [spec.key, spec]));
export const OPTION_BY_ATTR: ReadonlyMap<number, OptionSpec> = new Map(OPTION_SPECS.map((spec) => [spec.attr, spec]));

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
export type SlaveOptionSpec = SpecBase<SlaveOptionKey>;

export const SLAVE_OPTION_SPECS: readonly SlaveOptionSpec[] = [
  { key: 'queueId', attr: 5, sysfs: 'queue_id', ip: 'queue_id', value: { kind: 'int', min: 0, max: 65535 }, since: [3, 17] },
  { key: 'prio', attr: 9, ip: 'prio', value: { kind: 'int', min: -2147483648, max: INT_MAX }, since: [6, 0], modes: MODES_WITH_ACTIVE_SLAVE },
  { key: 'actorPortPrio', attr: 10, ip: 'actor_port_prio', value: { kind: 'int', min: 0, max: 65535 }, since: [6, 18], modes: [LACP] },
];

/** IFLA_BOND_* numbers that are not options but state. */
export const BOND_ATTR = { ACTIVE_SLAVE: 2, AD_INFO: 23 } as const;

export function modeName(mode: number): BondMode | undefined {
  return BOND_MODES[mode];
}
