// link_speed.h: a link's speed and duplex as its driver reports them (SIOCETHTOOL ETHTOOL_GSET:
// what `ethtool DEV` and /sys/class/net/DEV/speed show, and what bonding asks the driver at each
// link change; man 8 ethtool, include/uapi/linux/ethtool.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace netbond {

struct LinkSpeed {
  uint32_t speed = 0;  // Mb/s
  uint8_t duplex = 0;  // DUPLEX_HALF 0, DUPLEX_FULL 1
};

// Asks the driver of `ifname` through `fd`, any socket: the ioctl acts in the socket's network
// namespace, so a socket opened in another namespace needs no setns. nullopt when the driver does
// not know (no link: SPEED_UNKNOWN, DUPLEX_UNKNOWN) or gives no answer (EOPNOTSUPP, a link gone
// since it was listed): unknown, never an error.
std::optional<LinkSpeed> readLinkSpeed(int fd, const std::string& ifname);

}  // namespace netbond
