// SIGINT to `netbond apply` during a live mode change, at every step of its plan (sent the moment
// `apply -v` reports starting the step, so the sweep does not depend on timing): the bond ends
// exactly as before (`ip -d -j` link, address and route dumps), never in between, and the command
// exits 130 (finished the step, rolled back).
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
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

/**
 * Runs `netbond apply -v` and sends SIGINT (twice: the second must not cut the rollback short)
 * as soon as it reports starting step `atStep` (0: at once, while it starts up), and a third time
 * when it reports the rollback.
 */
function applyInterrupted(specFile: string, atStep: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, '--netns', lab.ns, 'apply', '-v', specFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    let sent = false;
    let late = false;
    const interrupt = () => {
      if (sent) return;
      sent = true;
      child.kill('SIGINT');
      setTimeout(() => child.kill('SIGINT'), 5);
    };
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      if (atStep > 0 && err.includes(`step ${atStep}: `)) interrupt();
      // And once more when it reports the rollback: the bond must stay as before, the status 130.
      if (sent && err.includes('rolled back') && !late) {
        late = true;
        child.kill('SIGINT');
      }
    });
    if (atStep === 0) interrupt();
    child.on('exit', (code, signal) => resolve({ code, signal, err }));
  });
}

describe('netbond apply interrupted', () => {
  it('leaves the bond exactly as before or exactly as after, at every point of a mode change', { timeout: 240_000 }, async () => {
    const netns = lab.ns;
    await lab.setUp('eth1');
    await lab.setUp('eth1', false);
    await lab.setUp('eth2');
    await lab.setUp('eth2', false);
    // Settled: both slaves up in the bond and the bond itself has carrier (active-backup has none
    // until it has picked an active slave, which a snapshot would otherwise catch half way).
    const ready = async () => {
      await waitFor(() => getBond('bond0', { netns }), (s) => s.slaves.every((x) => x.miiStatus === 'up'));
      await waitFor(() => lab.link('bond0'), (link) => link.operstate === 'UP' && !link.flags.includes('NO-CARRIER'));
    };
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
      // Every step of the plan, interrupted the moment the command reports starting it.
      const plan = await new Promise<string>((resolve) => {
        let out = '';
        const child = spawn(process.execPath, [bin, '--netns', netns, 'apply', '--dry-run', specFile], { stdio: ['ignore', 'pipe', 'ignore'] });
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.on('exit', () => resolve(out));
      });
      const stepCount = plan.split('\n').filter((line) => /^\d+\. /u.test(line)).length;
      expect(stepCount).toBeGreaterThan(2);
      for (let atStep = 0; atStep <= stepCount; atStep++) {
        const result = await applyInterrupted(specFile, atStep);
        // At step 0 the command is still starting up, and SIGINT kills it by default (nothing was
        // changed); once a step has started, it finishes that step, rolls back and exits 130.
        // The status as a shell reports it: a process that a late Ctrl-C ends while it exits (Node
        // gives signals back to their default then) is 128 + SIGINT = 130 as well.
        const status = result.code ?? 128 + constants.signals[result.signal as NodeJS.Signals];
        expect(status, `step ${atStep}: ${result.err}`).toBe(130);
        // Never in between: exactly as before or exactly as after. Rolled back (it says so) means
        // before; a signal handled only after the last step keeps the finished change (it says
        // so); one that arrives once the command is done and exiting finds the change complete.
        const rolledBack = result.err.includes('rolled back');
        const end = await waitFor(() => snapshot(lab), (now) => now === before || now === after, 8000, 100);
        expect(end === before || end === after, `step ${atStep} (exit ${result.code} ${result.signal}): the bond is neither as before nor as after. ${result.err}`).toBe(true);
        if (rolledBack) expect(end === before, `step ${atStep}: rolled back, so as before. ${result.err}`).toBe(true);
        if (result.err.includes('the change had completed and is kept')) expect(end === after, `step ${atStep}: kept, so as after`).toBe(true);
        const kept = end === after;
        outcomes.push(`step${atStep}:${result.code ?? result.signal}:${kept ? 'after' : 'before'}`);
        if (kept) {
          await applyBond(start, { netns });
          await ready();
          await waitFor(() => snapshot(lab), (now) => now === before, 8000, 100);
        }
      }
    } finally {
      await rm(specFile, { force: true });
    }
    console.log(`interrupt outcomes: ${outcomes.join(' ')}`);
    // Most steps must have been caught in the middle and rolled back.
    expect(outcomes.filter((o) => o.endsWith(':before')).length).toBeGreaterThan(outcomes.length / 2);
  });
});
