// `netbond watch [BOND...]`: bond events as they happen, one line each (--json: JSON lines), until
// SIGINT or SIGTERM.
import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { jsonLine } from '../json.js';

export function watchCommand(program: Command, cli: Cli): void {
  program
    .command('watch [bonds...]')
    .description('print bond events as they happen, one per line (--json: JSON lines)')
    .option('--poll <ms>', 'state poll interval for what the kernel does not notify', '1000')
    .action(async (bonds: string[], o: { poll: string }) => {
      const { watchBonds } = await import('../../watch/watcher.js');
      const watcher = watchBonds({ ...cli.netns(), ...(bonds.length > 0 ? { bonds } : {}), pollInterval: Number(o.poll) });
      const stop = () => watcher.close();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      for await (const event of watcher) {
        if (cli.json()) {
          cli.io.out(jsonLine(event));
          continue;
        }
        const { state: _state, timestamp: _t, type, ...rest } = event as unknown as Record<string, unknown>;
        const bond = 'bond' in rest ? String(rest.bond) : '*';
        delete rest.bond;
        delete rest.bonds;
        cli.io.out(`${new Date().toISOString()} ${bond} ${String(type)} ${JSON.stringify(rest)}`);
      }
    });
}
