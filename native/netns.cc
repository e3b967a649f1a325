// netns.cc: setns() only around socket creation (or the opening of /proc/net files), then restore
// (vishvananda/netlink's executeInNetns pattern) (man 2 setns).
#include "netns.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "os_error.h"
#include "unique_fd.h"

namespace netbond {

namespace {

// Runs `create` with the calling thread moved by `enter` (setns or unshare), then moves it back.
template <typename Enter, typename Create>
auto createMoved(Enter enter, Create create) -> decltype(create()) {
  UniqueFd original(
      static_cast<int>(checkSyscall(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC), "open netns")));
  enter();

  auto restore = [&original] {
    // A worker thread left in a foreign namespace would silently act there on its next job:
    // that is worse than stopping, and cannot happen while we hold the original's fd.
    if (::setns(original.get(), CLONE_NEWNET) < 0) {
      std::perror("netbond: cannot return worker thread to its network namespace");
      std::abort();
    }
  };
  try {
    auto created = create();
    restore();
    return created;
  } catch (...) {
    restore();
    throw;
  }
}

// Runs `create` with the calling thread inside the namespace at nsPath, then moves it back.
template <typename Create>
auto createIn(const std::string& nsPath, Create create) -> decltype(create()) {
  if (nsPath.empty()) return create();
  UniqueFd target(::open(nsPath.c_str(), O_RDONLY | O_CLOEXEC));
  if (!target.valid()) throw OsError(errno, "open netns");
  return createMoved([&] { checkSyscall(::setns(target.get(), CLONE_NEWNET), "setns"); }, create);
}

}  // namespace

NetlinkSocket openSocketInNewNamespace() {
  return createMoved([] { checkSyscall(::unshare(CLONE_NEWNET), "unshare"); },
                     [] { return NetlinkSocket::open(); });
}

NetlinkSocket openSocketIn(const std::string& nsPath) {
  return createIn(nsPath, [] { return NetlinkSocket::open(); });
}

UniqueFd openSubscriptionIn(const std::string& nsPath, uint32_t groups, int rcvbuf) {
  return createIn(nsPath, [&] { return NetlinkSocket::openSubscription(groups, rcvbuf); });
}

UniqueFd openAnySocketIn(const std::string& nsPath, int domain, int type, int protocol) {
  return createIn(nsPath, [&] {
    return UniqueFd(
        static_cast<int>(checkSyscall(::socket(domain, type | SOCK_CLOEXEC, protocol), "socket")));
  });
}

std::vector<OpenedFile> openReadOnlyIn(const std::string& nsPath, const std::vector<std::string>& paths) {
  return createIn(nsPath, [&] {
    std::vector<OpenedFile> files(paths.size());
    for (size_t i = 0; i < paths.size(); ++i) {
      files[i].fd = UniqueFd(::open(paths[i].c_str(), O_RDONLY | O_CLOEXEC));
      if (!files[i].fd.valid()) files[i].errnum = errno;
    }
    return files;
  });
}

namespace {

// The directory of named namespaces as a shared mount point, so a bind mount made in it is seen
// by every mount namespace that shares it (iproute2's netns_add: bind it onto itself when it is
// not a mount point yet, then make it shared).
void makeSharedDir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0755) < 0 && errno != EEXIST) throw OsError(errno, "mkdir " + dir);
  for (bool bound = false;; bound = true) {
    if (::mount("", dir.c_str(), "none", MS_SHARED | MS_REC, nullptr) == 0) return;
    if (errno != EINVAL || bound) throw OsError(errno, "mount --make-shared " + dir);
    checkSyscall(::mount(dir.c_str(), dir.c_str(), "none", MS_BIND | MS_REC, nullptr), "mount --bind");
  }
}

}  // namespace

void createNamedNamespace(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0) throw OsError(EINVAL, "netns path");
  makeSharedDir(path.substr(0, slash));
  UniqueFd file(::open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0));
  if (!file.valid()) throw OsError(errno, "create " + path);
  file.reset();
  try {
    createMoved([] { checkSyscall(::unshare(CLONE_NEWNET), "unshare"); },
                [&] {
                  return checkSyscall(
                      ::mount("/proc/thread-self/ns/net", path.c_str(), "none", MS_BIND, nullptr),
                      "mount --bind netns");
                });
  } catch (...) {
    ::unlink(path.c_str());
    throw;
  }
}

void deleteNamedNamespace(const std::string& path) {
  // EINVAL: not a mount point (a file left by a failed add); the file goes all the same.
  if (::umount2(path.c_str(), MNT_DETACH) < 0 && errno != EINVAL) throw OsError(errno, "umount " + path);
  if (::unlink(path.c_str()) < 0) throw OsError(errno, "unlink " + path);
}

uint64_t netnsCookieIn(const std::string& nsPath) {
  UniqueFd probe = openAnySocketIn(nsPath, AF_UNIX, SOCK_DGRAM, 0);
  uint64_t cookie = 0;
  socklen_t size = sizeof cookie;
#ifdef SO_NETNS_COOKIE
  if (::getsockopt(probe.get(), SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &size) < 0) {
    if (errno != ENOPROTOOPT) throw OsError(errno, "getsockopt SO_NETNS_COOKIE");
    cookie = 0;
  }
#endif
  return cookie;
}

}  // namespace netbond
