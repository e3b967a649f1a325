// addon.cc: the only NODE_API_MODULE; registers the exports and nothing else.
#include <napi.h>

#include "bindings.h"
#include "file_lock.h"
#include "monitor_binding.h"
#include "sockets_binding.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("rtnlBatch", Napi::Function::New(env, netbond::RtnlBatch, "rtnlBatch"));
  exports.Set("rtnlBatchInNewNamespace",
              Napi::Function::New(env, netbond::RtnlBatchInNewNamespace, "rtnlBatchInNewNamespace"));
  exports.Set("fileBatch", Napi::Function::New(env, netbond::FileBatch, "fileBatch"));
  exports.Set("openLinkSubscription",
              Napi::Function::New(env, netbond::OpenLinkSubscription, "openLinkSubscription"));
  exports.Set("closeFd", Napi::Function::New(env, netbond::CloseFd, "closeFd"));
  exports.Set("namedNamespace", Napi::Function::New(env, netbond::NamedNamespace, "namedNamespace"));
  exports.Set("netnsCookie", Napi::Function::New(env, netbond::NetnsCookie, "netnsCookie"));
  exports.Set("tryLockFile", Napi::Function::New(env, netbond::TryLockFile, "tryLockFile"));
  exports.Set("probe", Napi::Function::New(env, netbond::Probe, "probe"));
  exports.Set("LinkMonitor", netbond::DefineLinkMonitor(env));
  exports.Set("RtnlSockets", netbond::DefineRtnlSockets(env));
  return exports;
}

}  // namespace

NODE_API_MODULE(netbond, Init)
