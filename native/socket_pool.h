// socket_pool.h: NETLINK_ROUTE sockets kept open between batches, so a call does not pay for
// socket(), four setsockopt(), bind() and getsockname() (and a setns() pair for another namespace)
// before its first request. Plain C++ (no Node types), shared by the pool threads.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "netlink_socket.h"

namespace netbond {

// Idle sockets of one network namespace. A batch takes one (or a new one is opened when none is
// idle: concurrent batches never share a socket) and gives it back when it ended cleanly.
class SocketPool {
 public:
  explicit SocketPool(std::string nsPath) : nsPath_(std::move(nsPath)) {}

  // An idle socket, or a new one opened in the namespace (OsError with requestIndex -1 if it
  // cannot be). Throws OsError(EBADF, "closed") once the pool is closed.
  NetlinkSocket take();

  // Puts back a socket whose last batch read every reply it asked for. A batch that failed is
  // not given back: a lost datagram or a receive timeout can leave replies queued on it.
  // Dropped (closed) when the pool is closed or already holds kMaxIdle.
  void give(NetlinkSocket socket);

  // Closes the idle sockets now; those in use are closed when their batch ends. A pool for a
  // named namespace keeps that namespace alive while it holds a socket there, so its owner
  // closes it (client.close()).
  void close();

  // The most idle sockets kept: the libuv pool runs 4 batches at once by default.
  static constexpr size_t kMaxIdle = 8;

 private:
  const std::string nsPath_;
  std::mutex mutex_;
  std::vector<NetlinkSocket> idle_;
  bool closed_ = false;
};

// The pool for the caller's own namespace, shared by every batch of the process and never
// closed: the process keeps its namespace alive anyway. Its sockets are opened by pool threads,
// which are in the process's namespace between batches (netns.h returns them there).
std::shared_ptr<SocketPool> currentNamespacePool();

}  // namespace netbond
