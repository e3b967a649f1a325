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

const BY_TEXT: readonly [RegExp, ConfigFormat][] = [
  [/^\s*\[connection\]\s*$/mu, 'nm'],
  [/^\s*\[(NetDev|Match|Bond)\]\s*$/mu, 'networkd'],
  [/^network:\s*$/mu, 'netplan'],
  [/^\s*iface\s+\S+\s+inet6?\s+\S+/mu, 'interfaces'],
  [/^\s*(DEVICE|BONDING_OPTS|MASTER|IPADDR)=/mu, 'ifcfg'],
  [/^\s*(alias|options)\s+\S+\s+\S+/mu, 'modprobe'],
  [/^\s*(\S*\/)?(ifenslave|ifconfig|route|ip)\s/mu, 'rc-local'],
];

export function detectFormat(file: { path: string; text: string }): ConfigFormat | undefined {
  for (const [pattern, format] of BY_NAME) if (pattern.test(file.path)) return format;
  for (const [pattern, format] of BY_TEXT) if (pattern.test(file.text)) return format;
  return undefined;
}
