// addr_route.h: interface addresses (RTM_NEWADDR/DELADDR/GETADDR) and routes
// (RTM_NEWROUTE/DELROUTE/GETROUTE): the fields netbond sets, and decoding of dumps
// (man 7 rtnetlink).
#pragma once

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

struct Addr {
  int32_t ifindex = 0;
  uint8_t family = 0;
  uint8_t prefixLen = 0;
  uint8_t scope = 0;
  uint32_t flags = 0;  // IFA_F_*
  std::vector<uint8_t> local;
  std::vector<uint8_t> address;
  std::vector<uint8_t> broadcast;
  std::string label;
};

struct Route {
  uint8_t family = 0;
  uint8_t dstLen = 0;
  uint8_t protocol = 0;
  uint8_t scope = 0;
  uint8_t type = 0;
  uint32_t table = 0;
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
