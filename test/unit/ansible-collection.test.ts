// The Ansible collection without a kernel. Its bond options come from the option table and the
// spec's own fields (name, slaves, vlans, ...) from the spec schema, so they cannot drift from what
// netbond takes: this test renders the doc fragments (what ansible-doc shows) and the argument
// specs (what Ansible validates) from BOND_OPTION_DEFS with the BondOptions doc comments and from
// BOND_FIELDS, and fails when the files in the collection differ (`npm run gen:ansible` writes
// them). ansible-doc must read every module, each module's documentation must say what its
// argument spec takes (validate-modules' check, which needs a virtualenv), and the sanity tests of
// ansible-test that run offline must pass (the others bootstrap pip from the internet into one).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BOND_FIELDS, type SpecField, type SpecFields } from '../../lib/plan/spec-schema.js';
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

const header = (source: string) => `# -*- coding: utf-8 -*-\n# Generated from ${source} by test/unit/ansible-collection.test.ts (npm run gen:ansible); do not edit.\nfrom __future__ import absolute_import, division, print_function\n\n__metaclass__ = type\n`;
const HEADER = header('lib/option-table.ts');

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

/** The spec schema's text in Ansible's markup: `code` becomes C(code). */
const ansibleText = (text: string) => text.replace(/`([^`]+)`/gu, (_, code: string) => `C(${code})`);

/** A list of strings or dicts (slaves, addresses): what each entry may be, from the dict's fields. */
function entryText(field: SpecField): string {
  if (field.elements !== 'raw' || !field.fields || !field.shorthand) return '';
  return ` Each is a string (its C(${snake(field.shorthand)})) or a dict with ${Object.keys(field.fields).map((key) => `C(${snake(key)})`).join(', ')}.`;
}

function specFragmentOptions(fields: SpecFields, indent: string): string[] {
  return Object.entries(fields).flatMap(([key, field]) => {
    const lines = [`${indent}${snake(key)}:`, `${indent}  description:`, `${indent}    - ${yamlString(ansibleText(field.description) + entryText(field))}`, `${indent}  type: ${field.type}`];
    if (field.elements) lines.push(`${indent}  elements: ${field.elements}`);
    if (field.choices) lines.push(`${indent}  choices: [${field.choices.map(yamlString).join(', ')}]`);
    if (field.required) lines.push(`${indent}  required: true`);
    if (field.default !== undefined) lines.push(`${indent}  default: ${yamlString(field.default)}`);
    if (field.elements === 'dict' && field.fields) lines.push(`${indent}  suboptions:`, ...specFragmentOptions(field.fields, `${indent}    `));
    return lines;
  });
}

function renderSpecFragment(): string {
  const lines = ['', '', 'class ModuleDocFragment(object):', "    DOCUMENTATION = r'''", 'options:', ...specFragmentOptions(BOND_FIELDS, '  '), "'''", ''];
  return header('lib/plan/spec-schema.ts') + lines.join('\n');
}

/** Argument spec entries; a list of dicts gets its fields as `options`, which Ansible checks. */
function specArgumentEntries(fields: SpecFields, indent: string): string[] {
  return Object.entries(fields).flatMap(([key, field]) => {
    const parts = [`'type': ${pyString(field.type)}`];
    if (field.elements) parts.push(`'elements': ${pyString(field.elements)}`);
    if (field.choices) parts.push(`'choices': [${field.choices.map(pyString).join(', ')}]`);
    if (field.required) parts.push(`'required': True`);
    if (field.default !== undefined) parts.push(`'default': ${pyString(field.default)}`);
    const head = `${indent}${pyString(snake(key))}: {${parts.join(', ')}`;
    if (field.elements !== 'dict' || !field.fields) return [`${head}},`];
    return [`${head}, 'options': {`, ...specArgumentEntries(field.fields, `${indent}    `), `${indent}}},`];
  });
}

function renderSpecArgumentSpec(): string {
  const lines = [
    '',
    '# Module option -> the BondSpec key netbond takes (the keys of sub-options and dicts are the same in snake_case).',
    'SPEC_FIELDS = {',
    ...Object.keys(BOND_FIELDS).map((key) => `    ${pyString(snake(key))}: ${pyString(key)},`),
    '}',
    '',
    "# The argument spec of the spec's own fields (besides the bond options), as the doc fragment documents them.",
    'SPEC_ARGUMENT_SPEC = {',
    ...specArgumentEntries(BOND_FIELDS, '    '),
    '}',
    '',
  ];
  return header('lib/plan/spec-schema.ts') + lines.join('\n');
}

/**
 * Runs each module's main() up to AnsibleModule and compares the argument spec it gets with what
 * ansible-doc shows (type, elements, choices, required, default, sub-options), as validate-modules
 * does. Prints the differences as a JSON list.
 */
const DOC_MATCHES_SPEC = `
import importlib, json, sys
from ansible.module_utils import basic

class Captured(Exception):
    pass

def capture(self, argument_spec, **kwargs):
    raise Captured(argument_spec)

basic.AnsibleModule.__init__ = capture
DEFAULTS = {'type': 'str', 'required': False}

def value(entry, key):
    got = entry.get(key)
    return DEFAULTS.get(key) if got is None else got

def compare(at, spec, doc, out):
    for name in sorted(set(spec) | set(doc)):
        if name not in doc or name not in spec:
            out.append('%s%s: %s' % (at, name, 'not documented' if name not in doc else 'documented, not in the argument spec'))
            continue
        for key in ('type', 'elements', 'choices', 'required', 'default'):
            if value(spec[name], key) != value(doc[name], key):
                out.append('%s%s: %s %r in the argument spec, %r documented' % (at, name, key, value(spec[name], key), value(doc[name], key)))
        compare('%s%s.' % (at, name), spec[name].get('options') or {}, doc[name].get('suboptions') or {}, out)

docs = json.load(sys.stdin)
out = []
for module in sys.argv[1:]:
    try:
        importlib.import_module('ansible_collections.netbond.netbond.plugins.modules.' + module).main()
    except Captured as e:
        compare(module + ': ', e.args[0], docs['netbond.netbond.' + module]['doc']['options'], out)
print(json.dumps(out))
`;

const MODULES = ['bond', 'bond_confirm', 'bond_info'];

const FILES: [string, () => string][] = [
  ['doc_fragments/bond_options.py', renderFragment],
  ['module_utils/bond_options.py', renderArgumentSpec],
  ['doc_fragments/bond_spec.py', renderSpecFragment],
  ['module_utils/bond_spec.py', renderSpecArgumentSpec],
];

describe('the Ansible collection', () => {
  it.each(FILES)('%s is generated and up to date', (path, render) => {
    const text = render();
    if (process.env.NETBOND_WRITE_ANSIBLE === '1') writeFileSync(`${COLLECTION}${path}`, text);
    expect(readFileSync(`${COLLECTION}${path}`, 'utf8')).toBe(text);
  });

  it('documents every bond option', () => {
    const docs = docComments();
    expect(BOND_OPTION_DEFS.filter((def) => !docs.has(def.key)).map((def) => def.key)).toEqual([]);
  });

  it.each(MODULES)('ansible-doc reads netbond.netbond.%s', (module) => {
    const doc = JSON.parse(execFileSync('ansible-doc', ['--json', `netbond.netbond.${module}`], { env: ANSIBLE_ENV, encoding: 'utf8' })) as Record<string, { doc: { options: Record<string, unknown> }; examples: string; return: Record<string, unknown> }>;
    const entry = doc[`netbond.netbond.${module}`];
    expect(entry?.examples.length).toBeGreaterThan(0);
    expect(Object.keys(entry?.return ?? {}).length).toBeGreaterThan(0);
    if (module === 'bond') {
      const options = Object.keys(entry?.doc.options ?? {});
      expect(options).toEqual(expect.arrayContaining(['name', 'state', 'slaves', 'vlans', 'confirm_timeout', 'probes', 'netns', 'miimon', 'lacp_rate', 'xmit_hash_policy', 'ad_actor_system']));
      // The spec's fields, confirm_timeout, probes, default_probes, executable, netns.
      expect(options.length).toBe(BOND_OPTION_DEFS.length + Object.keys(BOND_FIELDS).length + 5);
    }
  });

  it('documents what each module takes (its argument spec)', () => {
    const docs = execFileSync('ansible-doc', ['--json', ...MODULES.map((m) => `netbond.netbond.${m}`)], { env: ANSIBLE_ENV, encoding: 'utf8' });
    const out = execFileSync('/usr/bin/python3', ['-c', DOC_MATCHES_SPEC, ...MODULES], { env: { ...ANSIBLE_ENV, PYTHONPATH: ANSIBLE_ENV.ANSIBLE_COLLECTIONS_PATH }, input: docs, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([]);
  });

  it('passes the sanity tests of ansible-test that run offline', { timeout: 120_000 }, () => {
    // The Python Debian's ansible-core runs on (`default` would also try every pyenv shim).
    const python = execFileSync('/usr/bin/python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' }).trim();
    const out = execFileSync('ansible-test', ['sanity', '--python', python, ...OFFLINE_SANITY.flatMap((t) => ['--test', t])], { cwd: ROOT, env: ANSIBLE_ENV, encoding: 'utf8' });
    expect(out).not.toMatch(/ERROR/u);
  });
});
