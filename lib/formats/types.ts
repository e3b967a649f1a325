// The shapes shared by every config format: a file, the formats, and what an import returns.
import type { BondSpec } from '../declarative/types.js';

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
