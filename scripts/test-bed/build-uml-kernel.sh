#!/usr/bin/env bash
# build-uml-kernel.sh: build a User-Mode Linux 6.12 kernel for the test bed
# from Debian's linux-source-6.12 package, once, and cache the binary.
#
# Usage: scripts/test-bed/build-uml-kernel.sh
#
#   Prints the path of the kernel binary as its only stdout line (progress
#   goes to stderr), ready for NETBOND_UML_KERNEL / NETBOND_UML:
#     NETBOND_UML_KERNEL=$(scripts/test-bed/build-uml-kernel.sh) \
#       scripts/test-bed/uml-run.sh -- CMD...
#   The binary is cached as
#     $NETBOND_KERNEL_CACHE/linux-<package version>-<sha256 of the fragment, 12 hex>
#   (default cache: ~/.cache/netbond/uml), with its .config (.config suffix)
#   and the build log (.log suffix) beside it. When the binary is there
#   already, nothing is built. A new linux-source-6.12 version or any edit
#   of the fragment gives a new name, so a stale kernel is never reused.
#
#   Everything the test bed needs is built in (see uml-6.12.config): the
#   kernel has no modules, and uml-run.sh's guest init loads none for it.
#
# Needs (scripts/setup.sh --test installs them): linux-source-6.12, gcc,
#   make, flex, bison, bc, xz-utils, binutils. Run as any user that can
#   write the cache; it installs nothing. About 5 minutes on 2 idle cores.
# Facts: docs/uml-harness.md ("A UML 6.12 kernel built here").
set -euo pipefail

prog=${0##*/}
here=$(cd -- "$(dirname -- "$0")" && pwd -P)

die() {
	printf '%s: %s\n' "$prog" "$*" >&2
	exit 1
}

say() {
	printf '%s: %s\n' "$prog" "$*" >&2
}

pkg=linux-source-6.12
tarball=/usr/src/$pkg.tar.xz
fragment=$here/uml-6.12.config

[[ -r $fragment ]] || die "config fragment missing: $fragment"
[[ -r $tarball ]] || die "$tarball not found: install $pkg (scripts/setup.sh --test)"
for tool in tar xz make gcc flex bison bc strip sha256sum dpkg-query flock; do
	command -v "$tool" >/dev/null || die "$tool not found (scripts/setup.sh --test installs what this needs)"
done

version=$(dpkg-query -W -f '${Version}' "$pkg" 2>/dev/null) || die "$pkg is not installed (dpkg-query)"
# Debian versions are [0-9A-Za-z.+~-] with an optional "epoch:" prefix; the
# version goes into a file name, so allow nothing else and spell ':' as '_'.
[[ $version =~ ^[0-9A-Za-z.+~:-]+$ ]] || die "unexpected $pkg version string: $version"
version=${version//:/_}
fragment_hash=$(sha256sum -- "$fragment")
fragment_hash=${fragment_hash:0:12}

cache=${NETBOND_KERNEL_CACHE:-${HOME:?HOME is not set}/.cache/netbond/uml}
mkdir -p -- "$cache"
cache=$(cd -- "$cache" && pwd -P)
name=linux-$version-$fragment_hash
binary=$cache/$name
log=$binary.log

if [[ -x $binary ]]; then
	printf '%s\n' "$binary"
	exit 0
fi

# Two builds of the same kernel at once (two shells, CI and a developer)
# would each take 5 minutes of both cores; the second waits for the first
# and then finds the binary in the cache.
exec 9>"$binary.lock"
if ! flock -n 9; then
	say "another build of $name is running; waiting for it"
	flock 9
fi
if [[ -x $binary ]]; then
	printf '%s\n' "$binary"
	exit 0
fi

# The build tree (1.5 GB extracted, plus the objects) lives in the cache
# directory: it is on the same filesystem as the binary, so moving the binary
# into place is one rename (atomic: a reader sees no binary or a complete
# one), and it does not fill a tmpfs /tmp.
build=$(mktemp -d -- "$cache/.build-$name.XXXXXX")
cleanup() {
	local rc=$?
	trap - EXIT INT TERM HUP
	rm -rf -- "$build"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

: >"$log"
say "building $name (log: $log)"
started=$SECONDS

# Run one build step with its output in the log; on failure, show the log's
# tail and stop.
step() {
	local what=$1
	shift
	printf '\n=== %s: %s\n' "$what" "$*" >>"$log"
	if ! "$@" >>"$log" 2>&1; then
		say "$what failed; last 40 lines of $log:"
		tail -n 40 -- "$log" >&2
		exit 1
	fi
}

# make with a clean environment for the variables Kbuild reads: a parent
# make's MAKEFLAGS (-j, -n), O=/KBUILD_OUTPUT, CROSS_COMPILE or CC from the
# caller's shell would otherwise change what gets built, or where. Fixed
# user/host names keep the build machine's out of the binary's version string.
kmake() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u O -u KBUILD_OUTPUT -u CROSS_COMPILE \
		-u CC -u LD -u KCONFIG_CONFIG -u KCFLAGS -u ARCH -u SUBARCH \
		KBUILD_BUILD_USER=netbond KBUILD_BUILD_HOST=test-bed \
		make -C "$src" ARCH=um "$@"
}

# Every line of the fragment, exactly, in the final .config: "CONFIG_X=v"
# must be there as written, "# CONFIG_X is not set" must leave X unset.
# Kconfig drops an option whose dependencies are not met without a word, so
# this is the only place that notices.
check_config() {
	local config=$1 line sym missing=()
	declare -A have=()
	while IFS= read -r line; do
		[[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)= ]] && have[${BASH_REMATCH[1]}]=$line
	done <"$config"
	while IFS= read -r line; do
		if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)= ]]; then
			sym=${BASH_REMATCH[1]}
			[[ ${have[$sym]-} == "$line" ]] || missing+=("$line (got: ${have[$sym]:-not set})")
		elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
			sym=${BASH_REMATCH[1]}
			[[ -z ${have[$sym]-} ]] || missing+=("$sym unset (got: ${have[$sym]})")
		fi
	done <"$fragment"
	if ((${#missing[@]})); then
		say "the kernel config lacks what $fragment requires:"
		printf '  %s\n' "${missing[@]}" >&2
		say "(a Kconfig dependency is missing; see 'make ARCH=um menuconfig' in a $pkg tree)"
		exit 1
	fi
}

say "extracting $tarball"
step extract tar -xJf "$tarball" -C "$build" --strip-components=1
src=$build

say "configuring: defconfig + $(basename -- "$fragment")"
step defconfig kmake defconfig
# -m: merge only (merge_config.sh would otherwise run alldefconfig over it);
# olddefconfig then resolves the dependencies of the merged options.
step merge env -u KCONFIG_CONFIG -C "$src" scripts/kconfig/merge_config.sh -m .config "$fragment"
step olddefconfig kmake olddefconfig
check_config "$src/.config"

jobs=$(nproc)
say "compiling with $jobs jobs"
step build kmake -j"$jobs" linux
# The build may have rewritten .config (syncconfig): check what was built.
check_config "$src/.config"

elapsed=$((SECONDS - started))
# Stripped like Debian's linux.uml: the kernel's own symbols (kallsyms, for
# oops traces) are inside the image; only the ELF symbol table goes.
step strip strip -o "$build/linux.stripped" "$src/linux"
cp -- "$src/.config" "$binary.config.tmp"
mv -f -- "$binary.config.tmp" "$binary.config"
chmod 0755 "$build/linux.stripped"
# Last: the binary's presence is what says the cache entry is complete.
mv -f -- "$build/linux.stripped" "$binary"
size=$(stat -c %s -- "$binary")
printf '\n=== done: %s, built in %d s, %d bytes stripped (%d unstripped)\n' \
	"$binary" "$elapsed" "$size" "$(stat -c %s -- "$src/linux")" >>"$log"
say "built $name in $((elapsed / 60))m$((elapsed % 60))s, $((size / 1024)) KiB"
printf '%s\n' "$binary"
