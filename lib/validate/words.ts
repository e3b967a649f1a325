// Option names and values as people and config files write them: the kernel's sysfs file names
// (with the num_unsol_na alias), ip's keywords, NetworkManager's names, netbond's own keys in any
// case; booleans as 1/0, yes/no, y/n, on/off, true/false in any case; address lists split on
// commas or spaces. The CLI and every importer read words through here; the values then go
// through the option table's rules like any API input.
import { ValidationError } from '../errors.js';
import { BOND_OPTION_DEFS, type BondOptionDef } from '../option-table.js';

/** Names that sysfs accepts besides the option's own file: num_unsol_na is num_grat_arp's twin. */
const SYSFS_ALIASES: Readonly<Record<string, string>> = { num_unsol_na: 'numGratArp' };

const byKey = new Map(BOND_OPTION_DEFS.map((def) => [def.key as string, def]));
const bySysfs = new Map(BOND_OPTION_DEFS.filter((def) => def.sysfs).map((def) => [def.sysfs as string, def]));
const byIp = new Map(BOND_OPTION_DEFS.map((def) => [def.ip, def]));
const byLowerKey = new Map(BOND_OPTION_DEFS.map((def) => [def.key.toLowerCase(), def]));

/** The option behind a sysfs file name (BONDING_OPTS, modprobe options, bond-* keys). */
export function optionBySysfs(name: string): BondOptionDef | undefined {
  const alias = SYSFS_ALIASES[name];
  return alias === undefined ? bySysfs.get(name) : byKey.get(alias);
}

/** The option behind an `ip link ... type bond` keyword. */
export function optionByIpKeyword(name: string): BondOptionDef | undefined {
  return byIp.get(name);
}

/**
 * The option behind a NetworkManager bond.options name: the sysfs names, plus ns_ip6_target,
 * which NetworkManager sets over netlink (libnm NMSettingBond).
 */
export function optionByNmName(name: string): BondOptionDef | undefined {
  return optionBySysfs(name) ?? (name === 'ns_ip6_target' ? byIp.get(name) : undefined);
}

/** Any of the names a person types: netbond's key in any case, a sysfs name, an ip keyword, '-' for '_'. */
export function optionByAnyName(name: string): BondOptionDef | undefined {
  const lower = name.toLowerCase();
  const underscored = lower.replace(/-/gu, '_');
  return byLowerKey.get(lower) ?? optionBySysfs(lower) ?? byIp.get(lower) ?? optionBySysfs(underscored) ?? byIp.get(underscored);
}

const TRUE_WORDS = new Set(['1', 'yes', 'y', 'true', 'on']);
const FALSE_WORDS = new Set(['0', 'no', 'n', 'false', 'off']);

/** A boolean as shell-style configs and command lines write it, or undefined when the word is not one. */
export function parseBoolWord(text: string): boolean | undefined {
  const word = text.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return undefined;
}

/** Splits an address list written with commas or spaces; sysfs's "+addr" form is accepted. */
function parseList(option: string, text: string): string[] {
  const items = text.split(/[\s,]+/u).filter((item) => item !== '');
  return items.map((item) => {
    if (item.startsWith('-')) {
      throw new ValidationError({ option, value: text, allowed: 'addresses to set', message: `'${item}' removes a target; a config can only list the targets to set` });
    }
    return item.replace(/^\+/u, '');
  });
}

/**
 * Text to the JS value the option table validates: numbers for enums given as numbers and for
 * integers, booleans from their words, lists split. Anything else is returned as it is, for the
 * option's rule to refuse with its own message.
 */
export function optionFromText(def: BondOptionDef, text: string): unknown {
  const trimmed = text.trim();
  switch (def.value.kind) {
    case 'enum':
      return /^\d+$/u.test(trimmed) ? Number(trimmed) : trimmed;
    case 'int':
      return /^[+-]?\d+$/u.test(trimmed) ? Number(trimmed) : trimmed;
    case 'bool':
      return parseBoolWord(trimmed) ?? trimmed;
    case 'ipv4-list':
    case 'ipv6-list':
      return parseList(def.key, trimmed);
    case 'mac':
    case 'ifname':
      return trimmed;
  }
}
