// netlink_socket.cc: request/ack and dump loops over NETLINK_ROUTE with sequence and port-id
// checks, extended ack (NLMSGERR_ATTR_MSG) and dump restart on NLM_F_DUMP_INTR (man 7 netlink).
#include "netlink_socket.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "netlink_attrs.h"
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
// The kernel sizes a dump datagram by the largest buffer it has seen us receive with, capped at
// 32 KiB, or by the largest single link message; 64 KiB holds both except for links with very
// many VFs, which cost one retry with a buffer of the announced size (see receive()).
constexpr size_t kInitialBuffer = 64 * 1024;

// A datagram did not fit in the buffer and was lost; the buffer has been grown to fit it.
struct ReplyTruncated {};

// Extracts NLMSGERR_ATTR_MSG from an error/ack message, if the kernel attached one.
std::string extendedAckMessage(const nlmsghdr& header) {
  if (!(header.nlmsg_flags & NLM_F_ACK_TLVS)) return {};
  const auto* base = reinterpret_cast<const uint8_t*>(&header);
  const auto* error = reinterpret_cast<const nlmsgerr*>(base + NLMSG_HDRLEN);
  // The echoed request follows the error struct unless the ack was capped (only its header).
  size_t offset = NLMSG_HDRLEN + sizeof(nlmsgerr);
  if (!(header.nlmsg_flags & NLM_F_CAPPED)) offset += error->msg.nlmsg_len - NLMSG_HDRLEN;
  offset = NLMSG_ALIGN(offset);
  if (offset >= header.nlmsg_len) return {};
  for (const AttrView& attr : splitAttrs(base + offset, header.nlmsg_len - offset)) {
    if (attr.type == NLMSGERR_ATTR_MSG) return attrString(attr);
  }
  return {};
}

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

NetlinkSocket NetlinkSocket::open() {
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
  return NetlinkSocket(std::move(fd), local.nl_pid);
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

size_t NetlinkSocket::receive() {
  if (buffer_.size() < kInitialBuffer) buffer_.resize(kInitialBuffer);
  for (;;) {
    // One recvmsg per datagram (no MSG_PEEK first: in User-Mode Linux every syscall costs tens
    // of microseconds). MSG_TRUNC makes the kernel report the datagram's real length.
    sockaddr_nl sender{};
    int messageFlags = 0;
    const ssize_t size = receiveDatagram(fd_.get(), buffer_, MSG_TRUNC, sender, messageFlags);
    if (size < 0 && errno == EINTR) continue;
    if (size < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) throw OsError(ETIMEDOUT, "recv");
    checkSyscall(size, "recv");
    // Only the kernel answers requests; anything a process sent to our port is not a reply.
    if (sender.nl_pid != 0) continue;
    if (messageFlags & MSG_TRUNC) {
      buffer_.resize(static_cast<size_t>(size));
      throw ReplyTruncated{};
    }
    return static_cast<size_t>(size);
  }
}

bool NetlinkSocket::readReplies(uint32_t seq, bool isDump,
                                const std::function<void(const nlmsghdr&)>& onMessage) {
  bool interrupted = false;
  for (;;) {
    const size_t size = receive();
    int remaining = static_cast<int>(size);
    for (auto* header = reinterpret_cast<const nlmsghdr*>(buffer_.data()); NLMSG_OK(header, remaining);
         header = NLMSG_NEXT(header, remaining)) {
      // Replies to an earlier request that timed out, or anything not addressed to us, are
      // not ours to interpret.
      if (header->nlmsg_seq != seq || header->nlmsg_pid != portid_) continue;
      if (header->nlmsg_flags & NLM_F_DUMP_INTR) interrupted = true;
      if (header->nlmsg_type == NLMSG_ERROR) {
        if (header->nlmsg_len < NLMSG_LENGTH(sizeof(nlmsgerr))) throw OsError(EBADMSG, "netlink parse");
        const auto* error = reinterpret_cast<const nlmsgerr*>(NLMSG_DATA(header));
        if (error->error != 0) throw OsError(-error->error, "netlink", extendedAckMessage(*header));
        return interrupted;  // the ack
      }
      if (header->nlmsg_type == NLMSG_DONE) {
        if (!isDump) continue;
        int status = 0;
        if (header->nlmsg_len >= NLMSG_LENGTH(sizeof status)) {
          std::memcpy(&status, NLMSG_DATA(header), sizeof status);
        }
        if (status < 0) throw OsError(-status, "netlink", extendedAckMessage(*header));
        return interrupted;
      }
      if (header->nlmsg_type == NLMSG_NOOP || header->nlmsg_type == NLMSG_OVERRUN) continue;
      onMessage(*header);
    }
    if (remaining > 0) throw OsError(EBADMSG, "netlink parse");
  }
}

void NetlinkSocket::request(MessageBuilder& message, const std::function<void(const nlmsghdr&)>& onMessage) {
  for (bool retried = false;; retried = true) {
    const uint32_t seq = nextSeq_++;
    send(message.finish(seq));
    try {
      readReplies(seq, false, onMessage);
      return;
    } catch (const ReplyTruncated&) {
      // Only a GET reply can outgrow the buffer (acks are capped), and a GET can be repeated.
      if (retried) throw OsError(EMSGSIZE, "recv");
    }
  }
}

void NetlinkSocket::dump(MessageBuilder& message, const std::function<void(const nlmsghdr&)>& onMessage,
                         const std::function<void()>& onRestart) {
  for (int attempt = 0;; ++attempt) {
    const uint32_t seq = nextSeq_++;
    send(message.finish(seq));
    try {
      if (!readReplies(seq, true, onMessage)) return;
    } catch (const ReplyTruncated&) {
      // The buffer now fits the datagram that was lost; the rest of this dump is skipped by seq.
    }
    // The link table changed while the kernel was walking it, or a datagram was lost: the
    // result may be inconsistent or incomplete.
    if (attempt == kMaxDumpRestarts) throw OsError(EINTR, "netlink dump");
    onRestart();
  }
}

}  // namespace netbond
