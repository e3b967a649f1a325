// link_js.cc: C++ -> JS conversion of a decoded link. Bond attributes become an object keyed by
// attribute number, in the shape the width table gave them (Node-API; lib/native.ts NativeLink).
#include "link_js.h"

namespace netbond {
namespace {

Napi::Object toJsAttrs(Napi::Env env, const std::vector<ParsedAttr>& attrs) {
  Napi::Object object = Napi::Object::New(env);
  for (const ParsedAttr& attr : attrs) {
    Napi::Value value;
    switch (attr.format) {
      case AttrFormat::Mac6:
      case AttrFormat::Binary: value = toJsBuffer(env, attr.bytes); break;
      case AttrFormat::Be32List:
      case AttrFormat::In6List: {
        Napi::Array list = Napi::Array::New(env, attr.list.size());
        for (size_t i = 0; i < attr.list.size(); ++i)
          list.Set(static_cast<uint32_t>(i), toJsBuffer(env, attr.list[i]));
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

// The u64 counters become JS numbers, as lib/native.ts types them: exact up to 2^53.
Napi::Object toJsStats(Napi::Env env, const LinkStats& s) {
  Napi::Object stats = Napi::Object::New(env);
  stats.Set("rxPackets", static_cast<double>(s.rxPackets));
  stats.Set("txPackets", static_cast<double>(s.txPackets));
  stats.Set("rxBytes", static_cast<double>(s.rxBytes));
  stats.Set("txBytes", static_cast<double>(s.txBytes));
  stats.Set("rxErrors", static_cast<double>(s.rxErrors));
  stats.Set("txErrors", static_cast<double>(s.txErrors));
  stats.Set("rxDropped", static_cast<double>(s.rxDropped));
  stats.Set("txDropped", static_cast<double>(s.txDropped));
  return stats;
}

}  // namespace

Napi::Buffer<uint8_t> toJsBuffer(Napi::Env env, const std::vector<uint8_t>& bytes) {
  return Napi::Buffer<uint8_t>::Copy(env, bytes.data(), bytes.size());
}

Napi::Object toJsLink(Napi::Env env, const Link& link) {
  Napi::Object object = Napi::Object::New(env);
  object.Set("ifindex", link.ifindex);
  object.Set("ifname", link.ifname);
  object.Set("flags", link.flags);
  object.Set("mtu", link.mtu);
  object.Set("operstate", link.operstate);
  if (link.carrier) object.Set("carrier", *link.carrier != 0);
  object.Set("address", toJsBuffer(env, link.address));
  if (!link.permAddress.empty()) object.Set("permAddress", toJsBuffer(env, link.permAddress));
  object.Set("master", link.master);
  object.Set("numTxQueues", link.numTxQueues);
  if (link.event != 0) object.Set("event", link.event);
  if (!link.kind.empty()) object.Set("kind", link.kind);
  if (!link.slaveKind.empty()) object.Set("slaveKind", link.slaveKind);
  if (link.kind == "bond") object.Set("infoData", toJsAttrs(env, link.infoData));
  if (link.slaveKind == "bond") object.Set("slaveData", toJsAttrs(env, link.slaveData));
  if (link.stats) object.Set("stats", toJsStats(env, *link.stats));
  if (!link.lacpStats.empty()) {
    Napi::Array counters = Napi::Array::New(env, link.lacpStats.size());
    for (size_t i = 0; i < link.lacpStats.size(); ++i) {
      counters.Set(static_cast<uint32_t>(i), static_cast<double>(link.lacpStats[i]));
    }
    object.Set("lacpStats", counters);
  }
  return object;
}

}  // namespace netbond
