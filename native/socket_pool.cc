// socket_pool.cc: see socket_pool.h.
#include "socket_pool.h"

#include <optional>

#include "netns.h"
#include "os_error.h"

namespace netbond {

NetlinkSocket SocketPool::take() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_) throw OsError(EBADF, "closed");
    if (!idle_.empty()) {
      NetlinkSocket socket = std::move(idle_.back());
      idle_.pop_back();
      return socket;
    }
  }
  // Opened outside the lock: it may enter another namespace, and other batches need not wait.
  return openSocketIn(nsPath_);
}

void SocketPool::give(NetlinkSocket socket) {
  std::optional<NetlinkSocket> dropped;  // closed after the lock is released
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_ || idle_.size() >= kMaxIdle) {
    dropped.emplace(std::move(socket));
    return;
  }
  idle_.push_back(std::move(socket));
}

void SocketPool::close() {
  std::vector<NetlinkSocket> dropped;
  std::lock_guard<std::mutex> lock(mutex_);
  closed_ = true;
  dropped.swap(idle_);
}

std::shared_ptr<SocketPool> currentNamespacePool() {
  // Made once and never destroyed: a static destructor could run at exit while a pool thread
  // still holds a socket from it.
  static auto* pool = new std::shared_ptr<SocketPool>(std::make_shared<SocketPool>(""));
  return *pool;
}

}  // namespace netbond
