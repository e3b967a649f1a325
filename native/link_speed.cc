// link_speed.cc: SIOCETHTOOL ETHTOOL_GSET on a link (man 8 ethtool, include/uapi/linux/ethtool.h).
#include "link_speed.h"

#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>

#include <cstring>

namespace netbond {

std::optional<LinkSpeed> readLinkSpeed(int fd, const std::string& ifname) {
  if (ifname.empty() || ifname.size() >= IFNAMSIZ) return std::nullopt;
  // ETHTOOL_GSET, though ETHTOOL_GLINKSETTINGS replaced it: one call instead of two (the newer
  // one first asks how many link-mode words to send), and the kernel answers it from the same
  // get_link_ksettings, with the same speed and duplex. Neither needs CAP_NET_ADMIN.
  ethtool_cmd command{};
  command.cmd = ETHTOOL_GSET;
  ifreq request{};
  std::memcpy(request.ifr_name, ifname.data(), ifname.size());
  request.ifr_data = reinterpret_cast<char*>(&command);
  if (::ioctl(fd, SIOCETHTOOL, &request) < 0) return std::nullopt;
  const uint32_t speed = ethtool_cmd_speed(&command);
  // bond_update_speed_duplex()'s test: no speed (0 or SPEED_UNKNOWN), or a duplex other than half
  // and full (DUPLEX_UNKNOWN), is not known.
  if (speed == 0 || speed == static_cast<uint32_t>(SPEED_UNKNOWN)) return std::nullopt;
  if (command.duplex != DUPLEX_HALF && command.duplex != DUPLEX_FULL) return std::nullopt;
  return LinkSpeed{speed, command.duplex};
}

}  // namespace netbond
