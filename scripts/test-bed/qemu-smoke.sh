#!/usr/bin/env bash
# qemu-smoke.sh: the QEMU test bed's smoke test, run inside a qemu-run.sh guest:
# the image boots, bonding loads on first use, the NICs have real drivers,
# and a cable pulled through QMP fails an active-backup bond over.
#
# Usage (from the repo root, after npm run build for the Node part):
#   scripts/test-bed/qemu-run.sh [--image 6.1|6.12] -- bash scripts/test-bed/qemu-smoke.sh
# Needs the default NICs (e1k0, e1k1 and their peers p-e1k0, p-e1k1) and
# ping (iputils-ping). Prints timings; exits non-zero on the first failure.
set -euo pipefail

fail() {
	printf 'qemu-smoke: FAIL: %s\n' "$*" >&2
	exit 1
}
now() { # seconds since boot, from the guest kernel
	local up
	read -r up _ </proc/uptime
	printf '%s' "$up"
}
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

[[ ${NETBOND_IN_QEMU:-} == 1 ]] || fail "run me inside scripts/test-bed/qemu-run.sh"
printf 'kernel %s, command started %s s after boot\n' "$(uname -r)" "$(now)"

# --- the module loads on first use, as on a server
[[ ! -e /sys/class/net/bonding_masters ]] || fail "bonding was loaded before anyone asked for it"
ip link add bond9 type bond || fail "ip link add type bond (request_module)"
grep -q '^Bonding Mode' /proc/net/bonding/bond9 || fail "no /proc/net/bonding/bond9"
ip link del bond9
if [[ -e /lib/modprobe.d/systemd.conf ]]; then
	[[ ! -e /sys/class/net/bond0 ]] || fail "bond0 appeared although systemd.conf sets max_bonds=0"
else
	[[ -e /sys/class/net/bond0 ]] || fail "no bond0 although max_bonds is the module's default 1"
	ip link del bond0
fi
printf 'bonding loaded by request_module; max_bonds file %s\n' \
	"$([[ -e /lib/modprobe.d/systemd.conf ]] && echo present || echo absent)"

# --- real drivers: speed and duplex
for nic in e1k0 e1k1; do
	drv=$(basename "$(readlink "/sys/class/net/$nic/device/driver")")
	[[ $drv == e1000 ]] || fail "$nic is driven by $drv, not e1000"
done

# --- Node and the built library, if built
if [[ -f dist/index.js ]]; then
	t=$(now)
	node -e 'import("./dist/index.js").then((m) => m.listBonds()).then((b) => console.log("listBonds:", JSON.stringify(b.map((x) => x.name))))' ||
		fail "node listBonds"
	printf 'node listBonds took %s s\n' "$(since "$t")"
fi

# --- cable pull: active-backup over e1k0+e1k1; their peers bridged in a
# namespace (the switch) that answers ping
ip netns add sw
ip link set p-e1k0 netns sw
ip link set p-e1k1 netns sw
ip -n sw link add br0 type bridge
ip -n sw link set p-e1k0 master br0
ip -n sw link set p-e1k1 master br0
ip -n sw addr add 10.99.0.2/24 dev br0
ip -n sw link set p-e1k0 up
ip -n sw link set p-e1k1 up
ip -n sw link set br0 up
ip link add bond0 type bond mode active-backup miimon 100
ip link set e1k0 master bond0
ip link set e1k1 master bond0
ip addr add 10.99.0.1/24 dev bond0
ip link set bond0 up
t=$(now)
until ping -c 1 -W 1 10.99.0.2 >/dev/null 2>&1; do
	[[ $(since "$t" | cut -d. -f1) -lt 30 ]] || fail "no ping through the bond within 30 s"
done
printf 'bond up and pinging after %s s\n' "$(since "$t")"
active() { sed -n 's/^Currently Active Slave: //p' /proc/net/bonding/bond0; }
first=$(active)
[[ $first == e1k0 || $first == e1k1 ]] || fail "active slave is '$first'"
other=e1k0
[[ $first == e1k0 ]] && other=e1k1

ping -i 0.01 -W 1 10.99.0.2 >/tmp/ping.log 2>&1 &
ping_pid=$!
sleep 1
t=$(now)
bash scripts/test-bed/qemu-link.sh set "$first" down || fail "qemu-link.sh set $first down"
t_set=$(since "$t")
while [[ $(active) == "$first" ]]; do
	[[ $(since "$t" | cut -d. -f1) -lt 20 ]] || fail "no failover within 20 s of the pull"
	sleep 0.01
done
t_fail=$(since "$t")
new=$(active)
[[ $new == "$other" ]] || fail "active slave after the pull is '$new'"
carrier=$(cat "/sys/class/net/$first/carrier" 2>/dev/null || echo ?)
sleep 1
kill -INT "$ping_pid"
wait "$ping_pid" || true
sent=$(sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\1 \2/p' /tmp/ping.log)
printf 'pull of %s: QMP done after %s s, failover to %s after %s s (carrier of %s now %s); pings sent/received: %s\n' \
	"$first" "$t_set" "$new" "$t_fail" "$first" "$carrier" "$sent"
grep -A2 "Slave Interface: $first" /proc/net/bonding/bond0 | grep -q 'MII Status: down' ||
	fail "$first not shown MII down in /proc/net/bonding/bond0"

t=$(now)
node scripts/test-bed/qemu-link.mjs set "$first" up || fail "qemu-link.mjs set $first up"
until grep -A1 "Slave Interface: $first" /proc/net/bonding/bond0 | grep -q 'MII Status: up'; do
	[[ $(since "$t" | cut -d. -f1) -lt 20 ]] || fail "$first not back up within 20 s of the restore"
	sleep 0.05
done
printf 'restore of %s: MII up again after %s s\n' "$first" "$(since "$t")"
printf 'qemu-smoke: OK\n'
