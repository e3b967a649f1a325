// `netbond export FORMAT [BOND]`: a live bond (or --spec FILE) written as persistent config files,
// or as the spec `apply` reads (FORMAT spec).
import type { Command } from 'commander';
import { ValidationError } from '../../errors.js';
import type { BondSpec } from '../../plan/types.js';
import type { Cli } from '../context.js';
import { jsonText } from '../json.js';

export function exportCommand(program: Command, cli: Cli): void {
  program
    .command('export <format> [bond]')
    .description('write a live bond (or --spec FILE) as persistent config: ifcfg, interfaces, netplan, networkd, nm; or as a spec: spec')
    .option('--spec <file>', 'export this spec instead of a live bond')
    .action(async (format: string, bond: string | undefined, o: { spec?: string }) => {
      let spec: BondSpec;
      if (o.spec) spec = await (await import('../spec-file.js')).readOneSpec(o.spec);
      else if (bond) spec = await (await import('../spec-from-live.js')).specFromLive(bond, cli.call());
      else throw new ValidationError({ option: 'bond', value: bond, allowed: 'a bond name or --spec FILE' });
      // The spec itself, as `apply` reads it: what a program diffs against the spec it wants.
      if (format === 'spec') return cli.io.out(cli.json() ? jsonText(spec) : (await import('../yaml-text.js')).toYamlText(spec));
      const { exportConfig } = await import('../../formats/index.js');
      const files = exportConfig(format as Parameters<typeof exportConfig>[0], spec);
      if (cli.json()) return cli.io.out(jsonText(files));
      for (const file of files) cli.io.out(`# ${file.path}\n${file.text.trimEnd()}\n`);
    });
}
