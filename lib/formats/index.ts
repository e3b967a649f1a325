// Converters between persistent network configurations and BondSpec. Pure: text in, text out,
// no file system and no kernel. Import reads every file, detects its format when not given, and
// merges what the files say about each bond into one spec (a bond is spread over ifcfg-bond0,
// the slaves' ifcfg files, modprobe.conf and rc.local). Export writes the files of one format.
//
// Choices a reader should know:
// - Nothing is dropped silently. An unknown key, a value the option table refuses or a line
//   that does not configure a bond becomes a warning naming the file, the line and the key; the
//   rest is still imported. Keys that only identify a profile (NAME, UUID, id, timestamp, ...)
//   are skipped quietly and listed in each format's file.
// - Values are validated through the option table against kernel [99, 0], so a file is never
//   refused for using an option newer than the running kernel. Enum numbers become names.
// - Export does not fail on what a format cannot express: each file lists it in a comment at
//   its top ("netbond: <format> cannot express the following ..."), so the file is still
//   usable and its reader sees what was left out. Invalid specs throw ValidationError.
// - Merging rules (later file wins, format defaults, module parameters, default mode): merge.ts.
import { ValidationError } from '../errors.js';
import type { BondSpec } from '../declarative/types.js';
import { detectFormat } from './detect.js';
import { FactSink, type FileFacts } from './facts.js';
import { exportIfcfg, parseIfcfg } from './ifcfg.js';
import { exportInterfaces, parseInterfaces } from './interfaces.js';
import { mergeFacts } from './merge.js';
import { parseModprobe } from './modprobe.js';
import { exportNetplan, parseNetplan } from './netplan.js';
import { exportNetworkd, parseNetworkd } from './networkd.js';
import { exportNm, parseNm } from './nm.js';
import { parseRcLocal } from './rc-local.js';
import type { ConfigFile, ConfigFormat, ExportFormat, ImportResult } from './types.js';

export type { ConfigFile, ConfigFormat, ExportFormat, ImportResult } from './types.js';
export { detectFormat } from './detect.js';

type Parser = (file: { path: string; text: string }, out: FileFacts) => void;

const PARSERS: Readonly<Record<ConfigFormat, Parser>> = {
  ifcfg: parseIfcfg,
  modprobe: parseModprobe,
  'rc-local': parseRcLocal,
  interfaces: parseInterfaces,
  netplan: parseNetplan,
  networkd: parseNetworkd,
  nm: parseNm,
};

const WRITERS: Readonly<Record<ExportFormat, (spec: BondSpec) => ConfigFile[]>> = {
  ifcfg: exportIfcfg,
  interfaces: exportInterfaces,
  netplan: exportNetplan,
  networkd: exportNetworkd,
  nm: exportNm,
};

/** Reads every file and merges what they say about each bond into one spec per bond. */
export function importConfigs(files: ConfigFile[]): ImportResult {
  const sink = new FactSink();
  for (const file of files) {
    // Own keys only: a format named 'constructor' or 'toString' must not reach Object.prototype.
    if (file.format !== undefined && !Object.hasOwn(PARSERS, file.format)) {
      throw new ValidationError({ option: 'format', value: file.format, allowed: `one of ${Object.keys(PARSERS).join(', ')}` });
    }
    const format = file.format ?? detectFormat(file);
    const out = sink.forFile(file.path);
    if (format === undefined) out.warn(undefined, undefined, 'the format is not recognised (give it explicitly); not imported');
    else PARSERS[format](file, out);
  }
  return mergeFacts(sink);
}

/** The files that configure `spec` in `format`, at their conventional paths. */
export function exportConfig(format: Exclude<ConfigFormat, 'modprobe' | 'rc-local'>, spec: BondSpec): ConfigFile[] {
  const writer = Object.hasOwn(WRITERS, format) ? WRITERS[format] : undefined;
  if (writer === undefined) throw new ValidationError({ option: 'format', value: format, allowed: `one of ${Object.keys(WRITERS).join(', ')}` });
  return writer(spec);
}
