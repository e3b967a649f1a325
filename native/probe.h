// probe.h: one connectivity probe inside a network namespace: an ICMP/ICMPv6 echo, an ARP
// request, or a TCP connect, each bounded by a timeout (man 7 raw, man 7 packet, man 7 icmp,
// man 2 connect). Plain C++: the binding in bindings.cc only unpacks and queues it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace netbond {

struct ProbeRequest {
  enum class Kind { Echo, Arp, Tcp };
  Kind kind = Kind::Echo;
  // The target: 4 bytes (IPv4) or 16 (IPv6); Arp takes IPv4 only.
  std::vector<uint8_t> address;
  // Tcp: the port to connect to.
  uint16_t port = 0;
  // Echo: send out of this link only (SO_BINDTODEVICE; also the scope of a link-local IPv6
  // target). Arp: the link to ask on (required). Empty: wherever the routing table says.
  std::string ifname;
  // Arp: the sender protocol address (4 bytes; zeros make an RFC 5227 probe).
  std::vector<uint8_t> senderAddress;
  // How long to wait for the answer; the caller bounds it (lib/probe validates it).
  uint32_t timeoutMs = 1000;
};

struct ProbeOutcome {
  bool ok = false;
  // Failure: the errno that says what happened (ETIMEDOUT: no answer; EHOSTUNREACH,
  // ENETUNREACH, ECONNREFUSED: what the network or the peer said).
  int errnum = 0;
  // Time from the request sent to the answer (or to the failure), in microseconds.
  uint32_t micros = 0;
  // What was seen, in words: "echo reply from 10.0.0.1", "reply from 02:00:00:00:00:01",
  // "destination unreachable (code 1) from 10.0.0.2".
  std::string seen;
};

// Runs the probe with a socket created in `nsPath` ("" = current namespace). Throws OsError when
// the probe cannot be made at all (no such link, no CAP_NET_RAW); a probe that got no answer or
// a negative one is an outcome, not an error.
ProbeOutcome runProbe(const std::string& nsPath, const ProbeRequest& request);

}  // namespace netbond
