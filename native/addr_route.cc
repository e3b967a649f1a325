// addr_route.cc: address and route messages (man 7 rtnetlink; <linux/if_addr.h>,
// <linux/rtnetlink.h>). Routes are added as `ip route add` does: protocol boot, main table, link
// scope without a gateway.
#include "addr_route.h"

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "netlink_attrs.h"
#include "os_error.h"

namespace netbond {
namespace {

size_t addressWidth(uint8_t family) {
  if (family == AF_INET) return 4;
  if (family == AF_INET6) return 16;
  throw OsError(EAFNOSUPPORT, "netlink build");
}

void checkWidth(uint8_t family, const std::vector<uint8_t>& bytes) {
  if (!bytes.empty() && bytes.size() != addressWidth(family)) throw OsError(EINVAL, "netlink build");
}

void addrFromHeader(Addr& addr, const ifaddrmsg& header) {
  addr.header = header;
  addr.flags = header.ifa_flags;
}

void routeFromHeader(Route& route, const rtmsg& header) {
  route.header = header;
  route.table = header.rtm_table;
}

}  // namespace

void putAddr(MessageBuilder& message, int32_t ifindex, const AddrFields& fields) {
  checkWidth(fields.family, fields.local);
  checkWidth(fields.family, fields.broadcast);
  if (fields.local.empty()) throw OsError(EINVAL, "netlink build");
  ifaddrmsg header{};
  header.ifa_family = fields.family;
  header.ifa_prefixlen = fields.prefixLen;
  header.ifa_scope = RT_SCOPE_UNIVERSE;
  header.ifa_index = static_cast<uint32_t>(ifindex);
  message.putHeader(header);
  message.putAttr(IFA_LOCAL, fields.local.data(), fields.local.size());
  message.putAttr(IFA_ADDRESS, fields.local.data(), fields.local.size());
  if (!fields.broadcast.empty())
    message.putAttr(IFA_BROADCAST, fields.broadcast.data(), fields.broadcast.size());
}

void putRoute(MessageBuilder& message, int32_t oif, const RouteFields& fields, bool forDelete) {
  checkWidth(fields.family, fields.dst);
  checkWidth(fields.family, fields.gateway);
  rtmsg header{};
  header.rtm_family = fields.family;
  header.rtm_dst_len = fields.dstLen;
  header.rtm_table =
      fields.table < 256 ? static_cast<uint8_t>(fields.table) : static_cast<uint8_t>(RT_TABLE_UNSPEC);
  header.rtm_protocol = forDelete ? RTPROT_UNSPEC : RTPROT_BOOT;
  header.rtm_scope =
      forDelete ? RT_SCOPE_NOWHERE : (fields.gateway.empty() ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE);
  header.rtm_type = RTN_UNICAST;
  message.putHeader(header);
  if (!fields.dst.empty()) message.putAttr(RTA_DST, fields.dst.data(), fields.dst.size());
  if (!fields.gateway.empty()) message.putAttr(RTA_GATEWAY, fields.gateway.data(), fields.gateway.size());
  message.putU32(RTA_OIF, static_cast<uint32_t>(oif));
  if (fields.metric) message.putU32(RTA_PRIORITY, *fields.metric);
  message.putU32(RTA_TABLE, fields.table);
}

void putAddrDumpHeader(MessageBuilder& message, uint8_t family) {
  ifaddrmsg header{};
  header.ifa_family = family;
  message.putHeader(header);
}

void putRouteDumpHeader(MessageBuilder& message, uint8_t family) {
  rtmsg header{};
  header.rtm_family = family;
  message.putHeader(header);
}

Addr parseAddrMessage(const uint8_t* data, size_t len) {
  return parseMessage(data, len, addrFromHeader,
                      {{IFA_LOCAL, &Addr::local},
                       {IFA_ADDRESS, &Addr::address},
                       {IFA_BROADCAST, &Addr::broadcast},
                       {IFA_LABEL, &Addr::label},
                       {IFA_FLAGS, &Addr::flags}});
}

Route parseRouteMessage(const uint8_t* data, size_t len) {
  return parseMessage(data, len, routeFromHeader,
                      {{RTA_DST, &Route::dst},
                       {RTA_GATEWAY, &Route::gateway},
                       {RTA_PREFSRC, &Route::prefsrc},
                       {RTA_OIF, &Route::oif},
                       {RTA_PRIORITY, &Route::metric},
                       {RTA_TABLE, &Route::table}});
}

}  // namespace netbond
