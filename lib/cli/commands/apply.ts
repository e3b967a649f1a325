// `netbond apply FILE`: make bonds look like a spec file (one BondSpec, or `bonds: [...]` as one
// transaction; `-` reads it from standard input). --dry-run prints the plan; --try keeps the state
// before as a checkpoint and waits for a confirmation (lib/cli/try-wait.ts); --confirm-timeout
// keeps it and exits at once, for a program that confirms later (`netbond confirm ID`, the Ansible
// bond_confirm module); --probe adds connectivity checks.
import { Option, type Command } from 'commander';
import { ValidationError } from '../../errors.js';
import type { ApplyOptions } from '../../declarative/apply.js';
import type { ApplyBondsResult } from '../../declarative/results.js';
import type { ProbeReport } from '../../probe/types.js';
import type { Cli } from '../context.js';
import { guardChange } from '../interrupt.js';
import type { Io } from '../io.js';
import { jsonText } from '../json.js';

interface ApplyFlags {
  dryRun?: boolean;
  verbose?: boolean;
  try?: string | boolean;
  confirmTimeout?: string;
  probe?: string[];
  defaultProbes: boolean;
}

const DEFAULT_TRY_SECONDS = 120;

function checkpointSeconds(option: string, flag: string | boolean): number {
  if (flag === true) return DEFAULT_TRY_SECONDS;
  const seconds = Number(flag);
  if (!/^\d+$/u.test(String(flag)) || seconds < 1 || seconds > 86_400) throw new ValidationError({ option, value: flag, allowed: 'whole seconds from 1 to 86400' });
  return seconds;
}

function probeLine(report: ProbeReport): string {
  if (report.dropped) return `warning: probe ${report.name} fails before the change (${report.before.seen}); left out`;
  const after = report.after;
  return `probe ${report.name}: ${after?.ok ? `ok (${after.seen}, ${after.rttMs?.toFixed(1)} ms)` : `failed (${after?.seen})`}`;
}

function printPlan(io: Io, result: ApplyBondsResult): void {
  for (const bond of result.bonds) {
    if (bond.steps.length === 0) io.out(`${bond.bond}: nothing to do`);
    else bond.steps.forEach((s, i) => io.out(`${result.bonds.length > 1 ? `${bond.bond} ` : ''}${i + 1}. ${s.description}  # ${s.reason}`));
  }
}

function printApplied(io: Io, result: ApplyBondsResult): void {
  for (const bond of result.bonds) {
    io.out(bond.steps.length === 0 ? `${bond.bond}: already as specified` : bond.steps.map((s) => `done: ${s.description}`).join('\n'));
    if (bond.health) io.out(`health${result.bonds.length > 1 ? ` of ${bond.bond}` : ''}: ${bond.health.healthy ? 'ok' : bond.health.problems.join('; ')}`);
  }
  for (const report of result.probes ?? []) (report.dropped ? io.err : io.out)(probeLine(report));
}

export function applyCommand(program: Command, cli: Cli): void {
  const { io } = cli;
  program
    .command('apply <file>')
    .description('make bonds look like a YAML or JSON spec (one BondSpec, or bonds: [...] as one transaction)')
    .option('--dry-run', 'print the plan, change nothing')
    .option('-v, --verbose', 'print each step to stderr as it starts')
    .option('--try [seconds]', `apply, then roll back after SECONDS (default ${DEFAULT_TRY_SECONDS}) unless confirmed with Enter or \`netbond confirm\``)
    .addOption(new Option('--confirm-timeout <seconds>', 'apply, keep the state before as a checkpoint and exit; rolled back after SECONDS unless `netbond confirm ID` comes first').conflicts('try'))
    .option('--probe <probe>', 'check connectivity before and after; roll back if it breaks (gateway, gateway6, ping:ADDR, arp:ADDR[@DEV], tcp:HOST:PORT); repeatable', (word: string, all: string[] | undefined) => [...(all ?? []), word])
    .addOption(new Option('--no-default-probes', 'with --try, do not add the gateway probe of a default route through the bond'))
    .action(async (file: string, o: ApplyFlags) => {
      // The engine, the YAML parser and the probes load when apply runs, not for every command.
      const [{ applyBonds }, { parseProbeWord }, { readSpecFile }, { waitForConfirmation }, { printModuleLoad }] = await Promise.all([
        import('../../declarative/apply.js'),
        import('../../probe/validate.js'),
        import('../spec-file.js'),
        import('../try-wait.js'),
        import('../module-load.js'),
      ]);
      const { specs } = await readSpecFile(file);
      const probes = (o.probe ?? []).map(parseProbeWord);
      const base: ApplyOptions = cli.netns();
      if (o.dryRun) {
        const plan = await applyBonds(specs, { ...base, dryRun: true });
        if (!cli.json()) return printPlan(io, plan);
        const [only] = plan.bonds;
        return io.out(jsonText(specs.length === 1 && only ? { bond: only.bond, steps: only.steps } : plan));
      }
      const waits = o.try !== undefined;
      let seconds: number | undefined;
      if (o.try !== undefined) seconds = checkpointSeconds('--try', o.try);
      else if (o.confirmTimeout !== undefined) seconds = checkpointSeconds('--confirm-timeout', o.confirmTimeout);
      if (waits && seconds !== undefined && !cli.json()) {
        io.out(`plan (rolled back in ${seconds} s unless confirmed):`);
        printPlan(io, await applyBonds(specs, { ...base, dryRun: true }));
      }
      const onStep = o.verbose ? (index: number, step: { description: string }) => io.err(`step ${index + 1}: ${step.description}`) : undefined;
      const result = await guardChange((signal) =>
        applyBonds(specs, {
          ...base,
          signal,
          ...(onStep ? { onStep } : {}),
          onLockWait: ({ bond, holder }) => io.err(`waiting for ${bond}: ${holder ? `pid ${holder.pid} (${holder.command})` : 'another process'} is changing it`),
          ...(probes.length > 0 ? { probes } : {}),
          ...(seconds !== undefined ? { confirmTimeout: seconds } : {}),
          defaultProbes: o.defaultProbes,
        }),
      );
      printModuleLoad(io, result.moduleLoad);
      if (cli.json()) io.out(jsonText(specs.length === 1 && !result.checkpoint ? { ...result.bonds[0], ...(result.probes ? { probes: result.probes } : {}), ...(result.moduleLoad ? { moduleLoad: result.moduleLoad } : {}) } : result));
      else printApplied(io, result);
      if (result.checkpoint && waits) await waitForConfirmation(result.checkpoint, base, io);
      else if (result.checkpoint && !cli.json()) io.out(`checkpoint ${result.checkpoint.id}: run \`netbond confirm ${result.checkpoint.id}\` before ${result.checkpoint.expiresAt}, or it is rolled back`);
    });
}
