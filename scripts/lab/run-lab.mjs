#!/usr/bin/env node
// npm run lab [-- LAB OPTIONS]: `netbond lab` in a kernel with the bonding driver (inside
// User-Mode Linux when this one has none). Files given to --markdown/--svg are written relative
// to the repository, which the test bed mounts read-write.
import { runInBondingKernel } from '../test-bed/in-bonding-kernel.mjs';

process.exit(await runInBondingKernel('bin/netbond.js', ['lab', ...process.argv.slice(2)]));
