// addr_route.h: interface addresses (RTM_NEWADDR/DELADDR/GETADDR) and routes
// (RTM_NEWROUTE/DELROUTE/GETROUTE): the fields netbond sets, and decoding of dumps
// (man 7 rtnetlink).
#pragma once

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "netlink_message.h"

namespace netbond {

struct AddrFields {
  uint8_t family = 0;  // AF_INET / AF_INET6
  uint8_t prefixLen = 0;
  std::vector<uint8_t> local;      // IFA_LOCAL and IFA_ADDRESS
  std::vector<uint8_t> broadcast;  // IFA_BROADCAST (IPv4), empty = none
};

struct RouteFields {
  uint8_t family = 0;
  uint8_t dstLen = 0;
  std::vector<uint8_t> dst;        // RTA_DST, empty for a default route
  std::vector<uint8_t> gateway;    // RTA_GATEWAY, empty = directly connected
  std::optional<uint32_t> metric;  // RTA_PRIORITY
  uint32_t table = 254;            // RT_TABLE_MAIN
};

// A decoded address. The family header is kept as the kernel sent it (family, prefix length,
// scope, ifindex) rather than copied into fields of other names: reply_js.cc names them for JS.
struct Addr {
  ifaddrmsg header{};
  uint32_t flags = 0;  // IFA_F_*: IFA_FLAGS holds all 32 bits, the header only the low 8
  std::vector<uint8_t> local;
  std::vector<uint8_t> address;
  std::vector<uint8_t> broadcast;
  std::string label;
};

// A decoded route, its family header kept as the kernel sent it (family, dst length, protocol,
// scope, type).
struct Route {
  rtmsg header{};
  uint32_t table = 0;  // RTA_TABLE holds ids above 255, rtm_table only those below
  int32_t oif = 0;
  std::optional<uint32_t> metric;
  std::vector<uint8_t> dst;
  std::vector<uint8_t> gateway;
  std::vector<uint8_t> prefsrc;
};

// Header and attributes of an address request on `ifindex` (new or delete).
void putAddr(MessageBuilder& message, int32_t ifindex, const AddrFields& fields);
// Header and attributes of a route request through `oif` (new or delete).
void putRoute(MessageBuilder& message, int32_t oif, const RouteFields& fields, bool forDelete);
// Header of a dump request for one family (AF_UNSPEC = all).
void putAddrDumpHeader(MessageBuilder& message, uint8_t family);
void putRouteDumpHeader(MessageBuilder& message, uint8_t family);

Addr parseAddrMessage(const uint8_t* data, size_t len);
Route parseRouteMessage(const uint8_t* data, size_t len);

}  // namespace netbond
