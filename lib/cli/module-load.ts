// What the CLI says on stderr when a command loaded the bonding module and the load made bonds of
// its own (the module's max_bonds): the ones nobody asked for stay, so the operator is told which
// and how to be rid of them; one the command asked for was configured as asked.
import type { ModuleLoadReport } from '../bond/module-load.js';
import type { Io } from './io.js';

export function moduleLoadLines(report: ModuleLoadReport | undefined): string[] {
  if (!report) return [];
  const made = `loading the bonding module made ${report.maxBonds} bond${report.maxBonds === 1 ? '' : 's'} (the module's max_bonds=${report.maxBonds})`;
  const lines = report.adoptedBonds.map((bond) => `note: ${bond} was made by the bonding module's load, with its defaults; configured as asked`);
  if (report.unrequestedBonds.length > 0) {
    const names = report.unrequestedBonds.join(', ');
    lines.push(
      `warning: ${made}; ${names} ${report.unrequestedBonds.length === 1 ? 'was' : 'were'} not asked for and stay: ` +
        `\`netbond delete ${report.unrequestedBonds[0]}\` removes one, \`options bonding max_bonds=0\` in /etc/modprobe.d/ stops the module making them`,
    );
  }
  return lines;
}

export function printModuleLoad(io: Io, report: ModuleLoadReport | undefined): void {
  for (const line of moduleLoadLines(report)) io.err(line);
}
