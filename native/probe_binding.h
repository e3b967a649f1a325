// probe_binding.h: the connectivity probe exported to JS (lib/probe/ validates and retries).
#pragma once

#include <napi.h>

namespace netbond {

// probe(nsPath: string, request: NativeProbeRequest): Promise<NativeProbeOutcome>, run on a pool
// thread; every wait in it is bounded by request.timeoutMs (probe.h).
Napi::Value Probe(const Napi::CallbackInfo& info);

}  // namespace netbond
