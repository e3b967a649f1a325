// netlink_message.cc: request builder (man 7 netlink; libmnl's mnl_attr_put/nest_start shape).
#include "netlink_message.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/rtnetlink.h>

#include <cerrno>
#include <cstring>

#include "os_error.h"

namespace netbond {

MessageBuilder::MessageBuilder(uint16_t type, uint16_t flags) {
  nlmsghdr header{};
  header.nlmsg_type = type;
  header.nlmsg_flags = flags;
  append(&header, sizeof header);
}

void MessageBuilder::append(const void* data, size_t len) {
  const size_t offset = buffer_.size();
  buffer_.resize(offset + NLMSG_ALIGN(len), 0);
  if (len > 0) std::memcpy(buffer_.data() + offset, data, len);
}

void MessageBuilder::putAttr(uint16_t type, const void* data, size_t len) {
  if (NLA_HDRLEN + len > 0xffff) throw OsError(EMSGSIZE, "netlink build");
  nlattr header{static_cast<uint16_t>(NLA_HDRLEN + len), type};
  const size_t offset = buffer_.size();
  buffer_.resize(offset + NLA_HDRLEN + NLA_ALIGN(len), 0);
  std::memcpy(buffer_.data() + offset, &header, sizeof header);
  if (len > 0) std::memcpy(buffer_.data() + offset + NLA_HDRLEN, data, len);
}

void MessageBuilder::putNetnsFd(uint16_t type, const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) throw OsError(errno, "open netns");
  putU32(type, static_cast<uint32_t>(fd.get()));
  fds_.push_back(std::move(fd));
}

void MessageBuilder::putTableAttr(AttrSpace space, const AttrInput& input) {
  const size_t before = buffer_.size();
  try {
    putTableValue(space, input);
  } catch (...) {
    // A nested value refused part way (a link message's second attribute): cut back to where it
    // started, so the message holds nothing of it.
    buffer_.resize(before);
    throw;
  }
}

void MessageBuilder::putTableValue(AttrSpace space, const AttrInput& input) {
  const AttrFormat format = attrFormat(space, input.type);
  const auto invalid = [] { return OsError(EINVAL, "netlink build"); };
  const bool numeric = format == AttrFormat::U8 || format == AttrFormat::U16 || format == AttrFormat::U32 ||
                       format == AttrFormat::S32 || format == AttrFormat::Be16;
  if (numeric != (input.shape == AttrInput::Shape::Number)) throw invalid();
  switch (format) {
    case AttrFormat::U8: putU8(input.type, static_cast<uint8_t>(input.number)); return;
    case AttrFormat::U16: putU16(input.type, static_cast<uint16_t>(input.number)); return;
    case AttrFormat::Be16: putU16(input.type, htons(static_cast<uint16_t>(input.number))); return;
    case AttrFormat::U32:
    case AttrFormat::S32: putU32(input.type, static_cast<uint32_t>(input.number)); return;
    case AttrFormat::Mac6:
      if (input.shape != AttrInput::Shape::Bytes || input.bytes.size() != 6) throw invalid();
      putAttr(input.type, input.bytes.data(), input.bytes.size());
      return;
    case AttrFormat::Be32List:
    case AttrFormat::In6List: {
      const size_t width = format == AttrFormat::Be32List ? 4 : 16;
      if (input.shape != AttrInput::Shape::List) throw invalid();
      // Checked before the nest opens: a refused value must leave nothing in the message.
      for (const auto& address : input.list) {
        if (address.size() != width) throw invalid();
      }
      // The kernel replaces the whole target table; an empty nest clears it. Child types are
      // slot indexes, as iproute2 sends them.
      Nest nest(*this, input.type);
      uint16_t slot = 0;
      for (const auto& address : input.list) putAttr(slot++, address.data(), address.size());
      return;
    }
    case AttrFormat::String:
      // An embedded NUL would make the kernel read a shorter name than the one asked for.
      if (input.shape != AttrInput::Shape::Text || input.text.find('\0') != std::string::npos)
        throw invalid();
      putString(input.type, input.text);
      return;
    case AttrFormat::NetnsFd:
      if (input.shape != AttrInput::Shape::Text || input.text.empty()) throw invalid();
      putNetnsFd(input.type, input.text);
      return;
    case AttrFormat::LinkMessage: {
      if (input.shape != AttrInput::Shape::Nested) throw invalid();
      Nest nest(*this, input.type);
      putHeader(ifinfomsg{});
      for (const AttrInput& child : input.nested) putTableValue(AttrSpace::PeerLink, child);
      return;
    }
    default: throw invalid();  // unknown or read-only (AD_INFO, slave state fields)
  }
}

MessageBuilder::Nest::Nest(MessageBuilder& builder, uint16_t type)
    : builder_(builder), offset_(builder.buffer_.size()) {
  builder_.putAttr(type | NLA_F_NESTED, nullptr, 0);
}

MessageBuilder::Nest::~Nest() {
  const size_t fullLen = builder_.buffer_.size() - offset_;
  // nla_len is 16 bits: a longer nest cannot be expressed, and a wrapped length would make the
  // kernel read the rest of the message as other attributes. finish() refuses the message.
  if (fullLen > 0xffff) builder_.oversized_ = true;
  const uint16_t len = static_cast<uint16_t>(fullLen);
  std::memcpy(builder_.buffer_.data() + offset_, &len, sizeof len);
}

const std::vector<uint8_t>& MessageBuilder::finish(uint32_t seq) {
  if (oversized_) throw OsError(EMSGSIZE, "netlink build");
  auto* header = reinterpret_cast<nlmsghdr*>(buffer_.data());
  header->nlmsg_len = static_cast<uint32_t>(buffer_.size());
  header->nlmsg_seq = seq;
  header->nlmsg_pid = 0;  // addressed to the kernel
  return buffer_;
}

uint16_t MessageBuilder::flags() const {
  return reinterpret_cast<const nlmsghdr*>(buffer_.data())->nlmsg_flags;
}

}  // namespace netbond
