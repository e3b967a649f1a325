// `netbond checkpoints`: the open transactions of a namespace (pending --try checkpoints, applies
// whose process died half way), one line each, for `netbond confirm` and `netbond rollback`.
import type { Command } from 'commander';
import type { CheckpointEntry } from '../../declarative/transaction/checkpoints.js';
import type { Cli } from '../context.js';
import { jsonText } from '../json.js';

function describe(entry: CheckpointEntry): string {
  const when = entry.status === 'pending' ? `rolled back at ${entry.expiresAt}` : `step ${entry.step.done} of ${entry.step.total}`;
  return `${entry.id}\t${entry.status}\t${entry.bonds.join(',')}\t${when}\tpid ${entry.pid} (${entry.command})`;
}

export function checkpointsCommand(program: Command, cli: Cli): void {
  program
    .command('checkpoints')
    .description('list open transactions: pending --try checkpoints, interrupted or failed applies')
    .action(async () => {
      const { listCheckpoints } = await import('../../declarative/transaction/checkpoints.js');
      const entries = await listCheckpoints(cli.netns());
      if (cli.json()) return cli.io.out(jsonText(entries));
      if (entries.length === 0) return cli.io.out('no open checkpoints');
      for (const entry of entries) cli.io.out(describe(entry));
    });
}
