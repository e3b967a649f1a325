#!/usr/bin/env bash
# Builds native/tests/native_test.cc with the plain C++ core under AddressSanitizer and
# UndefinedBehaviorSanitizer and runs it. Its last line is "N passed, N failed". The core is every
# native/*.cc but the Node-API files (addon, bindings, reply_js, monitor_binding); linking it here,
# without Node's headers, is what keeps napi.h out of it.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build/native-tests
mkdir -p "$out"
"${CXX:-g++}" -std=c++17 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined -Wall -Wextra -Wno-missing-field-initializers \
	native/tests/native_test.cc native/tests/reply_test.cc native/rtnl_batch.cc native/link_message.cc native/link_speed.cc native/link_monitor.cc \
	native/addr_route.cc native/netlink_attrs.cc native/netlink_message.cc native/netlink_reply.cc native/netlink_socket.cc \
	native/netns.cc native/socket_pool.cc native/sysfs.cc native/probe.cc native/tests/probe_test.cc native/tests/socket_pool_test.cc \
	-o "$out/native_test"
ASAN_OPTIONS=detect_leaks=1 "$out/native_test"
