#!/usr/bin/env node
// npm run soak: the soak test in a kernel with the bonding driver.
import { runInBondingKernel } from '../test-bed/in-bonding-kernel.mjs';

process.exit(await runInBondingKernel('scripts/bench/soak-inside.mjs'));
