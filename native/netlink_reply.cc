// netlink_reply.cc: see netlink_reply.h. Every offset is checked against the message's own length
// before it is read: a datagram is kernel data, but a length field is never trusted to be sane.
#include "netlink_reply.h"

#include <cerrno>
#include <cstring>

#include "netlink_attrs.h"
#include "os_error.h"

namespace netbond {
namespace {

// Where the TLVs of an NLMSG_ERROR start: after struct nlmsgerr and, unless the ack was capped,
// the echoed request's payload. 0 when the echoed length is impossible.
size_t errorTlvOffset(const nlmsghdr& header, const nlmsgerr& error) {
  size_t payload = sizeof(nlmsgerr);
  if (!(header.nlmsg_flags & NLM_F_CAPPED)) {
    const uint32_t echoed = error.msg.nlmsg_len;
    if (echoed < NLMSG_HDRLEN || echoed > header.nlmsg_len) return 0;
    payload += echoed - NLMSG_HDRLEN;
  }
  return NLMSG_ALIGN(NLMSG_HDRLEN + payload);
}

// NLMSG_DONE carries one int (the dump's status); its TLVs follow it.
constexpr size_t kDoneTlvOffset = NLMSG_ALIGN(NLMSG_HDRLEN + sizeof(int));

// The kernel sends -errno (1..4095, MAX_ERRNO); anything else is not an errno and must not be
// negated (INT_MIN would overflow).
int errnoOf(int negative) {
  return negative < 0 && negative > -4096 ? -negative : EBADMSG;
}

}  // namespace

std::string extendedAckText(const nlmsghdr& header) {
  if (!(header.nlmsg_flags & NLM_F_ACK_TLVS)) return {};
  const auto* base = reinterpret_cast<const uint8_t*>(&header);
  size_t offset = 0;
  if (header.nlmsg_type == NLMSG_ERROR) {
    if (header.nlmsg_len < NLMSG_LENGTH(sizeof(nlmsgerr))) return {};
    nlmsgerr error;
    std::memcpy(&error, base + NLMSG_HDRLEN, sizeof error);
    offset = errorTlvOffset(header, error);
  } else if (header.nlmsg_type == NLMSG_DONE) {
    offset = kDoneTlvOffset;
  }
  if (offset == 0 || offset >= header.nlmsg_len) return {};
  try {
    for (const AttrView& attr : splitAttrs(base + offset, header.nlmsg_len - offset)) {
      if (attr.type == NLMSGERR_ATTR_MSG) return attrString(attr);
    }
  } catch (const OsError&) {
    // Malformed TLVs: no text, and the errno of the message stands.
  }
  return {};
}

ReplyProgress readReplyDatagram(const uint8_t* data, size_t size, uint32_t seq, uint32_t portid, bool isDump,
                                const std::function<void(const nlmsghdr&)>& onMessage) {
  ReplyProgress progress;
  // A datagram is at most a few MiB (SO_RCVBUF); the int NLMSG_OK/NLMSG_NEXT use cannot wrap.
  int remaining = static_cast<int>(size);
  for (auto* header = reinterpret_cast<const nlmsghdr*>(data); NLMSG_OK(header, remaining);
       header = NLMSG_NEXT(header, remaining)) {
    // Replies to an earlier request that timed out, or anything not addressed to us, are
    // not ours to interpret.
    if (header->nlmsg_seq != seq || header->nlmsg_pid != portid) continue;
    if (header->nlmsg_flags & NLM_F_DUMP_INTR) progress.interrupted = true;
    if (header->nlmsg_type == NLMSG_ERROR) {
      if (header->nlmsg_len < NLMSG_LENGTH(sizeof(nlmsgerr))) throw OsError(EBADMSG, "netlink parse");
      int error = 0;
      std::memcpy(&error, NLMSG_DATA(header), sizeof error);
      if (error != 0) throw OsError(errnoOf(error), "netlink", extendedAckText(*header));
      progress.done = true;  // the ack
      return progress;
    }
    if (header->nlmsg_type == NLMSG_DONE) {
      if (!isDump) continue;
      int status = 0;
      if (header->nlmsg_len >= NLMSG_LENGTH(sizeof status))
        std::memcpy(&status, NLMSG_DATA(header), sizeof status);
      if (status < 0) throw OsError(errnoOf(status), "netlink", extendedAckText(*header));
      progress.done = true;
      return progress;
    }
    if (header->nlmsg_type == NLMSG_NOOP || header->nlmsg_type == NLMSG_OVERRUN) continue;
    onMessage(*header);
  }
  if (remaining > 0) throw OsError(EBADMSG, "netlink parse");
  return progress;
}

}  // namespace netbond
