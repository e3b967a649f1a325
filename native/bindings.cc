// bindings.cc: JS <-> C++ conversion for the link batch. Types are asserted, not validated:
// lib/ validates user input once, before anything reaches here.
#include "bindings.h"

#include "link_ops.h"
#include "promise_worker.h"
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

std::vector<AttrInput> toAttrs(Napi::Env env, Napi::Value value, const char* what) {
  if (!value.IsArray()) typeError(env, what);
  Napi::Array array = value.As<Napi::Array>();
  std::vector<AttrInput> attrs;
  for (uint32_t i = 0; i < array.Length(); ++i) {
    Napi::Value item = array.Get(i);
    if (!item.IsObject()) typeError(env, what);
    Napi::Object object = item.As<Napi::Object>();
    AttrInput attr;
    attr.type = static_cast<uint16_t>(object.Get("type").As<Napi::Number>().Uint32Value());
    Napi::Value v = object.Get("value");
    if (v.IsNumber()) {
      attr.shape = AttrInput::Shape::Number;
      attr.number = v.As<Napi::Number>().Int64Value();
    } else if (v.IsTypedArray()) {
      attr.shape = AttrInput::Shape::Bytes;
      attr.bytes = toBytes(env, v, what);
    } else if (v.IsArray()) {
      attr.shape = AttrInput::Shape::List;
      Napi::Array list = v.As<Napi::Array>();
      for (uint32_t j = 0; j < list.Length(); ++j) attr.list.push_back(toBytes(env, list.Get(j), what));
    } else {
      typeError(env, what);
    }
    attrs.push_back(std::move(attr));
  }
  return attrs;
}

LinkRequest::Op toOp(Napi::Env env, const std::string& op) {
  if (op == "newlink") return LinkRequest::Op::NewLink;
  if (op == "dellink") return LinkRequest::Op::DelLink;
  if (op == "getlink") return LinkRequest::Op::GetLink;
  if (op == "dumplinks") return LinkRequest::Op::DumpLinks;
  if (op == "dumpbondstats") return LinkRequest::Op::DumpBondStats;
  if (op == "newaddr") return LinkRequest::Op::NewAddr;
  if (op == "deladdr") return LinkRequest::Op::DelAddr;
  if (op == "dumpaddrs") return LinkRequest::Op::DumpAddrs;
  if (op == "newroute") return LinkRequest::Op::NewRoute;
  if (op == "delroute") return LinkRequest::Op::DelRoute;
  if (op == "dumproutes") return LinkRequest::Op::DumpRoutes;
  typeError(env, "op");
}

// A field counts as given unless it is absent or undefined, so `{ up: undefined }` means "not set".
bool has(Napi::Object object, const char* key) {
  return !object.Get(key).IsUndefined();
}

LinkRequest toRequest(Napi::Env env, Napi::Object object) {
  LinkRequest request;
  request.op = toOp(env, object.Get("op").ToString().Utf8Value());
  request.create = object.Get("create").ToBoolean();
  request.stats = object.Get("stats").ToBoolean();
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

Napi::Buffer<uint8_t> toBuffer(Napi::Env env, const std::vector<uint8_t>& bytes) {
  return Napi::Buffer<uint8_t>::Copy(env, bytes.data(), bytes.size());
}

Napi::Object toJsAttrs(Napi::Env env, const std::vector<ParsedAttr>& attrs) {
  Napi::Object object = Napi::Object::New(env);
  for (const ParsedAttr& attr : attrs) {
    Napi::Value value;
    switch (attr.format) {
      case AttrFormat::Mac6:
      case AttrFormat::Binary: value = toBuffer(env, attr.bytes); break;
      case AttrFormat::Be32List:
      case AttrFormat::In6List: {
        Napi::Array list = Napi::Array::New(env, attr.list.size());
        for (size_t i = 0; i < attr.list.size(); ++i)
          list.Set(static_cast<uint32_t>(i), toBuffer(env, attr.list[i]));
        value = list;
        break;
      }
      case AttrFormat::AdInfo: value = toJsAttrs(env, attr.nested); break;
      default: value = Napi::Number::New(env, static_cast<double>(attr.number)); break;
    }
    object.Set(attr.type, value);
  }
  return object;
}

}  // namespace

Napi::Object toJsLink(Napi::Env env, const Link& link) {
  Napi::Object object = Napi::Object::New(env);
  object.Set("ifindex", link.ifindex);
  object.Set("ifname", link.ifname);
  object.Set("flags", link.flags);
  object.Set("mtu", link.mtu);
  object.Set("operstate", link.operstate);
  if (link.carrier) object.Set("carrier", *link.carrier != 0);
  object.Set("address", toBuffer(env, link.address));
  if (!link.permAddress.empty()) object.Set("permAddress", toBuffer(env, link.permAddress));
  object.Set("master", link.master);
  object.Set("numTxQueues", link.numTxQueues);
  if (link.event != 0) object.Set("event", link.event);
  if (!link.kind.empty()) object.Set("kind", link.kind);
  if (!link.slaveKind.empty()) object.Set("slaveKind", link.slaveKind);
  if (link.kind == "bond") object.Set("infoData", toJsAttrs(env, link.infoData));
  if (link.slaveKind == "bond") object.Set("slaveData", toJsAttrs(env, link.slaveData));
  if (link.stats) {
    Napi::Object stats = Napi::Object::New(env);
    const LinkStats& s = *link.stats;
    stats.Set("rxPackets", static_cast<double>(s.rxPackets));
    stats.Set("txPackets", static_cast<double>(s.txPackets));
    stats.Set("rxBytes", static_cast<double>(s.rxBytes));
    stats.Set("txBytes", static_cast<double>(s.txBytes));
    stats.Set("rxErrors", static_cast<double>(s.rxErrors));
    stats.Set("txErrors", static_cast<double>(s.txErrors));
    stats.Set("rxDropped", static_cast<double>(s.rxDropped));
    stats.Set("txDropped", static_cast<double>(s.txDropped));
    object.Set("stats", stats);
  }
  if (!link.lacpStats.empty()) {
    Napi::Array counters = Napi::Array::New(env, link.lacpStats.size());
    for (size_t i = 0; i < link.lacpStats.size(); ++i) {
      counters.Set(static_cast<uint32_t>(i), static_cast<double>(link.lacpStats[i]));
    }
    object.Set("lacpStats", counters);
  }
  return object;
}

namespace {

Napi::Object toJsAddr(Napi::Env env, const Addr& addr) {
  Napi::Object object = Napi::Object::New(env);
  object.Set("ifindex", addr.ifindex);
  object.Set("family", addr.family);
  object.Set("prefixLen", addr.prefixLen);
  object.Set("scope", addr.scope);
  object.Set("flags", addr.flags);
  if (!addr.local.empty()) object.Set("local", toBuffer(env, addr.local));
  if (!addr.address.empty()) object.Set("address", toBuffer(env, addr.address));
  if (!addr.broadcast.empty()) object.Set("broadcast", toBuffer(env, addr.broadcast));
  if (!addr.label.empty()) object.Set("label", addr.label);
  return object;
}

Napi::Object toJsRoute(Napi::Env env, const Route& route) {
  Napi::Object object = Napi::Object::New(env);
  object.Set("family", route.family);
  object.Set("dstLen", route.dstLen);
  object.Set("protocol", route.protocol);
  object.Set("scope", route.scope);
  object.Set("type", route.type);
  object.Set("table", route.table);
  object.Set("oif", route.oif);
  if (route.metric) object.Set("metric", *route.metric);
  if (!route.dst.empty()) object.Set("dst", toBuffer(env, route.dst));
  if (!route.gateway.empty()) object.Set("gateway", toBuffer(env, route.gateway));
  if (!route.prefsrc.empty()) object.Set("prefsrc", toBuffer(env, route.prefsrc));
  return object;
}

Napi::Object toJsReply(Napi::Env env, const Reply& reply) {
  if (const auto* link = std::get_if<Link>(&reply)) return toJsLink(env, *link);
  if (const auto* addr = std::get_if<Addr>(&reply)) return toJsAddr(env, *addr);
  return toJsRoute(env, std::get<Route>(reply));
}

class LinkBatchWorker : public PromiseWorker<std::vector<std::vector<Reply>>> {
 public:
  LinkBatchWorker(Napi::Env env, std::string nsPath, std::vector<LinkRequest> requests)
      : PromiseWorker(env), nsPath_(std::move(nsPath)), requests_(std::move(requests)) {}

 protected:
  std::vector<std::vector<Reply>> compute() override { return runBatch(nsPath_, requests_); }

  Napi::Value toJs(Napi::Env env, std::vector<std::vector<Reply>>& results) override {
    Napi::Array out = Napi::Array::New(env, results.size());
    for (size_t i = 0; i < results.size(); ++i) {
      Napi::Array links = Napi::Array::New(env, results[i].size());
      for (size_t j = 0; j < results[i].size(); ++j)
        links.Set(static_cast<uint32_t>(j), toJsReply(env, results[i][j]));
      out.Set(static_cast<uint32_t>(i), links);
    }
    return out;
  }

 private:
  std::string nsPath_;
  std::vector<LinkRequest> requests_;
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

}  // namespace

Napi::Value FileBatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 2 || !info[0].IsString() || !info[1].IsArray()) typeError(env, "arguments");
  std::vector<FileOp> ops;
  Napi::Array array = info[1].As<Napi::Array>();
  for (uint32_t i = 0; i < array.Length(); ++i) {
    Napi::Value item = array.Get(i);
    if (!item.IsObject()) typeError(env, "file op");
    ops.push_back(toFileOp(env, item.As<Napi::Object>()));
  }
  auto* worker = new FileBatchWorker(env, info[0].As<Napi::String>().Utf8Value(), std::move(ops));
  Napi::Promise promise = worker->promise();
  worker->Queue();
  return promise;
}

Napi::Value LinkBatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 2 || !info[0].IsString() || !info[1].IsArray()) typeError(env, "arguments");
  std::vector<LinkRequest> requests;
  Napi::Array array = info[1].As<Napi::Array>();
  for (uint32_t i = 0; i < array.Length(); ++i) {
    Napi::Value item = array.Get(i);
    if (!item.IsObject()) typeError(env, "request");
    requests.push_back(toRequest(env, item.As<Napi::Object>()));
  }
  auto* worker = new LinkBatchWorker(env, info[0].As<Napi::String>().Utf8Value(), std::move(requests));
  Napi::Promise promise = worker->promise();
  worker->Queue();
  return promise;
}

}  // namespace netbond
