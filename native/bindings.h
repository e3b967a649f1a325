// bindings.h: the N-API functions the addon exports. Each unpacks a normalized request built by
// lib/native.ts, queues a PromiseWorker and returns its Promise.
#pragma once

#include <napi.h>

#include "link_ops.h"

namespace netbond {

// A decoded link as the plain object lib/native.ts types as NativeLink.
Napi::Object toJsLink(Napi::Env env, const Link& link);

// linkBatch(nsPath: string, requests: NativeLinkRequest[]): Promise<NativeLink[][]>
Napi::Value LinkBatch(const Napi::CallbackInfo& info);

// fileBatch(nsPath: string, ops: NativeFileOp[]): Promise<NativeFileResult[]>
Napi::Value FileBatch(const Napi::CallbackInfo& info);

}  // namespace netbond
