// promise_worker.h: an AsyncWorker that settles a Promise created in C++, written once for every
// operation (node-addon-examples' async_work_promise). compute() runs on a libuv pool thread and
// must not touch Napi::; toJs() runs on the JS thread. OsError becomes a rejected Error carrying
// errnum, syscall, kernelMessage and requestIndex for lib/errors.ts to wrap.
#pragma once

#include <napi.h>

#include <optional>
#include <utility>

#include "os_error.h"

namespace netbond {

template <typename Result>
class PromiseWorker : public Napi::AsyncWorker {
 public:
  explicit PromiseWorker(Napi::Env env)
      : Napi::AsyncWorker(env, "netbond"), deferred_(Napi::Promise::Deferred::New(env)) {}

  // Queues compute() on the pool and returns the Promise. The Promise is taken first: once
  // settled, the worker deletes itself.
  Napi::Promise queue() {
    Napi::Promise promise = deferred_.Promise();
    Queue();
    return promise;
  }

 protected:
  virtual Result compute() = 0;
  virtual Napi::Value toJs(Napi::Env env, Result& result) = 0;
  // More fields for the rejection's Error (on the JS thread), such as what a batch did before it failed.
  virtual void addToError(Napi::Env, Napi::Object) {}

 private:
  void Execute() override {
    try {
      result_.emplace(compute());
    } catch (const OsError& error) {
      error_.emplace(error);
    } catch (const std::exception& error) {
      error_.emplace(EIO, error.what());
    }
  }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    if (error_) {
      Napi::Value error = toJsError(env, *error_);
      addToError(env, error.As<Napi::Object>());
      deferred_.Reject(error);
      return;
    }
    deferred_.Resolve(toJs(env, *result_));
  }

  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

  static Napi::Value toJsError(Napi::Env env, const OsError& error) {
    Napi::Error jsError = Napi::Error::New(env, error.syscall);
    Napi::Object object = jsError.Value();
    object.Set("errnum", Napi::Number::New(env, error.errnum));
    object.Set("syscall", Napi::String::New(env, error.syscall));
    if (!error.kernelMessage.empty()) {
      object.Set("kernelMessage", Napi::String::New(env, error.kernelMessage));
    }
    object.Set("requestIndex", Napi::Number::New(env, error.requestIndex));
    return object;
  }

  Napi::Promise::Deferred deferred_;
  std::optional<Result> result_;
  std::optional<OsError> error_;
};

}  // namespace netbond
