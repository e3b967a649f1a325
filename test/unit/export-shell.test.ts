// Exported configs that a shell reads never run what a name holds. Interface names may carry
// `$`, backticks, `;`, `|`, `&`, quotes and more (the kernel takes them); ifcfg files are sourced
// by bash and ifupdown runs `up` lines through /bin/sh. For names drawn from every character the
// kernel allows, each file is consumed by its real consumer and must give the name back, word for
// word, with nothing executed; importing the files gives the same names back.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportConfig, importConfigs } from '../../lib/formats/index.js';
import { validateIfname } from '../../lib/validate/names.js';

/** Printable ASCII the kernel and netbond take in a name: no '/', ':', '%' or whitespace. */
const ALPHABET = [...Array(0x7f - 0x21)].map((_, i) => String.fromCharCode(0x21 + i)).filter((c) => !'/:%'.includes(c));

// Each would create the file "c" in the working directory if a shell ever evaluated it.
const HOSTILE = ['a\\sb', 'x\\\\y', 't\\n', '$(>c)', '`>c`', 'a;>c', 'x|>c', "q'$(>c)", '"$(>c)"', 'b&&>c', '\\$(>c)', "'`>c`'", '$(>c)#'];

function* seededNames(count: number): Generator<string> {
  let state = 0x2545f491;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  for (let i = 0; i < count; i++) {
    const length = 1 + Math.floor(next() * 15);
    let name = '';
    for (let j = 0; j < length; j++) name += ALPHABET[Math.floor(next() * ALPHABET.length)];
    if (name !== '.' && name !== '..') yield name;
  }
}

const NAMES = [...HOSTILE, ...seededNames(300)].filter((name) => {
  validateIfname('name', name);
  return true;
});
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'netbond-export-'));
  dirs.push(dir);
  return dir;
}

const slaveOf = (name: string) => `s${name}`.slice(0, 15);

describe('ifcfg, sourced by bash as initscripts does', () => {
  // One bash sourcing every name's files: 3.8 s beside the other lane, near vitest's default 5 s.
  it('gives every DEVICE, MASTER and BONDING_OPTS back literally and runs nothing', { timeout: 30_000 }, () => {
    const dir = workDir();
    const expected: string[] = [];
    NAMES.forEach((name, i) => {
      const files = exportConfig('ifcfg', { name, mode: 'active-backup', slaves: [slaveOf(name)], activeSlave: slaveOf(name), addresses: ['10.0.0.1/24'] });
      const [bond, slave] = files;
      writeFileSync(join(dir, `${i}-bond`), bond!.text);
      writeFileSync(join(dir, `${i}-slave`), slave!.text);
      expected.push(`${i}-bond\t${name}\tmode=active-backup active_slave=${slaveOf(name)}`, `${i}-slave\t${slaveOf(name)}\t${name}`);
      const imported = importConfigs(files.map((f) => ({ ...f, path: `/etc/sysconfig/network-scripts/ifcfg-${f.path.split('ifcfg-')[1]}` })));
      expect(imported.specs.map((s) => [s.name, s.slaves])).toEqual([[name, [slaveOf(name)]]]);
    });
    const script = 'set -u; for f in *-bond *-slave; do ( . "./$f"; printf "%s\\t%s\\t%s\\n" "$f" "$DEVICE" "${BONDING_OPTS:-${MASTER:-}}" ); done';
    const out = execFileSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8' });
    expect(out.trimEnd().split('\n').sort()).toEqual(expected.sort());
    expect(existsSync(join(dir, 'c'))).toBe(false);
  });
});

describe('interfaces, whose up lines ifupdown runs through /bin/sh', () => {
  // One /bin/sh (and the stub ip it runs) per name, ~300 names: 3-4 s on a quiet 2-core machine,
  // 8-10 s beside other suites; vitest's default 5 s failed under load.
  it('hands ip the name as one argument and runs nothing else', { timeout: 30_000 }, () => {
    const dir = workDir();
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    // The stub ip writes its arguments, one per line, to a file named after the call.
    writeFileSync(join(bin, 'ip'), '#!/bin/sh\nprintf "%s\\n" "$@" >> "$OUT"\n');
    chmodSync(join(bin, 'ip'), 0o755);
    NAMES.forEach((name, i) => {
      if (name.endsWith('\\')) {
        // ifupdown would join the next line to it: refused, naming the character.
        expect(() => exportConfig('interfaces', { name, mode: 'balance-rr' })).toThrow(/ends in "\\"/u);
        return;
      }
      const [file] = exportConfig('interfaces', { name, mode: 'balance-rr', addresses: ['10.0.0.1/24'], routes: [{ destination: '192.0.2.0/24', gateway: '10.0.0.254' }] });
      const up = file!.text.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('up '));
      expect(up).toHaveLength(1);
      const out = join(dir, `out-${i}`);
      execFileSync('/bin/sh', ['-c', (up[0] as string).slice(3)], { cwd: dir, env: { PATH: `${bin}:/usr/bin:/bin`, OUT: out } });
      expect(readFileSync(out, 'utf8').split('\n').slice(0, -1)).toEqual(['route', 'add', '192.0.2.0/24', 'via', '10.0.0.254', 'dev', name]);
      const [spec] = importConfigs([{ ...file!, path: '/etc/network/interfaces' }]).specs;
      expect(spec?.name).toBe(name);
      expect(spec?.routes).toEqual([{ destination: '192.0.2.0/24', gateway: '10.0.0.254' }]);
    });
    expect(readdirSync(dir).includes('c')).toBe(false);
  });
});

describe('every format gives every name back', () => {
  it.each(['ifcfg', 'interfaces', 'netplan', 'networkd', 'nm'] as const)('%s: export, then import, gives the same bond and slave names (or refuses the name, naming the character)', (format) => {
    const failures: string[] = [];
    for (const name of NAMES) {
      const spec = { name, mode: 'active-backup' as const, slaves: [slaveOf(name)], addresses: ['10.0.0.1/24'] };
      let files;
      try {
        files = exportConfig(format, spec);
      } catch (error) {
        if (!(error instanceof Error) || !/ends in|character|cannot hold/u.test(error.message)) failures.push(`${name}: ${String(error)}`);
        continue;
      }
      const imported = importConfigs(files.map((f) => ({ ...f })));
      const got = imported.specs.map((s) => [s.name, s.slaves]);
      if (JSON.stringify(got) !== JSON.stringify([[name, [slaveOf(name)]]])) failures.push(`${JSON.stringify(name)} -> ${JSON.stringify(got)} ${imported.warnings.join('; ')}`);
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });
});
