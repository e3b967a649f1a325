// fuzz_netlink_parser.cc: libFuzzer target over everything that reads or writes netlink bytes:
// the reply path (which messages are ours, ERROR and DONE with their extended-ack TLVs,
// multi-message datagrams, datagrams cut short), the link/stats/address/route decoders, the bond
// attribute tables, and the message builder (whatever it builds, the parser reads back the same).
// Malformed input may only raise OsError; anything else (a read out of bounds, a crash, a
// round-trip mismatch) aborts the run.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "../addr_route.h"
#include "../link_message.h"
#include "../netlink_attrs.h"
#include "../netlink_message.h"
#include "../netlink_reply.h"
#include "../os_error.h"

namespace {

template <typename Parse>
void attempt(Parse&& parse) {
  try {
    parse();
  } catch (const netbond::OsError&) {
    // EBADMSG and friends: the expected way to refuse malformed input.
  }
}

// Reads the input as a little program for the builder: each step picks an attribute space, a
// type and a value shape; then the message's attributes must parse back to the same values.
class BuilderProgram {
 public:
  BuilderProgram(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  void run() {
    const auto space = static_cast<netbond::AttrSpace>(take() % netbond::kAttrSpaceCount);
    netbond::MessageBuilder builder(RTM_NEWLINK, 0);
    std::vector<netbond::AttrInput> accepted;
    while (offset_ < size_) {
      netbond::AttrInput input;
      input.type = static_cast<uint16_t>(take() % 48);
      const uint8_t shape = take() % 3;
      if (shape == 0) {
        input.number = static_cast<int64_t>(static_cast<int32_t>(take32()));
      } else if (shape == 1) {
        input.shape = netbond::AttrInput::Shape::Bytes;
        input.bytes = takeBytes(take() % 8);
      } else {
        input.shape = netbond::AttrInput::Shape::List;
        const size_t count = take() % 20;
        const size_t width = take() % 2 ? 4 : 16;
        for (size_t i = 0; i < count; ++i) input.list.push_back(takeBytes(width));
      }
      try {
        builder.putTableAttr(space, input);
        accepted.push_back(input);
      } catch (const netbond::OsError&) {
        // refused: nothing was appended
      }
    }
    const std::vector<uint8_t>& message = builder.finish(1);
    const std::vector<uint8_t> attrs(message.begin() + NLMSG_HDRLEN, message.end());
    const std::vector<netbond::ParsedAttr> parsed = netbond::parseAttrs(space, attrs.data(), attrs.size());
    if (parsed.size() != accepted.size()) std::abort();
    for (size_t i = 0; i < parsed.size(); ++i) {
      if (parsed[i].type != accepted[i].type) std::abort();
      if (accepted[i].shape == netbond::AttrInput::Shape::List && parsed[i].list != accepted[i].list)
        std::abort();
      if (accepted[i].shape == netbond::AttrInput::Shape::Bytes && parsed[i].bytes != accepted[i].bytes)
        std::abort();
    }
  }

 private:
  uint8_t take() { return offset_ < size_ ? data_[offset_++] : 0; }
  uint32_t take32() {
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) value = value << 8 | take();
    return value;
  }
  std::vector<uint8_t> takeBytes(size_t count) {
    std::vector<uint8_t> out;
    for (size_t i = 0; i < count; ++i) out.push_back(take());
    return out;
  }

  const uint8_t* data_;
  size_t size_;
  size_t offset_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Copy into an exactly-sized heap buffer so ASan sees any read past the end.
  const std::vector<uint8_t> bytes(data, data + size);
  const uint8_t* p = bytes.data();
  const auto ignore = [](const nlmsghdr&) {};
  // The sequence number and port the reply path accepts come from the input's first bytes
  // (usually 0 in a seed), so both "ours" and "someone else's" are reached.
  const uint32_t seq = size >= 12 ? *reinterpret_cast<const uint32_t*>(p + 8) : 0;
  attempt([&] { netbond::readReplyDatagram(p, size, seq, 0, true, ignore); });
  attempt([&] { netbond::readReplyDatagram(p, size, seq, 0, false, ignore); });
  if (size >= sizeof(nlmsghdr)) {
    // The text reader on its own, over a message whose length fits the buffer.
    nlmsghdr header;
    std::memcpy(&header, p, sizeof header);
    if (header.nlmsg_len >= sizeof header && header.nlmsg_len <= size)
      netbond::extendedAckText(*reinterpret_cast<const nlmsghdr*>(p));
  }
  attempt([&] { netbond::parseLinkMessage(p, size); });
  attempt([&] { netbond::parseStatsMessage(p, size); });
  attempt([&] { netbond::parseAddrMessage(p, size); });
  attempt([&] { netbond::parseRouteMessage(p, size); });
  attempt([&] { netbond::parseAttrs(netbond::AttrSpace::Bond, p, size); });
  attempt([&] { netbond::parseAttrs(netbond::AttrSpace::BondSlave, p, size); });
  attempt([&] { netbond::parseAttrs(netbond::AttrSpace::BondAdInfo, p, size); });
  attempt([&] { BuilderProgram(p, size).run(); });
  return 0;
}
