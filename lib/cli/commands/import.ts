// `netbond import FORMAT FILE...`: persistent configs read into the spec `apply` takes (one spec,
// or several as `bonds:`), as YAML or with --json as JSON; what the importers skipped as warnings.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { ConfigFormat } from '../../formats/index.js';
import type { Cli } from '../context.js';
import { jsonText } from '../json.js';

export function importCommand(program: Command, cli: Cli): void {
  program
    .command('import <format> <files...>')
    .description("read persistent configs into specs (format: ifcfg, modprobe, rc-local, interfaces, netplan, networkd, nm, or auto)")
    .action(async (format: string, files: string[]) => {
      const { importConfigs } = await import('../../formats/index.js');
      const loaded = await Promise.all(files.map(async (path) => ({ path, text: await readFile(path, 'utf8'), ...(format === 'auto' ? {} : { format: format as ConfigFormat }) })));
      const result = importConfigs(loaded);
      for (const warning of result.warnings) cli.io.err(`warning: ${warning}`);
      // What `apply` reads: one spec, or several as one transaction.
      const applicable = result.specs.length === 1 ? result.specs[0] : { bonds: result.specs };
      cli.io.out(cli.json() ? jsonText(applicable) : (await import('../yaml-text.js')).toYamlText(applicable));
    });
}
