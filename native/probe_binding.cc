// probe_binding.cc: unpacks a probe request built by lib/probe/run.ts and queues it; the outcome
// comes back as a plain object. Types are asserted here, validated in lib/.
#include "probe_binding.h"

#include <string>

#include "probe.h"
#include "promise_worker.h"

namespace netbond {
namespace {

class ProbeWorker : public PromiseWorker<ProbeOutcome> {
 public:
  ProbeWorker(Napi::Env env, std::string nsPath, ProbeRequest request)
      : PromiseWorker(env), nsPath_(std::move(nsPath)), request_(std::move(request)) {}

 protected:
  ProbeOutcome compute() override { return runProbe(nsPath_, request_); }

  Napi::Value toJs(Napi::Env env, ProbeOutcome& outcome) override {
    Napi::Object out = Napi::Object::New(env);
    out.Set("ok", Napi::Boolean::New(env, outcome.ok));
    out.Set("errnum", Napi::Number::New(env, outcome.errnum));
    out.Set("micros", Napi::Number::New(env, outcome.micros));
    out.Set("seen", Napi::String::New(env, outcome.seen));
    return out;
  }

 private:
  std::string nsPath_;
  ProbeRequest request_;
};

[[noreturn]] void typeError(Napi::Env env, const char* what) {
  throw Napi::TypeError::New(env, std::string("netbond native: bad probe field ") + what);
}

std::vector<uint8_t> bytesOf(Napi::Env env, Napi::Value value, const char* what) {
  if (!value.IsTypedArray()) typeError(env, what);
  Napi::Uint8Array array = value.As<Napi::Uint8Array>();
  return std::vector<uint8_t>(array.Data(), array.Data() + array.ByteLength());
}

ProbeRequest toProbeRequest(Napi::Env env, Napi::Object object) {
  ProbeRequest request;
  const std::string kind = object.Get("kind").ToString().Utf8Value();
  if (kind == "echo")
    request.kind = ProbeRequest::Kind::Echo;
  else if (kind == "arp")
    request.kind = ProbeRequest::Kind::Arp;
  else if (kind == "tcp")
    request.kind = ProbeRequest::Kind::Tcp;
  else
    typeError(env, "kind");
  request.address = bytesOf(env, object.Get("address"), "address");
  const size_t size = request.address.size();
  if (size != 4 && !(size == 16 && request.kind != ProbeRequest::Kind::Arp)) typeError(env, "address");
  if (!object.Get("timeoutMs").IsNumber()) typeError(env, "timeoutMs");
  request.timeoutMs = object.Get("timeoutMs").As<Napi::Number>().Uint32Value();
  if (object.Get("port").IsNumber())
    request.port = static_cast<uint16_t>(object.Get("port").As<Napi::Number>().Uint32Value());
  if (object.Get("ifname").IsString()) request.ifname = object.Get("ifname").As<Napi::String>().Utf8Value();
  if (request.kind == ProbeRequest::Kind::Arp && request.ifname.empty()) typeError(env, "ifname");
  if (!object.Get("senderAddress").IsUndefined())
    request.senderAddress = bytesOf(env, object.Get("senderAddress"), "senderAddress");
  return request;
}

}  // namespace

Napi::Value Probe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 2 || !info[0].IsString() || !info[1].IsObject()) typeError(env, "arguments");
  auto* worker = new ProbeWorker(env, info[0].As<Napi::String>().Utf8Value(),
                                 toProbeRequest(env, info[1].As<Napi::Object>()));
  return worker->queue();
}

}  // namespace netbond
