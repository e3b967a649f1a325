// The `netbond` command: the global options (--netns, --backend, --json, --version), the commands
// of the table in commands/index.ts, the hand-off to ifenslave's own parser, and the exit status
// (exit.ts: 0 when it worked, 1 when the kernel or the system refused, 2 for a usage or validation
// error; errors are one line with the kernel's own message).
//
// Scripts call it in loops, as they called ifenslave and ip, so it starts fast: a command loads
// the code it uses when it runs (`await import` in each action), and `netbond show` never parses
// the YAML library, the config formats, the declarative engine or the lab.
import { Command, Option } from 'commander';
import { ValidationError } from '../errors.js';
import { packageVersion } from '../package-root.js';
import { COMMANDS } from './commands/index.js';
import { runIfenslave } from './commands/ifenslave.js';
import { cliOf, type Cli } from './context.js';
import { EXIT, failureOf } from './exit.js';
import { stdio, type Io } from './io.js';

export type { Io } from './io.js';

function buildProgram(io: Io): { program: Command; cli: Cli } {
  const program = new Command('netbond')
    .description('Linux NIC bonds through the kernel: create, enslave, show, watch, apply, import and export')
    .option('--netns <name>', 'act inside this network namespace (ip netns name)')
    .addOption(new Option('--backend <backend>', 'talk to the kernel through netlink or sysfs').choices(['netlink', 'sysfs']))
    .option('--json', 'machine-readable output')
    .version(packageVersion(), '-V, --version', 'print the version of netbond')
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .exitOverride()
    .showHelpAfterError(false);
  const cli = cliOf(program, io);
  for (const addCommand of COMMANDS) addCommand(program, cli);
  return { program, cli };
}

/** Runs the command line; returns the exit status. */
export async function main(argv: readonly string[], io: Io = stdio): Promise<number> {
  const { program, cli } = buildProgram(io);
  try {
    // ifenslave's own flags (-d, -c, -a, -f) are not netbond's: hand everything after the word
    // to the compatibility layer, with the global options that came before it.
    const at = argv.indexOf('ifenslave');
    if (at >= 0 && argv.slice(0, at).every((a, i, all) => a.startsWith('--') || all[i - 1] === '--netns' || all[i - 1] === '--backend')) {
      const { unknown } = program.parseOptions([...argv.slice(0, at)]);
      if (unknown.length > 0) throw new ValidationError({ option: unknown[0] as string, value: unknown[0], allowed: 'the global options --netns, --backend and --json', message: `Unknown option '${unknown[0]}' before ifenslave` });
      await runIfenslave(argv.slice(at + 1), cli.call(), io);
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
