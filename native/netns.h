// netns.h: open a netlink socket (or /proc/net files) inside another network namespace without
// moving the calling thread for longer than the opening (man 2 setns, man 7 network_namespaces).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

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

// A file opened by openReadOnlyIn, or the errno of its open.
struct OpenedFile {
  UniqueFd fd;
  int errnum = 0;
};

// Opens each of `paths` read-only with the calling thread in the namespace at `nsPath`, all in one
// move, then moves it back: for /proc/thread-self/net/ files, which show the opening thread's
// namespace and stay bound to it once open. A failed open is kept with its errno; failing to enter
// the namespace throws.
std::vector<OpenedFile> openReadOnlyIn(const std::string& nsPath, const std::vector<std::string>& paths);

// Makes a new network namespace and keeps it alive as a bind mount on `path` (which must not
// exist), inside `path`'s directory made a shared mount point first, exactly as `ip netns add`
// does, so `ip netns`, `ip -n` and every netbond call see it. The namespace is empty but for lo.
void createNamedNamespace(const std::string& path);

// Unmounts (lazily, as `ip netns del`) and removes a namespace file made as above. The namespace
// ends with its last user.
void deleteNamedNamespace(const std::string& path);

// The namespace's cookie (SO_NETNS_COOKIE, Linux 5.14): unique for the life of the system, unlike
// the nsfs inode, which the kernel hands to a new namespace once the old one is gone. 0 when the
// kernel has no cookies (ENOPROTOOPT).
uint64_t netnsCookieIn(const std::string& nsPath);

}  // namespace netbond
