#!/usr/bin/env bash
# qemu-image.sh: fetch one of Debian's own kernel images as a package, once,
# and prepare it for the QEMU test bed (qemu-run.sh): modules.dep, an ELF
# kernel for a PVH boot, and a small initramfs. Never installs into /boot.
#
# Usage: scripts/test-bed/qemu-image.sh 6.1|6.12
#
#   Prints two stdout lines (progress goes to stderr): the image's cache
#   directory, then the initramfs for this script's stage-1 init. The directory, $NETBOND_QEMU_CACHE/<package>_<version>
#   (default cache: ~/.cache/netbond/qemu), holds:
#     boot/vmlinuz-<release>      the package's kernel, as shipped
#     lib/modules/<release>/      its modules, with modules.dep (depmod -b)
#     vmlinux                     the same kernel decompressed to ELF, only if
#                                 it carries a PVH entry note (boots ~2x faster)
#     initramfs-<hash>.cpio.gz    busybox-static + the virtio/9p/overlay modules
#                                 and the stage-1 init below; <hash> covers that
#                                 init and busybox's version, so an edit of
#                                 either makes a new one
#     release                     the kernel release (uname -r)
#   6.1 is bookworm's linux-image-amd64, 6.12 is linux-image-6.12-amd64
#   (bookworm-security); the exact package (linux-image-6.1.0-NN-amd64, ...)
#   is what apt resolves those to today, so a new Debian upload gives a new
#   directory and an old one is never reused for it.
#
# Needs: apt-get/apt-cache (with the bookworm and bookworm-security sources),
#   dpkg-deb, depmod and modprobe (kmod), busybox-static, python3, readelf,
#   zstd (6.12's vmlinuz is zstd), gzip, xz, flock. Run as root (apt-get download as another user works too
#   if it can write the cache).
# Facts: docs/qemu-bed.md.
set -euo pipefail

prog=${0##*/}

die() {
	printf '%s: %s\n' "$prog" "$*" >&2
	exit 1
}

say() {
	printf '%s: %s\n' "$prog" "$*" >&2
}

[[ $# -eq 1 ]] || die "usage: $prog 6.1|6.12"
case $1 in
6.1) meta=linux-image-amd64 ;;
6.12) meta=linux-image-6.12-amd64 ;;
*) die "image must be 6.1 or 6.12, got: $1" ;;
esac

for tool in apt-get apt-cache dpkg-deb depmod modprobe python3 readelf xz zstd gzip flock sha256sum; do
	command -v "$tool" >/dev/null || die "$tool not found (scripts/setup.sh --test installs what this needs)"
done
busybox=/bin/busybox
[[ -x $busybox ]] && "$busybox" --list | grep -x switch_root >/dev/null ||
	die "$busybox with switch_root not found (apt-get install busybox-static)"

cache=${NETBOND_QEMU_CACHE:-${HOME:?HOME is not set}/.cache/netbond/qemu}
mkdir -p -- "$cache"
cache=$(cd -- "$cache" && pwd -P)

# The metapackage depends on exactly one versioned image package. apt-cache
# takes ~1 s per call here, so the answer is kept until apt's package lists
# change (apt-get update).
lists_stamp=$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -printf '%T@ %s %f\n' 2>/dev/null | sort | sha256sum)
resolved=$cache/.resolved-$meta
pkg= version=
if [[ -f $resolved ]]; then
	{ read -r stamp && read -r pkg && read -r version; } <"$resolved" || true
	[[ ${stamp:-} == "${lists_stamp:0:16}" ]] || pkg= version=
fi
if [[ -z $pkg ]]; then
	pkg=$(apt-cache depends --important "$meta" 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9].*-amd64$/ && !p { print $2; p = 1 }')
	[[ -n $pkg ]] || die "cannot resolve $meta to an image package (apt-cache depends $meta; apt-get update?)"
	version=$(apt-cache show --no-all-versions "$pkg" 2>/dev/null | awk '$1 == "Version:" && !p { print $2; p = 1 }')
	printf '%s\n' "${lists_stamp:0:16}" "$pkg" "$version" >"$resolved.tmp" && mv -f -- "$resolved.tmp" "$resolved"
fi
[[ $pkg =~ ^linux-image-[0-9A-Za-z.+-]+$ ]] || die "unexpected package name: '$pkg'"
[[ $version =~ ^[0-9A-Za-z.+~:-]+$ ]] || die "unexpected version of $pkg: '$version'"

# Guest paths must survive a kernel command line and mount options.
[[ $cache =~ ^/[A-Za-z0-9._/+-]+$ ]] || die "unsafe cache path: $cache"
dir=$cache/${pkg}_${version//:/_}

# --- the stage-1 init, PID 1 in the initramfs. It mounts the host's / (9p,
# read-only) under an overlay whose upper layer is a tmpfs, mounts the run
# directory qemu-run.sh shares, and switch_roots into it, so that PID 1 itself
# has the host's root: the kernel's request_module() runs /sbin/modprobe
# relative to PID 1's root, so a chroot in a child would leave module autoload
# (`ip link add type bond`) looking in the initramfs.
read -r -d '' stage1 <<'STAGE1' || true
#!/bin/busybox sh
/bin/busybox mkdir -p /bin /proc /sys /dev /lower /ovl /newroot
/bin/busybox --install -s /bin
export PATH=/bin
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
fail() {
	echo "netbond-qemu stage1: $*"
	reboot -f
	sleep 60
}
while read -r m; do
	insmod "/modules/$m" || fail "insmod $m"
done </modules/order
# msize: 9p moves up to this many bytes per message (the default, 8 KiB, makes
# reading node's 100 MB binary take thousands of round trips).
mount -t 9p -o ro,trans=virtio,version=9p2000.L,msize=262144,cache=loose hostroot /lower ||
	fail "mount the host root (9p tag hostroot)"
mount -t tmpfs -o mode=0755 tmpfs /ovl && mkdir /ovl/upper /ovl/work || fail "tmpfs for the overlay"
mount -t overlay -o lowerdir=/lower,upperdir=/ovl/upper,workdir=/ovl/work overlay /newroot ||
	fail "overlay over the host root"
mount -t tmpfs -o mode=0755 tmpfs /newroot/run && mkdir /newroot/run/netbond-host || fail "tmpfs on /run"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,cache=none netbondrun /newroot/run/netbond-host ||
	fail "mount the run directory (9p tag netbondrun)"
mount --move /dev /newroot/dev || fail "move /dev"
exec switch_root /newroot /run/netbond-host/init
STAGE1

bb_version=$("$busybox" 2>&1 | awk "NR == 1")
initrd_hash=$(printf '%s\n%s\n' "$stage1" "$bb_version" | sha256sum)
initrd=$dir/initramfs-${initrd_hash:0:12}.cpio.gz

if [[ -f $dir/release && -f $initrd ]]; then
	printf '%s\n' "$dir" "$initrd"
	exit 0
fi

# One preparer per package at a time; the others wait, then find it done.
exec 9>"$dir.lock"
flock 9

if [[ ! -f $dir/release ]]; then
	start=$SECONDS
	say "fetching $pkg $version (for $meta)"
	tmp=$(mktemp -d -p "$cache" ".${pkg}.XXXXXX")
	trap 'rm -rf -- "$tmp"' EXIT
	# APT::Sandbox::User=root: the _apt user may not write $tmp.
	(cd -- "$tmp" && apt-get download -q -o APT::Sandbox::User=root "$pkg=$version" >&2) ||
		die "apt-get download $pkg=$version failed"
	deb=("$tmp"/*.deb)
	[[ -f ${deb[0]} ]] || die "no .deb downloaded"
	mkdir "$tmp/root"
	dpkg-deb -x "${deb[0]}" "$tmp/root"
	rm -f -- "${deb[@]}"
	root=$tmp/root
	# bookworm ships modules in /lib/modules; a later package may use /usr/lib.
	if [[ ! -d $root/lib/modules && -d $root/usr/lib/modules ]]; then
		mkdir -p "$root/lib" && mv "$root/usr/lib/modules" "$root/lib/modules"
	fi
	vmlinuz=("$root"/boot/vmlinuz-*)
	[[ -f ${vmlinuz[0]} ]] || die "$pkg has no boot/vmlinuz-*"
	release=${vmlinuz[0]##*/vmlinuz-}
	[[ -d $root/lib/modules/$release ]] || die "$pkg has no lib/modules/$release"
	# The package ships no modules.dep; its postinst would run depmod.
	depmod -b "$root" "$release" || die "depmod -b for $release failed"

	# The bzImage's payload is XZ (6.1) or zstd (6.12); decompressed it is the
	# ELF vmlinux, which QEMU boots through its PVH entry (no in-guest
	# decompression, no real-mode setup). Only if the ELF has the PVH note
	# (XEN_ELFNOTE_PHYS32_ENTRY). As the kernel's scripts/extract-vmlinux: try
	# each place the format's magic occurs until one gives an ELF.
	python3 - "${vmlinuz[0]}" "$root/vmlinux" <<'PY' || say "no ELF kernel: could not decompress the vmlinuz payload"
import lzma, subprocess, sys
data = open(sys.argv[1], "rb").read()
def xz(blob):
    return lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(blob)
def zstd(blob):
    # The payload is followed by its size (4 bytes); zstd complains about
    # them after writing the frame, so its exit status says nothing here.
    return subprocess.run(["zstd", "-dcq"], input=blob, capture_output=True).stdout
for magic, fn in ((b"\xfd7zXZ\x00", xz), (b"\x28\xb5\x2f\xfd", zstd)):
    at = data.find(magic)
    while at >= 0:
        try:
            out = fn(data[at:])
        except Exception:
            out = b""
        if out[:4] == b"\x7fELF":
            open(sys.argv[2], "wb").write(out)
            sys.exit(0)
        at = data.find(magic, at + 1)
sys.exit("no XZ or zstd payload that decompresses to ELF")
PY
	if [[ -f $root/vmlinux ]] && ! readelf -n "$root/vmlinux" 2>/dev/null | grep -A1 -E '^ +Xen ' | grep -q '0x00000012'; then
		say "the ELF kernel has no PVH entry note; qemu-run.sh will boot the vmlinuz"
		rm -f -- "$root/vmlinux"
	fi
	rm -f -- "$root"/boot/System.map-*
	printf '%s\n' "$release" >"$root/release"
	rm -rf -- "$dir"
	mv -- "$root" "$dir"
	rm -rf -- "$tmp"
	trap - EXIT
	say "$pkg unpacked and prepared in $((SECONDS - start)) s"
fi

if [[ ! -f $initrd ]]; then
	start=$SECONDS
	release=$(<"$dir/release")
	tmp=$(mktemp -d -p "$cache" ".initramfs.XXXXXX")
	trap 'rm -rf -- "$tmp"' EXIT
	mkdir -p "$tmp/bin" "$tmp/modules" "$tmp/dev"
	cp -- "$busybox" "$tmp/bin/busybox"
	printf '%s\n' "$stage1" >"$tmp/init"
	chmod 0755 "$tmp/init"
	# The kernel opens /dev/console before running /init.
	mknod -m 0600 "$tmp/dev/console" c 5 1 2>/dev/null || true
	# What mounting 9p over virtio-pci and overlay needs, in load order (a
	# module built into this kernel prints "builtin" and is skipped).
	: >"$tmp/modules/order"
	while read -r word path _; do
		[[ $word == insmod ]] || continue
		name=${path##*/}
		name=${name%.xz}
		grep -qx -- "$name" "$tmp/modules/order" && continue
		if [[ $path == *.xz ]]; then
			# Decompressed here: busybox's insmod passes the file as is.
			xz -dc -- "$path" >"$tmp/modules/$name"
		else
			cp -- "$path" "$tmp/modules/$name"
		fi
		printf '%s\n' "$name" >>"$tmp/modules/order"
	done < <(modprobe -a -d "$dir" -S "$release" --show-depends virtio_pci 9pnet_virtio 9p overlay)
	[[ -s $tmp/modules/order ]] || say "note: virtio, 9p and overlay are all built into $release"
	(cd -- "$tmp" && find . -mindepth 1 | "$busybox" cpio -o -H newc 2>/dev/null | gzip -1 >"$tmp.cpio.gz") ||
		die "building the initramfs failed"
	mv -- "$tmp.cpio.gz" "$initrd"
	rm -rf -- "$tmp"
	trap - EXIT
	say "initramfs built in $((SECONDS - start)) s: $(tr '\n' ' ' <"$dir/release")"
fi
printf '%s\n' "$dir" "$initrd"
