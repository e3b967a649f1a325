// netns.h: open a netlink socket inside another network namespace without moving the calling
// thread for longer than the socket's creation (man 2 setns, man 7 network_namespaces).
#pragma once

#include <string>

#include "netlink_socket.h"

namespace netbond {

// Opens a NETLINK_ROUTE socket in the namespace at `nsPath` (a /run/netns/NAME bind mount or
// /proc/PID/ns/net), or in the current namespace when nsPath is empty. A socket stays bound to
// the namespace it was created in, so the thread returns to its own namespace at once.
NetlinkSocket openSocketIn(const std::string& nsPath);

}  // namespace netbond
