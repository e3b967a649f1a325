// `netbond delete BOND`: removes a bond; prints nothing.
import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { guardChange } from '../interrupt.js';

export function deleteCommand(program: Command, cli: Cli): void {
  program
    .command('delete <bond>')
    .description('delete a bond')
    .action(async (bond: string) => {
      const { deleteBond } = await import('../../verbs/delete.js');
      await guardChange(() => deleteBond(bond, cli.call()));
    });
}
