// probe_test.cc: the connectivity probes against this host's kernel in private network
// namespaces: echo over loopback (IPv4 and IPv6) and to a network without a route, TCP connect to a
// listener and to a closed port, ARP across a veth pair, a link that does not exist, and every
// unanswered probe ending at its deadline.
#include "../probe.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "../os_error.h"
#include "../unique_fd.h"
#include "harness.h"

namespace netbond_test {
namespace {

using netbond::ProbeOutcome;
using netbond::ProbeRequest;
using netbond::UniqueFd;

// ioctl on a throwaway socket of the calling thread's namespace: enough to set up a test link.
void ifIoctl(const std::string& name, unsigned long request, ifreq& ifr) {
  UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  std::strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
  if (::ioctl(fd.get(), request, &ifr) < 0) throw netbond::OsError(errno, "ioctl " + name);
}

void setUp(const std::string& name) {
  ifreq ifr{};
  ifIoctl(name, SIOCGIFFLAGS, ifr);
  ifr.ifr_flags |= IFF_UP;
  ifIoctl(name, SIOCSIFFLAGS, ifr);
}

void setAddress(const std::string& name, const char* address, const char* mask) {
  ifreq ifr{};
  auto* sin = reinterpret_cast<sockaddr_in*>(&ifr.ifr_addr);
  sin->sin_family = AF_INET;
  ::inet_pton(AF_INET, address, &sin->sin_addr);
  ifIoctl(name, SIOCSIFADDR, ifr);
  ::inet_pton(AF_INET, mask, &sin->sin_addr);
  ifIoctl(name, SIOCSIFNETMASK, ifr);
}

std::vector<uint8_t> ip(const char* text) {
  std::vector<uint8_t> bytes(std::strchr(text, ':') ? 16 : 4);
  ::inet_pton(bytes.size() == 16 ? AF_INET6 : AF_INET, text, bytes.data());
  return bytes;
}

ProbeRequest request(ProbeRequest::Kind kind, const char* address, uint32_t timeoutMs = 1000) {
  ProbeRequest probe;
  probe.kind = kind;
  probe.address = ip(address);
  probe.timeoutMs = timeoutMs;
  return probe;
}

// A TCP listener on 127.0.0.1; returns its port.
uint16_t listenLoopback(UniqueFd& fd) {
  fd = UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof sin;
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&sin), size) < 0 || ::listen(fd.get(), 4) < 0 ||
      ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&sin), &size) < 0)
    throw netbond::OsError(errno, "listen");
  return ntohs(sin.sin_port);
}

// An unanswered probe ends at its deadline: not before, and not long after.
void checkEndsAtDeadline(const ProbeOutcome& outcome, uint32_t timeoutMs, const std::string& what) {
  check(!outcome.ok && outcome.errnum == ETIMEDOUT, what + ": ETIMEDOUT (" + outcome.seen + ")");
  check(outcome.micros >= timeoutMs * 1000 && outcome.micros < (timeoutMs + 500) * 1000,
        what + ": ended at its deadline (" + std::to_string(outcome.micros) + " us)");
}

}  // namespace

void probeTests() {
  inPrivateNamespace("echo: loopback answers, an unrouted network does not", [] {
    setUp("lo");
    ProbeOutcome v4 = netbond::runProbe("", request(ProbeRequest::Kind::Echo, "127.0.0.1"));
    check(v4.ok && v4.seen == "echo reply from 127.0.0.1", "IPv4 echo reply (" + v4.seen + ")");
    ProbeOutcome v6 = netbond::runProbe("", request(ProbeRequest::Kind::Echo, "::1"));
    check(v6.ok && v6.seen == "echo reply from ::1", "IPv6 echo reply (" + v6.seen + ")");
    ProbeRequest bound = request(ProbeRequest::Kind::Echo, "127.0.0.1");
    bound.ifname = "lo";
    check(netbond::runProbe("", bound).ok, "echo bound to lo");
    ProbeOutcome unrouted = netbond::runProbe("", request(ProbeRequest::Kind::Echo, "192.0.2.1"));
    check(!unrouted.ok && unrouted.errnum == ENETUNREACH, "no route: ENETUNREACH (" + unrouted.seen + ")");
  });

  inPrivateNamespace("tcp: a listener connects, a closed port refuses", [] {
    setUp("lo");
    UniqueFd listener;
    ProbeRequest open = request(ProbeRequest::Kind::Tcp, "127.0.0.1");
    open.port = listenLoopback(listener);
    ProbeOutcome connected = netbond::runProbe("", open);
    check(connected.ok && connected.seen == "connected to 127.0.0.1:" + std::to_string(open.port),
          "connected (" + connected.seen + ")");
    listener.reset();
    ProbeOutcome refused = netbond::runProbe("", open);
    check(!refused.ok && refused.errnum == ECONNREFUSED, "closed port: ECONNREFUSED (" + refused.seen + ")");
  });

  inPrivateNamespace("arp: the peer of a veth pair answers; an absent address times out", [] {
    netbond::NetlinkSocket socket = netbond::NetlinkSocket::open();
    addVethPair(socket, "pa", "pb");
    setUp("pa");
    setUp("pb");
    setAddress("pa", "10.77.0.1", "255.255.255.0");
    setAddress("pb", "10.77.0.2", "255.255.255.0");
    ProbeRequest asked = request(ProbeRequest::Kind::Arp, "10.77.0.2");
    asked.ifname = "pa";
    // Sender 0.0.0.0 (an RFC 5227 probe): with both ends in one namespace the kernel would drop a
    // request whose sender address is one of its own.
    asked.senderAddress = ip("0.0.0.0");
    ProbeOutcome answered = netbond::runProbe("", asked);
    check(answered.ok && answered.seen.rfind("10.77.0.2 is at ", 0) == 0,
          "ARP reply (" + answered.seen + ")");
    ProbeRequest absent = request(ProbeRequest::Kind::Arp, "10.77.0.9", 200);
    absent.ifname = "pa";
    checkEndsAtDeadline(netbond::runProbe("", absent), 200, "ARP for an absent address");
    ProbeOutcome silent = netbond::runProbe("", request(ProbeRequest::Kind::Echo, "10.77.0.9", 200));
    check(!silent.ok, "echo to an absent neighbour fails (" + silent.seen + ")");
    ProbeRequest nowhere = absent;
    nowhere.ifname = "missing0";
    int errnum = 0;
    try {
      netbond::runProbe("", nowhere);
    } catch (const netbond::OsError& error) {
      errnum = error.errnum;
    }
    check(errnum == ENODEV, "a link that does not exist: OsError ENODEV");
  });
}

}  // namespace netbond_test
