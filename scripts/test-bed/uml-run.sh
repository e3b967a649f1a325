#!/usr/bin/env bash
# uml-run.sh: run one command as root inside a throwaway User-Mode Linux guest
# that has the bonding driver, for hosts whose kernel has none.
#
# Usage: scripts/test-bed/uml-run.sh -- CMD [ARGS...]
#
#   Run it from the directory the command needs (normally the repo root).
#   The guest sees the host's / read-only (hostfs), plus that directory
#   read-write at the same path; CMD runs there as root with its argv
#   unchanged. Its stdout and stderr (merged) stream to this script's stdout.
#   Exit status: CMD's exit status (124 if the guest-side timeout fired), or
#   125 if the guest died without reporting one (panic, crash, host watchdog);
#   then the tail of the guest kernel console is printed to stderr.
#
# Environment (host side):
#   NETBOND_UML_CPU      host CPU list to pin the guest to (default 0). One CPU
#                        is the point: every guest syscall is a ptrace round
#                        trip between host processes, pinning makes it ~8x faster.
#   NETBOND_UML_MEM      guest RAM (default 1G), e.g. 512M, 2G.
#   NETBOND_UML_TIMEOUT  seconds (or Ns/Nm/Nh/Nd) CMD may run (default 2400).
#   NETBOND_UML_KERNEL   UML kernel binary (default: linux.uml from PATH), e.g.
#                        the 6.12 kernel scripts/test-bed/build-uml-kernel.sh
#                        builds (it prints the path).
#   NETBOND_UML          the same; an alias. If both are set they must agree.
#   CMD's environment is NOT the host's: it gets PATH (from the host),
#   HOME=/tmp/home, npm_config_cache=/tmp/npm-cache, TERM=dumb, CI and every
#   NETBOND_* / VITEST_* variable of the host, and NETBOND_IN_UML=1.
#
# Needs: user-mode-linux (linux.uml + modules in /usr/lib/uml/modules),
#        kmod (insmod/modprobe, used inside the guest), iproute2, coreutils.
#        A kernel without modules in /usr/lib/uml/modules/<its release> (the
#        one build-uml-kernel.sh makes) must have bonding, veth and dummy
#        built in; the guest then loads no modules.
# Facts this rests on: docs/uml-harness.md.
set -euo pipefail

prog=${0##*/}
# shellcheck source=scripts/test-bed/guest-exit.sh
source "$(dirname -- "$0")/guest-exit.sh"

usage() {
	printf 'usage: %s -- CMD [ARGS...]\n' "$prog" >&2
	exit 2
}

die() {
	printf '%s: %s\n' "$prog" "$*" >&2
	exit 125
}

[[ $# -ge 2 && $1 == -- ]] || usage
shift

# --- settings, validated because they end up on the UML kernel command line
# (space separated, so anything unexpected there would change its meaning).
cpu=${NETBOND_UML_CPU:-0}
mem=${NETBOND_UML_MEM:-1G}
guest_timeout=${NETBOND_UML_TIMEOUT:-2400}
[[ $cpu =~ ^[0-9]+([,-][0-9]+)*$ ]] || die "NETBOND_UML_CPU must be a CPU list like 0 or 2-3, got: $cpu"
[[ $mem =~ ^[0-9]+[KMG]?$ ]] || die "NETBOND_UML_MEM must look like 512M or 1G, got: $mem"
[[ $guest_timeout =~ ^([0-9]+)([smhd]?)$ ]] || die "NETBOND_UML_TIMEOUT must look like 2400 or 40m, got: $guest_timeout"
case ${BASH_REMATCH[2]} in
'' | s) timeout_secs=$((10#${BASH_REMATCH[1]})) ;;
m) timeout_secs=$((10#${BASH_REMATCH[1]} * 60)) ;;
h) timeout_secs=$((10#${BASH_REMATCH[1]} * 3600)) ;;
d) timeout_secs=$((10#${BASH_REMATCH[1]} * 86400)) ;;
esac
# Host-side watchdog: the guest's own timeout should fire first; this one only
# catches a guest that hangs outside the command (boot, halt, kernel bug).
host_timeout=$((timeout_secs + 120))

# NETBOND_UML is the short name the docs and the issue use; two different
# kernels named at once is a mistake worth stopping for, not a precedence rule
# to remember.
if [[ -n ${NETBOND_UML_KERNEL:-} && -n ${NETBOND_UML:-} && $NETBOND_UML_KERNEL != "$NETBOND_UML" ]]; then
	die "NETBOND_UML_KERNEL ($NETBOND_UML_KERNEL) and NETBOND_UML ($NETBOND_UML) name different kernels"
fi
uml=${NETBOND_UML_KERNEL:-${NETBOND_UML:-}}
if [[ -n $uml ]]; then
	[[ -f $uml && -x $uml ]] || die "UML kernel not found or not executable: $uml"
else
	uml=$(command -v linux.uml || true)
	[[ -n $uml && -x $uml ]] || die "linux.uml not found (apt-get install user-mode-linux)"
fi

# The directory to mount read-write in the guest. Physical path: hostfs
# resolves it on the host, and the guest mounts it at the same path.
workdir=$(pwd -P)
# Not a directory the guest itself needs: / must stay read-only, and a hostfs
# mount on the guest's /tmp, /run, /dev, /proc or /sys would hide its own.
case $workdir in
/ | /tmp | /run | /dev | /proc | /sys)
	die "refusing to mount $workdir read-write in the guest; run from the repo root"
	;;
esac
# mount(8) splits -o at commas, so a comma would cut the hostfs path short.
[[ $workdir != *,* && $workdir != *$'\n'* ]] || die "working directory must not contain a comma or newline: $workdir"

# No core files: a guest panic makes linux.uml abort, and its core would be
# as big as the guest RAM.
ulimit -c 0

# --- run dir: init script, argv/env/settings for init, the console log, UML's
# uml_dir (pid file, mconsole socket), and the exit-code file the guest writes.
run=$(mktemp -d -t netbond-uml.XXXXXX)
watch_pid= # host `timeout` running linux.uml, while it runs
uml_main=  # linux.uml's main process = its process group and session id
cat_pid=

# Processes are found by scanning /proc/*/stat with builtins. Fields after
# "(comm) " are: state ppid pgrp ...; comm itself may contain spaces.

# Print the pid of a child of process $1, if any.
child_of() {
	local f line ppid
	for f in /proc/[0-9]*/stat; do
		read -r line 2>/dev/null <"$f" || continue
		read -r _ ppid _ <<<"${line##*) }"
		if [[ $ppid == "$1" ]]; then
			f=${f#/proc/}
			printf '%s\n' "${f%/stat}"
			return 0
		fi
	done
	return 1
}

# Is a live (non-zombie) process left in process group $1? Zombies are dead
# already: after a guest panic UML's helpers wait, reparented to the host's
# init, to be reaped there; nothing to do about them.
group_alive() {
	local f line state pgrp
	for f in /proc/[0-9]*/stat; do
		read -r line 2>/dev/null <"$f" || continue
		read -r state _ pgrp _ <<<"${line##*) }"
		[[ $pgrp == "$1" && $state != Z ]] && return 0
	done
	return 1
}

# linux.uml calls setsid(): it and all its helper processes form their own
# process group, whose id is the pid of the main process, the child of our
# `timeout` (env and taskset exec, so the pid stays). Signals to our own
# process group (Ctrl-C) or to `timeout` do not reach the helpers; when the
# main process is SIGKILLed they even survive it, keeping the output FIFO
# open. So remember that group and make sure it is gone.
find_uml_main() {
	if [[ -z $uml_main && -n $watch_pid ]]; then
		uml_main=$(child_of "$watch_pid") || uml_main=
	fi
}

# Stop whatever is left of the guest: TERM to the main process (UML's
# handler kills its helpers and exits), then KILL to its whole group.
stop_guest() {
	find_uml_main
	if [[ -n $uml_main ]] && group_alive "$uml_main"; then
		kill -TERM "$uml_main" 2>/dev/null || true
		for _ in {1..50}; do
			group_alive "$uml_main" || break
			sleep 0.1
		done
		if group_alive "$uml_main"; then
			kill -KILL -- "-$uml_main" 2>/dev/null || true
		fi
	fi
	if [[ -n $watch_pid ]]; then
		kill -TERM "$watch_pid" 2>/dev/null || true
		wait "$watch_pid" 2>/dev/null || true
		watch_pid=
	fi
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM HUP
	stop_guest
	if [[ -n $cat_pid ]]; then
		# All writers are gone, so cat sees EOF and exits after flushing.
		wait "$cat_pid" 2>/dev/null || true
	fi
	rm -rf -- "$run"
	exit "$rc"
}
trap cleanup EXIT
# Without these, a signal would kill bash without running the EXIT trap.
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

run=$(cd -- "$run" && pwd -P)
# The run dir appears on the kernel command line (init=, uml_dir=).
[[ $run =~ ^/[A-Za-z0-9._/+-]+$ ]] || die "unsafe temp dir path (check TMPDIR): $run"
umid="netbond-$$-${run##*.}"

# argv, environment and working directory for init, NUL-separated so that
# any byte except NUL survives; init reads them with mapfile -d '' and never
# evaluates them as shell code.
printf '%s\0' "$@" >"$run/argv"
printf '%s\0' "$workdir" >"$run/workdir"
printf '%s\n' "$guest_timeout" >"$run/timeout"
{
	printf '%s\0' "PATH=$PATH" HOME=/tmp/home npm_config_cache=/tmp/npm-cache TERM=dumb
	while IFS= read -r name; do
		if [[ $name == CI || $name == NETBOND_* || $name == VITEST_* ]]; then
			printf '%s=%s\0' "$name" "${!name}"
		fi
	done < <(compgen -e)
	# Last, so that a host value cannot override it.
	printf '%s\0' NETBOND_IN_UML=1
} >"$run/env"

# PID 1 of the guest. Quoted heredoc: written verbatim, nothing from the host
# is substituted into it; it reads its inputs from the files above.
cat >"$run/init" <<'INIT'
#!/bin/bash
# PID 1 of the netbond UML guest, written by scripts/test-bed/uml-run.sh.
# No `set -e`: if PID 1 exits the guest kernel panics. Setup failures log to
# the console (a file on the host) and halt without writing an exit code, so
# the host reports 125 with the console tail.
set -uo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# We were started as <host run dir>/init; the kernel passes that path as $0.
run=${0%/*}

log() { printf 'netbond-uml init: %s\n' "$*" >/dev/console; }

halt_guest() {
	# Flush hostfs writes (the exit code, the command's files) to the host.
	sync
	# SysRq "o" powers off at once, and echo is a builtin (no process to
	# start). Fallback: halt -f -f (reboot(2) without asking a service
	# manager; halt is systemctl here and there is no systemd in the guest).
	echo o >/proc/sysrq-trigger
	sleep 1
	halt -f -f >/dev/null 2>&1
	sleep 10
	exit 1 # last resort: PID 1 exiting panics (panic=1), UML stops
}

fail() {
	log "setup failed: $*"
	halt_guest
}

# Read everything from the run dir now: the tmpfs on /tmp below hides it.
mapfile -d '' -t argv <"$run/argv" || fail "cannot read $run/argv"
mapfile -d '' -t envs <"$run/env" || fail "cannot read $run/env"
IFS= read -r -d '' workdir <"$run/workdir" || fail "cannot read $run/workdir"
IFS= read -r guest_timeout <"$run/timeout" || fail "cannot read $run/timeout"

# Every process costs ~20-70 ms in the guest, so this section prefers bash
# builtins and as few mount/mkdir/insmod runs as possible.
mount -t proc proc /proc || fail "mount /proc"
mount -t sysfs sysfs /sys || fail "mount /sys"
# The kernel auto-mounts devtmpfs on /dev (CONFIG_DEVTMPFS_MOUNT); otherwise
# /dev would be the host's /dev over hostfs, whose device nodes carry the
# host's numbers and are unusable here. devtmpfs is writable, so /dev/shm is
# a plain directory in it (everything runs as root); no devpts is mounted.
dev_type=
while read -r _ mnt type _; do
	[[ $mnt == /dev ]] && dev_type=$type
done </proc/self/mounts
if [[ $dev_type != devtmpfs ]]; then
	mount -t devtmpfs devtmpfs /dev || fail "mount devtmpfs on /dev"
fi
[[ -c /dev/null && -c /dev/urandom && -c /dev/tty1 ]] || fail "/dev lacks null, urandom or tty1"
# Writable scratch space; / itself is read-only.
mount -t tmpfs -o mode=1777 tmpfs /tmp || fail "mount /tmp"
mount -t tmpfs -o mode=0755 tmpfs /run || fail "mount /run"
host=/run/netbond-host
modlayer=/run/netbond-modules-layer
mkdir -p -m 1777 /dev/shm &&
	mkdir -p /run/netns "$host" "$modlayer/modules" /tmp/home /tmp/npm-cache ||
	fail "mkdir in /dev, /run, /tmp"

# The run dir, read-write: a separate hostfs superblock (a bind mount of the
# read-only root cannot be made writable).
mount -t hostfs -o "$run" hostfs "$host" || fail "mount run dir $run"

# Modules, for the kernel they were built for: Debian's linux.uml has
# bonding, veth, dummy, ipv6 ... as modules in /usr/lib/uml/modules/<release>.
# Any other kernel (NETBOND_UML_KERNEL, e.g. the 6.12 one from
# build-uml-kernel.sh) has what the tests need built in: loading the 6.1
# modules into it would only fail on their version magic.
read -r rel </proc/sys/kernel/osrelease
if [[ -d /usr/lib/uml/modules/$rel ]]; then
	# `modprobe X` (and the kernel's own on-demand loading, which runs
	# /sbin/modprobe) look in /lib/modules/$(uname -r): show the UML modules
	# there. The host may have no /lib/modules at all (its kernel has no
	# module support) and a mount point cannot be made on the read-only root;
	# then lay a read-only overlay over the directory /lib resolves to
	# (/usr/lib on merged /usr) whose extra top layer is a tmpfs dir holding
	# just an empty "modules" directory, and mount over that.
	hash insmod modprobe || fail "insmod/modprobe not found: install kmod on the host"
	if [[ ! -d /lib/modules ]]; then
		cd -P /lib && libdir=$PWD && cd / || fail "cd /lib" # /usr/lib on merged /usr
		insmod "/usr/lib/uml/modules/$rel/kernel/fs/overlayfs/overlay.ko" &&
			mount -t overlay -o "ro,lowerdir=$modlayer:$libdir" overlay "$libdir" ||
			fail "overlay to create /lib/modules"
	fi
	mount --bind /usr/lib/uml/modules /lib/modules || fail "bind /usr/lib/uml/modules on /lib/modules"
	# One modprobe for all, in dependency order (bonding needs crc-ccitt and
	# ipv6; modprobe follows modules.dep anyway). bonding.max_bonds=0 is on
	# the kernel command line, where modprobe picks it up, so no bond0
	# appears on its own, not even if bonding is loaded again later.
	modprobe -a crc-ccitt ipv6 bonding veth dummy || fail "modprobe crc-ccitt ipv6 bonding veth dummy"
else
	# Built in: bonding registered bonding_masters at boot, taking
	# max_bonds=0 from the same command line. veth and dummy show no file of
	# their own until used; the tests say so soon enough if they are missing.
	[[ -e /sys/class/net/bonding_masters ]] ||
		fail "kernel $rel has no UML modules in /usr/lib/uml/modules/$rel and no bonding built in"
fi
[[ ! -e /sys/class/net/bond0 ]] || fail "bond0 exists: bonding was loaded without max_bonds=0"

ip link set lo up || fail "ip link set lo up"

# The working directory, read-write, at the same path as on the host (create
# the mount point if it is under the fresh /tmp or /run).
[[ -d $workdir ]] || mkdir -p "$workdir" || fail "mkdir $workdir"
mount -t hostfs -o "$workdir" hostfs "$workdir" || fail "mount $workdir"
cd "$workdir" || fail "cd $workdir"

# tty1 is host fd 3. Raw, or the tty turns every \n into \r\n.
stty -F /dev/tty1 raw -echo -onlcr || fail "stty on /dev/tty1"

# env -i: only the variables the host chose. The NAME=VALUE words come before
# the absolute path of timeout, so none of the command's own words can be
# taken for an assignment. timeout runs the command in its own process group
# and kills that group on expiry (-k: KILL 10 s after TERM).
hash timeout || fail "timeout not found"
timeout_bin=${BASH_CMDS[timeout]}
env -i "${envs[@]}" "$timeout_bin" -k 10 "$guest_timeout" "${argv[@]}" </dev/null >/dev/tty1 2>&1
rc=$?

# Exit code to the host: temp name, then rename, so the host never reads a
# half-written file.
printf '%d\n' "$rc" >"$host/rc.tmp" && mv "$host/rc.tmp" "$host/rc" || log "cannot write exit code"
halt_guest
INIT
chmod 0755 "$run/init"

# Guest output: guest /dev/tty1 = UML fd 3 = this FIFO, copied to our stdout
# by cat. UML never gets our stdout itself: it would put a terminal into raw
# mode and make the fd non-blocking, and a guest in another process group
# touching our terminal could be stopped by SIGTTOU.
mkfifo "$run/out"
cat "$run/out" &
cat_pid=$!

# Kernel command line:
#   con0 (kernel console) and UML's own stdout/stderr go to console.log;
#   con1 (tty1) is fd 3, the FIFO; ssl=null: no host ptys for serial lines.
#   bonding.max_bonds=0: see init; modprobe takes module options from here.
#   Boot time (1 CPU, pinned): initcall_blacklist=raid6_select_algo skips a
#   0.85 s RAID6 benchmark (built in for btrfs, never used here) and
#   init_zswap 40 ms (no swap); pty.legacy_count=0 skips creating 256 BSD
#   ptys, 0.26 s (Unix98 ptys are unaffected).
# TMP/TEMP/TMPDIR unset: UML then keeps guest RAM (a deleted file) in a tmpfs
# such as /dev/shm instead of wherever TMPDIR points (maybe a disk).
timeout -k 10 "$host_timeout" \
	env -u TMPDIR -u TMP -u TEMP \
	taskset -c "$cpu" \
	"$uml" mem="$mem" root=/dev/root rootfstype=hostfs rootflags=/ ro \
	umid="$umid" uml_dir="$run" init="$run/init" \
	con=null ssl=null con0=null,fd:1 con1=null,fd:3 panic=1 loglevel=4 \
	bonding.max_bonds=0 pty.legacy_count=0 initcall_blacklist=raid6_select_algo,init_zswap \
	</dev/null 3>"$run/out" >"$run/console.log" 2>&1 &
watch_pid=$!
# Learn linux.uml's pid early: if it is SIGKILLed (host watchdog) `timeout`
# exits and the link to the surviving helpers is lost.
for _ in {1..100}; do
	find_uml_main
	[[ -z $uml_main ]] || break
	kill -0 "$watch_pid" 2>/dev/null || break
	sleep 0.01
done

uml_rc=0
# 2>/dev/null: keeps bash's job notice ("Aborted  timeout ...") out when
# linux.uml dies from a signal; the status is reported below instead.
wait "$watch_pid" 2>/dev/null || uml_rc=$?
watch_pid=
# Normally nothing is left; after a crash or a SIGKILL, helpers may be.
stop_guest
wait "$cat_pid" || true
cat_pid=

exit_with_guest_status "$run" "$uml_rc" linux.uml NETBOND_UML_TIMEOUT
# Messages from init itself (its errors, bash's errors in it) come first: in
# a panic they scroll out of the last 30 lines behind the stack dump.
key=(-e 'netbond-uml init:' -e "$run/init" -e 'Kernel panic')
if grep -q "${key[@]}" -- "$run/console.log"; then
	printf '%s: key lines of the guest console:\n' "$prog" >&2
	grep "${key[@]}" -- "$run/console.log" | tail -n 10 >&2 || true
fi
printf '%s: last 30 lines of the guest console:\n' "$prog" >&2
tail -n 30 -- "$run/console.log" >&2 || true
exit 125
