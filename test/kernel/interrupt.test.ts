// SIGINT to `netbond apply` during a live mode change, at many points: the bond ends exactly as
// before or exactly as after (`ip -d -j` link, address and route dumps), never in between, and
// the command exits 0 (it had finished) or 130 (interrupted and rolled back).
import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyBond, getBond, type BondSpec } from '../../lib/index.js';
import type { Lab } from './helpers/lab.js';
import { labPerTest } from './helpers/lab-per-test.js';
import { settledSnapshot, snapshot } from './helpers/snapshot.js';
import { waitFor } from './helpers/wait.js';

let lab: Lab;
labPerTest((created) => (lab = created), [['eth1', 'peer1'], ['eth2', 'peer2']], { peersUp: true });

const bin = fileURLToPath(new URL('../../bin/netbond.js', import.meta.url));
const start: BondSpec = { name: 'bond0', mode: 'active-backup', miimon: 100, slaves: ['eth1', 'eth2'], addresses: ['10.7.0.1/24'], routes: [{ destination: '198.51.100.0/24', gateway: '10.7.0.254' }] };
const target: BondSpec = { ...start, mode: 'balance-xor', xmitHashPolicy: 'layer3+4' };

function applyInterrupted(specFile: string, afterMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, '--netns', lab.ns, 'apply', specFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    // Twice: the second must not cut the rollback short.
    const timer = setTimeout(() => {
      child.kill('SIGINT');
      setTimeout(() => child.kill('SIGINT'), 5);
    }, afterMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, err });
    });
  });
}

describe('netbond apply interrupted', () => {
  it('leaves the bond exactly as before or exactly as after, at every point of a mode change', { timeout: 240_000 }, async () => {
    const netns = lab.ns;
    await lab.setUp('eth1');
    await lab.setUp('eth1', false);
    await lab.setUp('eth2');
    await lab.setUp('eth2', false);
    const ready = async () => waitFor(() => getBond('bond0', { netns }), (s) => s.slaves.every((x) => x.miiStatus === 'up'));
    await applyBond(target, { netns });
    await ready();
    const after = await settledSnapshot(lab);
    await applyBond(start, { netns });
    await ready();
    const before = await settledSnapshot(lab);
    const specFile = `/tmp/netbond-interrupt-${process.pid}.json`;
    await writeFile(specFile, JSON.stringify(target));
    const outcomes: string[] = [];
    try {
      // Where the change happens in the command's life, measured on this machine: from the end of
      // a dry run (start-up and planning) to the end of a full apply; the sweep covers it densely.
      const timed = async (args: string[]) => {
        const t0 = Date.now();
        await new Promise((resolve) => spawn(process.execPath, [bin, '--netns', netns, ...args], { stdio: 'ignore' }).on('exit', resolve));
        return Date.now() - t0;
      };
      const planned = await timed(['apply', '--dry-run', specFile]);
      const applied = await timed(['apply', specFile]);
      await applyBond(start, { netns });
      await ready();
      await waitFor(() => snapshot(lab), (now) => now === before, 8000, 100);
      const from = Math.max(0, planned - 200);
      const delays = [0, ...Array.from({ length: 14 }, (_, i) => Math.round(from + ((applied + 100 - from) * i) / 13))];
      for (const delay of delays) {
        const result = await applyInterrupted(specFile, delay);
        // A signal outside the change (still starting up, or already printing the result) kills
        // the command by default: the bond is then as before or as after, which is checked below.
        if (result.signal === null) expect([0, 130], `${delay} ms: ${result.err}`).toContain(result.code);
        else expect(result.signal).toBe('SIGINT');
        const end = await waitFor(() => snapshot(lab), (now) => now === before || now === after, 8000, 100).catch(() => undefined);
        expect(end, `${delay} ms (exit ${result.code}): the bond is neither as before nor as after. ${result.err}`).toBeDefined();
        outcomes.push(`${delay}ms:${result.code ?? result.signal}:${end === before ? 'before' : 'after'}`);
        if (result.code === 130) expect(end === before ? "before" : "after", `${delay} ms: interrupted means as before; exit ${result.code} ${result.signal}: ${result.err}`).toBe("before");
        if (end === after) {
          await applyBond(start, { netns });
          await ready();
          await waitFor(() => snapshot(lab), (now) => now === before, 8000, 100);
        }
      }
    } finally {
      await rm(specFile, { force: true });
    }
    console.log(`interrupt outcomes: ${outcomes.join(' ')}`);
    // The sweep must have caught the command in the middle at least once.
    expect(outcomes.some((o) => o.includes(':130:'))).toBe(true);
  });
});
