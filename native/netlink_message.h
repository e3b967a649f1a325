// netlink_message.h: builds one netlink request in a buffer it owns: header, family header,
// attributes and scoped nests (man 7 netlink). Table-driven attributes take their width from
// netlink_attrs, the same table the parser uses.
#pragma once

#include <linux/netlink.h>

#include <cstdint>
#include <string>
#include <vector>

#include "netlink_attrs.h"
#include "unique_fd.h"

namespace netbond {

// A value for a table-driven attribute, as it arrives from JavaScript: a number, bytes, a list of
// byte strings (an address list), text (a name, a namespace path) or nested attributes (a link
// message's).
struct AttrInput {
  enum class Shape : uint8_t { Number, Bytes, List, Text, Nested };
  uint16_t type = 0;
  Shape shape = Shape::Number;
  int64_t number = 0;
  std::vector<uint8_t> bytes;
  std::vector<std::vector<uint8_t>> list;
  std::string text;
  std::vector<AttrInput> nested;
};

class MessageBuilder {
 public:
  MessageBuilder(uint16_t type, uint16_t flags);

  // Appends a fixed family header (ifinfomsg, ...) right after the netlink header.
  template <typename T>
  void putHeader(const T& header) {
    append(&header, sizeof header);
  }

  void putAttr(uint16_t type, const void* data, size_t len);
  void putU8(uint16_t type, uint8_t value) { putAttr(type, &value, sizeof value); }
  void putU16(uint16_t type, uint16_t value) { putAttr(type, &value, sizeof value); }
  void putU32(uint16_t type, uint32_t value) { putAttr(type, &value, sizeof value); }
  void putString(uint16_t type, const std::string& value) { putAttr(type, value.c_str(), value.size() + 1); }
  // Opens the namespace file at `path` and puts its fd as a u32 (IFLA_NET_NS_FD). The builder owns
  // the fd until it is destroyed: the kernel resolves it when the message is sent. Throws OsError
  // (errno, "open netns") when the file cannot be opened.
  void putNetnsFd(uint16_t type, const std::string& path);
  // Encodes a value with the width the table gives for (space, type). Throws OsError(EINVAL)
  // when the type is unknown, read-only, or the value has the wrong shape or size; a refused value
  // leaves nothing in the message.
  void putTableAttr(AttrSpace space, const AttrInput& input);

  // A nest closes when the scope object is destroyed.
  class Nest {
   public:
    Nest(MessageBuilder& builder, uint16_t type);
    Nest(const Nest&) = delete;
    Nest& operator=(const Nest&) = delete;
    ~Nest();

   private:
    MessageBuilder& builder_;
    size_t offset_;
  };

  // Stamps sequence number and length; the returned buffer stays owned by the builder. Throws
  // OsError(EMSGSIZE) if a nest outgrew the 16-bit attribute length.
  const std::vector<uint8_t>& finish(uint32_t seq);
  uint16_t flags() const;

 private:
  void append(const void* data, size_t len);
  void putTableValue(AttrSpace space, const AttrInput& input);
  std::vector<uint8_t> buffer_;
  std::vector<UniqueFd> fds_;  // namespace files the message refers to by fd
  bool oversized_ = false;
};

}  // namespace netbond
