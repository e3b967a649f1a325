// `netbond confirm [ID]`: keeps the change of a checkpoint (the only open one when ID is left out).
import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { jsonText } from '../json.js';

export function confirmCommand(program: Command, cli: Cli): void {
  program
    .command('confirm [id]')
    .description('keep the change of a checkpoint (the only open one when ID is left out)')
    .action(async (id?: string) => {
      const { confirmCheckpoint } = await import('../../declarative/transaction/checkpoints.js');
      const entry = await confirmCheckpoint(id, cli.netns());
      cli.io.out(cli.json() ? jsonText(entry) : `confirmed ${entry.id}: ${entry.bonds.join(', ')} kept as they are`);
    });
}
