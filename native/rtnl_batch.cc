// rtnl_batch.cc: encode each request of a batch, send it, collect the decoded replies (man 7
// rtnetlink; <linux/if_link.h>).
#include "rtnl_batch.h"

#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "link_speed.h"
#include "netns.h"
#include "os_error.h"

#ifndef RTEXT_FILTER_SKIP_STATS
#define RTEXT_FILTER_SKIP_STATS (1 << 3)
#endif

namespace netbond {
namespace {

uint32_t resolve(const LinkRef& ref, const std::vector<std::vector<Reply>>& results) {
  if (ref.fromRequest < 0) return ref.ifindex;
  const auto index = static_cast<size_t>(ref.fromRequest);
  if (index >= results.size() || results[index].size() != 1 ||
      !std::holds_alternative<Link>(results[index][0])) {
    throw OsError(EINVAL, "link reference");
  }
  return static_cast<uint32_t>(std::get<Link>(results[index][0]).ifindex);
}

uint16_t messageType(RtnlRequest::Op op) {
  switch (op) {
    case RtnlRequest::Op::NewLink: return RTM_NEWLINK;
    case RtnlRequest::Op::DelLink: return RTM_DELLINK;
    case RtnlRequest::Op::NewAddr: return RTM_NEWADDR;
    case RtnlRequest::Op::DelAddr: return RTM_DELADDR;
    case RtnlRequest::Op::DumpAddrs: return RTM_GETADDR;
    case RtnlRequest::Op::NewRoute: return RTM_NEWROUTE;
    case RtnlRequest::Op::DelRoute: return RTM_DELROUTE;
    case RtnlRequest::Op::DumpRoutes: return RTM_GETROUTE;
    default: return RTM_GETLINK;
  }
}

bool isDumpOp(RtnlRequest::Op op) {
  return op == RtnlRequest::Op::DumpLinks || op == RtnlRequest::Op::DumpBondStats ||
         op == RtnlRequest::Op::DumpAddrs || op == RtnlRequest::Op::DumpRoutes;
}

// Address and route requests: a new one must not replace an existing one (EEXIST instead).
MessageBuilder buildAddrRouteRequest(const RtnlRequest& request,
                                     const std::vector<std::vector<Reply>>& results) {
  using Op = RtnlRequest::Op;
  const bool isNew = request.op == Op::NewAddr || request.op == Op::NewRoute;
  const bool isDump = request.op == Op::DumpAddrs || request.op == Op::DumpRoutes;
  uint16_t flags = NLM_F_REQUEST | (isDump ? NLM_F_DUMP : NLM_F_ACK);
  if (isNew) flags |= NLM_F_CREATE | NLM_F_EXCL;
  MessageBuilder message(messageType(request.op), flags);
  const int32_t ifindex = request.link ? static_cast<int32_t>(resolve(*request.link, results)) : 0;
  switch (request.op) {
    case Op::NewAddr:
    case Op::DelAddr: putAddr(message, ifindex, request.addr); break;
    case Op::NewRoute:
    case Op::DelRoute: putRoute(message, ifindex, request.route, request.op == Op::DelRoute); break;
    case Op::DumpAddrs: putAddrDumpHeader(message, request.family); break;
    default: putRouteDumpHeader(message, request.family); break;
  }
  return message;
}

void putLinkInfo(MessageBuilder& message, const RtnlRequest& request) {
  if (request.kind.empty() && !request.hasSlaveData) return;
  MessageBuilder::Nest linkinfo(message, IFLA_LINKINFO);
  if (!request.kind.empty()) message.putString(IFLA_INFO_KIND, request.kind);
  if (request.hasInfoData) {
    // Every kind's data is its table's attributes; a kind without a table takes none.
    const std::optional<AttrSpace> space = kindDataSpace(request.kind);
    if (!space) throw OsError(EINVAL, "netlink build");
    MessageBuilder::Nest data(message, IFLA_INFO_DATA);
    for (const AttrInput& attr : request.infoData) message.putTableAttr(*space, attr);
  }
  if (request.hasSlaveData) {
    MessageBuilder::Nest data(message, IFLA_INFO_SLAVE_DATA);
    for (const AttrInput& attr : request.slaveData) message.putTableAttr(AttrSpace::BondSlave, attr);
  }
}

MessageBuilder buildStatsDump() {
  MessageBuilder message(RTM_GETSTATS, NLM_F_REQUEST | NLM_F_DUMP);
  if_stats_msg header{};
  header.family = AF_UNSPEC;
  header.filter_mask =
      IFLA_STATS_FILTER_BIT(IFLA_STATS_LINK_XSTATS) | IFLA_STATS_FILTER_BIT(IFLA_STATS_LINK_XSTATS_SLAVE);
  message.putHeader(header);
  return message;
}

MessageBuilder buildRequest(const RtnlRequest& request, const std::vector<std::vector<Reply>>& results) {
  if (request.op == RtnlRequest::Op::DumpBondStats) return buildStatsDump();
  if (request.op >= RtnlRequest::Op::NewAddr) return buildAddrRouteRequest(request, results);
  const bool isDump = request.op == RtnlRequest::Op::DumpLinks;
  uint16_t flags = NLM_F_REQUEST;
  if (isDump)
    flags |= NLM_F_DUMP;
  else
    flags |= NLM_F_ACK;
  if (request.create) flags |= NLM_F_CREATE | NLM_F_EXCL;
  MessageBuilder message(messageType(request.op), flags);

  ifinfomsg header{};
  header.ifi_family = AF_UNSPEC;
  if (request.link) header.ifi_index = static_cast<int>(resolve(*request.link, results));
  if (request.up) {
    header.ifi_change = IFF_UP;
    header.ifi_flags = *request.up ? IFF_UP : 0;
  }
  message.putHeader(header);

  if (!request.ifname.empty()) message.putString(IFLA_IFNAME, request.ifname);
  if (request.master) message.putU32(IFLA_MASTER, resolve(*request.master, results));
  if (request.mtu) message.putU32(IFLA_MTU, *request.mtu);
  if (request.address) message.putAttr(IFLA_ADDRESS, request.address->data(), request.address->size());
  if (request.parent) message.putU32(IFLA_LINK, resolve(*request.parent, results));
  if (!request.netnsPath.empty()) message.putNetnsFd(IFLA_NET_NS_FD, request.netnsPath);
  if (request.op == RtnlRequest::Op::NewLink) putLinkInfo(message, request);
  if (request.op == RtnlRequest::Op::GetLink || isDump) {
    message.putU32(IFLA_EXT_MASK, request.stats ? 0u : static_cast<uint32_t>(RTEXT_FILTER_SKIP_STATS));
  }
  return message;
}

// The link request `ref.fromRequest` of the batch returned.
const Link& linkOf(const LinkRef& ref, const BatchResults& results) {
  const auto index = static_cast<size_t>(ref.fromRequest);
  if (ref.fromRequest < 0 || index >= results.size() || results[index].size() != 1 ||
      !std::holds_alternative<Link>(results[index][0])) {
    throw OsError(EINVAL, "link reference");
  }
  return std::get<Link>(results[index][0]);
}

bool wasUp(const LinkRef& ref, const BatchResults& results) {
  return (linkOf(ref, results).flags & IFF_UP) != 0;
}

// dev_validate_mtu(): within IFLA_MIN_MTU..IFLA_MAX_MTU, a max of 0 being no limit. A kernel that
// reports neither (before 4.19) is not second-guessed.
bool takesMtu(const Link& link, uint32_t mtu) {
  if (link.minMtu && mtu < *link.minMtu) return false;
  return !(link.maxMtu && *link.maxMtu > 0 && mtu > *link.maxMtu);
}

// The expectations of a GetLink (RtnlRequest::expectKind, expectMaster, expectMtuOf) on its reply.
void checkExpected(const RtnlRequest& request, const std::vector<Reply>& replies,
                   const BatchResults& results) {
  if (request.expectKind.empty() && !request.expectMaster && !request.expectMtuOf) return;
  const Link* link = replies.size() == 1 ? std::get_if<Link>(&replies[0]) : nullptr;
  if (!request.expectKind.empty() && (!link || link->kind != request.expectKind))
    throw OsError(EINVAL, "expect kind");
  if (request.expectMaster && (!link || link->master != resolve(*request.expectMaster, results)))
    throw OsError(EINVAL, "expect master");
  if (request.expectMtuOf && (!link || !takesMtu(*link, linkOf(*request.expectMtuOf, results).mtu)))
    throw OsError(EINVAL, "expect mtu");
}

// RtnlRequest::portSpeeds: each link with a master gets its driver's speed and duplex.
void addPortSpeeds(const NetlinkSocket& socket, std::vector<Reply>& replies) {
  for (Reply& reply : replies) {
    auto* link = std::get_if<Link>(&reply);
    if (!link || link->master == 0) continue;
    if (const std::optional<LinkSpeed> known = readLinkSpeed(socket.fd(), link->ifname)) {
      link->speed = known->speed;
      link->duplex = known->duplex;
    }
  }
}

}  // namespace

void runRtnlBatch(const std::string& nsPath, const std::vector<RtnlRequest>& requests,
                  BatchResults& results) {
  NetlinkSocket socket = openSocketIn(nsPath);
  runRtnlBatch(socket, requests, results);
}

void runRtnlBatch(SocketPool& pool, const std::vector<RtnlRequest>& requests, BatchResults& results) {
  NetlinkSocket socket = pool.take();
  runRtnlBatch(socket, requests, results);
  pool.give(std::move(socket));
}

void runRtnlBatch(NetlinkSocket& socket, const std::vector<RtnlRequest>& requests, BatchResults& results) {
  results.clear();
  results.reserve(requests.size());
  for (size_t i = 0; i < requests.size(); ++i) {
    const RtnlRequest& request = requests[i];
    std::vector<Reply> replies;
    if (request.onlyIfUp && !wasUp(*request.onlyIfUp, results)) {
      results.push_back(std::move(replies));
      continue;
    }
    const auto collect = [&replies](const nlmsghdr& header) {
      const auto* bytes = reinterpret_cast<const uint8_t*>(&header);
      switch (header.nlmsg_type) {
        case RTM_NEWLINK: replies.emplace_back(parseLinkMessage(bytes, header.nlmsg_len)); break;
        case RTM_NEWSTATS: replies.emplace_back(parseStatsMessage(bytes, header.nlmsg_len)); break;
        case RTM_NEWADDR: replies.emplace_back(parseAddrMessage(bytes, header.nlmsg_len)); break;
        case RTM_NEWROUTE: replies.emplace_back(parseRouteMessage(bytes, header.nlmsg_len)); break;
        default: break;
      }
    };
    try {
      MessageBuilder message = buildRequest(request, results);
      if (isDumpOp(request.op)) {
        socket.dump(message, collect, [&replies] { replies.clear(); });
      } else {
        socket.request(message, collect);
      }
      checkExpected(request, replies, results);
      if (request.portSpeeds) addPortSpeeds(socket, replies);
    } catch (OsError& error) {
      error.requestIndex = static_cast<int>(i);
      throw;
    }
    results.push_back(std::move(replies));
  }
}

}  // namespace netbond
