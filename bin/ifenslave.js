#!/usr/bin/env node
// Drop-in for ifenslave: `netbond-ifenslave [-f] master slave...`, `-d`, `-c`, `-a`, `-V`.
import { run } from '../dist/cli-bundle/entry.js';

process.exitCode = await run(['ifenslave', ...process.argv.slice(2)]);
