// file_lock.h: advisory whole-file locks (flock(2)) for lib/transaction/lock.ts. Node has no
// flock; the kernel drops such a lock when the process holding it dies, which no lock file
// written by Node can promise.
#pragma once

#include <napi.h>

namespace netbond {

// tryLockFile(fd: number): number: 0 when the exclusive lock on fd's file is now held, else the
// errno (EWOULDBLOCK: another open file holds it). Never blocks; closing fd releases the lock.
Napi::Value TryLockFile(const Napi::CallbackInfo& info);

}  // namespace netbond
