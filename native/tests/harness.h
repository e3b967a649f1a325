// harness.h: the native tests' two primitives. A check counts; a test body that throws counts as
// one failed check. main() (native_test.cc) prints "N passed, N failed".
#pragma once

#include <functional>
#include <string>

#include "../netlink_socket.h"

namespace netbond_test {

void check(bool ok, const std::string& what);
void test(const char* name, const std::function<void()>& body);
// Prints the totals; returns main's exit status.
int summary();

// Runs `body` as test `name` on a thread of its own in a new network namespace (root only).
void inPrivateNamespace(const char* name, const std::function<void()>& body);
// Adds a veth pair through `socket` (the pair is down).
void addVethPair(netbond::NetlinkSocket& socket, const std::string& name, const std::string& peer);

// The suites in other files, run by main().
void replyTests();
void probeTests();
void socketPoolTests();

}  // namespace netbond_test
