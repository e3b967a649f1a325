#!/usr/bin/env bash
# npm run fuzz: builds the netlink parser fuzz target with libFuzzer + AddressSanitizer +
# UndefinedBehaviorSanitizer (clang, Debian packages clang-14 and libclang-rt-14-dev) and runs it
# for a fixed time budget (NETBOND_FUZZ_SECONDS, default 60). Exit status non-zero on any crash.
set -euo pipefail
cd "$(dirname "$0")/../.."
clang=${CLANGXX:-$(command -v clang++-14 || command -v clang++ || true)}
if [[ -z $clang ]]; then
	echo "run-fuzz: needs clang with libFuzzer: apt-get install -y clang-14 libclang-rt-14-dev" >&2
	exit 2
fi
out=build/fuzz
mkdir -p "$out/corpus"
"$clang" -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	native/fuzz/fuzz_netlink_parser.cc native/link_message.cc native/addr_route.cc native/netlink_attrs.cc \
	native/netlink_message.cc \
	-o "$out/fuzz_netlink_parser"
# Seeds: real kernel messages would be ideal; a few hand-made shapes give the fuzzer a start.
printf '\x00' >"$out/corpus/empty-ish"
printf '\x08\x00\x01\x00\x04\x00\x00\x00' >"$out/corpus/u32-attr"
"$out/fuzz_netlink_parser" -max_total_time="${NETBOND_FUZZ_SECONDS:-60}" -max_len=4096 -print_final_stats=1 "$out/corpus"
