// link_message.h: a link as the kernel describes it, decoded from RTM_NEWLINK / RTM_DELLINK (a
// reply or a notification) and RTM_NEWSTATS messages; plain C++ shared by the request batch and
// the link monitor (man 7 rtnetlink).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "netlink_attrs.h"

namespace netbond {

// The first eight u64 counters of rtnl_link_stats64, in its order: rx_packets, tx_packets,
// rx_bytes, tx_bytes, rx_errors, tx_errors, rx_dropped, tx_dropped. The struct grows over time;
// these eight have been stable since 2.6.
using LinkStats = std::array<uint64_t, 8>;

struct Link {
  int32_t ifindex = 0;
  std::string ifname;
  uint32_t flags = 0;  // IFF_*
  uint32_t mtu = 0;
  // IFLA_MIN_MTU / IFLA_MAX_MTU (Linux 4.19): the MTUs the driver takes; a max of 0 sets no limit.
  std::optional<uint32_t> minMtu;
  std::optional<uint32_t> maxMtu;
  uint8_t operstate = 0;
  std::optional<uint8_t> carrier;
  std::vector<uint8_t> address;
  std::vector<uint8_t> permAddress;
  uint32_t master = 0;
  uint32_t numTxQueues = 0;
  uint32_t event = 0;  // IFLA_EVENT of a notification (IFLA_EVENT_BONDING_FAILOVER = 3, ...)
  std::string kind;
  std::string slaveKind;
  // IFLA_INFO_DATA through the kind's table (kindDataSpace), and IFLA_INFO_SLAVE_DATA through the
  // master kind's (kindSlaveDataSpace); empty for a kind without one.
  std::vector<ParsedAttr> infoData;
  std::vector<ParsedAttr> slaveData;
  uint32_t parent = 0;                 // IFLA_LINK: the lower link of a VLAN or a macvlan, a veth's peer
  std::optional<int32_t> linkNetnsId;  // IFLA_LINK_NETNSID: `parent` is in another namespace
  std::optional<LinkStats> stats;
  // 802.3ad LACPDU and marker counters (BOND_3AD_STAT_*, indexed by counter), from RTM_GETSTATS;
  // empty when the kernel reports none (not 802.3ad, or not a bond or bond slave).
  std::vector<uint64_t> lacpStats;
  // Not rtnetlink's: the driver's speed (Mb/s) and duplex (DUPLEX_HALF 0, DUPLEX_FULL 1), for a
  // port when a request asks for them (RtnlRequest::portSpeeds) and the driver knows them.
  std::optional<uint32_t> speed;
  std::optional<uint8_t> duplex;
};

// Decodes one RTM_NEWLINK or RTM_DELLINK message (both carry an ifinfomsg and IFLA_* attributes).
Link parseLinkMessage(const uint8_t* data, size_t len);

// Decodes one RTM_NEWSTATS message into ifindex and lacpStats.
Link parseStatsMessage(const uint8_t* data, size_t len);

}  // namespace netbond
