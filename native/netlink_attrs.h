// netlink_attrs.h: the attribute width table for bond and bond-slave data, and a bounds-checked
// attribute parser (man 7 netlink, man 7 rtnetlink). One table feeds both the builder and the
// parser, so encoding and decoding cannot drift apart. Unknown attribute types are skipped (newer
// kernels add attributes); known ones are width-checked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

namespace netbond {

enum class AttrFormat : uint8_t {
  Unknown,
  U8,
  U16,
  U32,
  S32,
  Binary,    // any non-empty length (a hardware address of the slave's addr_len)
  Mac6,      // exactly 6 bytes
  Be32List,  // nest of children, each a 4-byte IPv4 address in network order
  In6List,   // nest of children, each a 16-byte IPv6 address
  AdInfo,    // nest of IFLA_BOND_AD_INFO_* (read-only)
};

// Which table an attribute number is looked up in.
enum class AttrSpace : uint8_t { Bond, BondSlave, BondAdInfo };

AttrFormat attrFormat(AttrSpace space, uint16_t type);

// A decoded attribute. Numbers hold every integer width; S32 values keep their sign.
struct ParsedAttr {
  uint16_t type = 0;
  AttrFormat format = AttrFormat::Unknown;
  int64_t number = 0;
  std::vector<uint8_t> bytes;
  std::vector<std::vector<uint8_t>> list;
  std::vector<ParsedAttr> nested;
};

// A raw view of one attribute inside a received message.
struct AttrView {
  uint16_t type;  // NLA_F_NESTED and NLA_F_NET_BYTEORDER stripped
  const uint8_t* data;
  size_t len;
};

// Splits [data, data+len) into attributes. Throws OsError(EBADMSG) on a malformed header.
std::vector<AttrView> splitAttrs(const uint8_t* data, size_t len);

// Copies the fixed family header (ifinfomsg, ifaddrmsg, rtmsg, if_stats_msg) that follows the
// netlink header of one received message into `header`, and splits the attributes after it (the
// offset libmnl's mnl_attr_parse is given). Throws OsError(EBADMSG) when the message is shorter
// than the two headers.
std::vector<AttrView> splitMessage(const uint8_t* data, size_t len, void* header, size_t headerLen);

template <typename Header>
std::vector<AttrView> splitMessage(const uint8_t* data, size_t len, Header& header) {
  static_assert(std::is_trivially_copyable<Header>::value, "a family header is plain bytes");
  return splitMessage(data, len, &header, sizeof header);
}

// Decodes the attributes of one table. Unknown types are skipped; a known type whose payload is
// shorter than its width throws OsError(EBADMSG).
std::vector<ParsedAttr> parseAttrs(AttrSpace space, const uint8_t* data, size_t len);

// Reads a NUL-terminated (or not) string payload.
std::string attrString(const AttrView& attr);
// Copies a payload of any length (an address, a MAC).
std::vector<uint8_t> attrBytes(const AttrView& attr);
uint32_t attrU32(const AttrView& attr);
uint8_t attrU8(const AttrView& attr);

}  // namespace netbond
