#!/usr/bin/env node
// The netbond command line (see lib/cli/main.ts).
import { run } from '../dist/cli-bundle/entry.js';

process.exitCode = await run(process.argv.slice(2));
