#!/usr/bin/env bash
# qemu-run.sh: run one command as root inside a throwaway QEMU guest booted
# from Debian's own kernel image (bonding and the NIC drivers as modules,
# loaded by the kernel on demand as on a server), with emulated e1000 and
# e100 NICs whose cables the command can pull through QMP.
#
# Usage: scripts/test-bed/qemu-run.sh [OPTIONS] -- CMD [ARGS...]
#
#   Run it from the directory the command needs (normally the repo root).
#   The guest sees the host's / read-only over virtio-9p, under an overlay
#   whose writes go to guest RAM and vanish; that directory is shared
#   read-write at the same path. CMD runs there as root with its argv
#   unchanged; its stdout and stderr (merged) stream to this script's stdout.
#   Exit status: CMD's (124 if the guest-side timeout fired), or 125 if the
#   guest died without reporting one; then the guest console's tail goes to
#   stderr.
#
# Options (each also an environment variable; the option wins):
#   --image 6.1|6.12        NETBOND_QEMU_IMAGE (default 6.1): Debian's
#                           linux-image-amd64 (bookworm) or
#                           linux-image-6.12-amd64 (bookworm-security),
#                           fetched and cached by qemu-image.sh.
#   --nics 'MODEL:NAME ...' NETBOND_QEMU_NICS (default 'e1000:e1k0
#                           e1000:e1k1 e1000:e1k2 e1000:e1k3 i82559er:e100a
#                           i82559er:e100b'; '' for none). Each entry is a
#                           NIC of that QEMU model named NAME in the guest,
#                           wired through its own QEMU hub to a peer NIC of
#                           the same model named p-NAME (its "switch port",
#                           which a test can move into a namespace). NAME: a
#                           letter, then letters and digits, at most 13.
#   --peer-model virtio|same
#                           NETBOND_QEMU_PEER_MODEL (default virtio): each
#                           peer is a virtio-net NIC reporting the speed of
#                           the NIC it faces (fast to probe), or the NIC's
#                           own model (each e1000 adds ~0.8 s of boot).
#   --max-bonds-file present|absent|host
#                           NETBOND_QEMU_MAX_BONDS_FILE (default host): is
#                           systemd's /lib/modprobe.d/systemd.conf
#                           ("options bonding max_bonds=0") there in the guest?
#                           absent: bonding's first load makes a bond0 itself.
#   --cpu LIST              NETBOND_QEMU_CPU (default 0): host CPUs for QEMU
#                           (taskset); one CPU is enough, the guest has one.
#   --mem SIZE              NETBOND_QEMU_MEM (default 1G).
#   --timeout T             NETBOND_QEMU_TIMEOUT (default 2400; Ns/Nm/Nh/Nd).
#
# In the guest: NIC drivers are loaded the way udev's coldplug loads them
# (modalias of each network-class PCI device), bonding is not loaded until
# something asks for it; CMD's environment is PATH, HOME=/tmp/home,
# npm_config_cache=/tmp/npm-cache, TERM=dumb, CI and every NETBOND_* /
# VITEST_* variable of the host, plus NETBOND_IN_QEMU=1,
# NETBOND_QEMU_IMAGE and NETBOND_QEMU_NICS (as used). To pull a cable:
#   node scripts/test-bed/qemu-link.mjs set e1k0 down   (up to restore)
# (QMP set_link on that NIC; see qemu-link.mjs and docs/qemu-bed.md).
#
# Needs: qemu-system-x86 (TCG; no KVM is used), busybox-static, kmod,
#   iproute2, node (the QMP relay), plus what qemu-image.sh needs.
# Facts: docs/qemu-bed.md.
set -euo pipefail

prog=${0##*/}
here=$(cd -- "$(dirname -- "$0")" && pwd -P)
# shellcheck source=scripts/test-bed/guest-exit.sh
source "$here/guest-exit.sh"

usage() {
	printf 'usage: %s [--image 6.1|6.12] [--nics LIST] [--max-bonds-file present|absent|host] [--cpu LIST] [--mem SIZE] [--timeout T] -- CMD [ARGS...]\n' "$prog" >&2
	exit 2
}

die() {
	printf '%s: %s\n' "$prog" "$*" >&2
	exit 125
}

image=${NETBOND_QEMU_IMAGE:-6.1}
nics=${NETBOND_QEMU_NICS-e1000:e1k0 e1000:e1k1 e1000:e1k2 e1000:e1k3 i82559er:e100a i82559er:e100b}
max_bonds_file=${NETBOND_QEMU_MAX_BONDS_FILE:-host}
peer_model=${NETBOND_QEMU_PEER_MODEL:-virtio}
cpu=${NETBOND_QEMU_CPU:-0}
mem=${NETBOND_QEMU_MEM:-1G}
guest_timeout=${NETBOND_QEMU_TIMEOUT:-2400}
while [[ $# -gt 0 ]]; do
	case $1 in
	--image) image=${2?}; shift 2 ;;
	--nics) nics=${2?}; shift 2 ;;
	--max-bonds-file) max_bonds_file=${2?}; shift 2 ;;
	--peer-model) peer_model=${2?}; shift 2 ;;
	--cpu) cpu=${2?}; shift 2 ;;
	--mem) mem=${2?}; shift 2 ;;
	--timeout) guest_timeout=${2?}; shift 2 ;;
	--) shift; break ;;
	*) usage ;;
	esac
done
[[ $# -ge 1 ]] || usage

[[ $image == 6.1 || $image == 6.12 ]] || die "image must be 6.1 or 6.12, got: $image"
[[ $peer_model == virtio || $peer_model == same ]] || die "peer model must be virtio or same, got: $peer_model"
[[ $max_bonds_file =~ ^(present|absent|host)$ ]] || die "max-bonds-file must be present, absent or host, got: $max_bonds_file"
[[ $cpu =~ ^[0-9]+([,-][0-9]+)*$ ]] || die "NETBOND_QEMU_CPU must be a CPU list like 1 or 0-1, got: $cpu"
[[ $mem =~ ^([0-9]+)([MG])$ ]] || die "NETBOND_QEMU_MEM must look like 512M or 1G, got: $mem"
# Below this the kernel does not get far enough to report anything, and the
# run would wait for the host watchdog.
[[ ${BASH_REMATCH[2]} == G || 10#${BASH_REMATCH[1]} -ge 128 ]] || die "NETBOND_QEMU_MEM must be at least 128M, got: $mem"
[[ $guest_timeout =~ ^([0-9]+)([smhd]?)$ ]] || die "NETBOND_QEMU_TIMEOUT must look like 2400 or 40m, got: $guest_timeout"
case ${BASH_REMATCH[2]} in
'' | s) timeout_secs=$((10#${BASH_REMATCH[1]})) ;;
m) timeout_secs=$((10#${BASH_REMATCH[1]} * 60)) ;;
h) timeout_secs=$((10#${BASH_REMATCH[1]} * 3600)) ;;
d) timeout_secs=$((10#${BASH_REMATCH[1]} * 86400)) ;;
esac
# Host-side watchdog: the guest's own timeout fires first; this one catches
# a guest that hangs outside the command (boot, power-off, kernel bug).
host_timeout=$((timeout_secs + 180))

# NIC list -> QEMU devices and the MAC -> name map the guest init renames by.
# MACs: 52:54:00:6e:SS:II, SS 00 for the NIC, 01 for its peer, II its index.
# romfile= : no PXE option ROM, which the firmware would load for every NIC.
# A virtio peer says the speed of the model it faces (virtio-net's speed and
# duplex properties), so 802.3ad and ad_select see equal ports on both ends.
nic_args=()
macs=
declare -A seen=()
i=0
for entry in $nics; do
	[[ $entry =~ ^([a-z0-9][a-z0-9-]*):([A-Za-z][A-Za-z0-9]{0,12})$ ]] ||
		die "NIC entry must be MODEL:NAME (NAME a letter then letters/digits, at most 13), got: $entry"
	model=${BASH_REMATCH[1]} name=${BASH_REMATCH[2]}
	[[ -z ${seen[$name]:-} ]] || die "NIC name used twice: $name"
	seen[$name]=1
	((i < 250)) || die "too many NICs"
	ii=$(printf '%02x' "$i")
	case $model in
	e1000*) speed=1000 ;;
	i8255* | i8257*) speed=100 ;;
	*) speed=10000 ;;
	esac
	for side in 0 1; do
		if ((side == 0)); then
			dev=$name props=$model
		elif [[ $peer_model == same ]]; then
			dev=p-$name props=$model
		else
			dev=p-$name props=virtio-net-pci,speed=$speed,duplex=full
		fi
		mac=52:54:00:6e:0$side:$ii
		nic_args+=(-netdev "hubport,id=hp-$dev,hubid=$i" -device "$props,netdev=hp-$dev,id=$dev,mac=$mac,romfile=")
		macs+="$mac $dev"$'\n'
	done
	i=$((i + 1))
done

qemu=$(command -v qemu-system-x86_64 || true)
[[ -n $qemu ]] || die "qemu-system-x86_64 not found (apt-get install qemu-system-x86; scripts/setup.sh --test)"
command -v node >/dev/null || die "node not found (the QMP relay runs on the host)"
{ read -r imgdir && read -r initrd; } < <(bash "$here/qemu-image.sh" "$image") && [[ -f $initrd ]] ||
	die "preparing the $image image failed (qemu-image.sh $image)"
release=$(<"$imgdir/release")
if [[ -f $imgdir/vmlinux ]]; then kernel=$imgdir/vmlinux; else kernel=$imgdir/boot/vmlinuz-$release; fi

workdir=$(pwd -P)
case $workdir in
/ | /tmp | /run | /dev | /proc | /sys) die "refusing to share $workdir read-write with the guest; run from the repo root" ;;
esac
# -fsdev splits its options at commas.
[[ $workdir != *,* && $workdir != *$'\n'* ]] || die "working directory must not contain a comma or newline: $workdir"

ulimit -c 0
run=$(mktemp -d -t netbond-qemu.XXXXXX)
run=$(cd -- "$run" && pwd -P)
[[ $run =~ ^/[A-Za-z0-9._/+-]+$ ]] || die "unsafe temp dir path (check TMPDIR): $run"
watch_pid= relay_pid= tail_pid=

cleanup() {
	local rc=$?
	trap - EXIT INT TERM HUP
	if [[ -n $watch_pid ]]; then
		kill -TERM "$watch_pid" 2>/dev/null || true
		wait "$watch_pid" 2>/dev/null || true
	fi
	for p in $relay_pid $tail_pid; do
		kill -TERM "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -rf -- "$run"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# Inputs for the guest init, NUL-separated where any byte may occur; it
# reads them with mapfile -d '' and never evaluates them.
printf '%s\0' "$@" >"$run/argv"
printf '%s\0' "$workdir" >"$run/workdir"
printf '%s\n' "$guest_timeout" >"$run/timeout"
printf '%s\n' "$imgdir/lib/modules" >"$run/modules"
printf '%s\n' "$max_bonds_file" >"$run/max-bonds-file"
printf '%s' "$macs" >"$run/macs"
{
	printf '%s\0' "PATH=$PATH" HOME=/tmp/home npm_config_cache=/tmp/npm-cache TERM=dumb
	while IFS= read -r name; do
		if [[ $name == CI || $name == NETBOND_* || $name == VITEST_* ]]; then
			printf '%s=%s\0' "$name" "${!name}"
		fi
	done < <(compgen -e)
	printf '%s\0' NETBOND_IN_QEMU=1 "NETBOND_QEMU_IMAGE=$image" "NETBOND_QEMU_NICS=$nics"
} >"$run/env"
: >"$run/out"

# Stage 2 of the guest's PID 1 (stage 1, in the initramfs, switch_roots into
# the host's root and execs this from the shared run directory). Quoted
# heredoc: nothing from the host is substituted into it.
cat >"$run/init" <<'INIT'
#!/bin/bash
# PID 1 of the netbond QEMU guest after switch_root, from scripts/test-bed/qemu-run.sh.
# No `set -e`: if PID 1 exits the kernel panics. A setup failure logs to the
# console and reboots (QEMU runs with -no-reboot, so it exits) without an
# exit code; the host reports 125 with the console tail.
set -uo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
host=/run/netbond-host

log() { printf 'netbond-qemu init: %s\n' "$*" >/dev/console; }

stop_guest() {
	sync
	# reboot(2) at once; with -no-reboot QEMU exits on the reset. (systemd's
	# reboot needs systemd; busybox's -f calls the syscall.)
	busybox reboot -f || reboot -f -f
	sleep 30
	exit 1
}

fail() {
	log "setup failed: $*"
	stop_guest
}

exec </dev/console >/dev/console 2>&1
mapfile -d '' -t argv <"$host/argv" || fail "cannot read argv"
mapfile -d '' -t envs <"$host/env" || fail "cannot read env"
IFS= read -r -d '' workdir <"$host/workdir" || fail "cannot read workdir"
read -r guest_timeout <"$host/timeout" || fail "cannot read timeout"
read -r modules <"$host/modules" || fail "cannot read modules"
read -r max_bonds_file <"$host/max-bonds-file" || fail "cannot read max-bonds-file"

mount -t proc proc /proc || fail "mount /proc"
mount -t sysfs sysfs /sys || fail "mount /sys"

# Debian's modules where modprobe (and the kernel's request_module, which
# runs /sbin/modprobe in this root) look. The overlay root is writable.
# Before the tmpfs on /tmp, which would hide an image cache under /tmp.
read -r rel </proc/sys/kernel/osrelease
mkdir -p "/lib/modules/$rel" && mount --bind "$modules/$rel" "/lib/modules/$rel" ||
	fail "bind $modules/$rel on /lib/modules/$rel"

mount -t tmpfs -o mode=1777 tmpfs /tmp || fail "mount /tmp"
mkdir -p -m 1777 /dev/shm && mkdir -p /dev/pts /run/netns /tmp/home /tmp/npm-cache || fail "mkdir"
mount -t devpts devpts /dev/pts 2>/dev/null || true

# systemd's modprobe.d file (options bonding max_bonds=0) per run.
sysconf=/lib/modprobe.d/systemd.conf
case $max_bonds_file in
absent) rm -f "$sysconf" || fail "rm $sysconf" ;;
present)
	grep -qs '^options bonding max_bonds=0' "$sysconf" ||
		{ mkdir -p /lib/modprobe.d && printf 'options bonding max_bonds=0\n' >>"$sysconf"; } ||
		fail "write $sysconf"
	;;
esac

# Coldplug as udev would, limited to what the tests need: network-class PCI
# devices (class 0x02....) and virtio devices (the control port).
aliases=()
for d in /sys/bus/pci/devices/*; do
	read -r class <"$d/class"
	[[ $class == 0x02* ]] && read -r a <"$d/modalias" && aliases+=("$a")
done
for d in /sys/bus/virtio/devices/*; do
	[[ -e $d/modalias ]] && read -r a <"$d/modalias" && aliases+=("$a")
done
# modprobe fails for an alias no module serves (6.12 has virtio_console built
# in); a NIC without its driver shows up below, when it cannot be renamed.
((${#aliases[@]} == 0)) || modprobe -qab "${aliases[@]}" || true

# Predictable names, by the MACs qemu-run.sh gave the NICs.
declare -A want=()
while read -r mac name; do want[$mac]=$name; done <"$host/macs"
renames=
for n in /sys/class/net/*; do
	read -r mac <"$n/address" || continue
	name=${want[$mac]:-}
	[[ -n $name && $name != "${n##*/}" ]] && renames+="link set dev ${n##*/} name $name"$'\n'
	unset "want[$mac]"
done
((${#want[@]} == 0)) || fail "NICs not found in the guest: ${want[*]}"
[[ -z $renames ]] || ip -b - <<<"$renames" || fail "renaming the NICs"
ip link set lo up || fail "ip link set lo up"

[[ -d $workdir ]] || mkdir -p "$workdir" || fail "mkdir $workdir"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,cache=loose netbondwork "$workdir" ||
	fail "mount $workdir (9p tag netbondwork)"
cd "$workdir" || fail "cd $workdir"

hash timeout || fail "timeout not found"
timeout_bin=${BASH_CMDS[timeout]}
env -i "${envs[@]}" "$timeout_bin" -k 10 "$guest_timeout" "${argv[@]}" </dev/null >>"$host/out" 2>&1
rc=$?
printf '%d\n' "$rc" >"$host/rc.tmp" && mv "$host/rc.tmp" "$host/rc" || log "cannot write exit code"
stop_guest
INIT
chmod 0755 "$run/init"

if [[ $(id -u) == 0 ]]; then sm=passthrough; else sm=none; fi
fs() { # tag path [readonly]
	printf '%s\n' -fsdev "local,id=fs-$1,path=$2,security_model=$sm,multidevs=remap${3:+,readonly=on}" \
		-device "virtio-9p-pci,fsdev=fs-$1,mount_tag=$1"
}
mapfile -t fs_args < <(fs hostroot / ro; fs netbondrun "$run"; fs netbondwork "$workdir")

# Kernel command line: console on the first serial port (a file); mitigations
# off (TCG emulates every page-table switch of PTI); panic=-1 with
# -no-reboot: a panic ends QEMU at once.
append="console=ttyS0 loglevel=4 panic=-1 mitigations=off"
timeout -k 10 "$host_timeout" \
	taskset -c "$cpu" \
	"$qemu" -nodefaults -no-user-config -machine pc,accel=tcg -smp 1 -m "$mem" \
	-display none -monitor none -no-reboot \
	-serial "file:$run/console.log" \
	-kernel "$kernel" -initrd "$initrd" -append "$append" \
	"${fs_args[@]}" \
	-device virtio-serial-pci,id=vser \
	-chardev "socket,id=link,path=$run/link.sock,server=on,wait=off" \
	-device virtserialport,bus=vser.0,chardev=link,name=netbond.link \
	-qmp "unix:$run/qmp.sock,server=on,wait=off" \
	"${nic_args[@]}" \
	</dev/null >"$run/qemu.log" 2>&1 &
watch_pid=$!

# The guest's requests (qemu-link.mjs) reach QMP through this relay.
taskset -c "$cpu" node "$here/qemu-link.mjs" --serve "$run/link.sock" "$run/qmp.sock" 2>>"$run/relay.log" &
relay_pid=$!

tail -c +1 -s 0.2 -f --pid="$watch_pid" -- "$run/out" &
tail_pid=$!

qemu_rc=0
wait "$watch_pid" 2>/dev/null || qemu_rc=$?
watch_pid=
wait "$tail_pid" 2>/dev/null || true
tail_pid=

exit_with_guest_status "$run" "$qemu_rc" qemu NETBOND_QEMU_TIMEOUT
# QEMU warns that each hub "is not connected to host network": by design
# (the hubs join a NIC to its peer and nothing else), so not shown.
for f in qemu.log relay.log; do
	if grep -qv 'is not connected to host network' -- "$run/$f" 2>/dev/null; then
		printf '%s: %s:\n' "$prog" "$f" >&2
		grep -v 'is not connected to host network' -- "$run/$f" | tail -n 10 >&2 || true
	fi
done
key=(-e 'netbond-qemu' -e 'Kernel panic')
if grep -q "${key[@]}" -- "$run/console.log" 2>/dev/null; then
	printf '%s: key lines of the guest console:\n' "$prog" >&2
	grep "${key[@]}" -- "$run/console.log" | tail -n 10 >&2 || true
fi
printf '%s: last 30 lines of the guest console:\n' "$prog" >&2
tail -n 30 -- "$run/console.log" >&2 || true
exit 125
