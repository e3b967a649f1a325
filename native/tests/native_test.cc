// native_test.cc: tests of the plain C++ core without Node, built with AddressSanitizer and
// UndefinedBehaviorSanitizer (scripts/test-bed/native-tests.sh): the builder and the parser agree
// through the one width table, unknown attributes are skipped, short ones are refused, and link,
// address and route messages decode. Prints "N passed, N failed" last.
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "../addr_route.h"
#include "../link_message.h"
#include "../netlink_attrs.h"
#include "../netlink_message.h"
#include "../os_error.h"
#include "harness.h"

namespace netbond_test {

namespace {
int passed = 0;
int failed = 0;
}  // namespace

void check(bool ok, const std::string& what) {
  if (ok) {
    ++passed;
  } else {
    ++failed;
    std::printf("FAIL: %s\n", what.c_str());
  }
}

void test(const char* name, const std::function<void()>& body) {
  try {
    body();
  } catch (const netbond::OsError& error) {
    check(false, std::string(name) + ": unexpected OsError " + error.syscall + ": " +
                     std::strerror(error.errnum) +
                     (error.kernelMessage.empty() ? "" : " (" + error.kernelMessage + ")"));
  } catch (const std::exception& error) {
    check(false, std::string(name) + ": unexpected exception " + error.what());
  }
}

int summary() {
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}

}  // namespace netbond_test

namespace {

using netbond_test::check;
using netbond_test::test;

// The payload after the ifinfomsg of a built message.
std::vector<uint8_t> attrsOf(const std::vector<uint8_t>& message) {
  const size_t offset = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(ifinfomsg));
  return std::vector<uint8_t>(message.begin() + static_cast<long>(offset), message.end());
}

// Builds a request with `put` and decodes it with `parse`, the decoder of the kernel's replies:
// a request and a reply of these types carry the same family header and attributes.
template <typename Put, typename Parse>
auto roundTrip(uint16_t type, Put put, Parse parse) {
  netbond::MessageBuilder builder(type, NLM_F_REQUEST);
  put(builder);
  const std::vector<uint8_t> message = builder.finish(1);
  return parse(message.data(), message.size());
}

netbond::AttrInput number(uint16_t type, int64_t value) {
  netbond::AttrInput input;
  input.type = type;
  input.number = value;
  return input;
}

}  // namespace

int main() {
  using namespace netbond;

  test("bond attributes round-trip through builder and parser", [] {
    MessageBuilder builder(RTM_NEWLINK, NLM_F_REQUEST);
    builder.putHeader(ifinfomsg{});
    builder.putTableAttr(AttrSpace::Bond, number(1, 4));       // MODE u8
    builder.putTableAttr(AttrSpace::Bond, number(3, 100));     // MIIMON u32
    builder.putTableAttr(AttrSpace::Bond, number(24, 65000));  // AD_ACTOR_SYS_PRIO u16
    AttrInput targets;
    targets.type = 8;  // ARP_IP_TARGET
    targets.shape = AttrInput::Shape::List;
    targets.list = {{10, 0, 0, 1}, {10, 0, 0, 2}};
    builder.putTableAttr(AttrSpace::Bond, targets);
    AttrInput mac;
    mac.type = 26;  // AD_ACTOR_SYSTEM
    mac.shape = AttrInput::Shape::Bytes;
    mac.bytes = {2, 0, 0, 0, 0, 1};
    builder.putTableAttr(AttrSpace::Bond, mac);
    const std::vector<uint8_t> message = builder.finish(7);
    const std::vector<uint8_t> payload = attrsOf(message);
    const std::vector<ParsedAttr> attrs = parseAttrs(AttrSpace::Bond, payload.data(), payload.size());
    check(attrs.size() == 5, "five attributes decoded");
    check(attrs[0].type == 1 && attrs[0].number == 4, "mode 4");
    check(attrs[1].number == 100, "miimon 100");
    check(attrs[2].number == 65000, "actor sys prio 65000 as u16");
    check(attrs[3].list.size() == 2 && attrs[3].list[1][3] == 2, "two ARP targets");
    check(attrs[4].bytes.size() == 6 && attrs[4].bytes[0] == 2, "actor system MAC");
    check(reinterpret_cast<const nlmsghdr*>(message.data())->nlmsg_len == message.size(), "length stamped");
  });

  test("the builder refuses read-only, unknown and wrongly shaped attributes", [] {
    MessageBuilder builder(RTM_NEWLINK, NLM_F_REQUEST);
    for (const uint16_t type : {uint16_t{23}, uint16_t{200}}) {  // AD_INFO (read-only), unknown
      bool refused = false;
      try {
        builder.putTableAttr(AttrSpace::Bond, number(type, 1));
      } catch (const OsError& error) {
        refused = error.errnum == EINVAL;
      }
      check(refused, "type " + std::to_string(type) + " refused");
    }
    AttrInput mac;
    mac.type = 26;
    mac.shape = AttrInput::Shape::Bytes;
    mac.bytes = {1, 2, 3};
    bool refused = false;
    try {
      builder.putTableAttr(AttrSpace::Bond, mac);
    } catch (const OsError&) {
      refused = true;
    }
    check(refused, "a 3-byte MAC refused");
  });

  test("the parser skips unknown types and refuses short known ones", [] {
    const uint8_t unknown[] = {8, 0, 99, 0, 1, 2, 3, 4};  // type 99, 4 bytes: skipped
    check(parseAttrs(AttrSpace::Bond, unknown, sizeof unknown).empty(), "unknown attribute skipped");
    const uint8_t shortMiimon[] = {6, 0, 3, 0, 1, 0, 0, 0};  // MIIMON with 2 bytes of payload
    bool refused = false;
    try {
      parseAttrs(AttrSpace::Bond, shortMiimon, sizeof shortMiimon);
    } catch (const OsError& error) {
      refused = error.errnum == EBADMSG;
    }
    check(refused, "short u32 refused with EBADMSG");
    const uint8_t overlong[] = {200, 0, 3, 0};  // length past the buffer
    refused = false;
    try {
      splitAttrs(overlong, sizeof overlong);
    } catch (const OsError&) {
      refused = true;
    }
    check(refused, "attribute longer than the buffer refused");
  });

  test("a refused list leaves nothing in the message", [] {
    MessageBuilder builder(RTM_NEWLINK, NLM_F_REQUEST);
    const size_t before = builder.finish(1).size();
    AttrInput targets;
    targets.type = 8;  // ARP_IP_TARGET: 4-byte addresses; the second is 3 bytes
    targets.shape = AttrInput::Shape::List;
    targets.list = {{10, 0, 0, 1}, {10, 0, 0}};
    bool refused = false;
    try {
      builder.putTableAttr(AttrSpace::Bond, targets);
    } catch (const OsError&) {
      refused = true;
    }
    check(refused && builder.finish(1).size() == before, "refused, and no half-written nest");
  });

  test("a nest longer than nla_len can hold is refused, not wrapped", [] {
    MessageBuilder builder(RTM_NEWLINK, NLM_F_REQUEST);
    AttrInput targets;
    targets.type = 8;  // ARP_IP_TARGET, 8 bytes a target: 9000 of them are 72000 bytes
    targets.shape = AttrInput::Shape::List;
    targets.list.assign(9000, std::vector<uint8_t>{10, 0, 0, 1});
    builder.putTableAttr(AttrSpace::Bond, targets);
    bool refused = false;
    try {
      builder.finish(1);
    } catch (const OsError& error) {
      refused = error.errnum == EMSGSIZE;
    }
    check(refused, "EMSGSIZE from finish()");
  });

  test("a link message with bond data decodes", [] {
    MessageBuilder builder(RTM_NEWLINK, 0);
    ifinfomsg header{};
    header.ifi_index = 7;
    header.ifi_flags = 1;
    builder.putHeader(header);
    builder.putString(IFLA_IFNAME, "bond0");
    builder.putU32(IFLA_MTU, 1500);
    {
      MessageBuilder::Nest info(builder, IFLA_LINKINFO);
      builder.putString(IFLA_INFO_KIND, "bond");
      MessageBuilder::Nest data(builder, IFLA_INFO_DATA);
      builder.putTableAttr(AttrSpace::Bond, number(1, 1));
    }
    const std::vector<uint8_t> message = builder.finish(1);
    const Link link = parseLinkMessage(message.data(), message.size());
    check(link.ifindex == 7 && link.ifname == "bond0" && link.mtu == 1500, "ifindex, name, mtu");
    check(link.kind == "bond" && link.infoData.size() == 1 && link.infoData[0].number == 1, "bond mode 1");
  });

  test("each kind's data goes through its own table, both ways", [] {
    // VLAN: ID u16, PROTOCOL in network order on the wire and host order in numbers.
    MessageBuilder builder(RTM_NEWLINK, 0);
    builder.putHeader(ifinfomsg{});
    {
      MessageBuilder::Nest info(builder, IFLA_LINKINFO);
      builder.putString(IFLA_INFO_KIND, "vlan");
      MessageBuilder::Nest data(builder, IFLA_INFO_DATA);
      builder.putTableAttr(AttrSpace::Vlan, number(1, 300));
      builder.putTableAttr(AttrSpace::Vlan, number(5, 0x88a8));
    }
    const std::vector<uint8_t> message = builder.finish(1);
    const uint8_t be[] = {0x88, 0xa8};
    check(std::search(message.begin(), message.end(), be, be + 2) != message.end(),
          "protocol sent big-endian");
    const Link vlan = parseLinkMessage(message.data(), message.size());
    check(vlan.kind == "vlan" && vlan.infoData.size() == 2, "vlan data decoded through kVlan");
    check(vlan.infoData.size() == 2 && vlan.infoData[0].number == 300 && vlan.infoData[1].number == 0x88a8,
          "id 300, protocol 0x88a8 in host order");
    check(attrFormat(AttrSpace::Macvlan, 1) == AttrFormat::U32 &&
              attrFormat(AttrSpace::Ipvlan, 1) == AttrFormat::U16,
          "macvlan mode u32, ipvlan mode u16");
    check(kindDataSpace("ipvlan") == AttrSpace::Ipvlan && !kindDataSpace("dummy") &&
              kindSlaveDataSpace("bond") == AttrSpace::BondSlave && !kindSlaveDataSpace("bridge"),
          "kinds map to their tables; a kind without one has none");
  });

  test("a veth peer is a nested link message: ifinfomsg, then its own attributes", [] {
    MessageBuilder builder(RTM_NEWLINK, 0);
    AttrInput name;
    name.type = 3;  // IFLA_IFNAME
    name.shape = AttrInput::Shape::Text;
    name.text = "peer0";
    AttrInput peer;
    peer.type = 1;  // VETH_INFO_PEER
    peer.shape = AttrInput::Shape::Nested;
    peer.nested = {name};
    builder.putTableAttr(AttrSpace::Veth, peer);
    const std::vector<uint8_t> message = builder.finish(1);
    const std::vector<uint8_t> attrs(message.begin() + NLMSG_HDRLEN, message.end());
    const std::vector<AttrView> views = splitAttrs(attrs.data(), attrs.size());
    check(views.size() == 1 && views[0].len == NLMSG_ALIGN(sizeof(ifinfomsg)) + NLA_HDRLEN + 8,
          "one nest: a 16-byte ifinfomsg and IFLA_IFNAME");
    const std::vector<ParsedAttr> parsed = parseAttrs(AttrSpace::Veth, attrs.data(), attrs.size());
    check(parsed.size() == 1 && parsed[0].nested.size() == 1 && parsed[0].nested[0].text == "peer0",
          "the peer's name reads back");
  });

  test("a refused peer attribute leaves nothing of the nest; a bad namespace path is an open error", [] {
    MessageBuilder builder(RTM_NEWLINK, 0);
    const size_t before = builder.finish(1).size();
    AttrInput name;
    name.type = 3;
    name.shape = AttrInput::Shape::Text;
    name.text = "peer0";
    AttrInput mtu = number(4, 1500);  // IFLA_MTU: not in the peer's table
    AttrInput peer;
    peer.type = 1;
    peer.shape = AttrInput::Shape::Nested;
    peer.nested = {name, mtu};
    bool refused = false;
    try {
      builder.putTableAttr(AttrSpace::Veth, peer);
    } catch (const OsError& error) {
      refused = error.errnum == EINVAL;
    }
    check(refused && builder.finish(1).size() == before, "EINVAL, and no half-written peer");
    AttrInput netns;
    netns.type = 28;  // IFLA_NET_NS_FD
    netns.shape = AttrInput::Shape::Text;
    netns.text = "/nonexistent/netns";
    peer.nested = {name, netns};
    int errnum = 0;
    try {
      builder.putTableAttr(AttrSpace::Veth, peer);
    } catch (const OsError& error) {
      errnum = error.errnum;
    }
    check(errnum == ENOENT && builder.finish(1).size() == before, "ENOENT from the open, nothing written");
    AttrInput nul = name;
    nul.text = std::string("a\0b", 3);
    peer.nested = {nul};
    refused = false;
    try {
      builder.putTableAttr(AttrSpace::Veth, peer);
    } catch (const OsError& error) {
      refused = error.errnum == EINVAL;
    }
    check(refused, "a name with a NUL in it refused");
  });

  test("address requests carry what was asked", [] {
    // family, prefix length, local, broadcast
    const AddrFields cases[] = {
        {AF_INET, 24, {10, 65, 69, 171}, {10, 65, 69, 255}},
        {AF_INET6, 64, {0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, {}},
    };
    for (const AddrFields& fields : cases) {
      const Addr addr = roundTrip(
          RTM_NEWADDR, [&](MessageBuilder& message) { putAddr(message, 5, fields); }, parseAddrMessage);
      const std::string what = "address of family " + std::to_string(fields.family);
      check(addr.header.ifa_index == 5 && addr.header.ifa_family == fields.family &&
                addr.header.ifa_prefixlen == fields.prefixLen,
            what + ": ifindex, family, prefix");
      check(addr.local == fields.local && addr.address == fields.local && addr.broadcast == fields.broadcast,
            what + ": local, address, broadcast");
    }
  });

  test("route requests carry what was asked", [] {
    // family, dst length, dst, gateway, metric, table: through a gateway, directly connected in a
    // table above 255 (RTA_TABLE only), an IPv6 default route
    const RouteFields cases[] = {
        {AF_INET, 24, {192, 0, 2, 0}, {10, 65, 69, 1}, 20},
        {AF_INET, 24, {198, 51, 100, 0}, {}, std::nullopt, 1000},
        {AF_INET6, 0, {}, {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 1024},
    };
    for (const RouteFields& fields : cases) {
      const Route route = roundTrip(
          RTM_NEWROUTE, [&](MessageBuilder& message) { putRoute(message, 5, fields, false); },
          parseRouteMessage);
      const std::string what = "route of family " + std::to_string(fields.family) + " to /" +
                               std::to_string(fields.dstLen) + " in table " + std::to_string(fields.table);
      check(route.oif == 5 && route.header.rtm_family == fields.family &&
                route.header.rtm_dst_len == fields.dstLen && route.dst == fields.dst &&
                route.gateway == fields.gateway,
            what + ": oif, family, dst, gateway");
      check(route.metric == fields.metric && route.table == fields.table, what + ": metric, table");
      const uint8_t scope = fields.gateway.empty() ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
      check(route.header.rtm_protocol == RTPROT_BOOT && route.header.rtm_scope == scope,
            what + ": protocol, scope");
    }
  });

  netbond_test::replyTests();
  netbond_test::probeTests();
  netbond_test::socketPoolTests();
  return netbond_test::summary();
}
