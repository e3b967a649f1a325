// Runs a Node script in a kernel with the bonding driver: directly when this kernel has it,
// otherwise inside User-Mode Linux (uml-run.sh). Shared by the demo, the benchmarks and the soak.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

function run(command, args, quiet = false) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: quiet ? 'ignore' : ['ignore', 'inherit', 'inherit'] });
    child.on('error', () => resolve(127));
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

/** Runs `script` (a path relative to the repository) with `args` and resolves with its exit status. */
export async function runInBondingKernel(script, args = []) {
  const path = `${root}${script}`;
  if ((await run('bash', [`${root}scripts/test-bed/probe-bonding.sh`], true)) === 0) return run(process.execPath, [path, ...args]);
  if ((await run('sh', ['-c', 'command -v linux.uml >/dev/null'], true)) !== 0) {
    console.error('This kernel has no bonding driver and User-Mode Linux is not installed: apt-get install -y user-mode-linux');
    return 1;
  }
  console.log('This kernel has no bonding driver: running inside User-Mode Linux (Linux 6.1 with bonding).');
  return run('bash', [`${root}scripts/test-bed/uml-run.sh`, '--', process.execPath, path, ...args]);
}
