// link_message.cc: decoding of link messages: IFLA_* attributes with the bond's IFLA_LINKINFO data
// through the width table, and the bond's 802.3ad counters of RTM_NEWSTATS (man 7 rtnetlink;
// <linux/if_link.h>, <linux/if_bonding.h>).
#include "link_message.h"

#include <linux/if_bonding.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <cstring>

#include "os_error.h"

namespace netbond {
namespace {

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
  if_stats_msg header;
  const std::vector<AttrView> attrs = splitMessage(data, len, header);
  Link link;
  link.ifindex = static_cast<int32_t>(header.ifindex);
  for (const AttrView& attr : attrs) {
    if (attr.type == IFLA_STATS_LINK_XSTATS || attr.type == IFLA_STATS_LINK_XSTATS_SLAVE) {
      parseBondXstats(link, attr);
    }
  }
  return link;
}

Link parseLinkMessage(const uint8_t* data, size_t len) {
  ifinfomsg header;
  const std::vector<AttrView> attrs = splitMessage(data, len, header);
  Link link;
  link.ifindex = header.ifi_index;
  link.flags = header.ifi_flags;
  for (const AttrView& attr : attrs) {
    switch (attr.type) {
      case IFLA_IFNAME: link.ifname = attrString(attr); break;
      case IFLA_MTU: link.mtu = attrU32(attr); break;
      case IFLA_OPERSTATE: link.operstate = attrU8(attr); break;
      case IFLA_CARRIER: link.carrier = attrU8(attr); break;
      case IFLA_ADDRESS: link.address = attrBytes(attr); break;
      case IFLA_PERM_ADDRESS: link.permAddress = attrBytes(attr); break;
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

}  // namespace netbond
