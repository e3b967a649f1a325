// netlink_attrs.h: the attribute width tables (one per link kind's IFLA_INFO_DATA, and the bond's
// slave data), which kind uses which table, a bounds-checked attribute parser, and the one decoding
// loop every reply decoder is a list of fields for (man 7 netlink, man 7 rtnetlink). One table
// feeds both the builder and the parser, so encoding and decoding cannot drift apart. Unknown
// attribute types are skipped (newer kernels add attributes); known ones are width-checked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

namespace netbond {

enum class AttrFormat : uint8_t {
  Unknown,
  U8,
  U16,
  U32,
  S32,
  Be16,      // u16 in network byte order on the wire (a VLAN protocol); host order in numbers
  Binary,    // any non-empty length (a hardware address of the slave's addr_len)
  Mac6,      // exactly 6 bytes
  Be32List,  // nest of children, each a 4-byte IPv4 address in network order
  In6List,   // nest of children, each a 16-byte IPv6 address
  AdInfo,    // nest of IFLA_BOND_AD_INFO_* (read-only)
  String,    // NUL-terminated text (an interface name)
  // Write-only: given as the path of a namespace file, sent as the u32 fd of that file opened
  // (IFLA_NET_NS_FD); the builder keeps the fd open until the message is gone.
  NetnsFd,
  // A nested link message: an ifinfomsg, then IFLA_* attributes of AttrSpace::PeerLink. Only
  // veth's VETH_INFO_PEER has this shape (drivers/net/veth.c reads the peer as a link of its own).
  LinkMessage,
};

// Which table an attribute number is looked up in: one per kind's IFLA_INFO_DATA, the bond's
// slave data and AD_INFO nest, and the IFLA_* of a veth's peer.
enum class AttrSpace : uint8_t { Bond, BondSlave, BondAdInfo, Vlan, Bridge, Macvlan, Ipvlan, Veth, PeerLink };
constexpr int kAttrSpaceCount = 9;

AttrFormat attrFormat(AttrSpace space, uint16_t type);

// The table of a link kind's IFLA_INFO_DATA ("bond", "vlan", ...), and of IFLA_INFO_SLAVE_DATA of
// the ports of a master of that kind; nothing for a kind netbond has no table for (its data is
// then neither sent nor decoded). Adding a kind is a table in netlink_attrs.cc and a row here.
std::optional<AttrSpace> kindDataSpace(const std::string& kind);
std::optional<AttrSpace> kindSlaveDataSpace(const std::string& kind);

// A decoded attribute. Numbers hold every integer width; S32 values keep their sign.
struct ParsedAttr {
  uint16_t type = 0;
  AttrFormat format = AttrFormat::Unknown;
  int64_t number = 0;
  std::string text;  // String
  std::vector<uint8_t> bytes;
  std::vector<std::vector<uint8_t>> list;
  std::vector<ParsedAttr> nested;  // AdInfo, LinkMessage
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

// The same readers chosen by the type of the field read into; an int32_t is an ifindex, a u32 on
// the wire, and an optional field is one whose absence JS sees.
inline void readAttr(const AttrView& attr, std::string& out) {
  out = attrString(attr);
}
inline void readAttr(const AttrView& attr, std::vector<uint8_t>& out) {
  out = attrBytes(attr);
}
inline void readAttr(const AttrView& attr, uint32_t& out) {
  out = attrU32(attr);
}
inline void readAttr(const AttrView& attr, int32_t& out) {
  out = static_cast<int32_t>(attrU32(attr));
}
inline void readAttr(const AttrView& attr, uint8_t& out) {
  out = attrU8(attr);
}
template <typename V>
void readAttr(const AttrView& attr, std::optional<V>& out) {
  V value;
  readAttr(attr, value);
  out = value;
}

// One attribute a decoder keeps: the member of T it is read into (the member's type picks the
// reader), or a function for an attribute with a shape of its own (a nest, a struct).
template <typename T>
struct AttrField {
  uint16_t type;
  std::variant<std::string T::*, std::vector<uint8_t> T::*, uint32_t T::*, int32_t T::*, uint8_t T::*,
               std::optional<uint32_t> T::*, std::optional<uint8_t> T::*, void (*)(T&, const AttrView&)>
      read;
};

// Reads the attributes listed in `fields` into `out` in message order, so a repeated attribute
// ends with its last value; unlisted ones are skipped, as libmnl's callbacks skip them. A decoder
// is then the list of what it keeps.
template <typename T>
void readAttrs(T& out, const std::vector<AttrView>& attrs, std::initializer_list<AttrField<T>> fields) {
  for (const AttrView& attr : attrs) {
    for (const AttrField<T>& field : fields) {
      if (field.type != attr.type) continue;
      std::visit(
          [&](auto read) {
            if constexpr (std::is_member_object_pointer<decltype(read)>::value)
              readAttr(attr, out.*read);
            else
              read(out, attr);
          },
          field.read);
    }
  }
}

// Decodes one message into a T: `fromHeader` takes what T keeps of the family header, then the
// listed attributes are read over it, so an attribute that widens a header field (IFA_FLAGS,
// RTA_TABLE) wins. Every decoder of kernel replies is this call with its own header and list.
template <typename T, typename Header>
T parseMessage(const uint8_t* data, size_t len, void (*fromHeader)(T&, const Header&),
               std::initializer_list<AttrField<T>> fields) {
  Header header;
  const std::vector<AttrView> attrs = splitMessage(data, len, header);
  T out;
  fromHeader(out, header);
  readAttrs(out, attrs, fields);
  return out;
}

}  // namespace netbond
