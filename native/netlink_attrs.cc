// netlink_attrs.cc: width tables for each link kind's IFLA_INFO_DATA (IFLA_BOND_*, IFLA_VLAN_*,
// IFLA_BR_*, IFLA_MACVLAN_*, IFLA_IPVLAN_*, VETH_INFO_*), IFLA_BOND_SLAVE_*, IFLA_BOND_AD_INFO_*,
// the kinds that use them, and the bounds-checked parser (man 7 netlink; numbers from
// <linux/if_link.h> and <linux/veth.h>, widths as each driver puts and accepts them).
#include "netlink_attrs.h"

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <array>
#include <cstring>

#include "os_error.h"

namespace netbond {
namespace {

using F = AttrFormat;

// Indexed by IFLA_BOND_* number. Numbers are spelled out here rather than taken from the build
// machine's headers so that attributes newer than those headers still have a width.
// test/unit/native-widths.test.ts checks names, numbers and widths against lib/option-table.ts.
constexpr std::array<AttrFormat, 35> kBond = {
    F::Unknown,   // 0 UNSPEC
    F::U8,        // 1 MODE
    F::U32,       // 2 ACTIVE_SLAVE (ifindex)
    F::U32,       // 3 MIIMON
    F::U32,       // 4 UPDELAY
    F::U32,       // 5 DOWNDELAY
    F::U8,        // 6 USE_CARRIER
    F::U32,       // 7 ARP_INTERVAL
    F::Be32List,  // 8 ARP_IP_TARGET
    F::U32,       // 9 ARP_VALIDATE
    F::U32,       // 10 ARP_ALL_TARGETS
    F::U32,       // 11 PRIMARY (ifindex)
    F::U8,        // 12 PRIMARY_RESELECT
    F::U8,        // 13 FAIL_OVER_MAC
    F::U8,        // 14 XMIT_HASH_POLICY
    F::U32,       // 15 RESEND_IGMP
    F::U8,        // 16 NUM_PEER_NOTIF
    F::U8,        // 17 ALL_SLAVES_ACTIVE
    F::U32,       // 18 MIN_LINKS
    F::U32,       // 19 LP_INTERVAL
    F::U32,       // 20 PACKETS_PER_SLAVE
    F::U8,        // 21 AD_LACP_RATE
    F::U8,        // 22 AD_SELECT
    F::AdInfo,    // 23 AD_INFO
    F::U16,       // 24 AD_ACTOR_SYS_PRIO
    F::U16,       // 25 AD_USER_PORT_KEY
    F::Mac6,      // 26 AD_ACTOR_SYSTEM
    F::U8,        // 27 TLB_DYNAMIC_LB
    F::U32,       // 28 PEER_NOTIF_DELAY
    F::U8,        // 29 AD_LACP_ACTIVE
    F::U8,        // 30 MISSED_MAX
    F::In6List,   // 31 NS_IP6_TARGET
    F::U8,        // 32 COUPLED_CONTROL
    F::U8,        // 33 BROADCAST_NEIGH
    F::U8,        // 34 LACP_STRICT
};

constexpr std::array<AttrFormat, 13> kBondSlave = {
    F::Unknown,  // 0 UNSPEC
    F::U8,       // 1 STATE
    F::U8,       // 2 MII_STATUS
    F::U32,      // 3 LINK_FAILURE_COUNT
    F::Binary,   // 4 PERM_HWADDR
    F::U16,      // 5 QUEUE_ID
    F::U16,      // 6 AD_AGGREGATOR_ID
    F::U8,       // 7 AD_ACTOR_OPER_PORT_STATE
    F::U16,      // 8 AD_PARTNER_OPER_PORT_STATE (u16 on the wire: the kernel uses nla_put_u16)
    F::S32,      // 9 PRIO
    F::U16,      // 10 ACTOR_PORT_PRIO
    F::U8,       // 11 AD_CHURN_ACTOR_STATE
    F::U8,       // 12 AD_CHURN_PARTNER_STATE
};

constexpr std::array<AttrFormat, 6> kAdInfo = {
    F::Unknown,  // 0 UNSPEC
    F::U16,      // 1 AGGREGATOR
    F::U16,      // 2 NUM_PORTS
    F::U16,      // 3 ACTOR_KEY
    F::U16,      // 4 PARTNER_KEY
    F::Mac6,     // 5 PARTNER_MAC
};

// The kinds' tables below list what netbond sends or reports; an attribute it has no use for is
// Unknown (refused by the builder, skipped by the parser) with its name kept in the comment.
// test/unit/native-widths.test.ts ties each to its entry in lib/link/kinds.ts.

// IFLA_VLAN_* (net/8021q/vlan_netlink.c).
constexpr std::array<AttrFormat, 6> kVlan = {
    F::Unknown,  // 0 UNSPEC
    F::U16,      // 1 ID
    F::Unknown,  // 2 FLAGS
    F::Unknown,  // 3 EGRESS_QOS
    F::Unknown,  // 4 INGRESS_QOS
    F::Be16,     // 5 PROTOCOL (ETH_P_8021Q or ETH_P_8021AD, network order: nla_put_be16)
};

// IFLA_BR_* (net/bridge/br_netlink.c).
constexpr std::array<AttrFormat, 6> kBridge = {
    F::Unknown,  // 0 UNSPEC
    F::Unknown,  // 1 FORWARD_DELAY
    F::Unknown,  // 2 HELLO_TIME
    F::Unknown,  // 3 MAX_AGE
    F::Unknown,  // 4 AGEING_TIME
    F::U32,      // 5 STP_STATE
};

// IFLA_MACVLAN_* (drivers/net/macvlan.c).
constexpr std::array<AttrFormat, 2> kMacvlan = {
    F::Unknown,  // 0 UNSPEC
    F::U32,      // 1 MODE (MACVLAN_MODE_*: one bit each)
};

// IFLA_IPVLAN_* (drivers/net/ipvlan/ipvlan_main.c).
constexpr std::array<AttrFormat, 3> kIpvlan = {
    F::Unknown,  // 0 UNSPEC
    F::U16,      // 1 MODE (IPVLAN_MODE_L2, L3, L3S)
    F::U16,      // 2 FLAGS (IPVLAN_F_PRIVATE, IPVLAN_F_VEPA)
};

// VETH_INFO_* (drivers/net/veth.c). The kernel reports no veth data; this is for creation.
constexpr std::array<AttrFormat, 2> kVeth = {
    F::Unknown,      // 0 UNSPEC
    F::LinkMessage,  // 1 PEER
};

// IFLA_* inside VETH_INFO_PEER: the peer's name and namespace.
constexpr std::array<AttrFormat, 29> kPeerLink = {
    F::Unknown,  // 0 UNSPEC
    F::Unknown,  // 1 ADDRESS
    F::Unknown,  // 2 BROADCAST
    F::String,   // 3 IFNAME
    F::Unknown,  // 4 MTU
    F::Unknown,  // 5 LINK
    F::Unknown,  // 6 QDISC
    F::Unknown,  // 7 STATS
    F::Unknown,  // 8 COST
    F::Unknown,  // 9 PRIORITY
    F::Unknown,  // 10 MASTER
    F::Unknown,  // 11 WIRELESS
    F::Unknown,  // 12 PROTINFO
    F::Unknown,  // 13 TXQLEN
    F::Unknown,  // 14 MAP
    F::Unknown,  // 15 WEIGHT
    F::Unknown,  // 16 OPERSTATE
    F::Unknown,  // 17 LINKMODE
    F::Unknown,  // 18 LINKINFO
    F::Unknown,  // 19 NET_NS_PID
    F::Unknown,  // 20 IFALIAS
    F::Unknown,  // 21 NUM_VF
    F::Unknown,  // 22 VFINFO_LIST
    F::Unknown,  // 23 STATS64
    F::Unknown,  // 24 VF_PORTS
    F::Unknown,  // 25 PORT_SELF
    F::Unknown,  // 26 AF_SPEC
    F::Unknown,  // 27 GROUP
    F::NetnsFd,  // 28 NET_NS_FD
};

// Which table a kind's IFLA_INFO_DATA and its ports' IFLA_INFO_SLAVE_DATA use.
struct KindTables {
  const char* kind;
  AttrSpace data;
  std::optional<AttrSpace> slaveData;
};

const KindTables kKinds[] = {
    {"bond", AttrSpace::Bond, AttrSpace::BondSlave}, {"vlan", AttrSpace::Vlan, std::nullopt},
    {"bridge", AttrSpace::Bridge, std::nullopt},     {"macvlan", AttrSpace::Macvlan, std::nullopt},
    {"ipvlan", AttrSpace::Ipvlan, std::nullopt},     {"veth", AttrSpace::Veth, std::nullopt},
};

const KindTables* kindTables(const std::string& kind) {
  for (const KindTables& row : kKinds) {
    if (kind == row.kind) return &row;
  }
  return nullptr;
}

template <size_t N>
AttrFormat lookup(const std::array<AttrFormat, N>& table, uint16_t type) {
  return type < N ? table[type] : AttrFormat::Unknown;
}

size_t fixedWidth(AttrFormat format) {
  switch (format) {
    case F::U8: return 1;
    case F::U16:
    case F::Be16: return 2;
    case F::U32:
    case F::NetnsFd:
    case F::S32: return 4;
    case F::Mac6: return 6;
    case F::Binary: return 1;
    default: return 0;
  }
}

[[noreturn]] void malformed() {
  throw OsError(EBADMSG, "netlink parse");
}

// Copied out, not cast: a payload need not be aligned for T, and a cast would break aliasing rules.
template <typename T>
T load(const uint8_t* data) {
  T v;
  std::memcpy(&v, data, sizeof v);
  return v;
}

int64_t readNumber(AttrFormat format, const uint8_t* data) {
  switch (format) {
    case F::U8: return data[0];
    case F::U16: return load<uint16_t>(data);
    case F::Be16: return ntohs(load<uint16_t>(data));
    case F::U32:
    case F::NetnsFd: return load<uint32_t>(data);
    case F::S32: return load<int32_t>(data);
    default: return 0;
  }
}

std::vector<std::vector<uint8_t>> readAddressList(const AttrView& nest, size_t width) {
  std::vector<std::vector<uint8_t>> out;
  for (const AttrView& child : splitAttrs(nest.data, nest.len)) {
    if (child.len < width) malformed();
    out.emplace_back(child.data, child.data + width);
  }
  return out;
}

}  // namespace

AttrFormat attrFormat(AttrSpace space, uint16_t type) {
  switch (space) {
    case AttrSpace::Bond: return lookup(kBond, type);
    case AttrSpace::BondSlave: return lookup(kBondSlave, type);
    case AttrSpace::BondAdInfo: return lookup(kAdInfo, type);
    case AttrSpace::Vlan: return lookup(kVlan, type);
    case AttrSpace::Bridge: return lookup(kBridge, type);
    case AttrSpace::Macvlan: return lookup(kMacvlan, type);
    case AttrSpace::Ipvlan: return lookup(kIpvlan, type);
    case AttrSpace::Veth: return lookup(kVeth, type);
    case AttrSpace::PeerLink: return lookup(kPeerLink, type);
  }
  return AttrFormat::Unknown;
}

std::optional<AttrSpace> kindDataSpace(const std::string& kind) {
  const KindTables* row = kindTables(kind);
  return row ? std::optional<AttrSpace>(row->data) : std::nullopt;
}

std::optional<AttrSpace> kindSlaveDataSpace(const std::string& kind) {
  const KindTables* row = kindTables(kind);
  return row ? row->slaveData : std::nullopt;
}

std::vector<AttrView> splitAttrs(const uint8_t* data, size_t len) {
  std::vector<AttrView> out;
  size_t offset = 0;
  while (offset + NLA_HDRLEN <= len) {
    nlattr header;
    std::memcpy(&header, data + offset, sizeof header);
    if (header.nla_len < NLA_HDRLEN || header.nla_len > len - offset) malformed();
    out.push_back({static_cast<uint16_t>(header.nla_type & NLA_TYPE_MASK), data + offset + NLA_HDRLEN,
                   static_cast<size_t>(header.nla_len - NLA_HDRLEN)});
    offset += NLA_ALIGN(header.nla_len);
  }
  return out;
}

std::vector<AttrView> splitMessage(const uint8_t* data, size_t len, void* header, size_t headerLen) {
  if (len < NLMSG_HDRLEN + headerLen) malformed();
  std::memcpy(header, data + NLMSG_HDRLEN, headerLen);
  // The attributes start at the aligned end of the family header; a message may end before it.
  const size_t offset = NLMSG_HDRLEN + NLMSG_ALIGN(headerLen);
  if (offset >= len) return {};
  return splitAttrs(data + offset, len - offset);
}

std::vector<ParsedAttr> parseAttrs(AttrSpace space, const uint8_t* data, size_t len) {
  std::vector<ParsedAttr> out;
  for (const AttrView& view : splitAttrs(data, len)) {
    const AttrFormat format = attrFormat(space, view.type);
    if (format == AttrFormat::Unknown) continue;  // newer kernel: skip, never reject
    ParsedAttr attr;
    attr.type = view.type;
    attr.format = format;
    switch (format) {
      case F::U8:
      case F::U16:
      case F::Be16:
      case F::U32:
      case F::S32:
      case F::NetnsFd:
        if (view.len < fixedWidth(format)) malformed();
        attr.number = readNumber(format, view.data);
        break;
      case F::Mac6:
        if (view.len < 6) malformed();
        attr.bytes.assign(view.data, view.data + 6);
        break;
      case F::Binary: attr.bytes.assign(view.data, view.data + view.len); break;
      case F::Be32List: attr.list = readAddressList(view, 4); break;
      case F::In6List: attr.list = readAddressList(view, 16); break;
      case F::AdInfo: attr.nested = parseAttrs(AttrSpace::BondAdInfo, view.data, view.len); break;
      case F::String: attr.text = attrString(view); break;
      case F::LinkMessage: {
        // The attributes start at the aligned end of the ifinfomsg, as in a message of its own.
        const size_t offset = NLMSG_ALIGN(sizeof(ifinfomsg));
        if (view.len < offset) malformed();
        attr.nested = parseAttrs(AttrSpace::PeerLink, view.data + offset, view.len - offset);
        break;
      }
      case F::Unknown: break;
    }
    out.push_back(std::move(attr));
  }
  return out;
}

std::string attrString(const AttrView& attr) {
  const char* text = reinterpret_cast<const char*>(attr.data);
  return std::string(text, strnlen(text, attr.len));
}

std::vector<uint8_t> attrBytes(const AttrView& attr) {
  return std::vector<uint8_t>(attr.data, attr.data + attr.len);
}

uint32_t attrU32(const AttrView& attr) {
  if (attr.len < 4) malformed();
  return load<uint32_t>(attr.data);
}

uint8_t attrU8(const AttrView& attr) {
  if (attr.len < 1) malformed();
  return attr.data[0];
}

}  // namespace netbond
