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
// - Merging rules (later file wins, format defaults, module parameters, default mode):
//   shared/merge.ts. Which formats there are, how a file's format is told: registry.ts.
import { ValidationError } from '../errors.js';
import type { BondSpec } from '../plan/types.js';
import { FactSink } from './shared/facts.js';
import { mergeFacts } from './shared/merge.js';
import { detectFormat, FORMATS } from './registry.js';
import type { ConfigFile, ConfigFormat, ExportFormat, ImportResult } from './shared/types.js';

export type { ConfigFile, ConfigFormat, ExportFormat, ImportResult } from './shared/types.js';
export { detectFormat } from './registry.js';

/** The formats with a writer, in the registry's order. */
const WRITERS = Object.fromEntries(Object.entries(FORMATS).flatMap(([format, def]) => (def.write === undefined ? [] : [[format, def.write]]))) as Readonly<Record<ExportFormat, (spec: BondSpec) => ConfigFile[]>>;

/** Reads every file and merges what they say about each bond into one spec per bond. */
export function importConfigs(files: ConfigFile[]): ImportResult {
  const sink = new FactSink();
  for (const file of files) {
    // Own keys only: a format named 'constructor' or 'toString' must not reach Object.prototype.
    if (file.format !== undefined && !Object.hasOwn(FORMATS, file.format)) {
      throw new ValidationError({ option: 'format', value: file.format, allowed: `one of ${Object.keys(FORMATS).join(', ')}` });
    }
    const format = file.format ?? detectFormat(file);
    const out = sink.forFile(file.path);
    if (format === undefined) out.warn(undefined, undefined, 'the format is not recognised (give it explicitly); not imported');
    else FORMATS[format].parse(file, out);
  }
  return mergeFacts(sink);
}

/** The files that configure `spec` in `format`, at their conventional paths. */
export function exportConfig(format: Exclude<ConfigFormat, 'modprobe' | 'rc-local'>, spec: BondSpec): ConfigFile[] {
  const writer = Object.hasOwn(WRITERS, format) ? WRITERS[format] : undefined;
  if (writer === undefined) throw new ValidationError({ option: 'format', value: format, allowed: `one of ${Object.keys(WRITERS).join(', ')}` });
  return writer(spec);
}
