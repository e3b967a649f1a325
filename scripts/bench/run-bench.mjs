#!/usr/bin/env node
// npm run bench: the benchmarks in a kernel with the bonding driver.
import { runInBondingKernel } from '../test-bed/in-bonding-kernel.mjs';

process.exit(await runInBondingKernel('scripts/bench/bench-inside.mjs'));
