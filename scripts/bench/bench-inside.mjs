#!/usr/bin/env node
// Benchmarks, run inside a kernel with bonding (scripts/bench/run-bench.mjs gets it there), each
// in a fresh namespace. Prints a Markdown report. Measured, never asserted.
//
// 1. The lifecycle cycle on veths made beforehand: create bond (active-backup, miimon 100),
//    enslave 2, read, release 2, delete = 7 kernel operations, through netbond (sequential and
//    concurrent), one `ip` process per operation, `ip -batch`, sysfs writes from one bash, and
//    pyroute2 (Debian python3-pyroute2) when installed.
// 2. listBonds with 1000 bonds against `ip -d -j link show`.
// 3. Event latency: setBondOptions on an up bond -> options-changed in a watchBonds handler.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync, rmSync, existsSync } from 'node:fs';
import { release } from 'node:os';
import { promisify } from 'node:util';
import { createBond, deleteBond, enslave, getBond, listBonds, release as releaseSlaves, setBondOptions, watchBonds } from '../../dist/index.js';
import { native } from '../../dist/native.js';

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

async function netbondSequential(ns) {
  veths(ns, 2);
  const netns = ns;
  const start = process.hrtime.bigint();
  for (let i = 0; i < CYCLES; i++) {
    await createBond('nb0', { mode: 'active-backup', miimon: 100, netns });
    await enslave('nb0', ['va0', 'va1'], { netns });
    await getBond('nb0', { netns });
    await releaseSlaves('nb0', ['va0', 'va1'], { netns });
    await deleteBond('nb0', { netns });
  }
  return rate(CYCLES, seconds(start));
}

async function netbondOneCall(ns) {
  // The same cycle with createBond's slaves option (create + enslave in one native call).
  veths(ns, 2);
  const netns = ns;
  const start = process.hrtime.bigint();
  for (let i = 0; i < CYCLES; i++) {
    await createBond('nb0', { mode: 'active-backup', miimon: 100, slaves: ['va0', 'va1'], netns });
    await releaseSlaves('nb0', ['va0', 'va1'], { netns });
    await deleteBond('nb0', { netns });
  }
  return rate(CYCLES, seconds(start));
}

async function netbondConcurrent(ns, parallel = 8) {
  veths(ns, 2 * parallel);
  const netns = ns;
  const perWorker = Math.ceil(CYCLES / parallel);
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: parallel }, async (_, w) => {
      const slaves = [`va${2 * w}`, `va${2 * w + 1}`];
      for (let i = 0; i < perWorker; i++) {
        await createBond(`nb${w}`, { mode: 'active-backup', miimon: 100, netns });
        await enslave(`nb${w}`, slaves, { netns });
        await getBond(`nb${w}`, { netns });
        await releaseSlaves(`nb${w}`, slaves, { netns });
        await deleteBond(`nb${w}`, { netns });
      }
    }),
  );
  return rate(perWorker * parallel, seconds(start));
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

// Where a sequential cycle's time goes: each call's wall time, how many addon calls (each one a
// hop to a libuv pool thread and back, with a socket opened in the namespace) and netlink
// requests it makes, and the cost of one empty addon call.
async function profileCycle(ns) {
  veths(ns, 2);
  const netns = ns;
  const binding = native();
  const rtnlBatch = binding.rtnlBatch;
  const counts = { hops: 0, requests: 0 };
  binding.rtnlBatch = (path, requests) => {
    counts.hops++;
    counts.requests += requests.length;
    return rtnlBatch.call(binding, path, requests);
  };
  const calls = [
    ['createBond', () => createBond('nb0', { mode: 'active-backup', miimon: 100, netns })],
    ['enslave 2', () => enslave('nb0', ['va0', 'va1'], { netns })],
    ['getBond', () => getBond('nb0', { netns })],
    ['release 2', () => releaseSlaves('nb0', ['va0', 'va1'], { netns })],
    ['deleteBond', () => deleteBond('nb0', { netns })],
  ];
  const rows = calls.map(([name]) => ({ name, ns: 0n, hops: 0, requests: 0 }));
  const cycles = Math.max(20, Math.floor(CYCLES / 2));
  try {
    for (let i = 0; i < cycles; i++) {
      for (const [j, [, call]] of calls.entries()) {
        const before = { ...counts };
        const start = process.hrtime.bigint();
        await call();
        rows[j].ns += process.hrtime.bigint() - start;
        rows[j].hops = counts.hops - before.hops;
        rows[j].requests = counts.requests - before.requests;
      }
    }
    const empty = async () => {
      const start = process.hrtime.bigint();
      await binding.rtnlBatch(`/run/netns/${ns}`, []);
      return Number(process.hrtime.bigint() - start) / 1e3;
    };
    let emptyUs = 0;
    for (let i = 0; i < cycles; i++) emptyUs += (await empty()) / cycles;
    // The same empty call made right after an enslave: the kernel's deferred work (link
    // events, the slaves coming up) runs while this process waits, and is billed to the call.
    let afterEnslaveUs = 0;
    for (let i = 0; i < cycles; i++) {
      await createBond('nb0', { mode: 'active-backup', miimon: 100, slaves: ['va0', 'va1'], netns });
      afterEnslaveUs += (await empty()) / cycles;
      await deleteBond('nb0', { netns });
    }
    return { rows: rows.map((r) => ({ ...r, us: Number(r.ns) / 1e3 / cycles })), emptyUs, afterEnslaveUs };
  } finally {
    binding.rtnlBatch = rtnlBatch;
  }
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

const results = {};
for (const [name, fn] of [
  ['netbond, sequential (5 calls per cycle)', netbondSequential],
  ['netbond, createBond with slaves (3 calls per cycle)', netbondOneCall],
  ['netbond, 8 concurrent cycles', netbondConcurrent],
  ['one `ip` process per operation', ipPerOperation],
  ['`ip -batch` (one process)', ipBatch],
  ['sysfs writes from one bash', sysfsBash],
  ['pyroute2 (Debian python3-pyroute2)', pyroute2],
]) {
  results[name] = await withNamespace(fn);
}
const profile = await withNamespace(profileCycle);
const list = await withNamespace((ns) => listBondsVsIp(ns));
const latency = await withNamespace((ns) => eventLatency(ns));

const baseline = results['`ip -batch` (one process)'].opsPerSec;
const kernel = `Linux ${release()}${existsSync('/proc/sys/kernel/hostname') && process.env.NETBOND_IN_UML ? ' (User-Mode Linux, pinned to one host CPU)' : ''}`;
const out = [];
out.push(`Machine: ${process.env.NETBOND_BENCH_MACHINE ?? 'this machine'}; kernel ${kernel}; node ${process.version}; ${CYCLES} cycles per tool.`, '');
out.push('| lifecycle (create, enslave 2, read, release 2, delete) | cycles/s | ops/s | ratio to `ip -batch` |', '|---|---:|---:|---:|');
for (const [name, r] of Object.entries(results)) {
  out.push(`| ${name} | ${fmt(r?.cyclesPerSec)} | ${fmt(r?.opsPerSec)} | ${r ? (r.opsPerSec / baseline).toFixed(2) : 'n/a'} |`);
}
const ipCycleUs = 1e6 / results['`ip -batch` (one process)'].cyclesPerSec;
out.push('', '| where a sequential netbond cycle spends its time | µs per call | addon calls | netlink requests |', '|---|---:|---:|---:|');
for (const row of profile.rows) out.push(`| ${row.name} | ${fmt(row.us)} | ${row.hops} | ${row.requests} |`);
const total = profile.rows.reduce((sum, r) => ({ us: sum.us + r.us, hops: sum.hops + r.hops, requests: sum.requests + r.requests }), { us: 0, hops: 0, requests: 0 });
out.push(`| whole cycle | ${fmt(total.us)} | ${total.hops} | ${total.requests} |`);
out.push(`| one empty addon call (pool hop + socket in the namespace) | ${fmt(profile.emptyUs)} | 1 | 0 |`);
out.push(`| the same, right after an enslave | ${fmt(profile.afterEnslaveUs)} | 1 | 0 |`);
out.push(`| \`ip -batch\`, whole cycle (7 lines) | ${fmt(ipCycleUs)} | | |`);
out.push('', `| listing ${list.count} bonds | ms per call |`, '|---|---:|');
out.push(`| netbond listBonds (one dump) | ${fmt(list.netbondMs)} |`, `| \`ip -d -j link show\` | ${fmt(list.ipMs)} |`);
out.push('', `| event latency (${latency.samples} option changes) | p50 µs | p99 µs |`, '|---|---:|---:|');
out.push(`| addon read -> JS handler | ${fmt(latency.readToHandler.p50)} | ${fmt(latency.readToHandler.p99)} |`);
out.push(`| setBondOptions call -> options-changed handler | ${fmt(latency.requestToHandler.p50)} | ${fmt(latency.requestToHandler.p99)} |`);
console.log(out.join('\n'));
