// The directory netbond is installed in (where package.json, prebuilds/ and build/ are), found
// from this module's own location: dist/*.js, dist/cli/*.js or a bundled chunk sit at different
// depths below it.
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Manifest {
  name?: string;
  version: string;
}

// Found once per process: the directory and its package.json, read once.
let found: { root: string; manifest: Manifest } | undefined;

function find(): { root: string; manifest: Manifest } {
  if (found) return found;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const path = `${dir}/package.json`;
    const manifest = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Manifest) : undefined;
    if (manifest?.name === 'netbond') return (found = { root: `${dir}/`, manifest });
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`netbond: no package.json of netbond above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** The package's root directory (with a trailing slash). */
export function packageRoot(): string {
  return find().root;
}

/** The version in the package's package.json: what `--version` prints. */
export function packageVersion(): string {
  return find().manifest.version;
}
