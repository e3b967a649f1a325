// sysfs.cc: bonding sysfs/procfs access inside a network namespace (man 2 unshare, man 2 setns,
// man 2 mount; sysfs shows the network namespace it was mounted from).
#include "sysfs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <exception>
#include <functional>
#include <thread>

#include "netns.h"
#include "os_error.h"
#include "unique_fd.h"

namespace netbond {
namespace {

// True when a path component is "..": "a..b" is a valid interface name, "a/../b" is an escape.
bool climbsUp(const std::string& path) {
  size_t start = 0;
  for (;;) {
    const size_t end = path.find('/', start);
    const size_t length = (end == std::string::npos ? path.size() : end) - start;
    if (path.compare(start, length, "..") == 0) return true;
    if (end == std::string::npos) return false;
    start = end + 1;
  }
}

std::string fullPath(const FileOp& op) {
  // lib/ builds paths from validated interface names; this is the last line of defence.
  if (op.path.empty() || op.path[0] == '/' || climbsUp(op.path)) throw OsError(EINVAL, "sysfs path");
  return (op.base == FileOp::Base::SysClassNet ? "/sys/class/net/" : "/proc/thread-self/net/") + op.path;
}

std::string readAll(const UniqueFd& fd, const std::string& path) {
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw OsError(errno, "read " + path);
    if (n == 0) return text;
    text.append(buffer, static_cast<size_t>(n));
  }
}

std::string readFile(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) throw OsError(errno, "open " + path);
  return readAll(fd, path);
}

void writeFile(const std::string& path, const std::string& value) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd.valid()) throw OsError(errno, "open " + path);
  ssize_t n;
  do {
    n = ::write(fd.get(), value.data(), value.size());
  } while (n < 0 && errno == EINTR);
  if (n < 0) throw OsError(errno, "write " + path);
}

std::vector<std::string> listDir(const std::string& path) {
  DIR* dir = ::opendir(path.c_str());
  if (!dir) throw OsError(errno, "opendir " + path);
  std::vector<std::string> names;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  ::closedir(dir);
  return names;
}

// How a read op gets its file's text: by its index in the batch and its full path.
using ReadText = std::function<std::string(size_t index, const std::string& path)>;

// Runs the operations on this thread; reads go through `read` when given.
std::vector<FileResult> runHere(const std::vector<FileOp>& ops, const ReadText& read = nullptr) {
  std::vector<FileResult> results;
  results.reserve(ops.size());
  for (size_t i = 0; i < ops.size(); ++i) {
    const FileOp& op = ops[i];
    FileResult result;
    try {
      const std::string path = fullPath(op);
      switch (op.kind) {
        case FileOp::Kind::Read: result.text = read ? read(i, path) : readFile(path); break;
        case FileOp::Kind::Write: writeFile(path, op.value); break;
        case FileOp::Kind::List: result.names = listDir(path); break;
      }
    } catch (OsError& error) {
      if (!op.optional) {
        error.requestIndex = static_cast<int>(i);
        throw;
      }
      result.missing = true;
    }
    results.push_back(std::move(result));
  }
  return results;
}

// Runs on a thread of its own, which it leaves in the namespace: the thread ends afterwards.
std::vector<FileResult> runInNamespace(const std::string& nsPath, const std::vector<FileOp>& ops) {
  UniqueFd target(::open(nsPath.c_str(), O_RDONLY | O_CLOEXEC));
  if (!target.valid()) throw OsError(errno, "open netns");
  // A private mount namespace for this thread only (CLONE_NEWNS implies CLONE_FS), with
  // propagation cut so the sysfs mounted below is never seen outside it.
  checkSyscall(::unshare(CLONE_NEWNS | CLONE_FS), "unshare");
  checkSyscall(::mount(nullptr, "/", nullptr, MS_REC | MS_SLAVE, nullptr), "mount");
  checkSyscall(::setns(target.get(), CLONE_NEWNET), "setns");
  // EBUSY is the kernel refusing the same superblock twice on one mount point (do_add_mount):
  // /sys here already shows this namespace (a process started by `ip netns exec` for it).
  if (::mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) < 0 && errno != EBUSY) {
    throw OsError(errno, "mount sysfs");
  }
  return runHere(ops);
}

bool onlyProcNetReads(const std::vector<FileOp>& ops) {
  for (const FileOp& op : ops) {
    if (op.kind != FileOp::Kind::Read || op.base != FileOp::Base::ProcNet) return false;
  }
  return true;
}

// A /proc/net file shows the namespace of the thread that opens it and stays bound to it: all are
// opened there in one move (setns around the opens, as for sockets) and read on this thread. No
// thread of its own and no mount, which cost more than the read itself (getBond reads its bond's
// file every time).
std::vector<FileResult> readProcNetIn(const std::string& nsPath, const std::vector<FileOp>& ops) {
  std::vector<std::string> paths;
  paths.reserve(ops.size());
  for (const FileOp& op : ops) {
    try {
      paths.push_back(fullPath(op));
    } catch (const OsError&) {
      paths.emplace_back();  // refused again, with its index, by runHere
    }
  }
  const std::vector<OpenedFile> opened = openReadOnlyIn(nsPath, paths);
  return runHere(ops, [&opened](size_t i, const std::string& path) {
    if (!opened[i].fd.valid()) throw OsError(opened[i].errnum, "open " + path);
    return readAll(opened[i].fd, path);
  });
}

}  // namespace

std::vector<FileResult> runFileBatch(const std::string& nsPath, const std::vector<FileOp>& ops) {
  if (nsPath.empty()) return runHere(ops);
  if (onlyProcNetReads(ops)) return readProcNetIn(nsPath, ops);
  std::vector<FileResult> results;
  std::exception_ptr failure;
  std::thread worker([&] {
    try {
      results = runInNamespace(nsPath, ops);
    } catch (...) {
      failure = std::current_exception();
    }
  });
  worker.join();
  if (failure) std::rethrow_exception(failure);
  return results;
}

}  // namespace netbond
