// link_message.cc: decoding of link messages: IFLA_* attributes with each kind's IFLA_LINKINFO data
// through its width table, and the bond's 802.3ad counters of RTM_NEWSTATS (man 7 rtnetlink;
// <linux/if_link.h>, <linux/if_bonding.h>).
#include "link_message.h"

#include <linux/if_bonding.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <cstring>

#include "os_error.h"

namespace netbond {
namespace {

void parseLinkNetnsId(Link& link, const AttrView& attr) {
  int32_t id;
  readAttr(attr, id);
  link.linkNetnsId = id;
}

void parseLinkInfo(Link& link, const AttrView& linkinfo) {
  const std::vector<AttrView> parts = splitAttrs(linkinfo.data, linkinfo.len);
  for (const AttrView& part : parts) {
    if (part.type == IFLA_INFO_KIND) link.kind = attrString(part);
    if (part.type == IFLA_INFO_SLAVE_KIND) link.slaveKind = attrString(part);
  }
  const std::optional<AttrSpace> data = kindDataSpace(link.kind);
  const std::optional<AttrSpace> slaveData = kindSlaveDataSpace(link.slaveKind);
  for (const AttrView& part : parts) {
    if (part.type == IFLA_INFO_DATA && data) link.infoData = parseAttrs(*data, part.data, part.len);
    if (part.type == IFLA_INFO_SLAVE_DATA && slaveData)
      link.slaveData = parseAttrs(*slaveData, part.data, part.len);
  }
}

void parseStats(Link& link, const AttrView& attr) {
  LinkStats stats;
  // A newer kernel's longer rtnl_link_stats64 is fine: only its stable head is read.
  if (attr.len < sizeof stats) throw OsError(EBADMSG, "netlink parse");
  std::memcpy(stats.data(), attr.data, sizeof stats);
  link.stats = stats;
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

void statsFromHeader(Link& link, const if_stats_msg& header) {
  link.ifindex = static_cast<int32_t>(header.ifindex);
}

void linkFromHeader(Link& link, const ifinfomsg& header) {
  link.ifindex = header.ifi_index;
  link.flags = header.ifi_flags;
}

}  // namespace

Link parseStatsMessage(const uint8_t* data, size_t len) {
  return parseMessage(
      data, len, statsFromHeader,
      {{IFLA_STATS_LINK_XSTATS, parseBondXstats}, {IFLA_STATS_LINK_XSTATS_SLAVE, parseBondXstats}});
}

Link parseLinkMessage(const uint8_t* data, size_t len) {
  return parseMessage(data, len, linkFromHeader,
                      {{IFLA_IFNAME, &Link::ifname},
                       {IFLA_MTU, &Link::mtu},
                       {IFLA_MIN_MTU, &Link::minMtu},
                       {IFLA_MAX_MTU, &Link::maxMtu},
                       {IFLA_OPERSTATE, &Link::operstate},
                       {IFLA_CARRIER, &Link::carrier},
                       {IFLA_ADDRESS, &Link::address},
                       {IFLA_PERM_ADDRESS, &Link::permAddress},
                       {IFLA_MASTER, &Link::master},
                       {IFLA_LINK, &Link::parent},
                       {IFLA_LINK_NETNSID, parseLinkNetnsId},
                       {IFLA_NUM_TX_QUEUES, &Link::numTxQueues},
                       {IFLA_EVENT, &Link::event},
                       {IFLA_LINKINFO, parseLinkInfo},
                       {IFLA_STATS64, parseStats}});
}

}  // namespace netbond
