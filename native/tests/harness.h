// harness.h: the native tests' two primitives. A check counts; a test body that throws counts as
// one failed check. main() (native_test.cc) prints "N passed, N failed".
#pragma once

#include <functional>
#include <string>

namespace netbond_test {

void check(bool ok, const std::string& what);
void test(const char* name, const std::function<void()>& body);
// Prints the totals; returns main's exit status.
int summary();

// The suites in other files, run by main().
void replyTests();

}  // namespace netbond_test
