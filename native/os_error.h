// os_error.h: the one error type of the plain C++ core: an errno, the operation that failed and,
// for netlink, the kernel's extended-ack message. The binding layer turns it into a JS error.
#pragma once

#include <cerrno>
#include <stdexcept>
#include <string>

namespace netbond {

struct OsError : std::runtime_error {
  OsError(int err, std::string syscall_name, std::string kernel_message = {}, int request_index = -1)
      : std::runtime_error(syscall_name),
        errnum(err),
        syscall(std::move(syscall_name)),
        kernelMessage(std::move(kernel_message)),
        requestIndex(request_index) {}

  int errnum;                 // positive errno
  std::string syscall;        // 'netlink', 'setns', 'open', ...
  std::string kernelMessage;  // NLMSGERR_ATTR_MSG, empty when the kernel sent none
  int requestIndex;           // which request of a batch failed, -1 if not applicable
};

// Throws OsError(errno, syscall_name) when result < 0; returns result otherwise.
inline long checkSyscall(long result, const char* syscall_name) {
  if (result < 0) throw OsError(errno, syscall_name);
  return result;
}

}  // namespace netbond
