// link_monitor.h: reading RTNLGRP_LINK notifications from a non-blocking subscription socket
// (man 7 rtnetlink: RTM_NEWLINK / RTM_DELLINK multicasts; man 7 netlink: ENOBUFS on overrun).
#pragma once

#include <cstdint>
#include <vector>

#include "link_message.h"

namespace netbond {

struct LinkNotice {
  bool deleted = false;      // RTM_DELLINK
  uint64_t timestampNs = 0;  // CLOCK_MONOTONIC when the datagram was read
  Link link;
};

struct DrainResult {
  std::vector<LinkNotice> notices;
  // The kernel dropped notifications (ENOBUFS) or one was truncated: state must be re-read.
  bool overrun = false;
};

// Reads every datagram waiting on `fd` until it would block.
DrainResult drainNotifications(int fd, std::vector<uint8_t>& buffer);

}  // namespace netbond
