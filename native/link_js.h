// link_js.h: a decoded link (link_message.h) as the plain JS object lib/native.ts types as
// NativeLink, for the request batch and the link monitor alike (Node-API).
#pragma once

#include <napi.h>

#include <cstdint>
#include <vector>

#include "link_message.h"

namespace netbond {

Napi::Object toJsLink(Napi::Env env, const Link& link);

// Bytes (an address, a MAC) as a Node Buffer, the form every decoded reply hands them to JS in.
Napi::Buffer<uint8_t> toJsBuffer(Napi::Env env, const std::vector<uint8_t>& bytes);

}  // namespace netbond
