#!/usr/bin/env node
// Soak: NETBOND_SOAK_OPS (default 100000) operations in one process against one bond (reads,
// option changes, dumps, a failed call now and then) through a client that keeps its netlink
// sockets open in the namespace, reporting RSS and open fds as it goes: both must stay flat. Then 64 concurrent operations on 16 bonds must end in the same state as
// the same operations run one after another. Runs inside a bonding kernel (run-soak.mjs).
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createBond, createClient, listBonds, setBondOptions } from '../../dist/index.js';

const OPS = Number(process.env.NETBOND_SOAK_OPS ?? 100000);
const ns = `nbsoak-${process.pid}`;
const fds = () => readdirSync('/proc/self/fd').length;
const rssMb = () => (process.memoryUsage().rss / 1048576).toFixed(1);
execFileSync('ip', ['netns', 'add', ns]);
const client = createClient({ netns: ns });
try {
  await client.createBond('soak0', { mode: 'active-backup', miimon: 100 });
  const start = { rss: rssMb(), fds: fds() };
  console.log(`start: rss ${start.rss} MiB, fds ${start.fds}`);
  const began = Date.now();
  for (let i = 1; i <= OPS; i++) {
    const kind = i % 4;
    if (kind === 0) await client.getBond('soak0');
    else if (kind === 1) await client.setBondOptions('soak0', { resendIgmp: i % 255 });
    else if (kind === 2) await client.listBonds();
    else await client.getBond('nosuch0').catch(() => undefined);
    if (i % (OPS / 10) === 0) {
      globalThis.gc?.();
      console.log(`${i} ops: rss ${rssMb()} MiB, fds ${fds()}, ${((i / (Date.now() - began)) * 1000).toFixed(0)} ops/s`);
    }
  }
  const end = { rss: rssMb(), fds: fds() };
  console.log(`end: rss ${end.rss} MiB (start ${start.rss}), fds ${end.fds} (start ${start.fds})`);

  // 64 operations on 16 bonds, concurrently and then sequentially, from the same start.
  const plan = Array.from({ length: 64 }, (_, i) => ({ bond: `cc${i % 16}`, options: i < 32 ? { miimon: 100 + (i % 16) * 10 } : { updelay: (100 + (i % 16) * 10) * 2 } }));
  const run = async (concurrent) => {
    for (let b = 0; b < 16; b++) await createBond(`cc${b}`, { mode: 'active-backup', netns: ns });
    const ops = plan.map((p) => () => setBondOptions(p.bond, p.options, { netns: ns }));
    if (concurrent) {
      // Options on one bond must keep their order (updelay needs miimon), so each bond's ops
      // run in order while the 16 bonds run at once.
      await Promise.all(Array.from({ length: 16 }, async (_, b) => {
        for (const [i, op] of ops.entries()) if (i % 16 === b) await op();
      }));
    } else {
      for (const op of ops) await op();
    }
    const states = (await listBonds({ netns: ns })).filter((s) => s.name.startsWith('cc')).map((s) => [s.name, s.miimon, s.updelay]);
    for (let b = 0; b < 16; b++) execFileSync('ip', ['-n', ns, 'link', 'del', `cc${b}`]);
    return JSON.stringify(states.sort());
  };
  const concurrent = await run(true);
  const sequential = await run(false);
  console.log(`64 operations on 16 bonds: concurrent ${concurrent === sequential ? 'equals' : 'DIFFERS FROM'} sequential`);
  if (concurrent !== sequential) process.exitCode = 1;
} finally {
  client.close();
  execFileSync('ip', ['netns', 'del', ns]);
}
