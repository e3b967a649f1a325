// link_ops.cc: encode link requests, decode RTM_NEWLINK replies (man 7 rtnetlink;
// include/uapi/linux/if_link.h).
#include "link_ops.h"

#include <linux/if.h>
#include <linux/if_bonding.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <cstring>

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

uint16_t messageType(LinkRequest::Op op) {
  switch (op) {
    case LinkRequest::Op::NewLink: return RTM_NEWLINK;
    case LinkRequest::Op::DelLink: return RTM_DELLINK;
    case LinkRequest::Op::NewAddr: return RTM_NEWADDR;
    case LinkRequest::Op::DelAddr: return RTM_DELADDR;
    case LinkRequest::Op::DumpAddrs: return RTM_GETADDR;
    case LinkRequest::Op::NewRoute: return RTM_NEWROUTE;
    case LinkRequest::Op::DelRoute: return RTM_DELROUTE;
    case LinkRequest::Op::DumpRoutes: return RTM_GETROUTE;
    default: return RTM_GETLINK;
  }
}

bool isDumpOp(LinkRequest::Op op) {
  return op == LinkRequest::Op::DumpLinks || op == LinkRequest::Op::DumpBondStats ||
         op == LinkRequest::Op::DumpAddrs || op == LinkRequest::Op::DumpRoutes;
}

// Address and route requests: a new one must not replace an existing one (EEXIST instead).
MessageBuilder buildAddrRouteRequest(const LinkRequest& request,
                                     const std::vector<std::vector<Reply>>& results) {
  using Op = LinkRequest::Op;
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

void putLinkInfo(MessageBuilder& message, const LinkRequest& request) {
  if (request.kind.empty() && !request.hasSlaveData) return;
  MessageBuilder::Nest linkinfo(message, IFLA_LINKINFO);
  if (!request.kind.empty()) message.putString(IFLA_INFO_KIND, request.kind);
  if (request.hasInfoData) {
    if (request.kind != "bond") throw OsError(EINVAL, "netlink build");
    MessageBuilder::Nest data(message, IFLA_INFO_DATA);
    for (const AttrInput& attr : request.infoData) message.putTableAttr(AttrSpace::Bond, attr);
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

MessageBuilder buildRequest(const LinkRequest& request, const std::vector<std::vector<Reply>>& results) {
  if (request.op == LinkRequest::Op::DumpBondStats) return buildStatsDump();
  if (request.op >= LinkRequest::Op::NewAddr) return buildAddrRouteRequest(request, results);
  const bool isDump = request.op == LinkRequest::Op::DumpLinks;
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
  if (request.op == LinkRequest::Op::NewLink) putLinkInfo(message, request);
  if (request.op == LinkRequest::Op::GetLink || isDump) {
    message.putU32(IFLA_EXT_MASK, request.stats ? 0u : static_cast<uint32_t>(RTEXT_FILTER_SKIP_STATS));
  }
  return message;
}

void parseLinkInfo(Link& link, const AttrView& linkinfo) {
  const std::vector<AttrView> parts = splitAttrs(linkinfo.data, linkinfo.len);
  for (const AttrView& part : parts) {
    if (part.type == IFLA_INFO_KIND) link.kind = attrString(part);
    if (part.type == IFLA_INFO_SLAVE_KIND) link.slaveKind = attrString(part);
  }
  for (const AttrView& part : parts) {
    if (part.type == IFLA_INFO_DATA && link.kind == "bond") {
      link.infoData = parseAttrs(AttrSpace::Bond, part.data, part.len);
    }
    if (part.type == IFLA_INFO_SLAVE_DATA && link.slaveKind == "bond") {
      link.slaveData = parseAttrs(AttrSpace::BondSlave, part.data, part.len);
    }
  }
}

LinkStats parseStats(const AttrView& attr) {
  // rtnl_link_stats64 grows over time; the first eight u64 fields have been stable since 2.6.
  if (attr.len < 8 * sizeof(uint64_t)) throw OsError(EBADMSG, "netlink parse");
  uint64_t v[8];
  std::memcpy(v, attr.data, sizeof v);
  LinkStats stats;
  stats.rxPackets = v[0];
  stats.txPackets = v[1];
  stats.rxBytes = v[2];
  stats.txBytes = v[3];
  stats.rxErrors = v[4];
  stats.txErrors = v[5];
  stats.rxDropped = v[6];
  stats.txDropped = v[7];
  return stats;
}

// IFLA_STATS_LINK_XSTATS[_SLAVE] -> LINK_XSTATS_TYPE_BOND -> BOND_XSTATS_3AD -> u64 counters.
void parseBondXstats(Link& link, const AttrView& xstats) {
  for (const AttrView& type : splitAttrs(xstats.data, xstats.len)) {
    if (type.type != LINK_XSTATS_TYPE_BOND) continue;
    for (const AttrView& group : splitAttrs(type.data, type.len)) {
      if (group.type != BOND_XSTATS_3AD) continue;
      link.lacpStats.assign(BOND_3AD_STAT_PAD, 0);
      for (const AttrView& counter : splitAttrs(group.data, group.len)) {
        if (counter.type >= BOND_3AD_STAT_PAD) continue;  // padding, or a counter newer than us
        if (counter.len < sizeof(uint64_t)) throw OsError(EBADMSG, "netlink parse");
        std::memcpy(&link.lacpStats[counter.type], counter.data, sizeof(uint64_t));
      }
    }
  }
}

}  // namespace

Link parseStatsMessage(const uint8_t* data, size_t len) {
  if (len < NLMSG_HDRLEN + sizeof(if_stats_msg)) throw OsError(EBADMSG, "netlink parse");
  if_stats_msg header;
  std::memcpy(&header, data + NLMSG_HDRLEN, sizeof header);
  Link link;
  link.ifindex = static_cast<int32_t>(header.ifindex);
  const size_t offset = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(if_stats_msg));
  if (offset > len) return link;
  for (const AttrView& attr : splitAttrs(data + offset, len - offset)) {
    if (attr.type == IFLA_STATS_LINK_XSTATS || attr.type == IFLA_STATS_LINK_XSTATS_SLAVE) {
      parseBondXstats(link, attr);
    }
  }
  return link;
}

Link parseLinkMessage(const uint8_t* data, size_t len) {
  if (len < NLMSG_HDRLEN + sizeof(ifinfomsg)) throw OsError(EBADMSG, "netlink parse");
  ifinfomsg header;
  std::memcpy(&header, data + NLMSG_HDRLEN, sizeof header);
  Link link;
  link.ifindex = header.ifi_index;
  link.flags = header.ifi_flags;
  const size_t offset = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(ifinfomsg));
  if (offset > len) return link;
  for (const AttrView& attr : splitAttrs(data + offset, len - offset)) {
    switch (attr.type) {
      case IFLA_IFNAME: link.ifname = attrString(attr); break;
      case IFLA_MTU: link.mtu = attrU32(attr); break;
      case IFLA_OPERSTATE: link.operstate = attrU8(attr); break;
      case IFLA_CARRIER: link.carrier = attrU8(attr); break;
      case IFLA_ADDRESS: link.address.assign(attr.data, attr.data + attr.len); break;
      case IFLA_PERM_ADDRESS: link.permAddress.assign(attr.data, attr.data + attr.len); break;
      case IFLA_MASTER: link.master = attrU32(attr); break;
      case IFLA_NUM_TX_QUEUES: link.numTxQueues = attrU32(attr); break;
      case IFLA_EVENT: link.event = attrU32(attr); break;
      case IFLA_LINKINFO: parseLinkInfo(link, attr); break;
      case IFLA_STATS64: link.stats = parseStats(attr); break;
      default: break;
    }
  }
  return link;
}

std::vector<std::vector<Reply>> runBatch(const std::string& nsPath,
                                         const std::vector<LinkRequest>& requests) {
  NetlinkSocket socket = openSocketIn(nsPath);
  std::vector<std::vector<Reply>> results;
  results.reserve(requests.size());
  for (size_t i = 0; i < requests.size(); ++i) {
    const LinkRequest& request = requests[i];
    std::vector<Reply> links;
    const auto collect = [&links](const nlmsghdr& header) {
      const auto* bytes = reinterpret_cast<const uint8_t*>(&header);
      switch (header.nlmsg_type) {
        case RTM_NEWLINK: links.emplace_back(parseLinkMessage(bytes, header.nlmsg_len)); break;
        case RTM_NEWSTATS: links.emplace_back(parseStatsMessage(bytes, header.nlmsg_len)); break;
        case RTM_NEWADDR: links.emplace_back(parseAddrMessage(bytes, header.nlmsg_len)); break;
        case RTM_NEWROUTE: links.emplace_back(parseRouteMessage(bytes, header.nlmsg_len)); break;
        default: break;
      }
    };
    try {
      MessageBuilder message = buildRequest(request, results);
      if (isDumpOp(request.op)) {
        socket.dump(message, collect, [&links] { links.clear(); });
      } else {
        socket.request(message, collect);
      }
    } catch (OsError& error) {
      error.requestIndex = static_cast<int>(i);
      throw;
    }
    results.push_back(std::move(links));
  }
  return results;
}

}  // namespace netbond
