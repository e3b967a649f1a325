#!/usr/bin/env node
// npm run demo: the failover demo in a kernel with the bonding driver.
import { runInBondingKernel } from '../test-bed/in-bonding-kernel.mjs';

process.exit(await runInBondingKernel('scripts/demo/failover-demo.mjs'));
