// link_ops.h: plain C++ link operations over rtnetlink (RTM_NEWLINK / RTM_DELLINK /
// RTM_GETLINK), run as one batch on one socket. No Node types here, so a C++ test or fuzzer can
// link it (man 7 rtnetlink).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "addr_route.h"
#include "netlink_attrs.h"
#include "netlink_message.h"

namespace netbond {

// A link reference: an ifindex, or the ifindex of the link returned by an earlier request of
// the same batch (so "create bond, then enslave to it" needs one native call).
struct LinkRef {
  uint32_t ifindex = 0;
  int fromRequest = -1;
};

struct LinkRequest {
  enum class Op : uint8_t {
    NewLink,
    DelLink,
    GetLink,
    DumpLinks,
    DumpBondStats,
    NewAddr,
    DelAddr,
    DumpAddrs,
    NewRoute,
    DelRoute,
    DumpRoutes,
  };
  Op op = Op::GetLink;
  bool create = false;  // NLM_F_CREATE | NLM_F_EXCL
  std::optional<LinkRef> link;
  std::string ifname;
  std::optional<bool> up;
  std::optional<LinkRef> master;  // ifindex 0 releases from the current master
  std::optional<uint32_t> mtu;
  std::optional<std::vector<uint8_t>> address;
  std::string kind;  // IFLA_INFO_KIND; only "bond" carries info data
  bool hasInfoData = false;
  std::vector<AttrInput> infoData;  // IFLA_BOND_*
  bool hasSlaveData = false;
  std::vector<AttrInput> slaveData;  // IFLA_BOND_SLAVE_*
  bool stats = false;                // include IFLA_STATS64 in replies
  AddrFields addr;                   // NewAddr / DelAddr, on `link`
  RouteFields route;                 // NewRoute / DelRoute, through `link`
  uint8_t family = 0;                // DumpAddrs / DumpRoutes: AF_INET, AF_INET6 or 0 for all
};

struct LinkStats {
  uint64_t rxPackets = 0, txPackets = 0, rxBytes = 0, txBytes = 0;
  uint64_t rxErrors = 0, txErrors = 0, rxDropped = 0, txDropped = 0;
};

struct Link {
  int32_t ifindex = 0;
  std::string ifname;
  uint32_t flags = 0;  // IFF_*
  uint32_t mtu = 0;
  uint8_t operstate = 0;
  std::optional<uint8_t> carrier;
  std::vector<uint8_t> address;
  std::vector<uint8_t> permAddress;
  uint32_t master = 0;
  uint32_t numTxQueues = 0;
  uint32_t event = 0;  // IFLA_EVENT of a notification (IFLA_EVENT_BONDING_FAILOVER = 3, ...)
  std::string kind;
  std::string slaveKind;
  std::vector<ParsedAttr> infoData;   // present when kind == "bond"
  std::vector<ParsedAttr> slaveData;  // present when slaveKind == "bond"
  std::optional<LinkStats> stats;
  // 802.3ad LACPDU and marker counters (BOND_3AD_STAT_*, indexed by counter), from RTM_GETSTATS;
  // empty when the kernel reports none (not 802.3ad, or not a bond or bond slave).
  std::vector<uint64_t> lacpStats;
};

// One reply message: a link (GETLINK, and GETSTATS as ifindex + lacpStats), an address or a route.
using Reply = std::variant<Link, Addr, Route>;

// Runs the requests in order on one socket opened in `nsPath` ("" = current namespace) and stops
// at the first failure, throwing OsError with requestIndex set. Each result holds what a request
// returned: nothing for changes, one link for GetLink, every entry for the dumps.
std::vector<std::vector<Reply>> runBatch(const std::string& nsPath, const std::vector<LinkRequest>& requests);

// Decodes one RTM_NEWLINK message. Exposed for tests and fuzzing.
Link parseLinkMessage(const uint8_t* data, size_t len);

// Decodes one RTM_NEWSTATS message into ifindex and lacpStats. Exposed for tests and fuzzing.
Link parseStatsMessage(const uint8_t* data, size_t len);

}  // namespace netbond
