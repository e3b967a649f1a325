// Command-line words to typed option values: `miimon=100`, `xmit_hash_policy=layer3+4`,
// `arp_ip_target=10.0.0.1,10.0.0.2`, `all_slaves_active=on`. Names and words are read as every
// importer reads them (lib/validate/words.ts); the values are validated by the API.
import { ValidationError } from '../errors.js';
import { BOND_OPTION_DEFS, type BondOptions } from '../option-table.js';
import { optionByAnyName, optionFromText } from '../validate/words.js';

/** Parses `key=value` words into BondOptions; validation of the values happens in the API. */
export function parseOptionWords(words: readonly string[]): BondOptions {
  const options: Record<string, unknown> = {};
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq <= 0) throw new ValidationError({ option: word, value: word, allowed: 'key=value, such as miimon=100' });
    const name = word.slice(0, eq);
    const def = optionByAnyName(name);
    if (!def) {
      throw new ValidationError({ option: name, value: word, allowed: BOND_OPTION_DEFS.map((d) => d.sysfs ?? d.ip).join(', '), message: `Unknown bond option '${name}'` });
    }
    options[def.key] = optionFromText(def, word.slice(eq + 1));
  }
  return options as BondOptions;
}
