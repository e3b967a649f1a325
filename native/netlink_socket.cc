// netlink_socket.cc: request/ack and dump loops over NETLINK_ROUTE: what a datagram means is
// netlink_reply's; here are the socket, the receive buffer, and the restarts (a dump flagged
// NLM_F_DUMP_INTR, a datagram that did not fit) (man 7 netlink).
#include "netlink_socket.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "netlink_reply.h"
#include "os_error.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

namespace netbond {
namespace {

constexpr int kReceiveTimeoutSeconds = 30;
constexpr int kMaxDumpRestarts = 10;

}  // namespace

ssize_t receiveDatagram(int fd, std::vector<uint8_t>& buffer, int flags, sockaddr_nl& sender,
                        int& messageFlags) {
  iovec iov{buffer.data(), buffer.size()};
  msghdr header{};
  header.msg_name = &sender;
  header.msg_namelen = sizeof sender;
  header.msg_iov = &iov;
  header.msg_iovlen = 1;
  const ssize_t size = ::recvmsg(fd, &header, flags);
  messageFlags = header.msg_flags;
  return size;
}

NetlinkSocket NetlinkSocket::open(size_t receiveBuffer) {
  UniqueFd fd(
      static_cast<int>(checkSyscall(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE), "socket")));
  const int on = 1;
  checkSyscall(::setsockopt(fd.get(), SOL_NETLINK, NETLINK_EXT_ACK, &on, sizeof on), "setsockopt");
  // Capped acks: the kernel does not echo our whole request back in every ack.
  checkSyscall(::setsockopt(fd.get(), SOL_NETLINK, NETLINK_CAP_ACK, &on, sizeof on), "setsockopt");
  const timeval timeout{kReceiveTimeoutSeconds, 0};
  checkSyscall(::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout), "setsockopt");
  sockaddr_nl local{};
  local.nl_family = AF_NETLINK;
  checkSyscall(::bind(fd.get(), reinterpret_cast<sockaddr*>(&local), sizeof local), "bind");
  socklen_t len = sizeof local;
  checkSyscall(::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&local), &len), "getsockname");
  return NetlinkSocket(std::move(fd), local.nl_pid, receiveBuffer);
}

UniqueFd NetlinkSocket::openSubscription(uint32_t groups, int rcvbuf) {
  UniqueFd fd(static_cast<int>(
      checkSyscall(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE), "socket")));
  if (rcvbuf > 0 && ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0) {
    checkSyscall(::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf), "setsockopt");
  }
  sockaddr_nl local{};
  local.nl_family = AF_NETLINK;
  local.nl_groups = groups;
  checkSyscall(::bind(fd.get(), reinterpret_cast<sockaddr*>(&local), sizeof local), "bind");
  return fd;
}

void NetlinkSocket::send(const std::vector<uint8_t>& bytes) {
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  ssize_t sent;
  do {
    sent = ::sendto(fd_.get(), bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&kernel),
                    sizeof kernel);
  } while (sent < 0 && errno == EINTR);
  checkSyscall(sent, "sendto");
}

std::optional<NetlinkSocket::Datagram> NetlinkSocket::receive(bool wait) {
  for (;;) {
    // One recvmsg per datagram (no MSG_PEEK first: in User-Mode Linux every syscall costs tens
    // of microseconds). MSG_TRUNC makes the kernel report the datagram's real length.
    sockaddr_nl sender{};
    int messageFlags = 0;
    const ssize_t size =
        receiveDatagram(fd_.get(), buffer_, MSG_TRUNC | (wait ? 0 : MSG_DONTWAIT), sender, messageFlags);
    if (size < 0 && errno == EINTR) continue;
    if (size < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!wait) return std::nullopt;
      throw OsError(ETIMEDOUT, "recv");  // SO_RCVTIMEO
    }
    checkSyscall(size, "recv");
    // Only the kernel answers requests; anything a process sent to our port is not a reply.
    if (sender.nl_pid != 0) continue;
    if (messageFlags & MSG_TRUNC) {
      buffer_.resize(static_cast<size_t>(size));  // the next one of this size fits
      return Datagram{0, true};
    }
    return Datagram{static_cast<size_t>(size), false};
  }
}

NetlinkSocket::ReplyEnd NetlinkSocket::readReplies(uint32_t seq, bool isDump,
                                                   const std::function<void(const nlmsghdr&)>& onMessage) {
  ReplyEnd end;
  const std::function<void(const nlmsghdr&)> discard = [](const nlmsghdr&) {};
  for (;;) {
    // Once a datagram is lost, the rest of the reply is read only to get the kernel past it,
    // without waiting: the kernel queues a dump's next datagram (and a request's ack) before
    // the recvmsg that took the previous one returns, so an empty queue means the reply ended
    // inside the lost datagram. A new request while a dump still runs would fail with EBUSY.
    const std::optional<Datagram> datagram = receive(!end.lost);
    if (!datagram) return end;
    if (datagram->truncated) {
      end.lost = true;
      continue;
    }
    const ReplyProgress progress = readReplyDatagram(buffer_.data(), datagram->size, seq, portid_, isDump,
                                                     end.lost ? discard : onMessage);
    end.interrupted = end.interrupted || progress.interrupted;
    if (progress.done) return end;
  }
}

void NetlinkSocket::request(MessageBuilder& message, const std::function<void(const nlmsghdr&)>& onMessage) {
  for (int attempt = 0;; ++attempt) {
    const uint32_t seq = nextSeq_++;
    send(message.finish(seq));
    // Only a GET reply can outgrow the buffer (acks are capped), and a GET can be repeated; the
    // buffer fits the lost reply now.
    if (!readReplies(seq, false, onMessage).lost) return;
    if (attempt == 1) throw OsError(EMSGSIZE, "recv");
  }
}

void NetlinkSocket::dump(MessageBuilder& message, const std::function<void(const nlmsghdr&)>& onMessage,
                         const std::function<void()>& onRestart) {
  for (int attempt = 0;; ++attempt) {
    const uint32_t seq = nextSeq_++;
    send(message.finish(seq));
    const ReplyEnd end = readReplies(seq, true, onMessage);
    if (!end.lost && !end.interrupted) return;
    // The link table changed while the kernel was walking it, or a datagram was lost: the
    // result may be inconsistent or incomplete.
    if (attempt == kMaxDumpRestarts) throw OsError(EINTR, "netlink dump");
    onRestart();
  }
}

}  // namespace netbond
