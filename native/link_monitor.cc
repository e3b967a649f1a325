// link_monitor.cc: drain a link-notification socket without blocking (man 7 netlink).
#include "link_monitor.h"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cerrno>
#include <ctime>

#include "netlink_socket.h"
#include "os_error.h"

namespace netbond {
namespace {

constexpr size_t kBufferSize = 64 * 1024;

uint64_t monotonicNs() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<uint64_t>(now.tv_sec) * 1000000000ull + static_cast<uint64_t>(now.tv_nsec);
}

}  // namespace

DrainResult drainNotifications(int fd, std::vector<uint8_t>& buffer) {
  DrainResult result;
  if (buffer.size() < kBufferSize) buffer.resize(kBufferSize);
  for (;;) {
    sockaddr_nl from{};
    int messageFlags = 0;
    const ssize_t size = receiveDatagram(fd, buffer, MSG_DONTWAIT, from, messageFlags);
    if (size < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return result;
      if (errno == ENOBUFS) {
        result.overrun = true;  // the socket queue overflowed; keep reading what is left
        continue;
      }
      throw OsError(errno, "recvmsg");
    }
    if (messageFlags & MSG_TRUNC) {
      result.overrun = true;
      continue;
    }
    if (from.nl_pid != 0) continue;  // only the kernel speaks on these groups
    const uint64_t now = monotonicNs();
    int remaining = static_cast<int>(size);
    for (auto* header = reinterpret_cast<const nlmsghdr*>(buffer.data()); NLMSG_OK(header, remaining);
         header = NLMSG_NEXT(header, remaining)) {
      if (header->nlmsg_type != RTM_NEWLINK && header->nlmsg_type != RTM_DELLINK) continue;
      LinkNotice notice;
      notice.deleted = header->nlmsg_type == RTM_DELLINK;
      notice.timestampNs = now;
      notice.link = parseLinkMessage(reinterpret_cast<const uint8_t*>(header), header->nlmsg_len);
      result.notices.push_back(std::move(notice));
    }
  }
}

}  // namespace netbond
