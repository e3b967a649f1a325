#!/usr/bin/env node
// Bundles the command line (dist/cli/entry.js and what it imports) into dist/cli-bundle/, one
// chunk per command's code as its module in lib/cli/commands/ loads it, so that `netbond show`
// reads a handful of files instead of fifty: Node's module loader costs per file, and most where
// every file access is a syscall away (a VM, User-Mode Linux). The dependencies (commander,
// ipaddr.js, node-gyp-build, yaml: all CommonJS for Node) are bundled too, which spares Node
// parsing them for their exports; yaml lands in the chunks of the commands that read or write
// YAML. The library (dist/index.js) is not bundled. Run by `npm run build:ts`, after tsc.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const outdir = fileURLToPath(new URL('../dist/cli-bundle/', import.meta.url));
rmSync(outdir, { recursive: true, force: true });
await build({
  // The checkpoint guard too: `netbond apply --try` starts it as a process of its own from the
  // file guard-main.js beside the code that starts it (lib/declarative/transaction/guard.ts), and
  // in the bundle that code sits in a chunk here.
  entryPoints: {
    entry: fileURLToPath(new URL('../dist/cli/entry.js', import.meta.url)),
    'guard-main': fileURLToPath(new URL('../dist/declarative/transaction/guard-main.js', import.meta.url)),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Bundled CommonJS code calls require() for Node's own modules and for the addon.
  banner: { js: "import { createRequire as netbondCreateRequire } from 'node:module';\nconst require = netbondCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
