// `netbond enslave BOND SLAVE...`: adds slaves to a bond; prints its state.
import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { guardChange } from '../interrupt.js';

export function enslaveCommand(program: Command, cli: Cli): void {
  program
    .command('enslave <bond> <slaves...>')
    .description('enslave interfaces (each is taken down first)')
    .action(async (bond: string, slaves: string[]) => {
      const { enslave } = await import('../../verbs/enslave.js');
      cli.showState(await guardChange(() => enslave(bond, slaves, cli.call())));
    });
}
