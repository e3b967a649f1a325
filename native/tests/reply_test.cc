// reply_test.cc: the reply path: which messages of a datagram are ours, where a request or a dump
// ends, the kernel's errno and extended-ack text on NLMSG_ERROR and NLMSG_DONE, hostile lengths;
// then, against this host's kernel in a private network namespace, a real dump's DONE with its
// text, and a dump whose datagrams do not fit the buffer.
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "../netlink_message.h"
#include "../netlink_reply.h"
#include "../netlink_socket.h"
#include "../os_error.h"
#include "harness.h"

#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12
#endif

namespace netbond_test {
namespace {

using netbond::MessageBuilder;
using netbond::OsError;

constexpr uint32_t kSeq = 7;

// One message as the kernel would send it to port 0 (the builder leaves nlmsg_pid 0).
std::vector<uint8_t> message(uint16_t type, uint16_t flags, const std::function<void(MessageBuilder&)>& body,
                             uint32_t seq = kSeq) {
  MessageBuilder builder(type, flags);
  body(builder);
  return builder.finish(seq);
}

std::vector<uint8_t> concat(const std::vector<std::vector<uint8_t>>& messages) {
  std::vector<uint8_t> out;
  for (const auto& m : messages) {
    out.insert(out.end(), m.begin(), m.end());
    out.resize(NLMSG_ALIGN(out.size()));
  }
  return out;
}

nlmsgerr errorBody(int error, uint32_t echoedLen) {
  nlmsgerr body{};
  body.error = error;
  body.msg.nlmsg_len = echoedLen;
  body.msg.nlmsg_type = RTM_NEWLINK;
  body.msg.nlmsg_seq = kSeq;
  return body;
}

struct Outcome {
  int messages = 0;
  netbond::ReplyProgress progress;
  int errnum = 0;
  std::string text;
};

// Reads `bytes` from an exactly-sized heap copy, so AddressSanitizer sees a read past its end.
Outcome read(const std::vector<uint8_t>& bytes, bool isDump) {
  const std::vector<uint8_t> exact(bytes);
  Outcome outcome;
  try {
    outcome.progress = netbond::readReplyDatagram(exact.data(), exact.size(), kSeq, 0, isDump,
                                                  [&](const nlmsghdr&) { ++outcome.messages; });
  } catch (const OsError& error) {
    outcome.errnum = error.errnum;
    outcome.text = error.kernelMessage;
  }
  return outcome;
}

std::vector<uint8_t> newlink(uint32_t seq = kSeq, uint16_t flags = NLM_F_MULTI) {
  return message(
      RTM_NEWLINK, flags, [](MessageBuilder& b) { b.putHeader(ifinfomsg{}); }, seq);
}

void datagramTests() {
  test("ack ends a request", [] {
    const Outcome out = read(
        message(NLMSG_ERROR, NLM_F_CAPPED, [](MessageBuilder& b) { b.putHeader(errorBody(0, 32)); }), false);
    check(out.progress.done && out.errnum == 0, "error 0 is the ack");
  });

  test("error with extended-ack text, capped", [] {
    const Outcome out = read(message(NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS,
                                     [](MessageBuilder& b) {
                                       b.putHeader(errorBody(-EPERM, 40));
                                       b.putString(NLMSGERR_ATTR_MSG, "not allowed");
                                     }),
                             false);
    check(out.errnum == EPERM && out.text == "not allowed", "EPERM with its text (capped ack)");
  });

  test("error with the echoed request, not capped", [] {
    const Outcome out = read(message(NLMSG_ERROR, NLM_F_ACK_TLVS,
                                     [](MessageBuilder& b) {
                                       b.putHeader(errorBody(-EINVAL, NLMSG_HDRLEN + 8));
                                       const uint8_t echoedPayload[8] = {};
                                       b.putHeader(echoedPayload);
                                       b.putString(NLMSGERR_ATTR_MSG, "bad value");
                                     }),
                             false);
    check(out.errnum == EINVAL && out.text == "bad value", "text found after the echoed payload");
  });

  test("echoed nlmsg_len below a header keeps the errno", [] {
    for (uint32_t echoed : {0u, 8u, 15u}) {
      const Outcome out = read(message(NLMSG_ERROR, NLM_F_ACK_TLVS,
                                       [&](MessageBuilder& b) {
                                         b.putHeader(errorBody(-EPERM, echoed));
                                         b.putString(NLMSGERR_ATTR_MSG, "x");
                                       }),
                               false);
      check(out.errnum == EPERM && out.text.empty(),
            "echoed length " + std::to_string(echoed) + ": EPERM, no text");
    }
  });

  test("echoed nlmsg_len beyond the message keeps the errno", [] {
    const Outcome out = read(message(NLMSG_ERROR, NLM_F_ACK_TLVS,
                                     [](MessageBuilder& b) { b.putHeader(errorBody(-EPERM, 0xfffffff0u)); }),
                             false);
    check(out.errnum == EPERM && out.text.empty(), "EPERM, no text");
  });

  test("malformed TLVs keep the errno", [] {
    const Outcome out = read(message(NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS,
                                     [](MessageBuilder& b) {
                                       b.putHeader(errorBody(-EBUSY, 16));
                                       const uint8_t badTlv[4] = {0xff, 0x00, 0x01, 0x00};  // nla_len 255
                                       b.putHeader(badTlv);
                                     }),
                             false);
    check(out.errnum == EBUSY && out.text.empty(), "EBUSY, no text");
  });

  test("an error that is not an errno", [] {
    for (int error : {INT_MIN, -5000, 3}) {
      const Outcome out = read(
          message(NLMSG_ERROR, NLM_F_CAPPED, [&](MessageBuilder& b) { b.putHeader(errorBody(error, 16)); }),
          false);
      check(out.errnum == EBADMSG, "error " + std::to_string(error) + " is EBADMSG");
    }
  });

  test("short NLMSG_ERROR", [] {
    const Outcome out = read(message(NLMSG_ERROR, 0,
                                     [](MessageBuilder& b) {
                                       const int error = -EPERM;
                                       b.putHeader(error);
                                     }),
                             false);
    check(out.errnum == EBADMSG, "an error message without its nlmsgerr is EBADMSG");
  });

  test("DONE with a failed status carries its text", [] {
    const Outcome out = read(message(NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS,
                                     [](MessageBuilder& b) {
                                       const int status = -EOPNOTSUPP;
                                       b.putHeader(status);
                                       b.putString(NLMSGERR_ATTR_MSG, "dump filter not supported");
                                     }),
                             true);
    check(out.errnum == EOPNOTSUPP && out.text == "dump filter not supported",
          "EOPNOTSUPP with the text from DONE");
  });

  test("DONE flagged with TLVs, none present, at the very end", [] {
    const std::vector<uint8_t> bytes =
        concat({newlink(), message(NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS, [](MessageBuilder& b) {
                  const int status = -ENOBUFS;
                  b.putHeader(status);
                })});
    const Outcome out = read(bytes, true);
    check(out.errnum == ENOBUFS && out.text.empty() && out.messages == 1, "ENOBUFS, no read past the end");
  });

  test("a multi-message datagram", [] {
    const int ok = 0;
    const Outcome out =
        read(concat({newlink(), newlink(), newlink(),
                     message(NLMSG_DONE, NLM_F_MULTI, [&](MessageBuilder& b) { b.putHeader(ok); })}),
             true);
    check(out.messages == 3 && out.progress.done && out.errnum == 0, "three links, then done");
    const Outcome partial = read(concat({newlink(), newlink()}), true);
    check(partial.messages == 2 && !partial.progress.done, "a datagram without DONE leaves the dump open");
  });

  test("other requests' messages are skipped", [] {
    const int ok = 0;
    const Outcome out =
        read(concat({newlink(kSeq - 1), newlink(),
                     message(
                         NLMSG_DONE, NLM_F_MULTI, [&](MessageBuilder& b) { b.putHeader(ok); }, kSeq - 1),
                     message(NLMSG_NOOP, 0, [](MessageBuilder&) {})}),
             true);
    check(out.messages == 1 && !out.progress.done, "only seq 7 counted; the old DONE does not end this dump");
  });

  test("DONE does not end a request", [] {
    const int ok = 0;
    const Outcome out =
        read(message(NLMSG_DONE, NLM_F_MULTI, [&](MessageBuilder& b) { b.putHeader(ok); }), false);
    check(!out.progress.done && out.errnum == 0, "a request waits for its ack");
  });

  test("an interrupted dump", [] {
    const Outcome out = read(newlink(kSeq, NLM_F_MULTI | NLM_F_DUMP_INTR), true);
    check(out.progress.interrupted && out.messages == 1, "NLM_F_DUMP_INTR seen");
  });

  test("bytes after the last whole message", [] {
    std::vector<uint8_t> bytes = newlink();
    bytes.resize(bytes.size() + 20, 0xab);
    check(read(bytes, true).errnum == EBADMSG, "trailing bytes are EBADMSG");
    std::vector<uint8_t> cut = newlink();
    cut.resize(cut.size() - 4);
    check(read(cut, true).errnum == EBADMSG, "a message cut short is EBADMSG");
  });
}

}  // namespace

// Runs `body` on a thread of its own in a new network namespace (namespaces are per thread).
void inPrivateNamespace(const char* name, const std::function<void()>& body) {
  std::thread thread([&] {
    test(name, [&] {
      if (::unshare(CLONE_NEWNET) != 0)
        throw OsError(errno, "unshare(CLONE_NEWNET): the native tests run as root");
      body();
    });
  });
  thread.join();
}

void addVethPair(netbond::NetlinkSocket& socket, const std::string& name, const std::string& peer) {
  MessageBuilder builder(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
  builder.putHeader(ifinfomsg{});
  builder.putString(IFLA_IFNAME, name);
  {
    MessageBuilder::Nest info(builder, IFLA_LINKINFO);
    builder.putString(IFLA_INFO_KIND, "veth");
    MessageBuilder::Nest data(builder, IFLA_INFO_DATA);
    MessageBuilder::Nest peerInfo(builder, VETH_INFO_PEER);
    builder.putHeader(ifinfomsg{});
    builder.putString(IFLA_IFNAME, peer);
  }
  socket.request(builder, [](const nlmsghdr&) {});
}

namespace {

void kernelTests() {
  inPrivateNamespace("a dump whose datagrams do not fit is read through, then repeated", [] {
    netbond::NetlinkSocket setup = netbond::NetlinkSocket::open();
    constexpr int kPairs = 40;
    for (int i = 0; i < kPairs; ++i) addVethPair(setup, "va" + std::to_string(i), "vb" + std::to_string(i));
    // 512 bytes hold no link message: the first datagram of the dump is lost, and the dump
    // is still running (40 veth pairs fill several datagrams) when it is repeated.
    netbond::NetlinkSocket small = netbond::NetlinkSocket::open(512);
    int links = 0;
    int restarts = 0;
    MessageBuilder dump(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP);
    dump.putHeader(ifinfomsg{});
    small.dump(
        dump, [&](const nlmsghdr& header) { links += header.nlmsg_type == RTM_NEWLINK; },
        [&] {
          links = 0;
          ++restarts;
        });
    check(links == 2 * kPairs + 1, "every link once (lo + 80 veths), got " + std::to_string(links));
    check(restarts >= 1, "the lost datagram made the dump repeat");
  });

  inPrivateNamespace("a failed dump's DONE carries the kernel's text", [] {
    // With strict checking, a link dump with ifi_change set fails in the dump callback itself,
    // so the error comes back in NLMSG_DONE, not in an NLMSG_ERROR.
    const int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0) throw OsError(errno, "socket");
    const int on = 1;
    ::setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &on, sizeof on);
    ::setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &on, sizeof on);
    MessageBuilder request(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP);
    ifinfomsg header{};
    header.ifi_change = 1;
    request.putHeader(header);
    const std::vector<uint8_t>& bytes = request.finish(kSeq);
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    ::sendto(fd, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel);
    sockaddr_nl local{};
    socklen_t len = sizeof local;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len);
    std::vector<uint8_t> reply(64 * 1024);
    const ssize_t size = ::recv(fd, reply.data(), reply.size(), 0);
    ::close(fd);
    if (size < 0) throw OsError(errno, "recv");
    const auto* first = reinterpret_cast<const nlmsghdr*>(reply.data());
    check(first->nlmsg_type == NLMSG_DONE, "the kernel answered with NLMSG_DONE");
    int errnum = 0;
    std::string text;
    try {
      netbond::readReplyDatagram(reply.data(), static_cast<size_t>(size), kSeq, local.nl_pid, true,
                                 [](const nlmsghdr&) {});
    } catch (const OsError& error) {
      errnum = error.errnum;
      text = error.kernelMessage;
    }
    check(errnum == EINVAL, "EINVAL from DONE, got " + std::to_string(errnum));
    check(text.find("header") != std::string::npos, "the kernel's text from DONE, got '" + text + "'");
  });
}

}  // namespace

void replyTests() {
  datagramTests();
  kernelTests();
}

}  // namespace netbond_test
