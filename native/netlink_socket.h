// netlink_socket.h: an RAII NETLINK_ROUTE socket that sends one request at a time and reads the
// replies that belong to it (man 7 netlink, man 7 rtnetlink; libmnl's mnl_cb_run loop).
#pragma once

#include <linux/netlink.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "netlink_message.h"
#include "unique_fd.h"

namespace netbond {

// One recvmsg of a whole datagram into `buffer` (flags: MSG_TRUNC, MSG_DONTWAIT...). Returns what
// recvmsg returns (with MSG_TRUNC, the datagram's real length) and sets errno as it does; the
// sender's address and the message flags (MSG_TRUNC when it did not fit) come back too.
ssize_t receiveDatagram(int fd, std::vector<uint8_t>& buffer, int flags, sockaddr_nl& sender,
                        int& messageFlags);

class NetlinkSocket {
 public:
  // Opens a socket in the calling thread's current network namespace: SOCK_CLOEXEC, extended
  // ack on, capped acks, a receive timeout so a lost reply cannot pin a worker thread.
  // receiveBuffer is where replies are read; it grows when a datagram does not fit.
  static NetlinkSocket open(size_t receiveBuffer = kDefaultReceiveBuffer);

  // The kernel sizes a dump datagram by the largest buffer it has seen us receive with, capped
  // at 32 KiB, or by the largest single link message; 64 KiB holds both except for links with
  // very many VFs, which cost one retry with a buffer of the announced size.
  static constexpr size_t kDefaultReceiveBuffer = 64 * 1024;

  // Opens a non-blocking socket bound to the multicast `groups` (RTMGRP_* bits) for a monitor.
  // A larger receive buffer (SO_RCVBUFFORCE when privileged) makes overruns rarer.
  static UniqueFd openSubscription(uint32_t groups, int rcvbuf);

  // Sends a request with NLM_F_ACK and waits for the kernel's ack. Reply messages other than
  // the ack (a GETLINK answer) go to onMessage. Throws OsError with the extended-ack text.
  void request(MessageBuilder& message, const std::function<void(const nlmsghdr&)>& onMessage);

  // Sends a dump request and passes every reply message to onMessage until NLMSG_DONE. If the
  // kernel flags the dump as interrupted (NLM_F_DUMP_INTR), onRestart is called and the dump is
  // sent again, up to a bounded number of times.
  void dump(MessageBuilder& message, const std::function<void(const nlmsghdr&)>& onMessage,
            const std::function<void()>& onRestart);

  // The descriptor, for an ioctl that acts in the socket's network namespace (SIOCETHTOOL).
  int fd() const { return fd_.get(); }

 private:
  NetlinkSocket(UniqueFd fd, uint32_t portid, size_t receiveBuffer)
      : fd_(std::move(fd)), portid_(portid), buffer_(receiveBuffer) {}
  void send(const std::vector<uint8_t>& bytes);

  struct Datagram {
    size_t size;     // bytes in buffer_
    bool truncated;  // it did not fit and is lost; buffer_ has been grown to its size
  };
  // Receives one datagram from the kernel into buffer_. Without `wait`, nullopt when none is
  // queued; with it, ETIMEDOUT after the receive timeout.
  std::optional<Datagram> receive(bool wait);

  struct ReplyEnd {
    bool lost = false;         // a datagram was truncated: the reply is incomplete, repeat it
    bool interrupted = false;  // NLM_F_DUMP_INTR: the dump may be inconsistent, repeat it
  };
  // Reads the replies to `seq` until the ack or NLMSG_DONE (or, after a lost datagram, until
  // the kernel has nothing more queued for it).
  ReplyEnd readReplies(uint32_t seq, bool isDump, const std::function<void(const nlmsghdr&)>& onMessage);

  UniqueFd fd_;
  uint32_t portid_;
  uint32_t nextSeq_ = 1;
  std::vector<uint8_t> buffer_;
};

}  // namespace netbond
