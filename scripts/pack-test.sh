#!/usr/bin/env bash
# npm run pack-test: the package as users get it. Clones the repository's HEAD into a scratch
# directory (no dist/, no build/, no prebuilds/), runs `npm ci` and `npm pack` there (the prepack
# script builds dist/ and the prebuilt binary for this platform), checks what the tarball holds,
# installs it into a scratch project with no compiler on PATH (so only the prebuilt binary can
# load), runs both commands' --version, imports it from ESM and requires it from CJS
# (require(esm), Node >= 20.19), then creates a bond with it inside a bonding kernel. Each check
# prints PASS or FAIL; the last line is "N passed, N failed" (the test bed counts it as a suite).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
scratch=$(mktemp -d "$repo/.scratch-pack.XXXXXX")
nocc=$(mktemp -d)
trap 'rm -rf "$scratch" "$nocc"' EXIT
log=$scratch/checks.log
: >"$log"
check() { # check NAME COMMAND...: PASS or FAIL as the command succeeds
	local name=$1
	shift
	if "$@"; then echo "PASS $name" | tee -a "$log"; else echo "FAIL $name" | tee -a "$log"; fi
}
git clone -q "$repo" "$scratch/clone"
version=$(node -p "require('$scratch/clone/package.json').version")
# --ignore-scripts: nothing is compiled by the install; only prepack builds.
(cd "$scratch/clone" && npm ci --ignore-scripts --no-audit --no-fund >/dev/null && npm_config_nodedir=${npm_config_nodedir:-/usr} npm pack --silent >"$scratch/packed" 2>"$scratch/pack.log") || cat "$scratch/pack.log" >&2
tarball=$scratch/clone/$(tail -n 1 "$scratch/packed")
check "npm pack in a clean clone ships dist/, bin/ and the prebuilt binary" \
	bash -c '[[ -f "$0" ]] && for f in package/dist/index.js package/dist/cli/main.js package/bin/netbond.js package/prebuilds/linux-x64/netbond.node package/native/rtnl_batch.cc; do tar -tzf "$0" | grep -qx "$f" || exit 1; done' "$tarball"
check "the tarball leaves out the C++ tests and the fuzz target" bash -c '! tar -tzf "$0" | grep -qE "^package/native/(tests|fuzz)/"' "$tarball"
# A PATH with node, npm and a shell, and no cc, g++, make or python3.
for tool in node npm npx sh bash env cat ls mkdir rm cp mv ln chmod uname dirname basename ip setpriv; do
	if command -v "$tool" >/dev/null; then ln -s "$(command -v "$tool")" "$nocc/$tool"; fi
done
cd "$scratch"
printf '{ "name": "scratch", "version": "1.0.0", "private": true }\n' >package.json
if PATH=$nocc npm install --no-audit --no-fund "$tarball" >/dev/null; then
	echo "PASS npm install of the tarball with no compiler on PATH" | tee -a "$log"
else
	echo "FAIL npm install of the tarball with no compiler on PATH" | tee -a "$log"
fi
if [[ -f node_modules/netbond/prebuilds/linux-x64/netbond.node && ! -d node_modules/netbond/build ]]; then
	echo "PASS the prebuilt binary is used (nothing was compiled)" | tee -a "$log"
else
	echo "FAIL the prebuilt binary is used (nothing was compiled)" | tee -a "$log"
fi
check "netbond --version and netbond-ifenslave --version print $version" \
	bash -c '[[ "$(PATH=$1 node_modules/.bin/netbond --version)" == "$0" && "$(PATH=$1 node_modules/.bin/netbond-ifenslave --version)" == "$0" ]]' "$version" "$nocc"
cat >esm.mjs <<'JS'
import { createBond, deleteBond, getBond } from 'netbond';
const netns = process.argv[2];
const state = await createBond('packtest0', { mode: 'active-backup', miimon: 100, netns });
console.log(`esm: created ${state.name} in mode ${state.mode}`);
if ((await getBond('packtest0', { netns })).mode !== 'active-backup') process.exit(1);
await deleteBond('packtest0', { netns });
JS
cat >cjs.cjs <<'JS'
const { createBond, ValidationError } = require('netbond');
if (typeof createBond !== 'function' || typeof ValidationError !== 'function') process.exit(1);
console.log('cjs: require(netbond) works');
JS
cat >lab.mjs <<'JS'
import * as netbond from 'netbond';
import { formatLabText, runLab } from 'netbond/lab';
if (typeof runLab !== 'function' || typeof formatLabText !== 'function' || 'runLab' in netbond) process.exit(1);
console.log('esm: netbond/lab has the lab, netbond does not');
JS
cat >inside.sh <<'SH'
ns=packtest-$$
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT
if node esm.mjs "$ns"; then echo "PASS import from ESM creates a bond"; else echo "FAIL import from ESM creates a bond"; fi
if node cjs.cjs; then echo "PASS require from CJS"; else echo "FAIL require from CJS"; fi
if node lab.mjs; then echo "PASS the lab from its own entry, netbond/lab"; else echo "FAIL the lab from its own entry, netbond/lab"; fi
SH
if bash "$repo/scripts/test-bed/probe-bonding.sh" 2>/dev/null; then
	PATH=$nocc bash inside.sh | tee -a "$log"
else
	PATH=$nocc:$PATH bash "$repo/scripts/test-bed/uml-run.sh" -- bash inside.sh | tee -a "$log"
fi
passed=$(grep -c '^PASS' "$log" || true)
failed=$(grep -c '^FAIL' "$log" || true)
# Eight checks are expected; one that never printed is a failure too.
failed=$((failed + 8 - passed - failed))
echo "pack-test: $(basename "$tarball")"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
