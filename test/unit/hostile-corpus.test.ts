// Every importer against a corpus of hostile files: each input ends in a result, warnings or a
// typed ValidationError, never a crash, a hang or a prototype polluted. The timeout is a hang
// guard (a linear pass takes milliseconds), not a speed measurement.
import { describe, expect, it } from 'vitest';
import { HOSTILE_INPUT_BUDGET } from './helpers/budgets.js';
import { ValidationError } from '../../lib/errors.js';
import { detectFormat, importConfigs, type ConfigFormat } from '../../lib/formats/index.js';

const FORMATS: ConfigFormat[] = ['ifcfg', 'modprobe', 'rc-local', 'interfaces', 'netplan', 'networkd', 'nm'];

let bomb = 'network:\n  version: 2\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
for (let i = 1; i < 12; i++) bomb += `  a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;

const CORPUS: Record<string, string> = {
  binary: Buffer.from(Array.from({ length: 65536 }, (_, i) => (i * 7919) % 256)).toString('latin1'),
  'one 4 MB line': 'DEVICE=' + 'a'.repeat(4 * 1024 * 1024),
  'many short lines': 'x=1\n'.repeat(200_000),
  'blank lines': '\n'.repeat(500_000),
  'deep YAML': `network:\n  bonds:\n    bond0:\n      parameters: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
  'deep YAML maps': 'network:\n' + Array.from({ length: 3000 }, (_, i) => `${' '.repeat(2 * (i + 1))}k${i}:`).join('\n') + ' x\n',
  'alias bomb': bomb,
  'unterminated quotes': 'DEVICE="bond0\nBONDING_OPTS=\'mode=1\nMASTER="\n[connection\nid="x\n',
  'undefined variables': 'DEVICE=$DEV\nMASTER=${BOND:-bond0}\nBONDING_OPTS="$OPTS"\nifenslave $BOND $SLAVES\n',
  'prototype keys': '__proto__=1\nconstructor=2\n[__proto__]\npolluted=yes\n__proto__:\n  polluted: yes\nnetwork:\n  bonds:\n    __proto__:\n      interfaces: [eth0]\n    constructor:\n      parameters: { mode: 1 }\niface __proto__ inet manual\n  bond-slaves constructor\noptions bonding __proto__=1 max_bonds=99999999999999999999\n',
  'NUL bytes': 'DEVICE=bond0\0\nBONDING_OPTS="mode=1\0 miimon=100"\n',
  'CRLF and BOM': '\uFEFFDEVICE=bond0\r\nBONDING_OPTS="mode=1"\r\n',
};

describe.each(FORMATS)('%s importer', (format) => {
  it.each(Object.keys(CORPUS))('ends %s in a result, warnings or a typed error', { timeout: HOSTILE_INPUT_BUDGET }, (name) => {
    const text = CORPUS[name] as string;
    let outcome: unknown;
    try {
      outcome = importConfigs([{ path: `/tmp/hostile-${format}`, text, format }]);
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      outcome = error;
    }
    expect(outcome).toBeDefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('detectFormat', () => {
  it.each(Object.keys(CORPUS))('returns for %s', { timeout: HOSTILE_INPUT_BUDGET }, (name) => {
    expect(() => detectFormat({ path: '/tmp/unknown', text: CORPUS[name] as string })).not.toThrow();
  });
});
