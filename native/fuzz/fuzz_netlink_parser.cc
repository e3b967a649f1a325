// fuzz_netlink_parser.cc: libFuzzer target over everything that decodes kernel bytes: link,
// stats, address and route messages, bond attribute tables. The parsers must never read out of
// bounds or crash on any input; malformed input may only raise OsError.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "../addr_route.h"
#include "../link_message.h"
#include "../netlink_attrs.h"
#include "../os_error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Copy into an exactly-sized heap buffer so ASan sees any read past the end.
  const std::vector<uint8_t> bytes(data, data + size);
  const uint8_t* p = bytes.data();
  const auto attempt = [](auto&& parse) {
    try {
      parse();
    } catch (const netbond::OsError&) {
      // EBADMSG and friends: the expected way to refuse malformed input.
    }
  };
  attempt([&] { netbond::parseLinkMessage(p, size); });
  attempt([&] { netbond::parseStatsMessage(p, size); });
  attempt([&] { netbond::parseAddrMessage(p, size); });
  attempt([&] { netbond::parseRouteMessage(p, size); });
  attempt([&] { netbond::parseAttrs(netbond::AttrSpace::Bond, p, size); });
  attempt([&] { netbond::parseAttrs(netbond::AttrSpace::BondSlave, p, size); });
  attempt([&] { netbond::parseAttrs(netbond::AttrSpace::BondAdInfo, p, size); });
  return 0;
}
