#!/usr/bin/env node
// Benchmarks, run inside a kernel with bonding (scripts/bench/run-bench.mjs gets it there), each
// in a fresh namespace. Prints a Markdown report. Measured, never asserted.
//
// 1. The lifecycle cycle on veths made beforehand: create bond (active-backup, miimon 100),
//    enslave 2, read, release 2, delete = 7 kernel operations, through netbond (module-level
//    functions in the caller's own namespace, a client in a named namespace, a namespace name
//    per call; sequential and 8 concurrent), one `ip` process per operation, `ip -batch`, sysfs
//    writes from one bash, and pyroute2 (Debian python3-pyroute2) when installed.
// 2. Where a cycle's time goes: each call's time, addon calls and netlink requests.
// 3. applyBond of seed 001's bond from nothing and again: ms, addon calls, netlink requests.
// 4. Command start-up: `netbond --version`, `netbond show`, `netbond ifenslave -a` against
//    `node -e 0`, median of many runs.
// 5. listBonds with 1000 bonds against `ip -d -j link show`.
// 6. Event latency: setBondOptions on an up bond -> options-changed in a watchBonds handler.
// With --lifecycle only 1 runs (on a kernel where every run costs more, as under QEMU's TCG).
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync, rmSync, readdirSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { applyBond, createBond, importConfigs, listBonds, setBondOptions, watchBonds } from '../../dist/index.js';
import { native } from '../../dist/native.js';
import { BOND_ATTR } from '../../dist/option-table.js';
import { apiFor, concurrentCycles, cycles } from './lifecycle.mjs';

const exec = promisify(execFile);
const CYCLES = Number(process.env.NETBOND_BENCH_CYCLES ?? 200);
const OPS_PER_CYCLE = 7;
const ip = (...args) => execFileSync('ip', args);
let counter = 0;

function withNamespace(fn) {
  const ns = `nbbench-${process.pid}-${++counter}`;
  ip('netns', 'add', ns);
  const cleanup = () => ip('netns', 'del', ns);
  return Promise.resolve()
    .then(() => fn(ns))
    .finally(cleanup);
}

function veths(ns, count) {
  const lines = [];
  for (let i = 0; i < count; i++) lines.push(`link add va${i} type veth peer name vb${i}`);
  const file = `/tmp/nbbench-veth-${process.pid}`;
  writeFileSync(file, `${lines.join('\n')}\n`);
  ip('-n', ns, '-batch', file);
  rmSync(file);
}

const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;
const rate = (cycles, s) => ({ cyclesPerSec: cycles / s, opsPerSec: (cycles * OPS_PER_CYCLE) / s });

const LIFECYCLE = fileURLToPath(new URL('./lifecycle.mjs', import.meta.url));

/** Cycles through `variant`'s API (lifecycle.mjs): 'client' or 'module-netns' in this process. */
async function netbondCycles(ns, variant, { parallel = 1, shape = 'calls' } = {}) {
  veths(ns, 2 * parallel);
  const api = apiFor(variant, ns);
  const perWorker = Math.ceil(CYCLES / parallel);
  const start = process.hrtime.bigint();
  if (parallel > 1) await concurrentCycles(api, parallel, perWorker);
  else await cycles(api, CYCLES, { shape });
  const result = rate(perWorker * parallel, seconds(start));
  api.close();
  return result;
}

/** Module-level functions in the caller's own namespace: lifecycle.mjs run under `ip netns exec`. */
async function netbondInCallerNamespace(ns, parallel = 1) {
  veths(ns, 2 * parallel);
  const { stdout } = await exec('ip', ['netns', 'exec', ns, process.execPath, LIFECYCLE, String(CYCLES), String(parallel)]);
  const { seconds: s, cycles: done } = JSON.parse(stdout);
  return rate(done, s);
}

// The kernel's floor for a cycle: its 7 operations (and the read of the new bond's ifindex) as
// one native batch per cycle on a kept socket: one addon call, no checks, no read-back.
async function kernelFloor(ns) {
  veths(ns, 2);
  const binding = native();
  const sockets = new binding.RtnlSockets(`/run/netns/${ns}`);
  const bond = { fromRequest: 1 };
  const cycle = [
    { op: 'newlink', create: true, ifname: 'nb0', kind: 'bond', infoData: [{ type: BOND_ATTR.MODE, value: 1 }, { type: BOND_ATTR.MIIMON, value: 100 }] },
    { op: 'getlink', ifname: 'nb0' },
    { op: 'newlink', ifname: 'va0', master: bond },
    { op: 'newlink', ifname: 'va1', master: bond },
    { op: 'getlink', link: bond },
    { op: 'newlink', ifname: 'va0', master: 0 },
    { op: 'newlink', ifname: 'va1', master: 0 },
    { op: 'dellink', link: bond },
  ];
  const start = process.hrtime.bigint();
  for (let i = 0; i < CYCLES; i++) await binding.rtnlBatch(sockets, cycle);
  const result = rate(CYCLES, seconds(start));
  sockets.close();
  return result;
}

function ipCycleLines() {
  return [
    'link add nb0 type bond mode active-backup miimon 100',
    'link set va0 master nb0',
    'link set va1 master nb0',
    'link show nb0',
    'link set va0 nomaster',
    'link set va1 nomaster',
    'link del nb0',
  ];
}

async function ipPerOperation(ns) {
  veths(ns, 2);
  const cycles = Math.max(10, Math.floor(CYCLES / 10));
  const start = process.hrtime.bigint();
  for (let i = 0; i < cycles; i++) {
    for (const line of ipCycleLines()) await exec('ip', ['-d', '-n', ns, ...line.split(' ')]);
  }
  return rate(cycles, seconds(start));
}

async function ipBatch(ns) {
  veths(ns, 2);
  const file = `/tmp/nbbench-batch-${process.pid}`;
  writeFileSync(file, `${Array.from({ length: CYCLES }, ipCycleLines).flat().join('\n')}\n`);
  const start = process.hrtime.bigint();
  await exec('ip', ['-d', '-n', ns, '-batch', file], { maxBuffer: 64 * 1024 * 1024 });
  const result = rate(CYCLES, seconds(start));
  rmSync(file);
  return result;
}

async function sysfsBash(ns) {
  veths(ns, 2);
  const script = `
    for i in $(seq ${CYCLES}); do
      echo +nb0 > /sys/class/net/bonding_masters
      echo active-backup > /sys/class/net/nb0/bonding/mode
      echo 100 > /sys/class/net/nb0/bonding/miimon
      echo +va0 > /sys/class/net/nb0/bonding/slaves
      echo +va1 > /sys/class/net/nb0/bonding/slaves
      cat /sys/class/net/nb0/bonding/mode /sys/class/net/nb0/bonding/slaves /sys/class/net/nb0/bonding/active_slave > /dev/null
      echo -va0 > /sys/class/net/nb0/bonding/slaves
      echo -va1 > /sys/class/net/nb0/bonding/slaves
      echo -nb0 > /sys/class/net/bonding_masters
    done`;
  const start = process.hrtime.bigint();
  await exec('ip', ['netns', 'exec', ns, 'bash', '-c', script]);
  return rate(CYCLES, seconds(start));
}

async function pyroute2(ns) {
  const python = '/usr/bin/python3';
  if (spawnSync(python, ['-c', 'import pyroute2']).status !== 0) return undefined;
  veths(ns, 2);
  const script = `
import sys, time
from pyroute2 import IPRoute
ipr = IPRoute()
a = ipr.link_lookup(ifname='va0')[0]; b = ipr.link_lookup(ifname='va1')[0]
start = time.perf_counter()
for i in range(${CYCLES}):
    ipr.link('add', ifname='nb0', kind='bond', bond_mode=1, bond_miimon=100)
    idx = ipr.link_lookup(ifname='nb0')[0]
    ipr.link('set', index=a, master=idx)
    ipr.link('set', index=b, master=idx)
    ipr.link('get', index=idx)
    ipr.link('set', index=a, master=0)
    ipr.link('set', index=b, master=0)
    ipr.link('del', index=idx)
print(time.perf_counter() - start)
`;
  const { stdout } = await exec('ip', ['netns', 'exec', ns, python, '-c', script]);
  return rate(CYCLES, Number(stdout.trim()));
}

/** Counts the addon's calls and the requests in its batches while `fn` runs; the counts. */
async function countingAddon(fn) {
  const binding = native();
  const counts = { hops: 0, requests: 0 };
  const saved = {};
  for (const name of ['rtnlBatch', 'fileBatch', 'netnsCookie', 'namedNamespace', 'openLinkSubscription']) {
    saved[name] = binding[name];
    binding[name] = (...args) => {
      counts.hops++;
      if (name === 'rtnlBatch') counts.requests += args[1].length;
      return saved[name].apply(binding, args);
    };
  }
  try {
    await fn(counts);
  } finally {
    Object.assign(binding, saved);
  }
  return counts;
}

// Where a sequential cycle through a client spends its time: each call's wall time, how many
// addon calls (each one a hop to a libuv pool thread and back) and netlink requests it makes, and
// the cost of one empty addon call on a kept socket and on a socket opened for the call.
async function profileCycle(ns) {
  veths(ns, 2);
  const client = apiFor('client', ns);
  const calls = [
    ['createBond', () => client.createBond('nb0', { mode: 'active-backup', miimon: 100 })],
    ['enslave 2', () => client.enslave('nb0', ['va0', 'va1'])],
    ['getBond', () => client.getBond('nb0')],
    ['release 2', () => client.release('nb0', ['va0', 'va1'])],
    ['deleteBond', () => client.deleteBond('nb0')],
  ];
  const rows = calls.map(([name]) => ({ name, ns: 0n, hops: 0, requests: 0 }));
  const cycleCount = Math.max(20, Math.floor(CYCLES / 2));
  let emptyKeptUs = 0;
  let emptyOpenedUs = 0;
  let afterEnslaveUs = 0;
  await countingAddon(async (counts) => {
    for (let i = 0; i < cycleCount; i++) {
      for (const [j, [, call]] of calls.entries()) {
        const before = { ...counts };
        const start = process.hrtime.bigint();
        await call();
        rows[j].ns += process.hrtime.bigint() - start;
        rows[j].hops = counts.hops - before.hops;
        rows[j].requests = counts.requests - before.requests;
      }
    }
  });
  const binding = native();
  const empty = async (target) => {
    const start = process.hrtime.bigint();
    await binding.rtnlBatch(target, []);
    return Number(process.hrtime.bigint() - start) / 1e3;
  };
  const sockets = new binding.RtnlSockets(`/run/netns/${ns}`);
  for (let i = 0; i < cycleCount; i++) {
    emptyKeptUs += (await empty(sockets)) / cycleCount;
    emptyOpenedUs += (await empty(`/run/netns/${ns}`)) / cycleCount;
  }
  // The same empty call made right after an enslave: the kernel's deferred work (link
  // events, the slaves coming up) runs while this process waits, and is billed to the call.
  for (let i = 0; i < cycleCount; i++) {
    await client.createBond('nb0', { mode: 'active-backup', miimon: 100, slaves: ['va0', 'va1'] });
    afterEnslaveUs += (await empty(sockets)) / cycleCount;
    await client.deleteBond('nb0');
  }
  sockets.close();
  client.close();
  return { rows: rows.map((r) => ({ ...r, us: Number(r.ns) / 1e3 / cycleCount })), emptyKeptUs, emptyOpenedUs, afterEnslaveUs };
}

/** Seed 001's bond (imported from its files), with its slaves renamed to the veths made here. */
function seed001Spec() {
  const dir = fileURLToPath(new URL('../../test/fixtures/configs/seed-001/', import.meta.url));
  const files = readdirSync(dir).map((name) => ({ path: `${dir}${name}`, text: readFileSync(`${dir}${name}`, 'utf8') }));
  const [spec] = importConfigs(files).specs;
  return spec;
}

// applyBond of seed 001's bond (active-backup, miimon 100, eth0 and eth1, an address) into a
// namespace that has only the two NICs, cables in (their peers up: the health check after the
// change waits for link on the slaves, as it would on a host), then the same spec again.
async function applySeed(ns, runs = 20) {
  const spec = seed001Spec();
  const rows = { fromNothing: { ms: 0, hops: 0, requests: 0 }, again: { ms: 0, hops: 0, requests: 0 } };
  for (let i = 0; i < runs; i++) {
    ip('-n', ns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'peer0');
    ip('-n', ns, 'link', 'add', 'eth1', 'type', 'veth', 'peer', 'name', 'peer1');
    ip('-n', ns, 'link', 'set', 'peer0', 'up');
    ip('-n', ns, 'link', 'set', 'peer1', 'up');
    for (const [key, expectSteps] of [['fromNothing', true], ['again', false]]) {
      const start = process.hrtime.bigint();
      let steps = 0;
      const counts = await countingAddon(async () => {
        steps = (await applyBond(spec, { netns: ns })).steps.length;
      });
      rows[key].ms += Number(process.hrtime.bigint() - start) / 1e6 / runs;
      if ((steps > 0) !== expectSteps) throw new Error(`applyBond ${key}: ${steps} steps`);
      rows[key].hops = counts.hops;
      rows[key].requests = counts.requests;
    }
    for (const link of ['bond0', 'eth0', 'eth1']) ip('-n', ns, 'link', 'del', link);
  }
  return { spec, rows };
}

// Wall time of a command from spawn to exit, median of `runs`, for each command line.
async function startup(ns, runs = 40) {
  await createBond('bond0', { mode: 'active-backup', miimon: 100, slaves: ['va0', 'va1'], netns: ns });
  const bin = fileURLToPath(new URL('../../bin/netbond.js', import.meta.url));
  const ifenslave = fileURLToPath(new URL('../../bin/ifenslave.js', import.meta.url));
  const commands = [
    ['`node -e 0`', ['-e', '0']],
    ['`netbond --version`', [bin, '--version']],
    ['`netbond-ifenslave --version`', [ifenslave, '--version']],
    ['`netbond --netns NS show`', [bin, '--netns', ns, 'show']],
    ['`netbond --netns NS ifenslave -a`', [bin, '--netns', ns, 'ifenslave', '-a']],
    ['`netbond --netns NS show --json`', [bin, '--netns', ns, '--json', 'show']],
  ];
  const times = commands.map(() => []);
  // Interleaved, so that a slow moment of the machine is shared by every command.
  for (let i = 0; i < runs; i++) {
    for (const [j, [, args]] of commands.entries()) {
      const start = process.hrtime.bigint();
      await exec(process.execPath, args);
      times[j].push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
  return commands.map(([name], j) => ({ name, ms: median(times[j]) }));
}

async function listBondsVsIp(ns, count = 1000) {
  const file = `/tmp/nbbench-bonds-${process.pid}`;
  writeFileSync(file, `${Array.from({ length: count }, (_, i) => `link add lb${i} type bond`).join('\n')}\n`);
  ip('-n', ns, '-batch', file);
  rmSync(file);
  const runs = 10;
  let start = process.hrtime.bigint();
  let found = 0;
  for (let i = 0; i < runs; i++) found = (await listBonds({ netns: ns })).length;
  const netbondMs = (seconds(start) / runs) * 1000;
  start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) await exec('ip', ['-n', ns, '-d', '-j', 'link', 'show'], { maxBuffer: 256 * 1024 * 1024 });
  const ipMs = (seconds(start) / runs) * 1000;
  return { count: found, netbondMs, ipMs };
}

async function eventLatency(ns, samples = 200) {
  await createBond('lat0', { mode: 'active-backup', miimon: 100, up: true, netns: ns });
  const watcher = watchBonds({ netns: ns, pollInterval: 0 });
  await watcher.ready;
  const readToHandler = [];
  const requestToHandler = [];
  const iterator = watcher[Symbol.asyncIterator]();
  for (let i = 0; i < samples; i++) {
    const sent = process.hrtime.bigint();
    await setBondOptions('lat0', { resendIgmp: (i % 200) + 2 }, { netns: ns });
    for (;;) {
      const { value } = await iterator.next();
      const now = process.hrtime.bigint();
      if (value?.type === 'options-changed') {
        readToHandler.push(Number(now - value.timestamp) / 1e3);
        requestToHandler.push(Number(now - sent) / 1e3);
        break;
      }
    }
  }
  watcher.close();
  const pct = (list, p) => [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor((p / 100) * list.length))];
  return {
    readToHandler: { p50: pct(readToHandler, 50), p99: pct(readToHandler, 99) },
    requestToHandler: { p50: pct(requestToHandler, 50), p99: pct(requestToHandler, 99) },
    samples,
  };
}

const fmt = (n) => (n === undefined ? 'n/a' : n >= 100 ? n.toFixed(0) : n.toFixed(1));

const lifecycleOnly = process.argv.includes('--lifecycle');
const results = {};
for (const [name, fn] of [
  ["netbond, module functions in the caller's namespace (5 calls per cycle)", (ns) => netbondInCallerNamespace(ns)],
  ['netbond, client in a named namespace (5 calls per cycle)', (ns) => netbondCycles(ns, 'client')],
  ['netbond, a namespace name per call (a socket opened per call)', (ns) => netbondCycles(ns, 'module-netns')],
  ['netbond, client, createBond with slaves (3 calls per cycle)', (ns) => netbondCycles(ns, 'client', { shape: 'slaves' })],
  ["netbond, 8 concurrent cycles, caller's namespace", (ns) => netbondInCallerNamespace(ns, 8)],
  ['netbond, 8 concurrent cycles, client in a named namespace', (ns) => netbondCycles(ns, 'client', { parallel: 8 })],
  ["one native batch per cycle, no checks (the kernel's floor)", kernelFloor],
  ['one `ip` process per operation', ipPerOperation],
  ['`ip -batch` (one process)', ipBatch],
  ['sysfs writes from one bash', sysfsBash],
  ['pyroute2 (Debian python3-pyroute2)', pyroute2],
]) {
  results[name] = await withNamespace(fn);
}

const baseline = results['`ip -batch` (one process)'].opsPerSec;
const bed = process.env.NETBOND_IN_UML ? ' (User-Mode Linux, pinned to one host CPU)' : process.env.NETBOND_IN_QEMU ? ` (Debian's linux-image ${process.env.NETBOND_QEMU_IMAGE} under QEMU without KVM, one vCPU pinned to one host CPU)` : '';
const kernel = `Linux ${release()}${bed}`;
const out = [];
out.push(`Machine: ${process.env.NETBOND_BENCH_MACHINE ?? 'this machine'}; kernel ${kernel}; node ${process.version}; ${CYCLES} cycles per tool.`, '');
out.push('| lifecycle (create, enslave 2, read, release 2, delete) | cycles/s | ops/s | ratio to `ip -batch` |', '|---|---:|---:|---:|');
for (const [name, r] of Object.entries(results)) {
  out.push(`| ${name} | ${fmt(r?.cyclesPerSec)} | ${fmt(r?.opsPerSec)} | ${r ? (r.opsPerSec / baseline).toFixed(2) : 'n/a'} |`);
}
if (lifecycleOnly) {
  console.log(out.join('\n'));
  process.exit(0);
}
const profile = await withNamespace(profileCycle);
const seed = await withNamespace((ns) => applySeed(ns));
const starts = await withNamespace((ns) => (veths(ns, 2), startup(ns)));
const list = await withNamespace((ns) => listBondsVsIp(ns));
const latency = await withNamespace((ns) => eventLatency(ns));
const ipCycleUs = 1e6 / results['`ip -batch` (one process)'].cyclesPerSec;
out.push('', '| where a sequential netbond cycle spends its time | µs per call | addon calls | netlink requests |', '|---|---:|---:|---:|');
for (const row of profile.rows) out.push(`| ${row.name} | ${fmt(row.us)} | ${row.hops} | ${row.requests} |`);
const total = profile.rows.reduce((sum, r) => ({ us: sum.us + r.us, hops: sum.hops + r.hops, requests: sum.requests + r.requests }), { us: 0, hops: 0, requests: 0 });
out.push(`| whole cycle | ${fmt(total.us)} | ${total.hops} | ${total.requests} |`);
out.push(`| one empty addon call on a kept socket (the pool hop) | ${fmt(profile.emptyKeptUs)} | 1 | 0 |`);
out.push(`| one empty addon call on a socket opened for it in the namespace | ${fmt(profile.emptyOpenedUs)} | 1 | 0 |`);
out.push(`| an empty call on a kept socket right after an enslave | ${fmt(profile.afterEnslaveUs)} | 1 | 0 |`);
out.push(`| \`ip -batch\`, whole cycle (7 lines) | ${fmt(ipCycleUs)} | | |`);
out.push('', `| applyBond, seed 001 (${seed.spec.mode}, miimon ${seed.spec.miimon}, ${seed.spec.slaves.length} slaves, ${(seed.spec.addresses ?? []).length} address) | ms | addon calls | netlink requests |`, '|---|---:|---:|---:|');
out.push(`| from nothing (two NICs, no bond) | ${fmt(seed.rows.fromNothing.ms)} | ${seed.rows.fromNothing.hops} | ${seed.rows.fromNothing.requests} |`);
out.push(`| the same spec again (nothing to do) | ${fmt(seed.rows.again.ms)} | ${seed.rows.again.hops} | ${seed.rows.again.requests} |`);
const nodeMs = starts[0].ms;
out.push('', '| command start-up (spawn to exit, median of 40) | ms | ratio to `node -e 0` |', '|---|---:|---:|');
for (const row of starts) out.push(`| ${row.name} | ${fmt(row.ms)} | ${(row.ms / nodeMs).toFixed(2)} |`);
out.push('', `| listing ${list.count} bonds | ms per call |`, '|---|---:|');
out.push(`| netbond listBonds (one dump) | ${fmt(list.netbondMs)} |`, `| \`ip -d -j link show\` | ${fmt(list.ipMs)} |`);
out.push('', `| event latency (${latency.samples} option changes) | p50 µs | p99 µs |`, '|---|---:|---:|');
out.push(`| addon read -> JS handler | ${fmt(latency.readToHandler.p50)} | ${fmt(latency.readToHandler.p99)} |`);
out.push(`| setBondOptions call -> options-changed handler | ${fmt(latency.requestToHandler.p50)} | ${fmt(latency.requestToHandler.p99)} |`);
console.log(out.join('\n'));
