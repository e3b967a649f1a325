// netlink_attrs.cc: width tables for IFLA_BOND_*, IFLA_BOND_SLAVE_*, IFLA_BOND_AD_INFO_* and the
// bounds-checked parser (man 7 netlink; numbers from <linux/if_link.h>, widths as the kernel's
// bonding driver puts and accepts them).
#include "netlink_attrs.h"

#include <linux/netlink.h>

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

template <size_t N>
AttrFormat lookup(const std::array<AttrFormat, N>& table, uint16_t type) {
  return type < N ? table[type] : AttrFormat::Unknown;
}

size_t fixedWidth(AttrFormat format) {
  switch (format) {
    case F::U8: return 1;
    case F::U16: return 2;
    case F::U32:
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
    case F::U32: return load<uint32_t>(data);
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
  }
  return AttrFormat::Unknown;
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
      case F::U32:
      case F::S32:
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
