// netlink_reply.h: reading the kernel's answer to one request out of a received datagram: which
// messages are ours, where the request ends (the ack, NLMSG_DONE) and the kernel's errno with its
// extended-ack text (man 7 netlink; the layouts are those of net/netlink/af_netlink.c's
// netlink_ack() and netlink_dump_done()). Pure: no socket, so tests and the fuzzer can feed it bytes.
#pragma once

#include <linux/netlink.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace netbond {

// What one datagram told about the request.
struct ReplyProgress {
  bool done = false;         // the ack (request) or NLMSG_DONE (dump) was in it
  bool interrupted = false;  // a message of ours had NLM_F_DUMP_INTR: the dump may be inconsistent
};

// Walks the messages of one datagram. Messages of another request (seq) or port are skipped;
// NLMSG_ERROR ends a request (error 0 is the ack; any other throws OsError with the kernel's
// errno and text); NLMSG_DONE ends a dump (a negative status throws the same way); every other
// message goes to onMessage. Bytes left after the last whole message throw OsError(EBADMSG).
ReplyProgress readReplyDatagram(const uint8_t* data, size_t size, uint32_t seq, uint32_t portid, bool isDump,
                                const std::function<void(const nlmsghdr&)>& onMessage);

// The NLMSGERR_ATTR_MSG text of an NLMSG_ERROR or NLMSG_DONE message that carries NLM_F_ACK_TLVS;
// empty when there is none or the TLVs cannot be located or read (the errno matters more than
// the text, so a malformed text never replaces it). `header` spans header.nlmsg_len readable bytes.
std::string extendedAckText(const nlmsghdr& header);

}  // namespace netbond
