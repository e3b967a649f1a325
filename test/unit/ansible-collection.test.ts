// The Ansible collection without a kernel. Its bond options come from the option table, so they
// cannot drift from what netbond takes: this test renders the doc fragment (what ansible-doc
// shows) and the argument spec (what Ansible validates) from BOND_OPTION_DEFS and the BondOptions
// doc comments, and fails when the files in the collection differ (`npm run gen:ansible` writes
// them). ansible-doc must read every module, and the sanity tests of ansible-test that run
// offline must pass (the others bootstrap pip from the internet into a virtualenv).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BOND_OPTION_DEFS, type BondOptionDef } from '../../lib/option-table.js';

const ROOT = fileURLToPath(new URL('../../ansible/ansible_collections/netbond/netbond/', import.meta.url));
const COLLECTION = `${ROOT}plugins/`;
const ANSIBLE_ENV = { ...process.env, ANSIBLE_COLLECTIONS_PATH: fileURLToPath(new URL('../../ansible', import.meta.url)), ANSIBLE_NOCOLOR: '1' };

/** The sanity tests that need no virtualenv (so no download); the rest are listed in the README. */
const OFFLINE_SANITY = ['action-plugin-docs', 'compile', 'empty-init', 'future-import-boilerplate', 'line-endings', 'metaclass-boilerplate', 'no-assert', 'no-basestring', 'no-dict-iteritems', 'no-get-exception', 'no-main-display', 'no-smart-quotes', 'shebang', 'symlinks'];
const TABLE = fileURLToPath(new URL('../../lib/option-table.ts', import.meta.url));

const snake = (key: string) => key.replace(/[A-Z]/gu, (c) => `_${c.toLowerCase()}`);

/** The doc comment above each `key?:` of the BondOptions interface. */
function docComments(): Map<string, string> {
  const text = readFileSync(TABLE, 'utf8');
  const body = text.slice(text.indexOf('export interface BondOptions {'), text.indexOf('export type BondOptionKey'));
  return new Map([...body.matchAll(/\/\*\* (.+?) \*\/\n\s+(\w+)\?:/gsu)].map((m) => [m[2] as string, (m[1] as string).replace(/\s*\n\s*\*\s*/gu, ' ')]));
}

function ansibleType(def: BondOptionDef): { type: string; elements?: string; choices?: readonly string[] } {
  switch (def.value.kind) {
    case 'int':
      return { type: 'int' };
    case 'bool':
      return { type: 'bool' };
    case 'enum':
      return { type: 'str', choices: def.value.names };
    case 'ipv4-list':
    case 'ipv6-list':
      return { type: 'list', elements: 'str' };
    default:
      return { type: 'str' };
  }
}

const pyString = (text: string) => `'${text.replace(/\\/gu, '\\\\').replace(/'/gu, "\\'")}'`;
/** YAML single-quoted scalar. */
const yamlString = (text: string) => `'${text.replace(/'/gu, "''")}'`;

const HEADER = '# -*- coding: utf-8 -*-\n# Generated from lib/option-table.ts by test/unit/ansible-collection.test.ts (npm run gen:ansible); do not edit.\nfrom __future__ import absolute_import, division, print_function\n\n__metaclass__ = type\n';

function renderFragment(): string {
  const docs = docComments();
  const lines = ['', '', 'class ModuleDocFragment(object):', "    DOCUMENTATION = r'''", 'options:'];
  for (const def of BOND_OPTION_DEFS) {
    const type = ansibleType(def);
    let doc = docs.get(def.key) ?? '';
    if (def.key === 'primary') doc += ' An empty string clears it.';
    lines.push(`  ${snake(def.key)}:`, '    description:', `      - ${yamlString(`${doc} netbond key ${def.key}.`)}`, `    type: ${type.type}`);
    if (type.elements) lines.push(`    elements: ${type.elements}`);
    if (type.choices) lines.push(`    choices: [${type.choices.map(yamlString).join(', ')}]`);
  }
  lines.push("'''", '');
  return HEADER + lines.join('\n');
}

function renderArgumentSpec(): string {
  const lines = [
    '',
    '# Module option -> the BondSpec key netbond takes.',
    'BOND_OPTION_KEYS = {',
    ...BOND_OPTION_DEFS.map((def) => `    ${pyString(snake(def.key))}: ${pyString(def.key)},`),
    '}',
    '',
    '# The argument spec of the bond options, as the doc fragment documents them.',
    'BOND_OPTION_SPEC = {',
    ...BOND_OPTION_DEFS.map((def) => {
      const type = ansibleType(def);
      const parts = [`'type': ${pyString(type.type)}`];
      if (type.elements) parts.push(`'elements': ${pyString(type.elements)}`);
      if (type.choices) parts.push(`'choices': [${type.choices.map(pyString).join(', ')}]`);
      return `    ${pyString(snake(def.key))}: {${parts.join(', ')}},`;
    }),
    '}',
    '',
  ];
  return HEADER + lines.join('\n');
}

const FILES: [string, () => string][] = [
  ['doc_fragments/bond_options.py', renderFragment],
  ['module_utils/bond_options.py', renderArgumentSpec],
];

describe('the Ansible collection', () => {
  it.each(FILES)('%s is generated from the option table', (path, render) => {
    const text = render();
    if (process.env.NETBOND_WRITE_ANSIBLE === '1') writeFileSync(`${COLLECTION}${path}`, text);
    expect(readFileSync(`${COLLECTION}${path}`, 'utf8')).toBe(text);
  });

  it('documents every bond option', () => {
    const docs = docComments();
    expect(BOND_OPTION_DEFS.filter((def) => !docs.has(def.key)).map((def) => def.key)).toEqual([]);
  });

  it.each(['bond', 'bond_confirm', 'bond_info'])('ansible-doc reads netbond.netbond.%s', (module) => {
    const doc = JSON.parse(execFileSync('ansible-doc', ['--json', `netbond.netbond.${module}`], { env: ANSIBLE_ENV, encoding: 'utf8' })) as Record<string, { doc: { options: Record<string, unknown> }; examples: string; return: Record<string, unknown> }>;
    const entry = doc[`netbond.netbond.${module}`];
    expect(entry?.examples.length).toBeGreaterThan(0);
    expect(Object.keys(entry?.return ?? {}).length).toBeGreaterThan(0);
    if (module === 'bond') {
      const options = Object.keys(entry?.doc.options ?? {});
      expect(options).toEqual(expect.arrayContaining(['name', 'state', 'slaves', 'vlans', 'confirm_timeout', 'probes', 'netns', 'miimon', 'lacp_rate', 'xmit_hash_policy', 'ad_actor_system']));
      expect(options.length).toBe(BOND_OPTION_DEFS.length + 15);
    }
  });

  it('passes the sanity tests of ansible-test that run offline', { timeout: 120_000 }, () => {
    // The Python Debian's ansible-core runs on (`default` would also try every pyenv shim).
    const python = execFileSync('/usr/bin/python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' }).trim();
    const out = execFileSync('ansible-test', ['sanity', '--python', python, ...OFFLINE_SANITY.flatMap((t) => ['--test', t])], { cwd: ROOT, env: ANSIBLE_ENV, encoding: 'utf8' });
    expect(out).not.toMatch(/ERROR/u);
  });
});
