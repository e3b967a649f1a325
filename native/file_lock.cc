// file_lock.cc: flock(2) without blocking; the caller retries on its own timer (the event loop
// must never wait on another process's lock).
#include "file_lock.h"

#include <sys/file.h>

#include <cerrno>

namespace netbond {

Napi::Value TryLockFile(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 1 || !info[0].IsNumber()) throw Napi::TypeError::New(env, "tryLockFile(fd)");
  int fd = info[0].As<Napi::Number>().Int32Value();
  int rc;
  do {
    rc = ::flock(fd, LOCK_EX | LOCK_NB);
  } while (rc < 0 && errno == EINTR);
  return Napi::Number::New(env, rc == 0 ? 0 : errno);
}

}  // namespace netbond
