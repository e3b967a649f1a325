#!/usr/bin/env bash
# npm run pack-test: the package as users get it. Builds the prebuilt binary (prebuildify,
# N-API, stripped), packs the tarball, installs it into a scratch project with no compiler on
# PATH (so only the prebuilt binary can load), imports it from ESM and requires it from CJS
# (require(esm), Node >= 20.19), then creates a bond with it inside a bonding kernel.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
npm run build:ts >/dev/null
npm_config_nodedir=${npm_config_nodedir:-/usr} npx prebuildify --napi --strip >/dev/null
tarball=$repo/$(npm pack --silent | tail -n 1)
scratch=$(mktemp -d "$repo/.scratch-pack.XXXXXX")
nocc=$(mktemp -d)
trap 'rm -rf "$scratch" "$nocc" "$tarball"' EXIT
# A PATH with node, npm and a shell, and no cc, g++, make or python3.
for tool in node npm npx sh bash env cat ls mkdir rm cp mv ln chmod uname dirname basename ip setpriv; do
	if command -v "$tool" >/dev/null; then ln -s "$(command -v "$tool")" "$nocc/$tool"; fi
done
cd "$scratch"
printf '{ "name": "scratch", "version": "1.0.0", "private": true }\n' >package.json
PATH=$nocc npm install --no-audit --no-fund "$tarball" >/dev/null
[[ ! -d node_modules/netbond/build ]] || { echo "pack-test: the addon was compiled; the prebuilt binary was not used" >&2; exit 1; }
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
cat >inside.sh <<'SH'
set -e
ns=packtest-$$
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT
node esm.mjs "$ns"
node cjs.cjs
SH
if bash "$repo/scripts/test-bed/probe-bonding.sh" 2>/dev/null; then
	PATH=$nocc bash inside.sh
else
	PATH=$nocc:$PATH bash "$repo/scripts/test-bed/uml-run.sh" -- bash inside.sh
fi
echo "pack-test: ok ($(basename "$tarball"), prebuilt binary, ESM and CJS)"
