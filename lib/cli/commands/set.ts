// `netbond set BOND key=value...`: changes bond options; prints the bond's state.
import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { guardChange } from '../interrupt.js';

export function setCommand(program: Command, cli: Cli): void {
  program
    .command('set <bond> <options...>')
    .description('change options: key=value ...')
    .action(async (bond: string, words: string[]) => {
      const options = (await import('../values.js')).parseOptionWords(words);
      const { setBondOptions } = await import('../../verbs/set-options.js');
      cli.showState(await guardChange(() => setBondOptions(bond, options, cli.call())));
    });
}
