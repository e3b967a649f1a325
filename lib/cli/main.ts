// The `netbond` command: the library's API for ops scripts. Exit status 0 when it worked, 1 when
// the kernel (or the system) refused, 2 for a usage or validation error. Errors are one line
// with the kernel's own message.
//
// Scripts call it in loops, as they called ifenslave and ip, so it starts fast: a command loads
// the code it uses when it runs (`await import` in each action), and `netbond show` never parses
// the YAML library, the config formats, the declarative engine or the lab.
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { ValidationError } from '../errors.js';
import type { CallOptions } from '../call/options.js';
import type { BondState } from '../bond/state.js';
import type { BondSpec } from '../declarative/types.js';
import type { ConfigFormat } from '../formats/index.js';
import { formatBond } from './show.js';
import { EXIT, failureOf } from './exit.js';
import { addLabCommand } from './lab.js';
import { addApplyCommand } from './apply.js';
import { addCheckpointCommands } from './checkpoints.js';
import { stdio, type Io } from './io.js';
import { guardChange } from './interrupt.js';
import { packageVersion } from '../package-root.js';

const parseWords = async (words: readonly string[]) => (await import('./values.js')).parseOptionWords(words);
const stringifyYaml = async (value: unknown) => (await import('./yaml-text.js')).toYamlText(value);

export type { Io } from './io.js';

interface GlobalOptions {
  netns?: string;
  backend?: 'netlink' | 'sysfs';
  json?: boolean;
}

const json = (value: unknown) => JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2);

function callOf(program: Command): CallOptions & { json: boolean } {
  const g = program.opts<GlobalOptions>();
  return { ...(g.netns ? { netns: g.netns } : {}), ...(g.backend ? { backend: g.backend } : {}), json: g.json ?? false };
}

function buildProgram(io: Io): Command {
  const program = new Command('netbond')
    .description('Linux NIC bonds through the kernel: create, enslave, show, watch, apply, import and export')
    .option('--netns <name>', 'act inside this network namespace (ip netns name)')
    .addOption(new Option('--backend <backend>', 'talk to the kernel through netlink or sysfs').choices(['netlink', 'sysfs']))
    .option('--json', 'machine-readable output')
    .version(packageVersion(), '-V, --version', 'print the version of netbond')
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .exitOverride()
    .showHelpAfterError(false);

  const call = () => {
    const { json: _json, ...rest } = callOf(program);
    return rest;
  };
  const wantJson = () => callOf(program).json;
  const showState = (state: BondState) => io.out(wantJson() ? json(state) : formatBond(state));

  program
    .command('create <bond>')
    .description('create a bond; options as key=value (miimon=100 xmit_hash_policy=layer3+4)')
    .option('-m, --mode <mode>', 'bonding mode (name or 0-6)')
    .option('-s, --slave <slave...>', 'interfaces to enslave')
    .option('--up', 'bring the bond up')
    .argument('[options...]', 'bond options as key=value')
    .action(async (bond: string, words: string[], o: { mode?: string; slave?: string[]; up?: boolean }) => {
      const options = await parseWords([...(o.mode ? [`mode=${o.mode}`] : []), ...words]);
      const { createBond } = await import('../verbs/create.js');
      showState(await guardChange(() => createBond(bond, { ...options, ...(o.slave ? { slaves: o.slave } : {}), ...(o.up ? { up: true } : {}), ...call() })));
    });

  program
    .command('delete <bond>')
    .description('delete a bond')
    .action(async (bond: string) => {
      const { deleteBond } = await import('../verbs/delete.js');
      await guardChange(() => deleteBond(bond, call()));
    });

  program
    .command('enslave <bond> <slaves...>')
    .description('enslave interfaces (each is taken down first)')
    .action(async (bond: string, slaves: string[]) => {
      const { enslave } = await import('../verbs/enslave.js');
      showState(await guardChange(() => enslave(bond, slaves, call())));
    });

  program
    .command('release <bond> <slaves...>')
    .description('release slaves')
    .action(async (bond: string, slaves: string[]) => {
      const { release } = await import('../verbs/enslave.js');
      showState(await guardChange(() => release(bond, slaves, call())));
    });

  program
    .command('set <bond> <options...>')
    .description('change options: key=value ...')
    .action(async (bond: string, words: string[]) => {
      const options = await parseWords(words);
      const { setBondOptions } = await import('../verbs/set-options.js');
      showState(await guardChange(() => setBondOptions(bond, options, call())));
    });

  program
    .command('active <bond> <slave>')
    .description("make a slave the active one ('none' lets the kernel choose)")
    .action(async (bond: string, slave: string) => {
      const { setActiveSlave } = await import('../verbs/active-slave.js');
      showState(await guardChange(() => setActiveSlave(bond, slave === 'none' ? null : slave, call())));
    });

  program
    .command('list')
    .description('list bonds')
    .action(async () => {
      const { listBonds } = await import('../verbs/read.js');
      const bonds = await listBonds(call());
      if (wantJson()) io.out(json(bonds));
      else for (const b of bonds) io.out(`${b.name}\t${b.mode}\t${b.up ? 'up' : 'down'}\tslaves: ${b.slaves.map((s) => s.name).join(' ') || '-'}`);
    });

  program
    .command('show [bond]')
    .description('show one bond, or all, like /proc/net/bonding (--json: the same data as getBond)')
    .action(async (bond?: string) => {
      const { getBond, listBonds } = await import('../verbs/read.js');
      if (bond) return showState(await getBond(bond, call()));
      const bonds = await listBonds(call());
      io.out(wantJson() ? json(bonds) : bonds.map(formatBond).join('\n\n'));
    });

  program
    .command('watch [bonds...]')
    .description('print bond events as they happen, one per line (--json: JSON lines)')
    .option('--poll <ms>', 'state poll interval for what the kernel does not notify', '1000')
    .action(async (bonds: string[], o: { poll: string }) => {
      const { netns } = call();
      const { watchBonds } = await import('../watch/watcher.js');
      const watcher = watchBonds({ ...(netns ? { netns } : {}), ...(bonds.length > 0 ? { bonds } : {}), pollInterval: Number(o.poll) });
      const stop = () => watcher.close();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      for await (const event of watcher) {
        if (wantJson()) {
          io.out(JSON.stringify(event, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
          continue;
        }
        const { state: _state, timestamp: _t, type, ...rest } = event as unknown as Record<string, unknown>;
        const bond = 'bond' in rest ? String(rest.bond) : '*';
        delete rest.bond;
        delete rest.bonds;
        io.out(`${new Date().toISOString()} ${bond} ${String(type)} ${JSON.stringify(rest)}`);
      }
    });

  addApplyCommand(program, io, call, wantJson);
  addCheckpointCommands(program, io, call, wantJson);

  program
    .command('import <format> <files...>')
    .description("read persistent configs into specs (format: ifcfg, modprobe, rc-local, interfaces, netplan, networkd, nm, or auto)")
    .action(async (format: string, files: string[]) => {
      const { importConfigs } = await import('../formats/index.js');
      const loaded = await Promise.all(files.map(async (path) => ({ path, text: await readFile(path, 'utf8'), ...(format === 'auto' ? {} : { format: format as ConfigFormat }) })));
      const result = importConfigs(loaded);
      for (const warning of result.warnings) io.err(`warning: ${warning}`);
      // What `apply` reads: one spec, or several as one transaction.
      const applicable = result.specs.length === 1 ? result.specs[0] : { bonds: result.specs };
      io.out(wantJson() ? json(applicable) : await stringifyYaml(applicable));
    });

  program
    .command('export <format> [bond]')
    .description('write a live bond (or --spec FILE) as persistent config: ifcfg, interfaces, netplan, networkd, nm; or as a spec: spec')
    .option('--spec <file>', 'export this spec instead of a live bond')
    .action(async (format: string, bond: string | undefined, o: { spec?: string }) => {
      let spec: BondSpec;
      if (o.spec) spec = await (await import('./spec-file.js')).readOneSpec(o.spec);
      else if (bond) spec = await (await import('./spec-from-live.js')).specFromLive(bond, call());
      else throw new ValidationError({ option: 'bond', value: bond, allowed: 'a bond name or --spec FILE' });
      // The spec itself, as `apply` reads it: what a program diffs against the spec it wants.
      if (format === 'spec') return io.out(wantJson() ? json(spec) : await stringifyYaml(spec));
      const { exportConfig } = await import('../formats/index.js');
      const files = exportConfig(format as Parameters<typeof exportConfig>[0], spec);
      if (wantJson()) return io.out(json(files));
      for (const file of files) io.out(`# ${file.path}\n${file.text.trimEnd()}\n`);
    });

  addLabCommand(program, io, wantJson);

  program.command('ifenslave').description('ifenslave-compatible: [-f] master slave..., -d detach, -c change active, -a show all');

  return program;
}

/** Runs the command line; returns the exit status. */
export async function main(argv: readonly string[], io: Io = stdio): Promise<number> {
  const program = buildProgram(io);
  try {
    // ifenslave's own flags (-d, -c, -a, -f) are not netbond's: hand everything after the word
    // to the compatibility layer, with the global options that came before it.
    const at = argv.indexOf('ifenslave');
    if (at >= 0 && argv.slice(0, at).every((a, i, all) => a.startsWith('--') || all[i - 1] === '--netns' || all[i - 1] === '--backend')) {
      const { unknown } = program.parseOptions([...argv.slice(0, at)]);
      if (unknown.length > 0) throw new ValidationError({ option: unknown[0] as string, value: unknown[0], allowed: 'the global options --netns, --backend and --json', message: `Unknown option '${unknown[0]}' before ifenslave` });
      const { json: _json, ...call } = callOf(program);
      const { runIfenslave } = await import('./ifenslave.js');
      await runIfenslave(argv.slice(at + 1), call, io);
      return 0;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    const failure = failureOf(error);
    if (failure.line !== undefined) io.err(failure.line);
    // --json as given on this command line (the program may not have parsed it).
    if (failure.exitCode !== EXIT.ok && argv.includes('--json')) io.err(JSON.stringify({ error: failure.report, exitCode: failure.exitCode }));
    return failure.exitCode;
  }
}
