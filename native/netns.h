// netns.h: open a netlink socket inside another network namespace without moving the calling
// thread for longer than the socket's creation (man 2 setns, man 7 network_namespaces).
#pragma once

#include <cstdint>
#include <string>

#include "netlink_socket.h"
#include "unique_fd.h"

namespace netbond {

// Opens a non-blocking NETLINK_ROUTE socket in `nsPath` ("" = current) subscribed to the
// multicast groups in `groups` (RTMGRP_* bits), with a receive buffer of `rcvbuf` bytes.
UniqueFd openSubscriptionIn(const std::string& nsPath, uint32_t groups, int rcvbuf);

// Opens a NETLINK_ROUTE socket in the namespace at `nsPath` (a /run/netns/NAME bind mount or
// /proc/PID/ns/net), or in the current namespace when nsPath is empty. A socket stays bound to
// the namespace it was created in, so the thread returns to its own namespace at once.
NetlinkSocket openSocketIn(const std::string& nsPath);

// Opens a NETLINK_ROUTE socket in a new, empty network namespace made for it alone: the socket
// is the namespace's only reference, so closing it destroys the namespace and every link made
// in it. For probes that must leave nothing behind. Needs CAP_SYS_ADMIN (EPERM otherwise).
NetlinkSocket openSocketInNewNamespace();

// Opens socket(domain, type | SOCK_CLOEXEC, protocol) in the namespace at `nsPath` ("" = current):
// the probes' ICMP, packet and TCP sockets.
UniqueFd openAnySocketIn(const std::string& nsPath, int domain, int type, int protocol);

// The namespace's cookie (SO_NETNS_COOKIE, Linux 5.14): unique for the life of the system, unlike
// the nsfs inode, which the kernel hands to a new namespace once the old one is gone. 0 when the
// kernel has no cookies (ENOPROTOOPT).
uint64_t netnsCookieIn(const std::string& nsPath);

}  // namespace netbond
