// rtnl_batch.h: plain C++ rtnetlink requests (links: RTM_NEWLINK / RTM_DELLINK / RTM_GETLINK and
// RTM_GETSTATS; addresses and routes: addr_route.h), run as one batch on one socket. No Node types
// here, so a C++ test or fuzzer can link it (man 7 rtnetlink).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "addr_route.h"
#include "link_message.h"
#include "netlink_message.h"
#include "netlink_socket.h"
#include "socket_pool.h"

namespace netbond {

// A link reference: an ifindex, or the ifindex of the link returned by an earlier request of
// the same batch (so "create bond, then enslave to it" needs one native call).
struct LinkRef {
  uint32_t ifindex = 0;
  int fromRequest = -1;
};

// One request of a batch. Which fields count depends on `op`: the link ones for the link ops,
// `addr` or `route` (on `link`) for the address and route ops, `family` for their dumps.
struct RtnlRequest {
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
  std::string kind;  // IFLA_INFO_KIND
  bool hasInfoData = false;
  std::vector<AttrInput> infoData;  // IFLA_INFO_DATA, through the table of `kind` (kindDataSpace)
  bool hasSlaveData = false;
  std::vector<AttrInput> slaveData;  // IFLA_INFO_SLAVE_DATA: IFLA_BOND_SLAVE_* (a bond's port)
  bool stats = false;                // include IFLA_STATS64 in replies
  AddrFields addr;                   // NewAddr / DelAddr, on `link`
  RouteFields route;                 // NewRoute / DelRoute, through `link`
  uint8_t family = 0;                // DumpAddrs / DumpRoutes: AF_INET, AF_INET6 or 0 for all
  std::optional<LinkRef> parent;     // IFLA_LINK: the lower link of a VLAN, macvlan or ipvlan
  std::string netnsPath;             // IFLA_NET_NS_FD: make or move the link into this namespace
  // GetLink: the batch stops here with OsError(EINVAL, "expect kind") unless the link is of this
  // kind, or with "expect master" unless its master is this link (ifindex 0: it has none). A check
  // and the change it guards then take one batch (delete a link only if it is a bond; enslave a
  // link only if it has no master).
  std::string expectKind;
  std::optional<LinkRef> expectMaster;
  // GetLink: the batch stops here with OsError(EINVAL, "expect mtu") unless the link's driver
  // takes the MTU of the link an earlier GetLink of the batch returned (fromRequest): enslaving
  // gives a slave its bond's MTU, and the kernel refuses one it cannot take only after it has
  // changed the bond (its MAC, for the first slave). The caller then reads and says why.
  std::optional<LinkRef> expectMtuOf;
  // GetLink / DumpLinks: each link returned that has a master (a port of a bond or a bridge) also
  // gets its driver's speed and duplex (link_speed.h, on the batch's socket: in its namespace).
  bool portSpeeds = false;
  // Sent only when the link an earlier GetLink of the batch returned (fromRequest) is up;
  // otherwise skipped, with no replies: "take it down if it is up" in the same batch as the read.
  std::optional<LinkRef> onlyIfUp;
};

// One reply message: a link (GETLINK, and GETSTATS as ifindex + lacpStats), an address or a route.
using Reply = std::variant<Link, Addr, Route>;

// What a batch returned: per request, nothing for changes, one link for GetLink, every entry for
// the dumps.
using BatchResults = std::vector<std::vector<Reply>>;

// Runs the requests in order on `socket` and stops at the first failure, throwing OsError with
// requestIndex set; `results` then holds the replies of the requests before it (what a rollback
// needs to know of the links as they were).
void runRtnlBatch(NetlinkSocket& socket, const std::vector<RtnlRequest>& requests, BatchResults& results);

// The same on a socket from `pool`, given back to it when the batch succeeds.
void runRtnlBatch(SocketPool& pool, const std::vector<RtnlRequest>& requests, BatchResults& results);

// The same on a socket opened for the batch in `nsPath` ("" = current namespace).
void runRtnlBatch(const std::string& nsPath, const std::vector<RtnlRequest>& requests, BatchResults& results);

}  // namespace netbond
