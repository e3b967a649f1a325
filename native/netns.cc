// netns.cc: setns() only around socket creation, then restore (vishvananda/netlink's
// executeInNetns pattern) (man 2 setns).
#include "netns.h"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "os_error.h"
#include "unique_fd.h"

namespace netbond {

NetlinkSocket openSocketIn(const std::string& nsPath) {
  if (nsPath.empty()) return NetlinkSocket::open();

  UniqueFd target(::open(nsPath.c_str(), O_RDONLY | O_CLOEXEC));
  if (!target.valid()) throw OsError(errno, "open netns");
  UniqueFd original(
      static_cast<int>(checkSyscall(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC), "open netns")));
  if (::setns(target.get(), CLONE_NEWNET) < 0) throw OsError(errno, "setns");

  auto restore = [&original] {
    // A worker thread left in a foreign namespace would silently act there on its next job:
    // that is worse than stopping, and cannot happen while we hold the original's fd.
    if (::setns(original.get(), CLONE_NEWNET) < 0) {
      std::perror("netbond: cannot return worker thread to its network namespace");
      std::abort();
    }
  };
  try {
    NetlinkSocket socket = NetlinkSocket::open();
    restore();
    return socket;
  } catch (...) {
    restore();
    throw;
  }
}

}  // namespace netbond
