// `netbond active BOND SLAVE|none`: picks the active slave, or lets the kernel choose; prints the state.
import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { guardChange } from '../interrupt.js';

export function activeCommand(program: Command, cli: Cli): void {
  program
    .command('active <bond> <slave>')
    .description("make a slave the active one ('none' lets the kernel choose)")
    .action(async (bond: string, slave: string) => {
      const { setActiveSlave } = await import('../../verbs/active-slave.js');
      cli.showState(await guardChange(() => setActiveSlave(bond, slave === 'none' ? null : slave, cli.call())));
    });
}
