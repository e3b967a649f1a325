// reply_js.cc: C++ -> JS conversion of decoded links, addresses and routes (Node-API; lib/native.ts
// NativeLink, NativeAddr, NativeRoute). Each conversion is the list of its fields; a kind's
// attributes become an object keyed by attribute number, in the shape its width table gave them,
// which lib/ decodes per kind.
#include "reply_js.h"

#include <initializer_list>
#include <iterator>
#include <tuple>
#include <utility>

namespace netbond {
namespace {

// Bytes (an address, a MAC) as a Node Buffer, the form every decoded reply hands them to JS in.
Napi::Buffer<uint8_t> toJsBuffer(Napi::Env env, const std::vector<uint8_t>& bytes) {
  return Napi::Buffer<uint8_t>::Copy(env, bytes.data(), bytes.size());
}

// Plain numeric fields, always present, in the order given.
void setNumbers(Napi::Object object, std::initializer_list<std::pair<const char*, double>> fields) {
  for (const auto& [name, value] : fields) object.Set(name, value);
}

// Address fields as Buffers; an address the reply did not carry (empty) is left out.
void setBuffers(Napi::Env env, Napi::Object object,
                std::initializer_list<std::pair<const char*, const std::vector<uint8_t>&>> fields) {
  for (const auto& [name, bytes] : fields) {
    if (!bytes.empty()) object.Set(name, toJsBuffer(env, bytes));
  }
}

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
      case AttrFormat::AdInfo:
      case AttrFormat::LinkMessage: value = toJsAttrs(env, attr.nested); break;
      case AttrFormat::String: value = Napi::String::New(env, attr.text); break;
      default: value = Napi::Number::New(env, static_cast<double>(attr.number)); break;
    }
    object.Set(attr.type, value);
  }
  return object;
}

// LinkStats by index, as lib/native.ts NativeLinkStats names them.
constexpr const char* kStatsNames[] = {"rxPackets", "txPackets", "rxBytes",   "txBytes",
                                       "rxErrors",  "txErrors",  "rxDropped", "txDropped"};
static_assert(std::size(kStatsNames) == std::tuple_size<LinkStats>::value, "a name for every counter");

// The u64 counters become JS numbers, as lib/native.ts types them: exact up to 2^53.
Napi::Object toJsStats(Napi::Env env, const LinkStats& counters) {
  Napi::Object stats = Napi::Object::New(env);
  for (size_t i = 0; i < counters.size(); ++i) stats.Set(kStatsNames[i], static_cast<double>(counters[i]));
  return stats;
}

Napi::Object toJsAddr(Napi::Env env, const Addr& addr) {
  Napi::Object object = Napi::Object::New(env);
  const ifaddrmsg& header = addr.header;
  // ifa_index is unsigned on the wire, an int ifindex in the kernel.
  setNumbers(object, {{"ifindex", static_cast<int32_t>(header.ifa_index)},
                      {"family", header.ifa_family},
                      {"prefixLen", header.ifa_prefixlen},
                      {"scope", header.ifa_scope},
                      {"flags", addr.flags}});
  setBuffers(env, object, {{"local", addr.local}, {"address", addr.address}, {"broadcast", addr.broadcast}});
  if (!addr.label.empty()) object.Set("label", addr.label);
  return object;
}

Napi::Object toJsRoute(Napi::Env env, const Route& route) {
  Napi::Object object = Napi::Object::New(env);
  const rtmsg& header = route.header;
  setNumbers(object, {{"family", header.rtm_family},
                      {"dstLen", header.rtm_dst_len},
                      {"protocol", header.rtm_protocol},
                      {"scope", header.rtm_scope},
                      {"type", header.rtm_type},
                      {"table", route.table},
                      {"oif", route.oif}});
  if (route.metric) object.Set("metric", *route.metric);
  setBuffers(env, object, {{"dst", route.dst}, {"gateway", route.gateway}, {"prefsrc", route.prefsrc}});
  return object;
}

}  // namespace

// Properties are set in the order a NativeLink has always had them, so a dump of one reads the same.
Napi::Object toJsLink(Napi::Env env, const Link& link) {
  Napi::Object object = Napi::Object::New(env);
  object.Set("ifindex", link.ifindex);
  object.Set("ifname", link.ifname);
  setNumbers(object, {{"flags", link.flags}, {"mtu", link.mtu}, {"operstate", link.operstate}});
  if (link.minMtu) object.Set("minMtu", *link.minMtu);
  if (link.maxMtu) object.Set("maxMtu", *link.maxMtu);
  if (link.carrier) object.Set("carrier", *link.carrier != 0);
  object.Set("address", toJsBuffer(env, link.address));  // always there, empty for a link without one
  setBuffers(env, object, {{"permAddress", link.permAddress}});
  setNumbers(object, {{"master", link.master}, {"numTxQueues", link.numTxQueues}});
  if (link.event != 0) object.Set("event", link.event);
  if (!link.kind.empty()) object.Set("kind", link.kind);
  if (!link.slaveKind.empty()) object.Set("slaveKind", link.slaveKind);
  // Present (maybe empty) for every kind with a table, so "no data" and "not decoded" differ.
  if (kindDataSpace(link.kind)) object.Set("infoData", toJsAttrs(env, link.infoData));
  if (kindSlaveDataSpace(link.slaveKind)) object.Set("slaveData", toJsAttrs(env, link.slaveData));
  if (link.parent != 0) object.Set("parent", link.parent);
  if (link.linkNetnsId) object.Set("linkNetnsId", *link.linkNetnsId);
  if (link.stats) object.Set("stats", toJsStats(env, *link.stats));
  if (link.speed) object.Set("speed", *link.speed);
  if (link.duplex) object.Set("duplex", *link.duplex);
  if (!link.lacpStats.empty()) {
    Napi::Array counters = Napi::Array::New(env, link.lacpStats.size());
    for (size_t i = 0; i < link.lacpStats.size(); ++i) {
      counters.Set(static_cast<uint32_t>(i), static_cast<double>(link.lacpStats[i]));
    }
    object.Set("lacpStats", counters);
  }
  return object;
}

Napi::Object toJsReply(Napi::Env env, const Reply& reply) {
  if (const auto* link = std::get_if<Link>(&reply)) return toJsLink(env, *link);
  if (const auto* addr = std::get_if<Addr>(&reply)) return toJsAddr(env, *addr);
  return toJsRoute(env, std::get<Route>(reply));
}

}  // namespace netbond
