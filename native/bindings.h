// bindings.h: the N-API functions the addon exports. Each unpacks a normalized request built by
// lib/native.ts, queues a PromiseWorker and returns its Promise.
#pragma once

#include <napi.h>

namespace netbond {

// rtnlBatch(target: string | RtnlSockets, requests: NativeRtnlRequest[]): Promise<NativeLink[][]>:
// one array of replies per request, NativeAddr / NativeRoute for the address and route dumps
// (rtnl_batch.h). target: a client's sockets, '' for the caller's namespace (the shared pool), or
// another namespace's path (a socket for this batch). A rejection carries `results`: the replies
// of the requests before the one that failed.
Napi::Value RtnlBatch(const Napi::CallbackInfo& info);

// rtnlBatchInNewNamespace(requests): the same batch in a new, empty network namespace that
// exists only while the batch runs (a probe of what the kernel supports that leaves nothing).
Napi::Value RtnlBatchInNewNamespace(const Napi::CallbackInfo& info);

// fileBatch(nsPath: string, ops: NativeFileOp[]): Promise<NativeFileResult[]>
Napi::Value FileBatch(const Napi::CallbackInfo& info);

// netnsCookie(nsPath: string): Promise<string>: SO_NETNS_COOKIE of the namespace in decimal, '0'
// when the kernel has none (netns.h).
Napi::Value NetnsCookie(const Napi::CallbackInfo& info);

// namedNamespace(op: 'add' | 'delete', path: string): Promise<void>: `ip netns add/del` (netns.h).
Napi::Value NamedNamespace(const Napi::CallbackInfo& info);

// probe(nsPath: string, request: NativeProbeRequest): Promise<NativeProbeOutcome>, run on a pool
// thread; every wait in it is bounded by request.timeoutMs (probe.h).
Napi::Value Probe(const Napi::CallbackInfo& info);

}  // namespace netbond
