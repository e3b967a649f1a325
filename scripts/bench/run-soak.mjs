#!/usr/bin/env node
// npm run soak: the soak test in a kernel with bonding: directly when this kernel has it,
// otherwise inside User-Mode Linux pinned to one CPU (scripts/test-bed/uml-run.sh).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const inside = `${root}scripts/bench/soak-inside.mjs`;

function run(command, args, quiet = false) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: quiet ? 'ignore' : ['ignore', 'inherit', 'inherit'] });
    child.on('error', () => resolve(127));
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

if ((await run('bash', [`${root}scripts/test-bed/probe-bonding.sh`], true)) === 0) process.exit(await run(process.execPath, [inside]));
process.exit(await run('bash', [`${root}scripts/test-bed/uml-run.sh`, '--', process.execPath, inside]));
