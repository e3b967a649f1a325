// sockets_binding.cc: see sockets_binding.h.
#include "sockets_binding.h"

#include <string>

namespace netbond {
namespace {

class RtnlSockets : public Napi::ObjectWrap<RtnlSockets> {
 public:
  explicit RtnlSockets(const Napi::CallbackInfo& info) : Napi::ObjectWrap<RtnlSockets>(info) {
    if (info.Length() != 1 || !info[0].IsString()) {
      throw Napi::TypeError::New(info.Env(), "RtnlSockets(nsPath)");
    }
    pool_ = std::make_shared<SocketPool>(info[0].As<Napi::String>().Utf8Value());
  }

  // Batches still running hold the pool too (shared_ptr): they finish, and their sockets close.
  ~RtnlSockets() override { pool_->close(); }

  const std::shared_ptr<SocketPool>& pool() const { return pool_; }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    pool_->close();
    return info.Env().Undefined();
  }

 private:
  std::shared_ptr<SocketPool> pool_;
};

}  // namespace

Napi::Function DefineRtnlSockets(Napi::Env env) {
  Napi::Function cls = RtnlSockets::DefineClass(env, "RtnlSockets",
                                                {RtnlSockets::InstanceMethod("close", &RtnlSockets::Close)});
  // One reference per environment (worker threads load the addon again); kept for InstanceOf.
  auto* reference = new Napi::FunctionReference(Napi::Persistent(cls));
  env.SetInstanceData(reference);
  return cls;
}

std::shared_ptr<SocketPool> socketPoolFor(Napi::Env env, Napi::Value target) {
  if (target.IsString()) {
    if (target.As<Napi::String>().Utf8Value().empty()) return currentNamespacePool();
    return nullptr;
  }
  auto* reference = env.GetInstanceData<Napi::FunctionReference>();
  if (target.IsObject() && reference && target.As<Napi::Object>().InstanceOf(reference->Value())) {
    return RtnlSockets::Unwrap(target.As<Napi::Object>())->pool();
  }
  throw Napi::TypeError::New(env, "netbond native: bad request field target");
}

}  // namespace netbond
