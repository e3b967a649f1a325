#!/usr/bin/env bash
# setup.sh: installs what netbond's demo and tests need on a Debian/Ubuntu machine, as root:
# iproute2 and ping for the labs, a compiler for the addon, User-Mode Linux when this kernel has
# no bonding driver, then the npm dependencies (which build the addon). With --test, also what
# only the test suite needs: the aarch64 cross compiler and qemu-user (the linux-arm64 prebuilt
# binary is built, then run on an arm64 Node under emulation), clang with libFuzzer for the fuzz run,
# Debian's 6.12 kernel source with flex, bison and bc for the test bed's UML 6.12 kernel, and QEMU
# with busybox-static for the QEMU test bed on Debian's own kernel images.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null || ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'; then
	echo "setup.sh: netbond needs Node.js >= 20 with npm on PATH" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends iproute2 iputils-ping kmod util-linux make g++ python3 cmake >/dev/null
if [[ ${1:-} == --test ]]; then
	apt-get install -y -qq --no-install-recommends g++-aarch64-linux-gnu qemu-user file clang libclang-rt-dev >/dev/null
	# The second UML kernel (scripts/test-bed/build-uml-kernel.sh): Debian's 6.12 source, from
	# bookworm-security (no extra apt source needed), and what Kbuild needs beyond gcc and make.
	apt-get install -y -qq --no-install-recommends linux-source-6.12 flex bison bc >/dev/null
	# The QEMU test bed (scripts/test-bed/qemu-run.sh, docs/qemu-bed.md): Debian's kernel images
	# under qemu-system-x86 with a busybox initramfs; 6.12's vmlinuz is zstd-compressed.
	apt-get install -y -qq --no-install-recommends qemu-system-x86 busybox-static ethtool zstd >/dev/null
	# The Ansible collection's playbook tests (test/kernel/ansible.test.ts) run Debian's engine.
	apt-get install -y -qq --no-install-recommends ansible-core >/dev/null
fi
if ! bash scripts/test-bed/probe-bonding.sh 2>/dev/null; then
	echo "setup.sh: this kernel has no bonding driver; installing User-Mode Linux to provide one"
	apt-get install -y -qq --no-install-recommends user-mode-linux >/dev/null
fi
npm ci --no-fund --no-audit
