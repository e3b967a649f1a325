// `netbond create BOND [key=value...]`: a new bond (-m mode, -s slaves, --up); prints its state.
import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { guardChange } from '../interrupt.js';

export function createCommand(program: Command, cli: Cli): void {
  program
    .command('create <bond>')
    .description('create a bond; options as key=value (miimon=100 xmit_hash_policy=layer3+4)')
    .option('-m, --mode <mode>', 'bonding mode (name or 0-6)')
    .option('-s, --slave <slave...>', 'interfaces to enslave')
    .option('--up', 'bring the bond up')
    .argument('[options...]', 'bond options as key=value')
    .action(async (bond: string, words: string[], o: { mode?: string; slave?: string[]; up?: boolean }) => {
      const options = (await import('../values.js')).parseOptionWords([...(o.mode ? [`mode=${o.mode}`] : []), ...words]);
      const [{ createBond }, { printModuleLoad }] = await Promise.all([import('../../verbs/create.js'), import('../module-load.js')]);
      const state = await guardChange(() => createBond(bond, { ...options, ...(o.slave ? { slaves: o.slave } : {}), ...(o.up ? { up: true } : {}), ...cli.call() }));
      printModuleLoad(cli.io, state.moduleLoad);
      cli.showState(state);
    });
}
