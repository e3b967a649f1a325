// monitor_binding.h: the LinkMonitor class exported to JS: RTNLGRP_LINK notifications read on
// the event loop with uv_poll (no thread, no polling loop), handed to a JS callback in batches.
#pragma once

#include <napi.h>

namespace netbond {

// openLinkSubscription(nsPath: string, rcvbuf: number): Promise<number> (an fd, opened on a pool
// thread because entering a namespace must not happen on the JS thread).
Napi::Value OpenLinkSubscription(const Napi::CallbackInfo& info);

// closeFd(fd: number): void, for an fd whose LinkMonitor was never created.
Napi::Value CloseFd(const Napi::CallbackInfo& info);

Napi::Function DefineLinkMonitor(Napi::Env env);

}  // namespace netbond
