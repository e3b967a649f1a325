// The spec schema is the one list of a BondSpec's own keys: normalizeSpec accepts exactly its keys
// (read back from the unknown-key error, so a key allowed in normalize.ts but not added to the
// schema fails here), reads every one of them, and its messages name the schema's keys. The
// Ansible side of the schema is test/unit/ansible-collection.test.ts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { normalizeSpec } from '../../lib/plan/normalize.js';
import { BOND_FIELDS, ROUTE_FIELDS, SLAVE_FIELDS, VLAN_FIELDS, type SpecFields } from '../../lib/plan/spec-schema.js';
import type { BondSpec } from '../../lib/plan/types.js';
import { ValidationError } from '../../lib/errors.js';
import { SLAVE_OPTION_DEFS } from '../../lib/option-table.js';
import { OPTION_KEYS } from '../../lib/validate/options.js';

const NORMALIZE = fileURLToPath(new URL('../../lib/plan/normalize.ts', import.meta.url));

/** The keys normalizeSpec allows where `spec` has an unknown key 'zzzzzzzz', as its error lists them. */
function allowedKeys(spec: unknown): string[] {
  try {
    normalizeSpec(spec as BondSpec);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toMatch(/^Unknown option 'zzzzzzzz'/u);
    return (error as ValidationError).allowed.replace(/^one of /u, '').split(', ');
  }
  throw new Error('normalizeSpec took an unknown key');
}

const keys = (fields: SpecFields) => Object.keys(fields);
const UNKNOWN = { zzzzzzzz: 1 };

describe('the spec schema', () => {
  it('lists every key normalizeSpec allows, and no other', () => {
    expect(allowedKeys({ name: 'bond0', ...UNKNOWN })).toEqual([...OPTION_KEYS, ...keys(BOND_FIELDS)]);
    expect(allowedKeys({ name: 'bond0', slaves: [{ name: 'eth0', ...UNKNOWN }] })).toEqual(keys(SLAVE_FIELDS));
    expect(allowedKeys({ name: 'bond0', routes: [{ destination: 'default', ...UNKNOWN }] })).toEqual(keys(ROUTE_FIELDS));
    expect(allowedKeys({ name: 'bond0', vlans: [{ id: 100, ...UNKNOWN }] })).toEqual(keys(VLAN_FIELDS));
    expect(allowedKeys({ name: 'bond0', vlans: [{ id: 100, routes: [{ destination: 'default', ...UNKNOWN }] }] })).toEqual(keys(ROUTE_FIELDS));
  });

  it('has a slave as its name and the slave options of the option table', () => {
    expect(keys(SLAVE_FIELDS)).toEqual(['name', ...SLAVE_OPTION_DEFS.map((def) => def.key)]);
  });

  it.each(keys(BOND_FIELDS).filter((key) => key !== 'name'))('normalizeSpec reads %s itself (not as a bond option)', (key) => {
    // A key the schema lists but normalizeSpec does not take out of the spec reaches the bond
    // options, which refuse it.
    expect(() => normalizeSpec({ name: 'bond0', [key]: undefined } as BondSpec)).not.toThrow();
  });

  it('normalizeVlans reads every key of a VLAN', () => {
    const source = readFileSync(NORMALIZE, 'utf8');
    const body = source.slice(source.indexOf('export function normalizeVlans'));
    expect(new Set([...body.matchAll(/\bvlan\.(\w+)/gu)].map((m) => m[1]))).toEqual(new Set(keys(VLAN_FIELDS)));
  });

  it('names its keys in the messages about a VLAN or route of the wrong shape', () => {
    expect(() => normalizeSpec({ name: 'bond0', vlans: 5 } as unknown as BondSpec)).toThrow('Expected an array of { id, name?, protocol?, up?, mtu?, addresses?, routes? } for vlans of bond bond0 but received 5');
    expect(() => normalizeSpec({ name: 'bond0', vlans: [5] } as unknown as BondSpec)).toThrow('Expected a { id, name?, protocol?, up?, mtu?, addresses?, routes? } object for vlans');
    expect(() => normalizeSpec({ name: 'bond0', routes: 5 } as unknown as BondSpec)).toThrow('Expected an array of { destination, gateway?, metric? } for routes');
    expect(() => normalizeSpec({ name: 'bond0', routes: [5] } as unknown as BondSpec)).toThrow('Expected a { destination, gateway?, metric? } object for routes');
  });
});
