// How the commands start: --version from either command, answered before the parser loads or by
// commander after other options; ifenslave's -V and -h; and what a command that only reads loads.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../lib/cli/main.js';

const exec = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const LIST_MODULES = fileURLToPath(new URL('./helpers/list-modules.mjs', import.meta.url));
const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string };

async function capture(argv: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => out.push(`err: ${t}`) });
  return { code, out };
}

describe('the version', () => {
  it('is the package version, from either command and with -V, --version or after other options', async () => {
    for (const argv of [['--version'], ['-V'], ['--json', '--version'], ['ifenslave', '-V'], ['ifenslave', '--version'], ['ifenslave', '-f', '-V']]) {
      expect(await capture(argv), argv.join(' ')).toEqual({ code: 0, out: [version] });
    }
  });

  it('is printed by both installed commands, which load no more than they need to', async () => {
    // The built commands, as users run them (dist/ is built before the unit tests).
    for (const bin of ['bin/netbond.js', 'bin/ifenslave.js']) {
      const { stdout } = await exec(process.execPath, [`${root}${bin}`, '--version']);
      expect(stdout).toBe(`${version}\n`);
    }
    // What `netbond --help` loads: the parser and the command table, not YAML, the config
    // formats, the declarative engine (only its error class, which sets the exit status) or the
    // lab. The command runs from a bundle (scripts/build-cli.mjs) whose chunks name each source
    // file they hold in a comment line, so the files it loads say which sources it ran.
    const list = join(await mkdtemp(join(tmpdir(), 'netbond-modules-')), 'loaded');
    await exec(process.execPath, ['--import', LIST_MODULES, `${root}bin/netbond.js`, '--help'], { env: { ...process.env, NETBOND_MODULE_LIST: list } });
    const files = [...new Set(readFileSync(list, 'utf8').split('\n'))].filter((url) => url.startsWith(`file://${root}dist/`));
    const sources = files.flatMap((url) => [...readFileSync(fileURLToPath(url), 'utf8').matchAll(/^\/\/ ((?:dist|node_modules)\/\S+)$/gmu)].map((m) => m[1] as string));
    expect(sources).toContain('dist/cli/main.js');
    expect(sources).toContain('node_modules/commander/index.js');
    expect(sources.filter((source) => /^node_modules\/yaml\/|^dist\/(formats|lab)\/|^dist\/declarative\/(?!apply-error\.js)/u.test(source))).toEqual([]);
    expect(files.length).toBeLessThan(12);
  });
});

describe('ifenslave', () => {
  it('prints its usage with -h', async () => {
    expect(await capture(['ifenslave', '-h'])).toEqual({ code: 0, out: ['usage: ifenslave [-f] master slave... | -d master slave... | -c master slave | -a'] });
  });
});
