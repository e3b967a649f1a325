#!/usr/bin/env node
// The test bed: unit tests natively, kernel tests in a kernel that has the bonding driver:
// directly when the host kernel has it (probed in a throwaway namespace), otherwise inside
// User-Mode Linux booted over the host filesystem. Output and exit status pass through. The last
// line is the total over every suite: "N passed, N failed".
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const resultsDir = `${root}.test-results`;
const vitest = `${root}node_modules/.bin/vitest`;

function run(command, args, env = {}, quiet = false) {
  return new Promise((resolve) => {
    const stdio = ['ignore', quiet ? 'ignore' : 'inherit', quiet ? 'ignore' : 'inherit'];
    const child = spawn(command, args, { cwd: root, stdio, env: { ...process.env, ...env } });
    child.on('error', () => resolve(127));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

function vitestArgs(project) {
  return ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${resultsDir}/${project}.json`];
}

async function counts(project) {
  try {
    const report = JSON.parse(await readFile(`${resultsDir}/${project}.json`, 'utf8'));
    return {
      passed: report.numPassedTests,
      failed: report.numFailedTests,
      skipped: report.numPendingTests + report.numTodoTests,
      // A file that failed to load has no failed test; count it once.
      failedFiles: report.testResults.filter((file) => file.status === 'failed' && file.assertionResults.every((t) => t.status !== 'failed')).length,
    };
  } catch {
    return undefined; // the suite died before writing its report
  }
}

/** Runs a bash script whose last line is "N passed, N failed" (the C++ tests, the package test). */
function scriptCounts(script, env = {}) {
  return new Promise((resolve) => {
    const child = spawn('bash', [`${root}${script}`], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.on('error', () => resolve(undefined));
    child.on('exit', (code) => {
      const match = /(\d+) passed, (\d+) failed\s*$/u.exec(output);
      if (!match) return resolve(undefined);
      const failed = Number(match[2]) + (code === 0 ? 0 : Number(match[2]) === 0 ? 1 : 0);
      resolve({ passed: Number(match[1]), failed, skipped: 0, failedFiles: 0 });
    });
  });
}

/** Runs the kernel suite in User-Mode Linux; `name` names its JSON report. */
async function umlSuite(name, env) {
  const args = ['run', '--project', 'kernel', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsDir}/${name}.json`];
  await run('bash', [`${root}scripts/test-bed/uml-run.sh`, '--', vitest, ...args], { CI: 'true', NETBOND_CACHE_DIR: `/tmp/netbond-vite-cache-${name}`, ...env });
  return counts(name);
}

/** The 6.12 UML kernel's path, built or from the cache; undefined (and why, on stderr) if it cannot be. */
function buildKernel() {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn('bash', [`${root}scripts/test-bed/build-uml-kernel.sh`], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', () => resolve(undefined));
    child.on('exit', (code) => {
      const path = out.trim().split('\n').pop();
      console.log(`UML 6.12 kernel: ${code === 0 ? path : 'build failed'} (${Math.round((Date.now() - started) / 1000)} s)`);
      resolve(code === 0 && path ? path : undefined);
    });
  });
}

async function hostHasBonding() {
  return (await run('bash', [`${root}scripts/test-bed/probe-bonding.sh`], {}, true)) === 0;
}

async function haveUml() {
  return (await run('sh', ['-c', 'command -v linux.uml >/dev/null'])) === 0;
}

await rm(resultsDir, { recursive: true, force: true });
await mkdir(resultsDir, { recursive: true });
const suites = [];

console.log('== unit tests (no kernel needed)');
await run(vitest, vitestArgs('unit'), { CI: 'true' });
suites.push(['unit', await counts('unit')]);

console.log('== native core tests (C++, AddressSanitizer + UndefinedBehaviorSanitizer, no Node)');
suites.push(['native (ASan+UBSan)', await scriptCounts('scripts/test-bed/native-tests.sh')]);

// A fixed budget, so the run's length does not depend on what the fuzzer finds to explore.
const FUZZ_SECONDS = '30';
console.log(`== fuzzing the reply path, decoders and builder (libFuzzer + ASan + UBSan, ${FUZZ_SECONDS} s)`);
suites.push(['fuzz (libFuzzer)', await scriptCounts('scripts/fuzz/run-fuzz.sh', { NETBOND_FUZZ_SECONDS: FUZZ_SECONDS })]);

if (await hostHasBonding()) {
  console.log('== kernel tests, directly on this host (its kernel has the bonding driver)');
  await run(vitest, vitestArgs('kernel'), { CI: 'true' });
  suites.push(['kernel', await counts('kernel')]);
} else if (process.env.NETBOND_UML || process.env.NETBOND_UML_KERNEL) {
  const kernel = process.env.NETBOND_UML ?? process.env.NETBOND_UML_KERNEL;
  console.log(`== kernel tests inside User-Mode Linux, on the kernel named by NETBOND_UML (${kernel})`);
  suites.push(['kernel (NETBOND_UML)', await umlSuite('kernel', {})]);
} else if (await haveUml()) {
  // Two kernels users run: Debian's packaged UML 6.1, and 6.12 built from Debian's source (cached;
  // the first build takes about 5 minutes on 2 cores).
  console.log('== kernel tests inside User-Mode Linux 6.1 (Debian user-mode-linux; this host kernel has no bonding driver)');
  suites.push(['kernel (UML 6.1)', await umlSuite('kernel', {})]);
  console.log('== kernel tests inside User-Mode Linux 6.12 (built from Debian linux-source-6.12)');
  const built = await buildKernel();
  if (built) suites.push(['kernel (UML 6.12)', await umlSuite('kernel-6.12', { NETBOND_UML: built })]);
  else suites.push(['kernel (UML 6.12)', undefined]);
} else {
  console.error(
    'netbond test bed: no kernel with the bonding driver can be reached. This host kernel has none, ' +
      'and User-Mode Linux is not installed: apt-get install -y user-mode-linux',
  );
  suites.push(['kernel', undefined]);
}

// The cmake-js build of the same sources runs a documented subset of the kernel suite: every
// mode's lifecycle, the kernel's refusals, and the link helpers.
const CMAKE_SUBSET = ['test/kernel/kernel-info.test.ts', 'test/kernel/create-bond.test.ts', 'test/kernel/errors.test.ts', 'test/kernel/link.test.ts'];
console.log('== cmake-js build of the addon, and the kernel subset on it');
// cmake-js takes Node's headers from npm's nodedir; without one it would download them.
const nodedir = process.env.npm_config_nodedir ?? (existsSync('/usr/include/node/node_api.h') ? '/usr' : undefined);
if ((await run(`${root}node_modules/.bin/cmake-js`, ['build', '--out', 'build-cmake'], nodedir ? { npm_config_nodedir: nodedir } : {}, true)) !== 0) {
  console.error('netbond test bed: the cmake-js build failed (needs cmake: apt-get install -y cmake)');
  suites.push(['kernel (cmake-js build)', undefined]);
} else {
  const env = { CI: 'true', NETBOND_CACHE_DIR: '/tmp/netbond-vite-cache', NETBOND_ADDON: `${root}build-cmake/Release/netbond.node` };
  const args = ['run', '--project', 'kernel', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsDir}/kernel-cmake.json`, ...CMAKE_SUBSET];
  if (await hostHasBonding()) await run(vitest, args, env);
  else await run('bash', [`${root}scripts/test-bed/uml-run.sh`, '--', vitest, ...args], env);
  suites.push(['kernel (cmake-js build)', await counts('kernel-cmake')]);
}

console.log('== the linux-arm64 prebuilt binary: cross-compiled, then loaded and used on an arm64 Node (qemu-user)');
suites.push(['prebuild linux-arm64 (qemu)', await scriptCounts('scripts/prebuild-arm64.sh')]);

console.log('== the npm tarball: installed with no compiler, imported from ESM and CJS, creating a bond');
suites.push(['package (npm pack)', await scriptCounts('scripts/pack-test.sh')]);

let passed = 0;
let failed = 0;
let skipped = 0;
let ok = true;
for (const [name, result] of suites) {
  if (!result) {
    console.log(`${name}: did not run or did not finish`);
    failed += 1;
    ok = false;
    continue;
  }
  console.log(`${name}: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped`);
  passed += result.passed;
  failed += result.failed + result.failedFiles;
  skipped += result.skipped;
  // A suite that ran nothing, or skipped something, is not a pass here.
  if (result.failed > 0 || result.failedFiles > 0 || result.passed === 0 || result.skipped > 0) ok = false;
}
const total = skipped > 0 ? `${passed} passed, ${failed} failed, ${skipped} skipped` : `${passed} passed, ${failed} failed`;
await writeFile(`${resultsDir}/summary.txt`, `${total}\n`);
console.log(total);
process.exit(ok ? 0 : 1);
