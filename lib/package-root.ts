// The directory netbond is installed in (where package.json, prebuilds/ and build/ are), found
// from this module's own location: dist/*.js, dist/cli/*.js or a bundled chunk sit at different
// depths below it.
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The package's root directory (with a trailing slash). */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = `${dir}/package.json`;
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'netbond') break;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`netbond: no package.json of netbond above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  root = `${dir}/`;
  return root;
}

/** The version in the package's package.json: what `--version` prints. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(`${packageRoot()}package.json`, 'utf8')) as { version: string }).version;
}
