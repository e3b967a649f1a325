// sysfs.h: reads and writes of bonding sysfs files (/sys/class/net/...) and bonding procfs files
// (/proc/net/bonding/...) as the network namespace of the caller's choice sees them, errno kept
// (Documentation/networking/bonding.rst, "Configuring Bonding Manually via Sysfs").
#pragma once

#include <string>
#include <vector>

namespace netbond {

struct FileOp {
  enum class Kind : uint8_t { Read, Write, List };
  enum class Base : uint8_t { SysClassNet, ProcNet };
  Kind kind = Kind::Read;
  Base base = Base::SysClassNet;
  std::string path;       // relative to the base; no ".." components
  std::string value;      // for writes, written with one write(2) as sysfs requires
  bool optional = false;  // a failure yields "missing" instead of an error (carrier of a down link)
};

struct FileResult {
  bool missing = false;
  std::string text;                // Read
  std::vector<std::string> names;  // List
};

// Runs the operations in order and stops at the first failure (OsError with requestIndex).
// With a namespace path, a dedicated thread enters a private mount namespace, joins the network
// namespace and mounts a sysfs of its own there (what `ip netns exec` does for a process), so the
// calling thread and the rest of the process are never moved. A batch of /proc/net reads needs
// no thread: the files are opened in the namespace (setns around the opens) and read on the
// calling thread.
std::vector<FileResult> runFileBatch(const std::string& nsPath, const std::vector<FileOp>& ops);

}  // namespace netbond
