#!/usr/bin/env node
// The test bed: builds, then runs every suite: unit tests natively, kernel tests in a kernel that
// has the bonding driver (directly when the host kernel has it, probed in a throwaway namespace;
// otherwise inside User-Mode Linux booted over the host filesystem), the C++ core under sanitizers,
// the other builds and the package. The suites run in two lanes at once, each pinned to one CPU
// (docs/test-bed.md says why and what each lane holds); each line a suite prints is prefixed with
// the suite's name. At the end: the slowest tests, the tests that used more than half their budget,
// the wall time of each phase, and last the total over every suite: "N passed, N failed".
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { lanesFor } from './lanes.mjs';
import { failureReport, phaseTable, timingReport } from './report.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const resultsDir = `${root}.test-results`;
const vitest = `${root}node_modules/.bin/vitest`;
const timingReporter = `${root}scripts/test-bed/timing-reporter.mjs`;

/**
 * Runs a command pinned to `cpu` (all CPUs when undefined), its output line by line on our stdout
 * behind `[tag] `. Resolves with the exit status and stdout's text.
 */
function run(command, args, { env = {}, cpu, tag, quiet = false } = {}) {
  return new Promise((resolve) => {
    const [file, argv] = cpu === undefined ? [command, args] : ['taskset', ['-c', String(cpu), command, ...args]];
    const child = spawn(file, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    const relay = (stream, out, keep) => {
      const print = (line) => out.write(tag ? `[${tag}] ${line}\n` : `${line}\n`);
      let partial = '';
      stream.on('data', (chunk) => {
        const text = chunk.toString();
        if (keep) stdout += text;
        if (quiet) return;
        const lines = (partial + text).split('\n');
        partial = lines.pop();
        lines.forEach(print);
      });
      stream.on('end', () => {
        if (!quiet && partial) print(partial);
      });
    };
    relay(child.stdout, process.stdout, true);
    relay(child.stderr, process.stderr, false);
    child.on('error', () => resolve({ code: 127, stdout }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout }));
  });
}

/** Counts from a vitest JSON report; undefined when the suite died before writing it. */
async function counts(report) {
  try {
    const json = JSON.parse(await readFile(`${resultsDir}/${report}.json`, 'utf8'));
    return {
      passed: json.numPassedTests,
      failed: json.numFailedTests,
      skipped: json.numPendingTests + json.numTodoTests,
      // A file that failed to load has no failed test; count it once.
      failedFiles: json.testResults.filter((file) => file.status === 'failed' && file.assertionResults.every((t) => t.status !== 'failed')).length,
    };
  } catch {
    return undefined;
  }
}

/** vitest arguments for one suite: its JSON report and its timings under `report`. */
function vitestArgs(project, report, files = []) {
  return ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${resultsDir}/${report}.json`, `--reporter=${timingReporter}`, ...files];
}
/** The environment of one vitest suite: its timings file and a vite cache of its own. */
const suiteEnv = (report) => ({ CI: 'true', NETBOND_TIMINGS_FILE: `${resultsDir}/${report}.timings.jsonl`, NETBOND_CACHE_DIR: `/tmp/netbond-vite-cache-${report}` });

/** A vitest project (or `files` of it) on this host, pinned to `cpu`; its counts. */
async function vitestSuite(project, report, { cpu, tag, files = [], env = {} }) {
  await run(vitest, vitestArgs(project, report, files), { env: { ...suiteEnv(report), ...env }, cpu, tag });
  return counts(report);
}

/** The counts of a bash script whose last line is "N passed, N failed" (C++ tests, package test). */
async function scriptCounts(script, { env = {}, cpu, tag }) {
  const { code, stdout } = await run('bash', [`${root}${script}`], { env, cpu, tag });
  const match = /(\d+) passed, (\d+) failed\s*$/u.exec(stdout);
  if (!match) return undefined;
  const failed = Number(match[2]) + (code === 0 ? 0 : Number(match[2]) === 0 ? 1 : 0);
  return { passed: Number(match[1]), failed, skipped: 0, failedFiles: 0 };
}

const hostHasBonding = async () => (await run('bash', [`${root}scripts/test-bed/probe-bonding.sh`], { quiet: true })).code === 0;
const haveUml = async () => (await run('sh', ['-c', 'command -v linux.uml >/dev/null'], { quiet: true })).code === 0;

/** The ways a kernel suite can reach a bonding kernel, given to lanes.mjs's jobs. */
const kernelRunner = {
  /** vitest's kernel project on this host's own kernel. */
  onHost: (report, options) => vitestSuite('kernel', report, options),
  /** vitest's kernel project inside a User-Mode Linux guest pinned to `cpu`; `kernel` undefined = linux.uml. */
  async inUml(report, { kernel, cpu, tag, files = [], env = {} }) {
    const guest = { NETBOND_UML_CPU: String(cpu), ...(kernel ? { NETBOND_UML: kernel } : {}) };
    await run('bash', [`${root}scripts/test-bed/uml-run.sh`, '--', vitest, ...vitestArgs('kernel', report, files)], {
      env: { ...suiteEnv(report), ...guest, ...env },
      tag,
    });
    return counts(report);
  },
  /**
   * The QEMU suite (test/qemu/) inside a guest booted from Debian's own kernel image `image`
   * ('6.1' or '6.12', fetched and cached by qemu-image.sh), pinned to `cpu` (docs/qemu-bed.md).
   */
  async inQemu(report, { image, cpu, tag, env = {} }) {
    const args = ['run', '--config', `${root}test/qemu/vitest.config.ts`, '--reporter=default', '--reporter=json', `--outputFile.json=${resultsDir}/${report}.json`, `--reporter=${timingReporter}`];
    await run('bash', [`${root}scripts/test-bed/qemu-run.sh`, '--image', image, '--cpu', String(cpu), '--', vitest, ...args], { env: { ...suiteEnv(report), ...env }, tag });
    return counts(report);
  },
};

/** The 6.12 UML kernel's path, built on `cpu` or taken from the cache; undefined if it cannot be. */
async function buildKernel({ cpu, tag }) {
  const { code, stdout } = await run('bash', [`${root}scripts/test-bed/build-uml-kernel.sh`], { cpu, tag, quiet: false });
  const path = stdout.trim().split('\n').pop();
  return code === 0 && path ? path : undefined;
}

/** The addon built by cmake-js from the same sources; false (and why, on stderr) when it fails. */
async function cmakeBuild({ cpu, tag }) {
  // cmake-js takes Node's headers from npm's nodedir; without one it would download them.
  const nodedir = process.env.npm_config_nodedir ?? (existsSync('/usr/include/node/node_api.h') ? '/usr' : undefined);
  const { code } = await run(`${root}node_modules/.bin/cmake-js`, ['build', '--out', 'build-cmake'], { env: nodedir ? { npm_config_nodedir: nodedir } : {}, cpu, tag, quiet: true });
  if (code !== 0) console.error(`[${tag}] the cmake-js build failed (needs cmake: apt-get install -y cmake)`);
  return code === 0;
}

const tools = { root, vitestSuite, scriptCounts, kernelRunner, buildKernel, cmakeBuild };

// ---- the run
await rm(resultsDir, { recursive: true, force: true });
await mkdir(resultsDir, { recursive: true });
const phases = [];
const started = Date.now();
if (process.env.NETBOND_SETUP_SECONDS) phases.push({ name: 'setup (scripts/setup.sh --test)', lane: '-', seconds: Number(process.env.NETBOND_SETUP_SECONDS) });

console.log('== build: the addon (node-gyp) and the TypeScript (tsc, the CLI bundle)');
const buildStart = Date.now();
const build = await run('npm', ['run', 'build']);
phases.push({ name: 'build (npm run build)', lane: '-', seconds: (Date.now() - buildStart) / 1000 });

const suites = [];
if (build.code !== 0) {
  suites.push(['build', undefined]);
} else {
  let where;
  if (await hostHasBonding()) where = 'host';
  else if (process.env.NETBOND_UML || process.env.NETBOND_UML_KERNEL) where = 'named-uml';
  else if (await haveUml()) where = 'uml';
  else {
    console.error(
      'netbond test bed: no kernel with the bonding driver can be reached. This host kernel has none, ' +
        'and User-Mode Linux is not installed: apt-get install -y user-mode-linux',
    );
    suites.push(['kernel', undefined]);
  }
  if (where) {
    const lanes = lanesFor(where, tools);
    console.log(`== ${lanes.length} lanes at once: ${lanes.map((lane) => `CPU ${lane.cpu}: ${lane.jobs.map((job) => job.name).join(' -> ')}`).join('; ')}`);
    await Promise.all(
      lanes.map(async (lane) => {
        const context = {};
        for (const job of lane.jobs) {
          const jobStart = Date.now();
          console.log(`== [${job.name}] starts on CPU ${lane.cpu}: ${job.what}`);
          const results = await job.run({ cpu: lane.cpu, tag: job.name, context });
          const seconds = (Date.now() - jobStart) / 1000;
          phases.push({ name: job.name, lane: `CPU ${lane.cpu}`, seconds, start: (jobStart - started) / 1000 });
          for (const [suite, result] of results) suites.push([suite, result]);
          console.log(`== [${job.name}] done in ${Math.round(seconds)} s`);
        }
      }),
    );
  }
}

console.log(await timingReport(resultsDir));
const failures = await failureReport(resultsDir);
if (failures) console.log(failures);

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
const table = phaseTable(phases, (Date.now() - started) / 1000 + Number(process.env.NETBOND_SETUP_SECONDS ?? 0));
await writeFile(`${resultsDir}/phases.txt`, `${table}\n`);
console.log(table);
const total = skipped > 0 ? `${passed} passed, ${failed} failed, ${skipped} skipped` : `${passed} passed, ${failed} failed`;
await writeFile(`${resultsDir}/summary.txt`, `${total}\n`);
console.log(total);
process.exit(ok ? 0 : 1);
