// The version of the installed package, for `netbond --version` and `netbond-ifenslave --version`:
// read from its package.json, the one place it is written.
import { readFileSync } from 'node:fs';

export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}
