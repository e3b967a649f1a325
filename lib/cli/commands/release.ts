// `netbond release BOND SLAVE...`: takes slaves out of a bond; prints its state.
import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { guardChange } from '../interrupt.js';

export function releaseCommand(program: Command, cli: Cli): void {
  program
    .command('release <bond> <slaves...>')
    .description('release slaves')
    .action(async (bond: string, slaves: string[]) => {
      const { release } = await import('../../verbs/enslave.js');
      cli.showState(await guardChange(() => release(bond, slaves, cli.call())));
    });
}
