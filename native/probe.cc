// probe.cc: the connectivity probes of a transaction (raw ICMP echo as ping(8) sends it, an ARP
// request as arping(8), a non-blocking TCP connect). Every wait is a poll() bounded by the
// request's deadline, so a probe never pins a pool thread for longer than its timeout.
#include "probe.h"

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>

#include <chrono>
#include <cstring>

#include "netns.h"
#include "os_error.h"
#include "unique_fd.h"

namespace netbond {
namespace {

using Clock = std::chrono::steady_clock;

class Deadline {
 public:
  explicit Deadline(uint32_t timeoutMs)
      : start_(Clock::now()), end_(start_ + std::chrono::milliseconds(timeoutMs)) {}
  // Milliseconds left, rounded up so that poll() never returns just before the deadline.
  int remainingMs() const {
    auto left = std::chrono::duration_cast<std::chrono::microseconds>(end_ - Clock::now()).count();
    return left <= 0 ? 0 : static_cast<int>((left + 999) / 1000);
  }
  uint32_t elapsedMicros() const {
    return static_cast<uint32_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start_).count());
  }

 private:
  Clock::time_point start_;
  Clock::time_point end_;
};

ProbeOutcome failed(int errnum, const Deadline& deadline, std::string seen) {
  return ProbeOutcome{false, errnum, deadline.elapsedMicros(), std::move(seen)};
}

ProbeOutcome answered(const Deadline& deadline, std::string seen) {
  return ProbeOutcome{true, 0, deadline.elapsedMicros(), std::move(seen)};
}

// Waits until fd is readable (true) or the deadline passes (false).
bool waitReadable(int fd, const Deadline& deadline, short events = POLLIN) {
  for (;;) {
    pollfd entry{fd, events, 0};
    int rc = ::poll(&entry, 1, deadline.remainingMs());
    if (rc > 0) return true;
    if (rc == 0) return false;
    if (errno != EINTR) throw OsError(errno, "poll");
  }
}

std::string ipText(int family, const void* bytes) {
  char text[INET6_ADDRSTRLEN] = {};
  ::inet_ntop(family, bytes, text, sizeof text);
  return text;
}

std::string macText(const uint8_t* mac) {
  char text[18];
  std::snprintf(text, sizeof text, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
                mac[5]);
  return text;
}

// The link's index and hardware address, asked through the probe's own socket so that the name
// is looked up in the probe's namespace (if_nametoindex would use the calling thread's).
struct LinkInfo {
  int ifindex = 0;
  uint8_t mac[6] = {};
};

LinkInfo linkInfo(int fd, const std::string& ifname) {
  ifreq request{};
  if (ifname.size() >= sizeof request.ifr_name) throw OsError(ENODEV, "probe link " + ifname);
  std::memcpy(request.ifr_name, ifname.c_str(), ifname.size());
  if (::ioctl(fd, SIOCGIFINDEX, &request) < 0) throw OsError(errno, "probe link " + ifname);
  LinkInfo info;
  info.ifindex = request.ifr_ifindex;
  if (::ioctl(fd, SIOCGIFHWADDR, &request) < 0) throw OsError(errno, "probe link " + ifname);
  std::memcpy(info.mac, request.ifr_hwaddr.sa_data, sizeof info.mac);
  return info;
}

uint16_t internetChecksum(const uint8_t* data, size_t size) {
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < size; i += 2) sum += static_cast<uint32_t>(data[i] << 8 | data[i + 1]);
  if (size % 2 == 1) sum += static_cast<uint32_t>(data[size - 1] << 8);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return htons(static_cast<uint16_t>(~sum));
}

uint16_t randomIdent() {
  uint16_t ident = 0;
  if (::getrandom(&ident, sizeof ident, GRND_NONBLOCK) != sizeof ident) {
    ident = static_cast<uint16_t>(Clock::now().time_since_epoch().count());
  }
  return ident;
}

// An ICMP error quoting our echo request: the original's ICMP header (8 bytes) sits after the
// quoted IP header; its identifier and sequence tell whose request it was.
bool quotesOurs(const uint8_t* quoted, size_t size, uint16_t ident, uint16_t sequence) {
  if (size < 8) return false;
  uint16_t id, seq;
  std::memcpy(&id, quoted + 4, 2);
  std::memcpy(&seq, quoted + 6, 2);
  return ntohs(id) == ident && ntohs(seq) == sequence;
}

ProbeOutcome echo(const std::string& nsPath, const ProbeRequest& request) {
  const bool v6 = request.address.size() == 16;
  const int family = v6 ? AF_INET6 : AF_INET;
  const int protocol = v6 ? static_cast<int>(IPPROTO_ICMPV6) : static_cast<int>(IPPROTO_ICMP);
  UniqueFd fd = openAnySocketIn(nsPath, family, SOCK_RAW, protocol);
  int ifindex = 0;
  if (!request.ifname.empty()) {
    ifindex = linkInfo(fd.get(), request.ifname).ifindex;
    checkSyscall(::setsockopt(fd.get(), SOL_SOCKET, SO_BINDTODEVICE, request.ifname.c_str(),
                              static_cast<socklen_t>(request.ifname.size())),
                 "setsockopt SO_BINDTODEVICE");
  }
  const uint16_t ident = randomIdent();
  const uint16_t sequence = 1;
  uint8_t packet[8 + 16] = {};
  packet[0] = v6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
  const uint16_t identNet = htons(ident), sequenceNet = htons(sequence);
  std::memcpy(packet + 4, &identNet, 2);
  std::memcpy(packet + 6, &sequenceNet, 2);
  std::memcpy(packet + 8, "netbond probe...", 16);
  // ICMPv6 raw sockets have the kernel fill the checksum (man 7 ipv6, IPV6_CHECKSUM); ICMP's is ours.
  if (!v6) {
    uint16_t checksum = internetChecksum(packet, sizeof packet);
    std::memcpy(packet + 2, &checksum, 2);
  }

  sockaddr_storage to{};
  socklen_t toSize;
  if (v6) {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&to);
    sin6->sin6_family = AF_INET6;
    std::memcpy(&sin6->sin6_addr, request.address.data(), 16);
    sin6->sin6_scope_id = static_cast<uint32_t>(ifindex);
    toSize = sizeof *sin6;
  } else {
    auto* sin = reinterpret_cast<sockaddr_in*>(&to);
    sin->sin_family = AF_INET;
    std::memcpy(&sin->sin_addr, request.address.data(), 4);
    toSize = sizeof *sin;
  }
  const std::string target = ipText(family, request.address.data());
  Deadline deadline(request.timeoutMs);
  if (::sendto(fd.get(), packet, sizeof packet, 0, reinterpret_cast<sockaddr*>(&to), toSize) < 0) {
    int err = errno;
    return failed(err, deadline, "cannot send to " + target + ": " + std::strerror(err));
  }

  uint8_t buffer[1500];
  while (waitReadable(fd.get(), deadline)) {
    sockaddr_storage from{};
    socklen_t fromSize = sizeof from;
    ssize_t got = ::recvfrom(fd.get(), buffer, sizeof buffer, MSG_DONTWAIT,
                             reinterpret_cast<sockaddr*>(&from), &fromSize);
    if (got < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      int err = errno;
      return failed(err, deadline, std::string("receive: ") + std::strerror(err));
    }
    const uint8_t* icmp = buffer;
    size_t size = static_cast<size_t>(got);
    if (!v6) {  // a raw IPv4 socket hands over the IP header too
      if (size < sizeof(iphdr)) continue;
      size_t headerSize = static_cast<size_t>(buffer[0] & 0x0f) * 4;
      if (headerSize < sizeof(iphdr) || size < headerSize + 8) continue;
      icmp += headerSize;
      size -= headerSize;
    } else if (size < 8) {
      continue;
    }
    const std::string sender = v6 ? ipText(AF_INET6, &reinterpret_cast<sockaddr_in6*>(&from)->sin6_addr)
                                  : ipText(AF_INET, &reinterpret_cast<sockaddr_in*>(&from)->sin_addr);
    const uint8_t type = icmp[0], code = icmp[1];
    const bool reply = v6 ? type == ICMP6_ECHO_REPLY : type == ICMP_ECHOREPLY;
    if (reply) {
      if (quotesOurs(icmp, size, ident, sequence) && sender == target) {
        return answered(deadline, "echo reply from " + sender);
      }
      continue;
    }
    const bool unreachable = v6 ? type == ICMP6_DST_UNREACH : type == ICMP_DEST_UNREACH;
    const bool expired = v6 ? type == ICMP6_TIME_EXCEEDED : type == ICMP_TIME_EXCEEDED;
    if (!unreachable && !expired) continue;
    // The quoted packet: an IPv6 header is 40 bytes; an IPv4 one says its own length.
    size_t quotedIp = v6 ? 40 : (size >= 9 ? static_cast<size_t>(icmp[8] & 0x0f) * 4 : 0);
    if (size < 8 + quotedIp || !quotesOurs(icmp + 8 + quotedIp, size - 8 - quotedIp, ident, sequence))
      continue;
    const std::string what = expired ? "time exceeded" : "destination unreachable";
    return failed(expired ? ETIMEDOUT : (code == 0 ? ENETUNREACH : EHOSTUNREACH), deadline,
                  what + " (code " + std::to_string(code) + ") from " + sender);
  }
  return failed(ETIMEDOUT, deadline,
                "no echo reply from " + target + " in " + std::to_string(request.timeoutMs) + " ms");
}

// An ARP packet for Ethernet and IPv4 (RFC 826), without the link-layer header (SOCK_DGRAM).
struct ArpPacket {
  uint16_t hardwareType, protocolType;
  uint8_t hardwareSize, protocolSize;
  uint16_t operation;
  uint8_t senderMac[6], senderIp[4], targetMac[6], targetIp[4];
} __attribute__((packed));

ProbeOutcome arp(const std::string& nsPath, const ProbeRequest& request) {
  UniqueFd fd = openAnySocketIn(nsPath, AF_PACKET, SOCK_DGRAM, htons(ETH_P_ARP));
  const LinkInfo link = linkInfo(fd.get(), request.ifname);
  sockaddr_ll local{};
  local.sll_family = AF_PACKET;
  local.sll_protocol = htons(ETH_P_ARP);
  local.sll_ifindex = link.ifindex;
  checkSyscall(::bind(fd.get(), reinterpret_cast<sockaddr*>(&local), sizeof local), "bind AF_PACKET");

  ArpPacket packet{};
  packet.hardwareType = htons(ARPHRD_ETHER);
  packet.protocolType = htons(ETH_P_IP);
  packet.hardwareSize = 6;
  packet.protocolSize = 4;
  packet.operation = htons(ARPOP_REQUEST);
  std::memcpy(packet.senderMac, link.mac, 6);
  if (request.senderAddress.size() == 4) std::memcpy(packet.senderIp, request.senderAddress.data(), 4);
  std::memcpy(packet.targetIp, request.address.data(), 4);

  sockaddr_ll to = local;
  to.sll_halen = 6;
  std::memset(to.sll_addr, 0xff, 6);
  const std::string target = ipText(AF_INET, request.address.data());
  Deadline deadline(request.timeoutMs);
  if (::sendto(fd.get(), &packet, sizeof packet, 0, reinterpret_cast<sockaddr*>(&to), sizeof to) < 0) {
    int err = errno;
    return failed(err, deadline, "cannot send on " + request.ifname + ": " + std::strerror(err));
  }
  while (waitReadable(fd.get(), deadline)) {
    ArpPacket reply{};
    ssize_t got = ::recv(fd.get(), &reply, sizeof reply, MSG_DONTWAIT);
    if (got < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      int err = errno;
      return failed(err, deadline, std::string("receive: ") + std::strerror(err));
    }
    if (static_cast<size_t>(got) < sizeof reply || ntohs(reply.operation) != ARPOP_REPLY) continue;
    if (std::memcmp(reply.senderIp, request.address.data(), 4) != 0) continue;
    return answered(deadline, target + " is at " + macText(reply.senderMac));
  }
  return failed(ETIMEDOUT, deadline,
                "no ARP reply from " + target + " on " + request.ifname + " in " +
                    std::to_string(request.timeoutMs) + " ms");
}

ProbeOutcome tcp(const std::string& nsPath, const ProbeRequest& request) {
  const bool v6 = request.address.size() == 16;
  UniqueFd fd = openAnySocketIn(nsPath, v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  sockaddr_storage to{};
  socklen_t toSize;
  if (v6) {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&to);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(request.port);
    std::memcpy(&sin6->sin6_addr, request.address.data(), 16);
    toSize = sizeof *sin6;
  } else {
    auto* sin = reinterpret_cast<sockaddr_in*>(&to);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(request.port);
    std::memcpy(&sin->sin_addr, request.address.data(), 4);
    toSize = sizeof *sin;
  }
  const std::string target = (v6 ? "[" : "") + ipText(v6 ? AF_INET6 : AF_INET, request.address.data()) +
                             (v6 ? "]:" : ":") + std::to_string(request.port);
  Deadline deadline(request.timeoutMs);
  int err = 0;
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&to), toSize) < 0) {
    err = errno;
    if (err == EINPROGRESS) {
      if (!waitReadable(fd.get(), deadline, POLLOUT)) {
        return failed(ETIMEDOUT, deadline,
                      "no answer from " + target + " in " + std::to_string(request.timeoutMs) + " ms");
      }
      socklen_t size = sizeof err;
      checkSyscall(::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &size), "getsockopt SO_ERROR");
    }
  }
  if (err != 0) return failed(err, deadline, "connect to " + target + ": " + std::strerror(err));
  return answered(deadline, "connected to " + target);
}

}  // namespace

ProbeOutcome runProbe(const std::string& nsPath, const ProbeRequest& request) {
  switch (request.kind) {
    case ProbeRequest::Kind::Echo: return echo(nsPath, request);
    case ProbeRequest::Kind::Arp: return arp(nsPath, request);
    case ProbeRequest::Kind::Tcp: return tcp(nsPath, request);
  }
  throw OsError(EINVAL, "probe");
}

}  // namespace netbond
