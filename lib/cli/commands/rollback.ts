// `netbond rollback [ID]`: restores the state before a checkpoint or an interrupted apply (the only
// open one when ID is left out).
import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { jsonText } from '../json.js';

export function rollbackCommand(program: Command, cli: Cli): void {
  program
    .command('rollback [id]')
    .description('restore the state before a checkpoint or an interrupted apply (the only open one when ID is left out)')
    .action(async (id?: string) => {
      const { rollbackCheckpoint } = await import('../../declarative/transaction/checkpoints.js');
      const entry = await rollbackCheckpoint(id, cli.netns());
      cli.io.out(cli.json() ? jsonText(entry) : `rolled back ${entry.id}: ${entry.bonds.join(', ')} as before it`);
    });
}
