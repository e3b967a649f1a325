// The shapes shared by every config format: a file, the formats, a format's entry in the registry
// (registry.ts), and what an import returns.
import type { BondSpec } from '../../plan/types.js';
import type { FileFacts } from './facts.js';

/**
 * Persistent network configurations that describe bonds:
 * - `ifcfg`: RHEL/CentOS network-scripts (ifcfg-*, route-*, route6-*)
 * - `modprobe`: modules.conf / modprobe.conf / modprobe.d (`alias bond0 bonding`, `options ...`)
 * - `rc-local`: boot scripts with ifenslave, route, ip and ifconfig lines (import only)
 * - `interfaces`: Debian ifupdown /etc/network/interfaces with bond-* keys
 * - `netplan`: Ubuntu netplan YAML
 * - `networkd`: systemd-networkd .netdev and .network files
 * - `nm`: NetworkManager keyfiles (.nmconnection)
 */
export type ConfigFormat = 'ifcfg' | 'modprobe' | 'rc-local' | 'interfaces' | 'netplan' | 'networkd' | 'nm';

/** The formats a spec can be written in; modprobe and rc.local lines are only read. */
export type ExportFormat = Exclude<ConfigFormat, 'modprobe' | 'rc-local'>;

export interface ConfigFile {
  /** Where the file lives (or would): its name tells the format and, for ifcfg, the device. */
  path: string;
  text: string;
  /** Detected from the path and the text when absent. */
  format?: ConfigFormat;
}

export interface ImportResult {
  /** One spec per bond, merged from every file that says something about it. */
  specs: BondSpec[];
  /** What was not imported and why, each naming the file, the line and the key. */
  warnings: string[];
}

/**
 * What the registry (registry.ts) knows of a format: how a file in it is told (used only when an
 * import does not name the format), read and, for an export format, written.
 */
export interface FormatDef {
  /** Paths by their file name, ending or whole (`.nmconnection`, `ifcfg-<dev>`, `rc.local`). */
  names: readonly RegExp[];
  /** Paths by the folder they are in (`modprobe.d/*.conf`): tried after every format's names. */
  folders?: readonly RegExp[];
  /**
   * A line only this format's files have, for files saved under other names. It matches within
   * one line ([ \t], never \s, around the words): a pattern that could cross newlines backtracks
   * over every blank line at every line start, quadratic in the input.
   */
  text: RegExp;
  /** Records what the file says about bonds in `out`; a format never throws on a file's content. */
  parse(file: { path: string; text: string }, out: FileFacts): void;
  /** The files that configure `spec`, at their conventional paths. Absent: import only. */
  write?(spec: BondSpec): ConfigFile[];
}
