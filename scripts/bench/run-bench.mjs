#!/usr/bin/env node
// npm run bench: the benchmarks in a kernel with the bonding driver.
// npm run bench -- --image 6.1|6.12: the lifecycle benchmark on Debian's own kernel image under
// QEMU (scripts/test-bed/qemu-run.sh), bonding loaded as a module, as on a server.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runInBondingKernel } from '../test-bed/in-bonding-kernel.mjs';

const { values } = parseArgs({ options: { image: { type: 'string' } } });
if (values.image === undefined) process.exit(await runInBondingKernel('scripts/bench/bench-inside.mjs'));

const root = fileURLToPath(new URL('../..', import.meta.url));
const args = [`${root}scripts/test-bed/qemu-run.sh`, '--image', values.image, '--', process.execPath, 'scripts/bench/bench-inside.mjs', '--lifecycle'];
const child = spawn('bash', args, { cwd: root, stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 1));
