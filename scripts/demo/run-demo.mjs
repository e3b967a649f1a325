#!/usr/bin/env node
// npm run demo: runs the failover demo directly when this kernel has the bonding driver, or
// inside User-Mode Linux (scripts/test-bed/uml-run.sh) when it has none.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const demo = `${root}scripts/demo/failover-demo.mjs`;

function run(command, args, quiet = false) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: quiet ? 'ignore' : ['ignore', 'inherit', 'inherit'] });
    child.on('error', () => resolve(127));
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

if ((await run('bash', [`${root}scripts/test-bed/probe-bonding.sh`], true)) === 0) {
  process.exit(await run(process.execPath, [demo]));
}
if ((await run('sh', ['-c', 'command -v linux.uml >/dev/null'])) !== 0) {
  console.error('This kernel has no bonding driver and User-Mode Linux is not installed: apt-get install -y user-mode-linux');
  process.exit(1);
}
console.log('This kernel has no bonding driver: running the demo inside User-Mode Linux (Linux 6.1 with bonding).');
process.exit(await run('bash', [`${root}scripts/test-bed/uml-run.sh`, '--', process.execPath, demo]));
