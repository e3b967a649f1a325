# -*- coding: utf-8 -*-
# Generated from lib/option-table.ts by test/unit/ansible-collection.test.ts (npm run gen:ansible); do not edit.
from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r'''
options:
  mode:
    description:
      - 'Bonding policy. Default balance-rr. `ip link add ... type bond mode MODE`. Needs the bond down and without slaves. Linux 3.13. netbond key mode.'
    type: str
    choices: ['balance-rr', 'active-backup', 'balance-xor', 'broadcast', '802.3ad', 'balance-tlb', 'balance-alb']
  miimon:
    description:
      - 'MII link monitoring interval, ms; 0 disables. Default 0 (the kernel sets 100 when mode becomes 802.3ad, balance-tlb or balance-alb). `miimon MS`. Linux 3.13. netbond key miimon.'
    type: int
  updelay:
    description:
      - 'Wait before enabling a slave after link recovery, ms; a multiple of miimon, needs miimon. Default 0. `updelay MS`. Linux 3.13. netbond key updelay.'
    type: int
  downdelay:
    description:
      - 'Wait before disabling a slave after link failure, ms; a multiple of miimon, needs miimon. Default 0. `downdelay MS`. Linux 3.13. netbond key downdelay.'
    type: int
  peer_notif_delay:
    description:
      - 'Delay between a failover and peer notifications, ms (0-300000); a multiple of miimon, needs miimon. Default 0. `peer_notify_delay MS`. Linux 5.3. netbond key peerNotifDelay.'
    type: int
  use_carrier:
    description:
      - 'Use the driver''s carrier state rather than MII ioctls for link monitoring. Default true (only true from Linux 6.18). `use_carrier 0|1`. Linux 3.13. netbond key useCarrier.'
    type: bool
  arp_interval:
    description:
      - 'ARP link monitoring interval, ms; 0 disables. Exclusive with miimon. Not in 802.3ad, balance-tlb, balance-alb. Default 0. `arp_interval MS`. Linux 3.13. netbond key arpInterval.'
    type: int
  arp_ip_target:
    description:
      - 'IPv4 addresses the ARP monitor probes, at most 16; replaces the whole list, [] clears it. Default none. `arp_ip_target A,B`. Linux 3.14. netbond key arpIpTarget.'
    type: list
    elements: str
  ns_ip6_target:
    description:
      - 'IPv6 addresses the NS monitor probes, at most 16; replaces the whole list. Netlink only. Default none. `ns_ip6_target A,B`. Linux 5.18. netbond key nsIp6Target.'
    type: list
    elements: str
  arp_validate:
    description:
      - 'Whether ARP probes and replies are validated, and on which slaves. Not in 802.3ad, balance-tlb, balance-alb. Default none. `arp_validate VALUE`. Linux 3.14 (filter values 4.x). netbond key arpValidate.'
    type: str
    choices: ['none', 'active', 'backup', 'all', 'filter', 'filter_active', 'filter_backup']
  arp_all_targets:
    description:
      - 'Whether any or all ARP targets must be reachable for a slave to be up. Default any. `arp_all_targets any|all`. Linux 3.14. netbond key arpAllTargets.'
    type: str
    choices: ['any', 'all']
  primary:
    description:
      - 'Preferred slave (an interface name) in active-backup, balance-tlb, balance-alb; null clears it. Default none. `primary IFNAME`. Linux 3.14. An empty string clears it. netbond key primary.'
    type: str
  primary_reselect:
    description:
      - 'When the primary slave becomes active again after recovering. Default always. `primary_reselect VALUE`. Linux 3.14. netbond key primaryReselect.'
    type: str
    choices: ['always', 'better', 'failure']
  fail_over_mac:
    description:
      - 'How slave MAC addresses are handled on failover in active-backup. Needs a bond without slaves. Default none. `fail_over_mac VALUE`. Linux 3.14. netbond key failOverMac.'
    type: str
    choices: ['none', 'active', 'follow']
  xmit_hash_policy:
    description:
      - 'Transmit hash for balance-xor, 802.3ad and balance-tlb/alb. Default layer2. `xmit_hash_policy VALUE`. Linux 3.14 (vlan+srcmac 5.12). netbond key xmitHashPolicy.'
    type: str
    choices: ['layer2', 'layer3+4', 'layer2+3', 'encap2+3', 'encap3+4', 'vlan+srcmac']
  resend_igmp:
    description:
      - 'IGMP membership reports sent after a failover (0-255). Default 1. `resend_igmp N`. Linux 3.14. netbond key resendIgmp.'
    type: int
  num_grat_arp:
    description:
      - 'Gratuitous ARPs / unsolicited IPv6 NAs sent after a failover (0-255); sysfs num_grat_arp and num_unsol_na. Default 1. `num_grat_arp N`. Linux 3.14. netbond key numGratArp.'
    type: int
  all_slaves_active:
    description:
      - 'Deliver duplicate frames received on inactive slaves. Default false. `all_slaves_active 0|1`. Linux 3.14. netbond key allSlavesActive.'
    type: bool
  min_links:
    description:
      - 'Minimum number of slaves with link up before the bond asserts carrier (802.3ad). Default 0. `min_links N`. Linux 3.14. netbond key minLinks.'
    type: int
  lp_interval:
    description:
      - 'Seconds between learning packets in balance-tlb/alb (1 or more). Default 1. `lp_interval S`. Linux 3.14. netbond key lpInterval.'
    type: int
  packets_per_slave:
    description:
      - 'Packets sent through a slave before moving to the next, balance-rr only (0-65535; 0 = random slave). Default 1. `packets_per_slave N`. Linux 3.14. netbond key packetsPerSlave.'
    type: int
  lacp_active:
    description:
      - '802.3ad: send LACPDUs (active) or only answer them (passive). Needs the bond down. Default true. `lacp_active on|off`. Linux 5.15. netbond key lacpActive.'
    type: bool
  lacp_rate:
    description:
      - 'LACPDU rate asked of the partner in 802.3ad: slow every 30 s, fast every 1 s. Needs the bond down. Default slow. `lacp_rate slow|fast`. Linux 3.14. netbond key lacpRate.'
    type: str
    choices: ['slow', 'fast']
  ad_select:
    description:
      - '802.3ad aggregator selection policy. Needs the bond down. Default stable. `ad_select VALUE`. Linux 3.14 (actor_port_prio 6.18). netbond key adSelect.'
    type: str
    choices: ['stable', 'bandwidth', 'count', 'actor_port_prio']
  ad_actor_sys_prio:
    description:
      - '802.3ad system priority (1-65535). Default 65535. `ad_actor_sys_prio N`. Linux 4.2. netbond key adActorSysPrio.'
    type: int
  ad_user_port_key:
    description:
      - 'Upper 10 bits of the 802.3ad port key (0-1023). Needs the bond down. Default 0. `ad_user_port_key N`. Linux 4.2. netbond key adUserPortKey.'
    type: int
  ad_actor_system:
    description:
      - '802.3ad system MAC address in LACPDUs (no group bit). Default 00:00:00:00:00:00: the bond''s MAC. `ad_actor_system MAC`. Linux 4.2. netbond key adActorSystem.'
    type: str
  tlb_dynamic_lb:
    description:
      - 'balance-tlb/alb: rebalance transmit load by current load (true) or by hash (false). Needs the bond down. Default true. `tlb_dynamic_lb 0|1`. Linux 4.3. netbond key tlbDynamicLb.'
    type: bool
  arp_missed_max:
    description:
      - 'ARP monitor: missed probes before a slave is declared down (1-255). Not in 802.3ad, balance-tlb, balance-alb. Default 2. `arp_missed_max N`. Linux 5.17. netbond key arpMissedMax.'
    type: int
  coupled_control:
    description:
      - '802.3ad: couple collecting and distributing (true) or control them apart. Needs the bond down. Netlink only. Default true. `coupled_control on|off`. Linux 6.9. netbond key coupledControl.'
    type: bool
  broadcast_neighbor:
    description:
      - '802.3ad: broadcast ARP/ND on all ports. Netlink only. Default false. `broadcast_neighbor on|off`. Linux 6.17. netbond key broadcastNeighbor.'
    type: bool
  lacp_strict:
    description:
      - '802.3ad: drop carrier when no port receives LACPDUs, rather than falling back. Netlink only. Default false. `lacp_strict on|off`. Linux 7.2. netbond key lacpStrict.'
    type: bool
'''
