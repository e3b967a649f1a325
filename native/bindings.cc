// bindings.cc: the rtnetlink and file batches, named namespaces and probes (Node-API): requests
// unpacked from JS, workers queued; replies become JS objects in reply_js.cc. Types are asserted,
// not validated: lib/ validates user input once, before anything reaches here.
#include "bindings.h"

#include <string>

#include "netns.h"
#include "probe.h"
#include "promise_worker.h"
#include "reply_js.h"
#include "rtnl_batch.h"
#include "sockets_binding.h"
#include "sysfs.h"

namespace netbond {
namespace {

[[noreturn]] void typeError(Napi::Env env, const char* what) {
  throw Napi::TypeError::New(env, std::string("netbond native: bad request field ") + what);
}

std::vector<uint8_t> toBytes(Napi::Env env, Napi::Value value, const char* what) {
  if (!value.IsTypedArray()) typeError(env, what);
  Napi::Uint8Array array = value.As<Napi::Uint8Array>();
  return std::vector<uint8_t>(array.Data(), array.Data() + array.ByteLength());
}

LinkRef toLinkRef(Napi::Env env, Napi::Value value, const char* what) {
  LinkRef ref;
  if (value.IsNumber()) {
    ref.ifindex = value.As<Napi::Number>().Uint32Value();
  } else if (value.IsObject() && value.As<Napi::Object>().Get("fromRequest").IsNumber()) {
    ref.fromRequest = value.As<Napi::Object>().Get("fromRequest").As<Napi::Number>().Int32Value();
  } else {
    typeError(env, what);
  }
  return ref;
}

std::vector<AttrInput> toAttrs(Napi::Env env, Napi::Value value, const char* what);

// One NativeAttr's value, by its JS shape (lib/native.ts NativeAttrValue); which shape an
// attribute takes is its table's business, checked when it is encoded.
AttrInput toAttr(Napi::Env env, Napi::Object object, const char* what) {
  AttrInput attr;
  attr.type = static_cast<uint16_t>(object.Get("type").As<Napi::Number>().Uint32Value());
  Napi::Value v = object.Get("value");
  if (v.IsNumber()) {
    attr.shape = AttrInput::Shape::Number;
    attr.number = v.As<Napi::Number>().Int64Value();
  } else if (v.IsString()) {
    attr.shape = AttrInput::Shape::Text;
    attr.text = v.As<Napi::String>().Utf8Value();
  } else if (v.IsTypedArray()) {
    attr.shape = AttrInput::Shape::Bytes;
    attr.bytes = toBytes(env, v, what);
  } else if (v.IsArray()) {
    attr.shape = AttrInput::Shape::List;
    Napi::Array list = v.As<Napi::Array>();
    for (uint32_t j = 0; j < list.Length(); ++j) attr.list.push_back(toBytes(env, list.Get(j), what));
  } else if (v.IsObject() && v.As<Napi::Object>().Get("nested").IsArray()) {
    attr.shape = AttrInput::Shape::Nested;
    attr.nested = toAttrs(env, v.As<Napi::Object>().Get("nested"), what);
  } else {
    typeError(env, what);
  }
  return attr;
}

std::vector<AttrInput> toAttrs(Napi::Env env, Napi::Value value, const char* what) {
  if (!value.IsArray()) typeError(env, what);
  Napi::Array array = value.As<Napi::Array>();
  std::vector<AttrInput> attrs;
  for (uint32_t i = 0; i < array.Length(); ++i) {
    Napi::Value item = array.Get(i);
    if (!item.IsObject()) typeError(env, what);
    attrs.push_back(toAttr(env, item.As<Napi::Object>(), what));
  }
  return attrs;
}

RtnlRequest::Op toOp(Napi::Env env, const std::string& op) {
  if (op == "newlink") return RtnlRequest::Op::NewLink;
  if (op == "dellink") return RtnlRequest::Op::DelLink;
  if (op == "getlink") return RtnlRequest::Op::GetLink;
  if (op == "dumplinks") return RtnlRequest::Op::DumpLinks;
  if (op == "dumpbondstats") return RtnlRequest::Op::DumpBondStats;
  if (op == "newaddr") return RtnlRequest::Op::NewAddr;
  if (op == "deladdr") return RtnlRequest::Op::DelAddr;
  if (op == "dumpaddrs") return RtnlRequest::Op::DumpAddrs;
  if (op == "newroute") return RtnlRequest::Op::NewRoute;
  if (op == "delroute") return RtnlRequest::Op::DelRoute;
  if (op == "dumproutes") return RtnlRequest::Op::DumpRoutes;
  typeError(env, "op");
}

// A field counts as given unless it is absent or undefined, so `{ up: undefined }` means "not set".
bool has(Napi::Object object, const char* key) {
  return !object.Get(key).IsUndefined();
}

RtnlRequest toRequest(Napi::Env env, Napi::Object object) {
  RtnlRequest request;
  request.op = toOp(env, object.Get("op").ToString().Utf8Value());
  request.create = object.Get("create").ToBoolean();
  request.stats = object.Get("stats").ToBoolean();
  request.portSpeeds = object.Get("portSpeeds").ToBoolean();
  if (has(object, "link")) request.link = toLinkRef(env, object.Get("link"), "link");
  if (has(object, "ifname")) request.ifname = object.Get("ifname").ToString().Utf8Value();
  if (has(object, "up")) request.up = object.Get("up").ToBoolean().Value();
  if (has(object, "master")) request.master = toLinkRef(env, object.Get("master"), "master");
  if (has(object, "mtu")) request.mtu = object.Get("mtu").As<Napi::Number>().Uint32Value();
  if (has(object, "address")) request.address = toBytes(env, object.Get("address"), "address");
  if (has(object, "kind")) request.kind = object.Get("kind").ToString().Utf8Value();
  if (has(object, "infoData")) {
    request.hasInfoData = true;
    request.infoData = toAttrs(env, object.Get("infoData"), "infoData");
  }
  if (has(object, "slaveData")) {
    request.hasSlaveData = true;
    request.slaveData = toAttrs(env, object.Get("slaveData"), "slaveData");
  }
  if (has(object, "parent")) request.parent = toLinkRef(env, object.Get("parent"), "parent");
  if (has(object, "netnsPath")) request.netnsPath = object.Get("netnsPath").ToString().Utf8Value();
  if (has(object, "expectKind")) request.expectKind = object.Get("expectKind").ToString().Utf8Value();
  if (has(object, "expectMaster"))
    request.expectMaster = toLinkRef(env, object.Get("expectMaster"), "expectMaster");
  if (has(object, "expectMtuOf"))
    request.expectMtuOf = toLinkRef(env, object.Get("expectMtuOf"), "expectMtuOf");
  if (has(object, "onlyIfUp")) request.onlyIfUp = toLinkRef(env, object.Get("onlyIfUp"), "onlyIfUp");
  if (has(object, "family"))
    request.family = static_cast<uint8_t>(object.Get("family").As<Napi::Number>().Uint32Value());
  if (has(object, "addr")) {
    Napi::Object addr = object.Get("addr").As<Napi::Object>();
    request.addr.family = static_cast<uint8_t>(addr.Get("family").As<Napi::Number>().Uint32Value());
    request.addr.prefixLen = static_cast<uint8_t>(addr.Get("prefixLen").As<Napi::Number>().Uint32Value());
    request.addr.local = toBytes(env, addr.Get("local"), "addr.local");
    if (has(addr, "broadcast"))
      request.addr.broadcast = toBytes(env, addr.Get("broadcast"), "addr.broadcast");
  }
  if (has(object, "route")) {
    Napi::Object route = object.Get("route").As<Napi::Object>();
    request.route.family = static_cast<uint8_t>(route.Get("family").As<Napi::Number>().Uint32Value());
    request.route.dstLen = static_cast<uint8_t>(route.Get("dstLen").As<Napi::Number>().Uint32Value());
    if (has(route, "dst")) request.route.dst = toBytes(env, route.Get("dst"), "route.dst");
    if (has(route, "gateway")) request.route.gateway = toBytes(env, route.Get("gateway"), "route.gateway");
    if (has(route, "metric")) request.route.metric = route.Get("metric").As<Napi::Number>().Uint32Value();
    if (has(route, "table")) request.route.table = route.Get("table").As<Napi::Number>().Uint32Value();
  }
  return request;
}

class RtnlBatchWorker : public PromiseWorker<BatchResults> {
 public:
  // On `pool`'s sockets; without one, on a socket opened for the batch in `nsPath`, or in a new
  // namespace with `newNamespace`.
  RtnlBatchWorker(Napi::Env env, std::shared_ptr<SocketPool> pool, std::string nsPath,
                  std::vector<RtnlRequest> requests, bool newNamespace = false)
      : PromiseWorker(env),
        pool_(std::move(pool)),
        nsPath_(std::move(nsPath)),
        requests_(std::move(requests)),
        newNamespace_(newNamespace) {}

 protected:
  BatchResults compute() override {
    if (pool_) {
      runRtnlBatch(*pool_, requests_, results_);
    } else if (!newNamespace_) {
      runRtnlBatch(nsPath_, requests_, results_);
    } else {
      NetlinkSocket socket = openSocketInNewNamespace();
      runRtnlBatch(socket, requests_, results_);
    }
    return std::move(results_);
  }

  Napi::Value toJs(Napi::Env env, BatchResults& results) override {
    Napi::Array out = Napi::Array::New(env, results.size());
    for (size_t i = 0; i < results.size(); ++i) {
      Napi::Array replies = Napi::Array::New(env, results[i].size());
      for (size_t j = 0; j < results[i].size(); ++j)
        replies.Set(static_cast<uint32_t>(j), toJsReply(env, results[i][j]));
      out.Set(static_cast<uint32_t>(i), replies);
    }
    return out;
  }

  // The replies of the requests before the one that failed.
  void addToError(Napi::Env env, Napi::Object error) override { error.Set("results", toJs(env, results_)); }

 private:
  std::shared_ptr<SocketPool> pool_;
  std::string nsPath_;
  std::vector<RtnlRequest> requests_;
  bool newNamespace_;
  BatchResults results_;  // filled as the batch runs; what ran before a failure
};

FileOp toFileOp(Napi::Env env, Napi::Object object) {
  FileOp op;
  const std::string kind = object.Get("op").ToString().Utf8Value();
  if (kind == "read")
    op.kind = FileOp::Kind::Read;
  else if (kind == "write")
    op.kind = FileOp::Kind::Write;
  else if (kind == "list")
    op.kind = FileOp::Kind::List;
  else
    typeError(env, "op");
  const std::string base = object.Get("base").ToString().Utf8Value();
  if (base == "sys")
    op.base = FileOp::Base::SysClassNet;
  else if (base == "procnet")
    op.base = FileOp::Base::ProcNet;
  else
    typeError(env, "base");
  op.path = object.Get("path").ToString().Utf8Value();
  if (has(object, "value")) op.value = object.Get("value").ToString().Utf8Value();
  op.optional = object.Get("optional").ToBoolean();
  return op;
}

class FileBatchWorker : public PromiseWorker<std::vector<FileResult>> {
 public:
  FileBatchWorker(Napi::Env env, std::string nsPath, std::vector<FileOp> ops)
      : PromiseWorker(env), nsPath_(std::move(nsPath)), ops_(std::move(ops)) {}

 protected:
  std::vector<FileResult> compute() override { return runFileBatch(nsPath_, ops_); }

  Napi::Value toJs(Napi::Env env, std::vector<FileResult>& results) override {
    Napi::Array out = Napi::Array::New(env, results.size());
    for (size_t i = 0; i < results.size(); ++i) {
      const FileResult& result = results[i];
      Napi::Value value;
      if (result.missing) {
        value = env.Null();
      } else if (ops_[i].kind == FileOp::Kind::List) {
        Napi::Array names = Napi::Array::New(env, result.names.size());
        for (size_t j = 0; j < result.names.size(); ++j) names.Set(static_cast<uint32_t>(j), result.names[j]);
        value = names;
      } else {
        value = Napi::String::New(env, result.text);
      }
      out.Set(static_cast<uint32_t>(i), value);
    }
    return out;
  }

 private:
  std::string nsPath_;
  std::vector<FileOp> ops_;
};

class NetnsCookieWorker : public PromiseWorker<uint64_t> {
 public:
  NetnsCookieWorker(Napi::Env env, std::string nsPath) : PromiseWorker(env), nsPath_(std::move(nsPath)) {}

 protected:
  uint64_t compute() override { return netnsCookieIn(nsPath_); }
  // Decimal text: a cookie can exceed 2^53, and a string needs no BigInt support.
  Napi::Value toJs(Napi::Env env, uint64_t& cookie) override {
    return Napi::String::New(env, std::to_string(cookie));
  }

 private:
  std::string nsPath_;
};

class NamedNamespaceWorker : public PromiseWorker<bool> {
 public:
  NamedNamespaceWorker(Napi::Env env, bool add, std::string path)
      : PromiseWorker(env), add_(add), path_(std::move(path)) {}

 protected:
  bool compute() override {
    if (add_)
      createNamedNamespace(path_);
    else
      deleteNamedNamespace(path_);
    return true;
  }
  Napi::Value toJs(Napi::Env env, bool&) override { return env.Undefined(); }

 private:
  bool add_;
  std::string path_;
};

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
  request.address = toBytes(env, object.Get("address"), "address");
  const size_t size = request.address.size();
  if (size != 4 && !(size == 16 && request.kind != ProbeRequest::Kind::Arp)) typeError(env, "address");
  if (!object.Get("timeoutMs").IsNumber()) typeError(env, "timeoutMs");
  request.timeoutMs = object.Get("timeoutMs").As<Napi::Number>().Uint32Value();
  if (object.Get("port").IsNumber())
    request.port = static_cast<uint16_t>(object.Get("port").As<Napi::Number>().Uint32Value());
  if (object.Get("ifname").IsString()) request.ifname = object.Get("ifname").As<Napi::String>().Utf8Value();
  if (request.kind == ProbeRequest::Kind::Arp && request.ifname.empty()) typeError(env, "ifname");
  if (!object.Get("senderAddress").IsUndefined())
    request.senderAddress = toBytes(env, object.Get("senderAddress"), "senderAddress");
  return request;
}

// A batch's items (an array of objects), each unpacked with `toItem`.
template <typename Item>
std::vector<Item> toItems(Napi::Env env, Napi::Value value, const char* itemName,
                          Item (*toItem)(Napi::Env, Napi::Object)) {
  if (!value.IsArray()) typeError(env, "arguments");
  std::vector<Item> items;
  Napi::Array array = value.As<Napi::Array>();
  for (uint32_t i = 0; i < array.Length(); ++i) {
    Napi::Value item = array.Get(i);
    if (!item.IsObject()) typeError(env, itemName);
    items.push_back(toItem(env, item.As<Napi::Object>()));
  }
  return items;
}

}  // namespace

Napi::Value FileBatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 2 || !info[0].IsString()) typeError(env, "arguments");
  const std::string nsPath = info[0].As<Napi::String>().Utf8Value();
  return (new FileBatchWorker(env, nsPath, toItems(env, info[1], "file op", toFileOp)))->queue();
}

Napi::Value RtnlBatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 2) typeError(env, "arguments");
  std::shared_ptr<SocketPool> pool = socketPoolFor(env, info[0]);
  const std::string nsPath = pool ? "" : info[0].As<Napi::String>().Utf8Value();
  return (new RtnlBatchWorker(env, std::move(pool), nsPath, toItems(env, info[1], "request", toRequest)))
      ->queue();
}

Napi::Value RtnlBatchInNewNamespace(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 1) typeError(env, "arguments");
  auto* worker = new RtnlBatchWorker(env, nullptr, "", toItems(env, info[0], "request", toRequest), true);
  return worker->queue();
}

Napi::Value NamedNamespace(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 2 || !info[0].IsString() || !info[1].IsString()) typeError(env, "arguments");
  const std::string op = info[0].As<Napi::String>().Utf8Value();
  if (op != "add" && op != "delete") typeError(env, "op");
  return (new NamedNamespaceWorker(env, op == "add", info[1].As<Napi::String>().Utf8Value()))->queue();
}

Napi::Value NetnsCookie(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 1 || !info[0].IsString()) typeError(env, "arguments");
  return (new NetnsCookieWorker(env, info[0].As<Napi::String>().Utf8Value()))->queue();
}

Napi::Value Probe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 2 || !info[0].IsString() || !info[1].IsObject()) typeError(env, "arguments");
  auto* worker = new ProbeWorker(env, info[0].As<Napi::String>().Utf8Value(),
                                 toProbeRequest(env, info[1].As<Napi::Object>()));
  return worker->queue();
}

}  // namespace netbond
