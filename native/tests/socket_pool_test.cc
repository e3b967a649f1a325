// socket_pool_test.cc: batches on a pool of sockets in this host's own namespace: a socket is
// reused rather than opened again, a closed pool refuses and closes what it held, a batch stops
// at a getlink whose expectation does not hold, with the replies before it, and a request made
// conditional on a link being up is skipped when it is down; and, in a private namespace too, a
// getlink whose link does not take the MTU of one read before it stops the batch, and a read with
// portSpeeds gives the ports (and no other link) their driver's speed and duplex.
#include "../socket_pool.h"

#include <dirent.h>
#include <net/if.h>

#include <string>
#include <vector>

#include "../os_error.h"
#include "../rtnl_batch.h"
#include "harness.h"

namespace netbond_test {
namespace {

using netbond::BatchResults;
using netbond::OsError;
using netbond::RtnlRequest;
using netbond::SocketPool;

int openFds() {
  int count = 0;
  DIR* dir = ::opendir("/proc/self/fd");
  while (dir && ::readdir(dir)) ++count;
  if (dir) ::closedir(dir);
  return count;
}

RtnlRequest getLo() {
  RtnlRequest request;
  request.op = RtnlRequest::Op::GetLink;
  request.ifname = "lo";
  return request;
}

// The errno and request index the batch failed with, or 0 and -1 when it did not fail.
std::pair<int, int> failure(SocketPool& pool, const std::vector<RtnlRequest>& requests, BatchResults& results,
                            std::string* syscall = nullptr) {
  try {
    runRtnlBatch(pool, requests, results);
  } catch (const OsError& error) {
    if (syscall) *syscall = error.syscall;
    return {error.errnum, error.requestIndex};
  }
  return {0, -1};
}

}  // namespace

void socketPoolTests() {
  test("a pool reuses its socket, and a closed pool refuses and closes it", [] {
    SocketPool pool("");
    BatchResults results;
    const int before = openFds();
    runRtnlBatch(pool, {getLo()}, results);
    check(results.size() == 1 && results[0].size() == 1, "lo read");
    const int afterFirst = openFds();
    for (int i = 0; i < 20; ++i) runRtnlBatch(pool, {getLo(), getLo()}, results);
    check(afterFirst == before + 1 && openFds() == afterFirst, "one socket, kept and reused");
    pool.close();
    check(openFds() == before, "closing the pool closed it");
    check(failure(pool, {getLo()}, results) == std::make_pair(EBADF, -1), "a closed pool refuses with EBADF");
  });

  test("a getlink whose expectation fails stops the batch, with the replies before it", [] {
    SocketPool pool("");
    BatchResults results;
    RtnlRequest notBond = getLo();
    notBond.expectKind = "bond";
    std::string syscall;
    check(failure(pool, {getLo(), notBond, getLo()}, results, &syscall) == std::make_pair(EINVAL, 1) &&
              syscall == "expect kind",
          "lo is not a bond: EINVAL at request 1");
    check(results.size() == 1 && results[0].size() == 1, "request 0's reply kept");
    RtnlRequest mastered = getLo();
    mastered.expectMaster = netbond::LinkRef{1, -1};
    check(failure(pool, {mastered}, results, &syscall) == std::make_pair(EINVAL, 0) &&
              syscall == "expect master",
          "lo has no master: EINVAL");
    RtnlRequest free = getLo();
    free.expectMaster = netbond::LinkRef{0, -1};
    check(failure(pool, {free}, results) == std::make_pair(0, -1), "lo has no master, as expected");
  });

  inPrivateNamespace("a request only if a link is up is skipped while it is down, sent when it is up", [] {
    SocketPool pool("");  // this thread's namespace: a new one, where lo is down
    BatchResults results;
    RtnlRequest up;
    up.op = RtnlRequest::Op::NewLink;
    up.ifname = "lo";
    up.up = true;
    RtnlRequest upIfUp = up;
    upIfUp.onlyIfUp = netbond::LinkRef{0, 0};
    runRtnlBatch(pool, {getLo(), upIfUp, getLo()}, results);
    const auto flags = [&results](size_t i) { return std::get<netbond::Link>(results[i][0]).flags; };
    check(results[1].empty() && (flags(2) & IFF_UP) == 0, "skipped: lo is still down");
    RtnlRequest downIfUp = up;
    downIfUp.up = false;
    downIfUp.onlyIfUp = netbond::LinkRef{0, 1};
    runRtnlBatch(pool, {up, getLo(), downIfUp, getLo()}, results);
    check((flags(1) & IFF_UP) != 0 && (flags(3) & IFF_UP) == 0, "sent: lo was up, and is down now");
  });

  inPrivateNamespace("a getlink stops the batch unless the link takes the MTU of one read before it", [] {
    netbond::NetlinkSocket setup = netbond::NetlinkSocket::open();
    addVethPair(setup, "va", "vb");
    SocketPool pool("");
    BatchResults results;
    RtnlRequest getVa = getLo();
    getVa.ifname = "va";
    runRtnlBatch(pool, {getLo(), getVa}, results);
    const auto& lo = std::get<netbond::Link>(results[0][0]);
    const auto& va = std::get<netbond::Link>(results[1][0]);
    // IFLA_MIN_MTU / IFLA_MAX_MTU: lo has no limit (0), a veth takes 68..65535 (ETH_MAX_MTU).
    check(lo.maxMtu == 0u && va.minMtu == 68u && va.maxMtu == 65535u,
          "the MTU range of lo and of a veth decoded");
    RtnlRequest vaTakesLo = getVa;
    vaTakesLo.expectMtuOf = netbond::LinkRef{0, 0};
    std::string syscall;
    check(failure(pool, {getLo(), vaTakesLo, getLo()}, results, &syscall) == std::make_pair(EINVAL, 1) &&
              syscall == "expect mtu" && results.size() == 1,
          "lo's 65536 is above the veth's maximum: EINVAL at request 1, request 0's reply kept");
    RtnlRequest loTakesVa = getLo();
    loTakesVa.expectMtuOf = netbond::LinkRef{0, 0};
    check(failure(pool, {getVa, loTakesVa}, results) == std::make_pair(0, -1),
          "lo takes the veth's 1500: no limit");
    RtnlRequest vbTakesVa = getVa;
    vbTakesVa.ifname = "vb";
    vbTakesVa.expectMtuOf = netbond::LinkRef{0, 0};
    check(failure(pool, {getVa, vbTakesVa}, results) == std::make_pair(0, -1),
          "a veth takes its peer's 1500");
  });

  inPrivateNamespace("a read with portSpeeds gives each port its driver's speed and duplex", [] {
    netbond::NetlinkSocket setup = netbond::NetlinkSocket::open();
    addVethPair(setup, "va", "vb");
    SocketPool pool("");
    BatchResults results;
    RtnlRequest bridge;
    bridge.op = RtnlRequest::Op::NewLink;
    bridge.create = true;
    bridge.ifname = "br0";
    bridge.kind = "bridge";
    RtnlRequest getBridge = getLo();
    getBridge.ifname = "br0";
    RtnlRequest port;
    port.op = RtnlRequest::Op::NewLink;
    port.ifname = "va";
    port.master = netbond::LinkRef{0, 1};
    port.up = true;
    RtnlRequest peerUp;
    peerUp.op = RtnlRequest::Op::NewLink;
    peerUp.ifname = "vb";
    peerUp.up = true;
    runRtnlBatch(pool, {bridge, getBridge, port, peerUp}, results);

    RtnlRequest dump;
    dump.op = RtnlRequest::Op::DumpLinks;
    dump.portSpeeds = true;
    RtnlRequest plainDump = dump;
    plainDump.portSpeeds = false;
    RtnlRequest getVa = getLo();
    getVa.ifname = "va";
    getVa.portSpeeds = true;
    runRtnlBatch(pool, {dump, plainDump, getVa}, results);
    const auto find = [&results](size_t request, const std::string& name) -> const netbond::Link* {
      for (const auto& reply : results[request]) {
        const auto* link = std::get_if<netbond::Link>(&reply);
        if (link && link->ifname == name) return link;
      }
      return nullptr;
    };
    const netbond::Link* va = find(0, "va");
    check(va && va->speed == 10000u && va->duplex == 1u, "the port: a veth's 10000 Mb/s full duplex");
    const netbond::Link* vb = find(0, "vb");
    const netbond::Link* br0 = find(0, "br0");
    check(vb && !vb->speed && !vb->duplex && br0 && !br0->speed, "links without a master: not asked");
    const netbond::Link* unasked = find(1, "va");
    check(unasked && !unasked->speed && !unasked->duplex, "a dump without portSpeeds: none");
    const netbond::Link* got = find(2, "va");
    check(got && got->speed == 10000u && got->duplex == 1u, "a getlink with portSpeeds too");
  });
}

}  // namespace netbond_test
