// sockets_binding.h: the RtnlSockets class exported to JS: the socket pool (socket_pool.h) of one
// named namespace, owned by a client (lib/bond/client.ts) and closed by it.
#pragma once

#include <napi.h>

#include <memory>

#include "socket_pool.h"

namespace netbond {

// new RtnlSockets(nsPath: string); .close(): void. Opens nothing until a batch needs a socket.
Napi::Function DefineRtnlSockets(Napi::Env env);

// The pool a batch runs on: the RtnlSockets given, the shared pool of the caller's namespace for
// '', or null for another namespace's path (a socket of its own, closed after the batch).
std::shared_ptr<SocketPool> socketPoolFor(Napi::Env env, Napi::Value target);

}  // namespace netbond
