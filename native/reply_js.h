// reply_js.h: decoded replies as the plain JS objects lib/native.ts types: a link (NativeLink), for
// the request batch and the link monitor alike, an address (NativeAddr) and a route (NativeRoute).
// The one place that names their fields for JS (Node-API).
#pragma once

#include <napi.h>

#include "link_message.h"
#include "rtnl_batch.h"

namespace netbond {

Napi::Object toJsLink(Napi::Env env, const Link& link);

// A reply of the request batch: a link, an address or a route, whichever the kernel sent.
Napi::Object toJsReply(Napi::Env env, const Reply& reply);

}  // namespace netbond
