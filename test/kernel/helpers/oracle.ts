// Maps iproute2's JSON for a bond (`ip -d -j link show`, linkinfo.info_data) to netbond's option
// names and values, so tests compare getBond with an independent decoder of the same kernel data.
import type { IpLink } from './lab.js';

type Convert = (raw: unknown) => unknown;
const same: Convert = (raw) => raw;
const bool: Convert = (raw) => (raw === undefined ? undefined : raw === 1 || raw === 'on' || raw === true);

/** netbond option key -> [iproute2 JSON key, conversion]. */
export const IP_JSON_KEYS: Readonly<Record<string, readonly [string, Convert]>> = {
  mode: ['mode', same],
  miimon: ['miimon', same],
  updelay: ['updelay', same],
  downdelay: ['downdelay', same],
  peerNotifDelay: ['peer_notify_delay', same],
  useCarrier: ['use_carrier', bool],
  arpInterval: ['arp_interval', same],
  arpIpTarget: ['arp_ip_target', (raw) => raw ?? []],
  nsIp6Target: ['ns_ip6_target', (raw) => raw ?? []],
  // iproute2 prints arp_validate 0 as JSON null.
  arpValidate: ['arp_validate', (raw) => raw ?? 'none'],
  arpAllTargets: ['arp_all_targets', same],
  primary: ['primary', (raw) => raw ?? null],
  primaryReselect: ['primary_reselect', same],
  failOverMac: ['fail_over_mac', same],
  xmitHashPolicy: ['xmit_hash_policy', same],
  resendIgmp: ['resend_igmp', same],
  numGratArp: ['num_peer_notif', same],
  allSlavesActive: ['all_slaves_active', bool],
  minLinks: ['min_links', same],
  lpInterval: ['lp_interval', same],
  packetsPerSlave: ['packets_per_slave', same],
  lacpActive: ['ad_lacp_active', bool],
  lacpRate: ['ad_lacp_rate', same],
  adSelect: ['ad_select', same],
  adActorSysPrio: ['ad_actor_sys_prio', same],
  adUserPortKey: ['ad_user_port_key', same],
  adActorSystem: ['ad_actor_system', same],
  tlbDynamicLb: ['tlb_dynamic_lb', bool],
  arpMissedMax: ['arp_missed_max', same],
  activeSlave: ['active_slave', (raw) => raw ?? null],
};

/** The value iproute2 reports for a netbond option key. */
export function ipValue(link: IpLink, key: string): unknown {
  const entry = IP_JSON_KEYS[key];
  if (!entry) throw new Error(`no iproute2 JSON key known for ${key}`);
  return entry[1](link.linkinfo?.info_data?.[entry[0]]);
}
