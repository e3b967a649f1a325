#!/usr/bin/env bash
# npm run fuzz: builds the netlink fuzz target (native/fuzz/fuzz_netlink_parser.cc: the reply path,
# the decoders, the builder) with libFuzzer + AddressSanitizer + UndefinedBehaviorSanitizer (clang,
# Debian packages clang and libclang-rt-dev, installed by `scripts/setup.sh --test`) and runs
# it for a fixed time budget (NETBOND_FUZZ_SECONDS, default 60; npm test runs it for 30). Prints
# how many inputs ran, then "1 passed, 0 failed" (or "0 passed, 1 failed" on any crash) last.
set -euo pipefail
cd "$(dirname "$0")/../.."
clang=${CLANGXX:-$(command -v clang++ || command -v clang++-14 || true)}
if [[ -z $clang ]]; then
	echo "run-fuzz: needs clang with libFuzzer: apt-get install -y clang libclang-rt-dev" >&2
	echo "0 passed, 1 failed"
	exit 2
fi
seconds=${NETBOND_FUZZ_SECONDS:-60}
[[ $seconds =~ ^[0-9]+$ ]] || { echo "run-fuzz: NETBOND_FUZZ_SECONDS must be a number of seconds" >&2; exit 2; }
out=build/fuzz
mkdir -p "$out/corpus"
"$clang" -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	native/fuzz/fuzz_netlink_parser.cc native/link_message.cc native/addr_route.cc native/netlink_attrs.cc \
	native/netlink_message.cc native/netlink_reply.cc \
	-o "$out/fuzz_netlink_parser"
# Seeds give the fuzzer the shapes to start from: an attribute, an ack, an error with its
# extended-ack text, a DONE with a status and TLVs (each a whole netlink message, seq 0, port 0).
printf '\x00' >"$out/corpus/empty-ish"
printf '\x08\x00\x01\x00\x04\x00\x00\x00' >"$out/corpus/u32-attr"
printf '\x24\x00\x00\x00\x02\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x10\x00\x00\x00\x10\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00' >"$out/corpus/ack"
printf '\x2c\x00\x00\x00\x02\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\xff\xff\x10\x00\x00\x00\x10\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x08\x00\x01\x00\x6e\x6f\x21\x00' >"$out/corpus/error-text"
printf '\x1c\x00\x00\x00\x03\x00\x02\x02\x00\x00\x00\x00\x00\x00\x00\x00\xa1\xff\xff\xff\x08\x00\x01\x00\x6e\x6f\x21\x00' >"$out/corpus/done-text"
log="$out/last-run.log"
status=0
"$out/fuzz_netlink_parser" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 -artifact_prefix="$out/" "$out/corpus" >"$log" 2>&1 || status=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
if [[ $status -ne 0 ]]; then
	tail -n 60 "$log" >&2
	echo "fuzz: crashed after ${runs:-?} inputs (reproducer in $out/crash-*, log $log)"
	echo "0 passed, 1 failed"
	exit 1
fi
echo "fuzz: ${runs:-?} inputs in ${seconds} s, no crash, no leak, no round-trip mismatch"
echo "1 passed, 0 failed"
