// The addon never kills the process: a watcher in a worker thread that exits or is terminated
// with the watcher open, and an exception thrown by the JS side of the monitor callback. Each
// runs in a child process, because what fails here is the whole process (SIGABRT).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Lab } from './helpers/lab.js';
import { labPerTest } from './helpers/lab-per-test.js';

let lab: Lab;
labPerTest((created) => (lab = created));

const helper = (name: string) => fileURLToPath(new URL(`./helpers/${name}`, import.meta.url));
const dist = (file: string) => fileURLToPath(new URL(`../../dist/${file}`, import.meta.url));

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runNode(args: string[]): Promise<Ended> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: stdout.trim(), stderr });
    });
  });
}

describe('the addon never aborts the process', () => {
  for (const how of ['exit', 'terminate']) {
    it(`a worker thread with an open watcher that ends by ${how === 'exit' ? 'process.exit()' : 'worker.terminate()'}`, async () => {
      const ended = await runNode([helper('watch-in-worker.mjs'), dist('index.js'), lab.ns, how]);
      expect(ended.stderr).not.toMatch(/open handles|Assertion|Aborted/u);
      expect({ code: ended.code, signal: ended.signal, stdout: ended.stdout }).toEqual({ code: 0, signal: null, stdout: 'survived' });
    });
  }

  it('an exception thrown from the monitor callback reaches uncaughtException', async () => {
    const ended = await runNode([helper('throwing-monitor.mjs'), dist('native.js'), lab.ns]);
    expect(ended.stderr).not.toMatch(/terminate called|Aborted/u);
    expect({ code: ended.code, signal: ended.signal, stdout: ended.stdout }).toEqual({ code: 0, signal: null, stdout: 'caught' });
  });
});
