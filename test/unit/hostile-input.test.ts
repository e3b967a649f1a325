// Input a hostile or careless caller gives: each ends in a typed ValidationError (exit status 2
// from the CLI) before any syscall, never in a JavaScript TypeError or a silent success.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.js';
import { main } from '../../lib/cli/main.js';
import { normalizeSpec } from '../../lib/plan/normalize.js';
import { detectFormat, exportConfig, importConfigs } from '../../lib/formats/index.js';
import { watchBonds } from '../../lib/watch/watcher.js';
import { applyBond } from '../../lib/declarative/apply.js';

function capture() {
  const lines = { out: [] as string[], err: [] as string[] };
  return { lines, io: { out: (text: string) => lines.out.push(text), err: (text: string) => lines.err.push(text) } };
}

describe('format names are looked up among the formats, not on Object.prototype', () => {
  it.each(['constructor', 'toString', '__proto__', 'bogus'])('import %s is refused', async (format) => {
    expect(() => importConfigs([{ path: 'x', text: '', format: format as never }])).toThrow(ValidationError);
    const { io, lines } = capture();
    expect(await main(['import', format, '/dev/null'], io)).toBe(2);
    expect(lines.err.join('\n')).toMatch(/Expected one of ifcfg, .* for format/u);
  });

  it.each(['constructor', 'toString', 'modprobe'])('export %s is refused', (format) => {
    expect(() => exportConfig(format as never, { name: 'bond0' })).toThrow(ValidationError);
  });
});

describe('spec lists with items that are not entries', () => {
  it.each([
    [{ name: 'bond0', routes: [null] }],
    [{ name: 'bond0', routes: [42] }],
    [{ name: 'bond0', addresses: [null] }],
    [{ name: 'bond0', slaves: [null] }],
  ])('normalizeSpec and every export refuse %j with a ValidationError', (spec) => {
    expect(() => normalizeSpec(spec as never)).toThrow(ValidationError);
    for (const format of ['ifcfg', 'interfaces', 'netplan', 'networkd', 'nm'] as const) {
      expect(() => exportConfig(format, spec as never)).toThrow(ValidationError);
    }
  });

  it('export refuses a list field that is not an array', () => {
    expect(() => exportConfig('ifcfg', { name: 'bond0', routes: 'default' } as never)).toThrow(ValidationError);
  });
});

describe('watchBonds numbers stay within what a timer, a queue and a socket buffer take', () => {
  it.each([
    [{ pollInterval: 2 ** 31 }],
    [{ pollInterval: Number.MAX_SAFE_INTEGER }],
    [{ receiveBuffer: 2 ** 32 + 1 }],
    [{ maxQueue: 2 ** 40 }],
    [{ pollInterval: -1 }],
  ])('refuses %j before opening anything', (opts) => {
    expect(() => watchBonds(opts)).toThrow(ValidationError);
  });
});

describe('the CLI refuses unknown global options before ifenslave', () => {
  it('exits 2 naming the option instead of ignoring it', async () => {
    const { io, lines } = capture();
    expect(await main(['--bogus', 'ifenslave', 'bond0', 'eth0'], io)).toBe(2);
    expect(lines.err.join('\n')).toContain("Unknown option '--bogus' before ifenslave");
  });
});

describe('importers stay linear and bounded in their input', () => {
  // A guard against a hang, not a speed measurement: the old patterns took 8 s on 40 KB and
  // would take hours on this input; a linear pass takes milliseconds.
  it('detects the format of 1 MB of blank lines without backtracking across them', { timeout: 5000 }, () => {
    const text = `${'\n'.repeat(1_000_000)}x`;
    expect(detectFormat({ path: 'unknown', text })).toBeUndefined();
    expect(detectFormat({ path: 'unknown', text: `${'\n \t'.repeat(100_000)}\n  DEVICE=bond0\n` })).toBe('ifcfg');
  });

  it('caps the bonds max_bonds creates, with a warning, instead of allocating until it dies', () => {
    const result = importConfigs([{ path: '/etc/modprobe.d/bonding.conf', text: 'options bonding max_bonds=2147483647 mode=1\n', format: 'modprobe' }]);
    expect(result.specs).toHaveLength(1024);
    expect(result.warnings.join('\n')).toContain('max_bonds=2147483647: only bond0-bond1023 imported');
  });
});

describe('ifcfg values the shell would read differently from the text', () => {
  it.each([
    ['MASTER=$BOND', 'uses shell expansion'],
    ['MASTER=`cat /etc/bond`', 'uses shell expansion'],
    ['MASTER="bond0', 'has a quote that is never closed'],
  ])('%s is reported, not imported', (line, words) => {
    const result = importConfigs([{ path: '/etc/sysconfig/network-scripts/ifcfg-eth0', text: `DEVICE=eth0\n${line}\nSLAVE=yes\n`, format: 'ifcfg' }]);
    expect(result.specs).toEqual([]);
    expect(result.warnings.join('\n')).toContain(words);
  });

  it("takes single quotes and backslashes as sh does: 'a'\\''b' is a'b", () => {
    const result = importConfigs([{ path: '/etc/sysconfig/network-scripts/ifcfg-bond0', text: "DEVICE=bond0\nBONDING_OPTS='mode=1 '\\''miimon=100'\\'\n", format: 'ifcfg' }]);
    expect(result.warnings.join('\n')).toContain("'miimon");
  });
});

describe('netplan YAML aliases', () => {
  it('reads parameters: *p as the mapping the anchor names', () => {
    const text = 'network:\n  version: 2\n  bonds:\n    bond0:\n      interfaces: []\n      parameters: &p\n        mode: active-backup\n        mii-monitor-interval: 100\n    bond1:\n      interfaces: []\n      parameters: *p\n';
    const result = importConfigs([{ path: '/etc/netplan/60-bonds.yaml', text }]);
    expect(result.specs.map((s) => [s.name, s.mode, s.miimon])).toEqual([
      ['bond0', 'active-backup', 100],
      ['bond1', 'active-backup', 100],
    ]);
  });

  it('refuses an alias bomb with a warning instead of expanding it', { timeout: 5000 }, () => {
    let text = 'network:\n  version: 2\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 12; i++) text += `  a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
    const result = importConfigs([{ path: '/etc/netplan/bomb.yaml', text }]);
    expect(result.specs).toEqual([]);
    expect(result.warnings.join('\n')).toContain('YAML aliases expand to more than 20000 nodes');
  });
});

describe('applyBond options are checked before anything runs', () => {
  it.each([
    [{ healthTimeout: 2 ** 31 }],
    [{ healthTimeout: -1 }],
    [{ healthTimout: 100 }],
    [{ dryRun: 'yes' }],
    [{ onStep: 'log' }],
    [{ signal: {} }],
  ])('refuses %j with a ValidationError', async (opts) => {
    await expect(applyBond({ name: 'bond0' }, opts as never)).rejects.toThrow(ValidationError);
  });
});
