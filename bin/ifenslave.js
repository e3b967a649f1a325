#!/usr/bin/env node
// Drop-in for ifenslave: `netbond-ifenslave [-f] master slave...`, `-d`, `-c`, `-a`.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(['ifenslave', ...process.argv.slice(2)]);
