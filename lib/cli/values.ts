// Command-line words to typed option values: `miimon=100`, `xmit_hash_policy=layer3+4`,
// `arp_ip_target=10.0.0.1,10.0.0.2`, `all_slaves_active=on`. Keys may be netbond's camelCase
// names, the kernel's sysfs names or ip's keywords.
import { ValidationError } from '../errors.js';
import { OPTION_SPECS, type BondOptions, type OptionSpec } from '../option-table.js';

const byName = new Map<string, OptionSpec>();
for (const spec of OPTION_SPECS) {
  byName.set(spec.key.toLowerCase(), spec);
  if (spec.sysfs) byName.set(spec.sysfs, spec);
  byName.set(spec.ip, spec);
}
// sysfs has two names for the peer notification count.
byName.set('num_unsol_na', OPTION_SPECS.find((s) => s.key === 'numGratArp') as OptionSpec);

export function optionSpecFor(name: string): OptionSpec | undefined {
  return byName.get(name.toLowerCase()) ?? byName.get(name.replace(/-/gu, '_').toLowerCase());
}

function convert(spec: OptionSpec, raw: string): unknown {
  switch (spec.value.kind) {
    case 'int':
      return /^-?\d+$/u.test(raw) ? Number(raw) : raw;
    case 'enum':
      return /^\d+$/u.test(raw) ? Number(raw) : raw;
    case 'bool':
      if (['1', 'on', 'true', 'yes'].includes(raw)) return true;
      if (['0', 'off', 'false', 'no'].includes(raw)) return false;
      return raw;
    case 'ipv4-list':
    case 'ipv6-list':
      return raw === '' ? [] : raw.split(',').map((s) => s.trim().replace(/^\+/u, ''));
    default:
      return raw;
  }
}

/** Parses `key=value` words into BondOptions; validation of the values happens in the API. */
export function parseOptionWords(words: readonly string[]): BondOptions {
  const options: Record<string, unknown> = {};
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq <= 0) throw new ValidationError({ option: word, value: word, allowed: 'key=value, such as miimon=100' });
    const name = word.slice(0, eq);
    const spec = optionSpecFor(name);
    if (!spec) {
      throw new ValidationError({ option: name, value: word, allowed: OPTION_SPECS.map((s) => s.sysfs ?? s.ip).join(', '), message: `Unknown bond option '${name}'` });
    }
    options[spec.key] = convert(spec, word.slice(eq + 1));
  }
  return options as BondOptions;
}
