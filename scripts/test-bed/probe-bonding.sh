#!/usr/bin/env bash
# probe-bonding.sh: does the *running* kernel support bonding?
#
# Usage: scripts/test-bed/probe-bonding.sh
#   exit 0  a bond can be created (needs root / CAP_NET_ADMIN and CAP_SYS_ADMIN)
#   exit 1  it cannot; one line on stderr says why
#
# Why a throwaway network namespace: creating "nbprobe0" in the caller's own
# namespace could collide with (or disturb) real interfaces, and a namespace
# is cheap to delete together with everything in it. Its name contains our
# PID so concurrent probes do not collide.
set -euo pipefail

ns="netbond-probe-$$"
made_ns=0

cleanup() {
	# Only delete the namespace this run created: never one of the same name
	# that existed before (ip netns add would have failed then).
	if [[ $made_ns == 1 ]]; then
		ip netns del "$ns" >/dev/null 2>&1 || true
	fi
}
trap cleanup EXIT
# Make INT/TERM run the EXIT trap too (bash skips it when killed by a signal).
trap 'exit 1' INT TERM HUP

fail() {
	printf 'probe-bonding: %s\n' "$1" >&2
	exit 1
}

command -v ip >/dev/null 2>&1 || fail "ip (iproute2) not found in PATH"

if ! err=$(ip netns add "$ns" 2>&1); then
	fail "cannot create network namespace $ns: ${err//$'\n'/ }"
fi
made_ns=1

# "Unknown device type" here means no bonding driver (built in or loadable).
if ! err=$(ip -n "$ns" link add nbprobe0 type bond 2>&1); then
	fail "cannot create a bond: ${err//$'\n'/ }"
fi
exit 0
