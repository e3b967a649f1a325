// `netbond show [BOND]`: one bond, or every bond, as /proc/net/bonding lays it out; --json: getBond's data.
import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { formatBond } from '../format-bond.js';
import { jsonText } from '../json.js';

export function showCommand(program: Command, cli: Cli): void {
  program
    .command('show [bond]')
    .description('show one bond, or all, like /proc/net/bonding (--json: the same data as getBond)')
    .action(async (bond?: string) => {
      const { getBond, listBonds } = await import('../../verbs/read.js');
      if (bond) return cli.showState(await getBond(bond, cli.call()));
      const bonds = await listBonds(cli.call());
      cli.io.out(cli.json() ? jsonText(bonds) : bonds.map(formatBond).join('\n\n'));
    });
}
