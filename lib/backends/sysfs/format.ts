// Option values in sysfs text, both ways. sysfs enum files print "name number", booleans print
// 0/1 (lacp_active prints "on 1"), lists are space separated, delays are in ms.
import type { BondOptionDef } from '../../option-table.js';
import type { NormalizedValue } from '../../validate/values.js';

/** The value as sysfs reports it, in normalized terms; undefined when the file is empty. */
export function parseSysfsValue(def: BondOptionDef, text: string): NormalizedValue | null | undefined {
  const trimmed = text.trim();
  const tokens = trimmed.split(/\s+/u).filter(Boolean);
  const v = def.value;
  switch (v.kind) {
    case 'enum': {
      if (tokens.length === 0) return undefined;
      const byNumber = Number(tokens[tokens.length - 1]);
      return Number.isInteger(byNumber) ? byNumber : v.names.indexOf(tokens[0] as string);
    }
    case 'int':
      return trimmed === '' ? undefined : Number(trimmed);
    case 'bool':
      return tokens.length === 0 ? undefined : Number(tokens[tokens.length - 1]) !== 0;
    case 'ipv4-list':
    case 'ipv6-list':
      return tokens;
    case 'mac':
      return trimmed === '' ? undefined : trimmed.toLowerCase();
    case 'ifname':
      return trimmed === '' ? null : trimmed;
  }
}

/** The text to write for a value (lists are written element by element, see arpTargetWrites). */
export function sysfsText(def: BondOptionDef, value: NormalizedValue | null): string {
  const v = def.value;
  switch (v.kind) {
    case 'enum':
      return v.names[value as number] ?? String(value);
    case 'bool':
      return value ? '1' : '0';
    case 'ifname':
      // An empty line clears primary / active_slave.
      return value === null ? '\n' : String(value);
    default:
      return String(value);
  }
}

/** sysfs ARP targets are incremental: remove the ones not wanted, then add the new ones. */
export function arpTargetWrites(before: readonly string[], after: readonly string[]): string[] {
  return [...before.filter((ip) => !after.includes(ip)).map((ip) => `-${ip}`), ...after.filter((ip) => !before.includes(ip)).map((ip) => `+${ip}`)];
}
