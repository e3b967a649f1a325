// `netbond checkpoints`, `netbond confirm [ID]` and `netbond rollback [ID]`: the open transactions
// of a namespace (pending --try checkpoints, applies whose process died half way) and what to do
// with them. Without an ID, confirm and rollback take the only open one.
import type { Command } from 'commander';
import type { CallOptions } from '../call/options.js';
import type { CheckpointEntry } from '../declarative/transaction/checkpoints.js';
import type { Io } from './io.js';

const json = (value: unknown) => JSON.stringify(value, null, 2);

function describe(entry: CheckpointEntry): string {
  const when = entry.status === 'pending' ? `rolled back at ${entry.expiresAt}` : `step ${entry.step.done} of ${entry.step.total}`;
  return `${entry.id}\t${entry.status}\t${entry.bonds.join(',')}\t${when}\tpid ${entry.pid} (${entry.command})`;
}

// Loaded when one of these commands runs, not for every netbond command.
const checkpoints = () => import('../declarative/transaction/checkpoints.js');

export function addCheckpointCommands(program: Command, io: Io, call: () => CallOptions, wantJson: () => boolean): void {
  const netnsOf = () => {
    const { netns } = call();
    return netns ? { netns } : {};
  };

  program
    .command('checkpoints')
    .description('list open transactions: pending --try checkpoints, interrupted or failed applies')
    .action(async () => {
      const entries = await (await checkpoints()).listCheckpoints(netnsOf());
      if (wantJson()) return io.out(json(entries));
      if (entries.length === 0) return io.out('no open checkpoints');
      for (const entry of entries) io.out(describe(entry));
    });

  program
    .command('confirm [id]')
    .description('keep the change of a checkpoint (the only open one when ID is left out)')
    .action(async (id?: string) => {
      const entry = await (await checkpoints()).confirmCheckpoint(id, netnsOf());
      io.out(wantJson() ? json(entry) : `confirmed ${entry.id}: ${entry.bonds.join(', ')} kept as they are`);
    });

  program
    .command('rollback [id]')
    .description('restore the state before a checkpoint or an interrupted apply (the only open one when ID is left out)')
    .action(async (id?: string) => {
      const entry = await (await checkpoints()).rollbackCheckpoint(id, netnsOf());
      io.out(wantJson() ? json(entry) : `rolled back ${entry.id}: ${entry.bonds.join(', ')} as before it`);
    });
}
