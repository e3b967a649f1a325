// `netbond list`: one line per bond (name, mode, up or down, slaves); --json: every bond's state.
import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { jsonText } from '../json.js';

export function listCommand(program: Command, cli: Cli): void {
  program
    .command('list')
    .description('list bonds')
    .action(async () => {
      const { listBonds } = await import('../../verbs/read.js');
      const bonds = await listBonds(cli.call());
      if (cli.json()) cli.io.out(jsonText(bonds));
      else for (const b of bonds) cli.io.out(`${b.name}\t${b.mode}\t${b.up ? 'up' : 'down'}\tslaves: ${b.slaves.map((s) => s.name).join(' ') || '-'}`);
    });
}
