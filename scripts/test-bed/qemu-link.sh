#!/usr/bin/env bash
# qemu-link.sh: pull or restore a NIC's cable from inside a qemu-run.sh guest,
# without starting Node (a Node process costs 1-2 s in the guest; this ~20 ms).
#
# Usage (in the guest): scripts/test-bed/qemu-link.sh set NAME up|down [NAME up|down ...]
#
# The same one-line protocol as qemu-link.mjs (which documents it): write
# "ID set NAME up|down" to the virtio port named netbond.link, read lines
# until "ID ok" or "ID error MESSAGE". Exit status 0 when QEMU has done it.
set -euo pipefail

prog=${0##*/}
die() {
	printf '%s: %s\n' "$prog" "$*" >&2
	exit 1
}

[[ $# -ge 3 && $1 == set && $(($# % 2)) == 1 ]] || {
	printf 'usage: %s set NAME up|down [NAME up|down ...]\n' "$prog" >&2
	exit 2
}
shift

port=
for f in /sys/class/virtio-ports/*/name; do
	[[ -r $f && $(<"$f") == netbond.link ]] || continue
	port=${f%/name}
	port=/dev/${port##*/}
done
[[ -n $port ]] || die "no virtio port named netbond.link: not inside a qemu-run.sh guest"

# The port opens for one process at a time (EBUSY): wait for our turn.
for ((try = 0; ; try++)); do
	# (The group keeps 2>/dev/null from sticking to the script, as `exec` would.)
	{ exec 9<>"$port"; } 2>/dev/null && break
	((try < 1500)) || die "cannot open $port (busy for 30 s)"
	sleep 0.02
done

while [[ $# -gt 0 ]]; do
	name=$1 state=$2
	shift 2
	[[ $name =~ ^[A-Za-z][A-Za-z0-9._-]{0,63}$ ]] || die "bad NIC name: $name"
	[[ $state == up || $state == down ]] || die "expected up or down after $name, got: $state"
	id=$$-$RANDOM$RANDOM
	printf '%s set %s %s\n' "$id" "$name" "$state" >&9
	while :; do
		IFS= read -r -t 30 line <&9 || die "no answer from the host relay for set_link $name $state"
		[[ $line == "$id "* ]] || continue # a dead caller's answer
		answer=${line#"$id "}
		[[ $answer == ok ]] && break
		die "set_link $name $state: ${answer#error }"
	done
done
