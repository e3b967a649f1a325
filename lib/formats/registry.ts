// The config formats, one entry each: the table importConfigs, exportConfig and detectFormat
// read. A format is its folder (lib/formats/<name>/, whose index.ts exports its FormatDef) and its
// entry here; its name is in ConfigFormat (shared/types.ts). The compiler refuses a name without
// an entry, an export format without a writer and a format missing from the detection order.
import { ifcfgFormat } from './ifcfg/index.js';
import { interfacesFormat } from './interfaces/index.js';
import { modprobeFormat } from './modprobe/index.js';
import { netplanFormat } from './netplan/index.js';
import { networkdFormat } from './networkd/index.js';
import { nmFormat } from './nm/index.js';
import { rcLocalFormat } from './rc-local/index.js';
import type { ConfigFormat, ExportFormat, FormatDef } from './shared/types.js';

type Entry<F extends ConfigFormat> = F extends ExportFormat ? FormatDef & { write: NonNullable<FormatDef['write']> } : FormatDef & { write?: undefined };

/** Every format, in the order error messages list them. */
export const FORMATS: { readonly [F in ConfigFormat]: Entry<F> } = {
  ifcfg: ifcfgFormat,
  modprobe: modprobeFormat,
  'rc-local': rcLocalFormat,
  interfaces: interfacesFormat,
  netplan: netplanFormat,
  networkd: networkdFormat,
  nm: nmFormat,
};

/**
 * The order detection asks the formats in, surest first: a section header ([connection],
 * [NetDev], network:, an iface stanza) says more than a KEY=value, alias or command line, which
 * other formats' files can hold too; a file ending (.yaml) says more than a name (ifcfg-x.yaml).
 */
const DETECTION_ORDER = ['nm', 'networkd', 'netplan', 'interfaces', 'ifcfg', 'modprobe', 'rc-local'] as const satisfies readonly ConfigFormat[];
// A format left out of the order would never be detected: this line does not compile then.
const everyFormatDetected: [Exclude<ConfigFormat, (typeof DETECTION_ORDER)[number]>] extends [never] ? true : never = true;
void everyFormatDetected;

/** Which format a file is in: by its file name, then by its folder, then by a line of its text. */
export function detectFormat(file: { path: string; text: string }): ConfigFormat | undefined {
  for (const format of DETECTION_ORDER) if (FORMATS[format].names.some((pattern) => pattern.test(file.path))) return format;
  for (const format of DETECTION_ORDER) if (FORMATS[format].folders?.some((pattern) => pattern.test(file.path))) return format;
  for (const format of DETECTION_ORDER) if (FORMATS[format].text.test(file.text)) return format;
  return undefined;
}
