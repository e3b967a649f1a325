// addon.cc: the only NODE_API_MODULE; registers the exports and nothing else.
#include <napi.h>

#include "bindings.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("linkBatch", Napi::Function::New(env, netbond::LinkBatch, "linkBatch"));
  exports.Set("fileBatch", Napi::Function::New(env, netbond::FileBatch, "fileBatch"));
  return exports;
}

}  // namespace

NODE_API_MODULE(netbond, Init)
