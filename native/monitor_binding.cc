// monitor_binding.cc: LinkMonitor: owns a subscription fd and a uv_poll handle on the JS thread's
// loop. Readable -> drain (non-blocking) -> one callback with the batch. close() stops the poll,
// closes the handle and then the fd; after that nothing of the monitor keeps the process alive.
#include "monitor_binding.h"

#include <linux/rtnetlink.h>
#include <unistd.h>
#include <uv.h>

#include <memory>

#include "link_monitor.h"
#include "netns.h"
#include "promise_worker.h"
#include "reply_js.h"
#include "unique_fd.h"

namespace netbond {
namespace {

class OpenWorker : public PromiseWorker<int> {
 public:
  OpenWorker(Napi::Env env, std::string nsPath, int rcvbuf)
      : PromiseWorker(env), nsPath_(std::move(nsPath)), rcvbuf_(rcvbuf) {}

 protected:
  int compute() override {
    fd_ = openSubscriptionIn(nsPath_, RTMGRP_LINK, rcvbuf_);
    return fd_.get();
  }
  // The fd passes to JS, which hands it to a LinkMonitor (or closeFd); until then fd_ owns it,
  // so a Promise that is never settled does not leak it.
  Napi::Value toJs(Napi::Env env, int& /*fd*/) override { return Napi::Number::New(env, fd_.release()); }

 private:
  std::string nsPath_;
  int rcvbuf_;
  UniqueFd fd_;
};

// The uv_poll handle lives apart from the JS object: when a worker thread's environment is torn
// down, the object may be finalized before libuv has called the handle's close callback.
struct Poll {
  uv_poll_t handle;
  class LinkMonitor* monitor;  // null once closing: no more callbacks
  napi_async_cleanup_hook_handle cleanupHook = nullptr;
};

class LinkMonitor : public Napi::ObjectWrap<LinkMonitor> {
 public:
  LinkMonitor(const Napi::CallbackInfo& info) : Napi::ObjectWrap<LinkMonitor>(info) {
    Napi::Env env = info.Env();
    if (info.Length() != 2 || !info[0].IsNumber() || !info[1].IsFunction()) {
      throw Napi::TypeError::New(env, "LinkMonitor(fd, callback)");
    }
    // From here on the monitor owns the fd: fd_ closes it if this constructor throws.
    fd_ = UniqueFd(info[0].As<Napi::Number>().Int32Value());
    callback_ = Napi::Persistent(info[1].As<Napi::Function>());
    context_ = std::make_unique<Napi::AsyncContext>(env, "netbond.LinkMonitor");
    uv_loop_t* loop = nullptr;
    napi_get_uv_event_loop(env, &loop);
    auto poll = std::make_unique<Poll>();
    poll->monitor = this;
    poll->handle.data = poll.get();
    if (uv_poll_init(loop, &poll->handle, fd_.get()) != 0) {
      throw Napi::Error::New(env, "netbond: cannot poll the link subscription");
    }
    poll_ = poll.release();
    uv_poll_start(&poll_->handle, UV_READABLE, &LinkMonitor::OnReadable);
    // A worker thread that exits or is terminated with the monitor open tears its loop down:
    // the handle must be closed first, or Node aborts ("uv loop has open handles").
    napi_add_async_cleanup_hook(env, &LinkMonitor::OnEnvironmentCleanup, poll_, &poll_->cleanupHook);
    Ref();  // alive while polling, even if JS drops its reference
  }

  ~LinkMonitor() override { StopPolling(); }

  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "LinkMonitor", {InstanceMethod("close", &LinkMonitor::Close)});
  }

 private:
  static void OnReadable(uv_poll_t* handle, int status, int /*events*/) {
    auto* poll = static_cast<Poll*>(handle->data);
    if (poll->monitor != nullptr) poll->monitor->Deliver(status < 0);
  }

  static void OnEnvironmentCleanup(napi_async_cleanup_hook_handle /*hook*/, void* data) {
    auto* poll = static_cast<Poll*>(data);
    // A monitor already stopping (finalized first) has its handle closing; the close callback
    // removes this hook.
    if (poll->monitor != nullptr) poll->monitor->StopPolling();
  }

  // Stops the poll, closes the handle (the hook, if any, is removed when libuv has closed it)
  // and the fd. Idempotent.
  void StopPolling() {
    if (poll_ == nullptr) return;
    poll_->monitor = nullptr;
    uv_poll_stop(&poll_->handle);
    uv_close(reinterpret_cast<uv_handle_t*>(&poll_->handle), [](uv_handle_t* handle) {
      std::unique_ptr<Poll> poll(static_cast<Poll*>(handle->data));
      if (poll->cleanupHook != nullptr) napi_remove_async_cleanup_hook(poll->cleanupHook);
    });
    poll_ = nullptr;
    fd_.reset();  // after uv_poll_stop: libuv must not poll a closed fd
  }

  void Deliver(bool pollError) {
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    DrainResult drained;
    bool overrun = pollError;
    try {
      drained = drainNotifications(fd_.get(), buffer_);
      overrun = overrun || drained.overrun;
    } catch (const OsError&) {
      overrun = true;
    }
    if (drained.notices.empty() && !overrun) return;
    // Nothing JS throws may leave this uv callback as a C++ exception (that is std::terminate):
    // it goes to Node as an uncaught exception, which 'uncaughtException' handlers see.
    try {
      Napi::Array batch = Napi::Array::New(env, drained.notices.size());
      for (size_t i = 0; i < drained.notices.size(); ++i) {
        const LinkNotice& notice = drained.notices[i];
        Napi::Object item = Napi::Object::New(env);
        item.Set("deleted", notice.deleted);
        item.Set("timestamp", Napi::BigInt::New(env, notice.timestampNs));
        item.Set("link", toJsLink(env, notice.link));
        batch.Set(static_cast<uint32_t>(i), item);
      }
      callback_.MakeCallback(env.Global(), {batch, Napi::Boolean::New(env, overrun)}, *context_);
    } catch (const Napi::Error& error) {
      napi_fatal_exception(env, error.Value());
    }
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    if (poll_ != nullptr) {
      // Closed by JS: the environment lives on, so the hook goes now rather than at teardown.
      napi_remove_async_cleanup_hook(poll_->cleanupHook);
      poll_->cleanupHook = nullptr;
      StopPolling();
      Unref();
    }
    return info.Env().Undefined();
  }

  UniqueFd fd_;
  Poll* poll_ = nullptr;
  Napi::FunctionReference callback_;
  std::unique_ptr<Napi::AsyncContext> context_;
  std::vector<uint8_t> buffer_;
};

}  // namespace

Napi::Value OpenLinkSubscription(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 2 || !info[0].IsString() || !info[1].IsNumber()) {
    throw Napi::TypeError::New(env, "openLinkSubscription(nsPath, rcvbuf)");
  }
  auto* worker =
      new OpenWorker(env, info[0].As<Napi::String>().Utf8Value(), info[1].As<Napi::Number>().Int32Value());
  return worker->queue();
}

Napi::Value CloseFd(const Napi::CallbackInfo& info) {
  if (info.Length() == 1 && info[0].IsNumber()) ::close(info[0].As<Napi::Number>().Int32Value());
  return info.Env().Undefined();
}

Napi::Function DefineLinkMonitor(Napi::Env env) {
  return LinkMonitor::Define(env);
}

}  // namespace netbond
