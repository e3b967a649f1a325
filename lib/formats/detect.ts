// Which format a file is in: first by its name (the conventional paths and suffixes), then by
// what its text looks like, for files saved under other names.
import type { ConfigFormat } from './types.js';

const BY_NAME: readonly [RegExp, ConfigFormat][] = [
  [/\.nmconnection$/u, 'nm'],
  [/\.(netdev|network)$/u, 'networkd'],
  [/\.ya?ml$/u, 'netplan'],
  [/(^|\/)(ifcfg|route6?)-[^/]+$/u, 'ifcfg'],
  [/(^|\/)(modules\.conf|modprobe\.conf|conf\.modules)$/u, 'modprobe'],
  [/(^|\/)modprobe\.d\/[^/]+\.conf$/u, 'modprobe'],
  [/(^|\/)(rc\.local|boot\.local|rc\.sysinit)$/u, 'rc-local'],
  [/(^|\/)interfaces$/u, 'interfaces'],
  [/(^|\/)interfaces\.d\/[^/]+$/u, 'interfaces'],
];

// Each pattern matches within one line ([ \t], never \s, around the words): a pattern that could
// cross newlines backtracks over every blank line at every line start, quadratic in the input.
const BY_TEXT: readonly [RegExp, ConfigFormat][] = [
  [/^[ \t]*\[connection\][ \t]*$/mu, 'nm'],
  [/^[ \t]*\[(NetDev|Match|Bond)\][ \t]*$/mu, 'networkd'],
  [/^network:[ \t]*$/mu, 'netplan'],
  [/^[ \t]*iface[ \t]+\S+[ \t]+inet6?[ \t]+\S/mu, 'interfaces'],
  [/^[ \t]*(DEVICE|BONDING_OPTS|MASTER|IPADDR)=/mu, 'ifcfg'],
  [/^[ \t]*(alias|options)[ \t]+\S+[ \t]+\S/mu, 'modprobe'],
  [/^[ \t]*([^\s/]*\/)*(ifenslave|ifconfig|route|ip)[ \t]/mu, 'rc-local'],
];

export function detectFormat(file: { path: string; text: string }): ConfigFormat | undefined {
  for (const [pattern, format] of BY_NAME) if (pattern.test(file.path)) return format;
  for (const [pattern, format] of BY_TEXT) if (pattern.test(file.text)) return format;
  return undefined;
}
