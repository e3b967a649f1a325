// `netbond ifenslave` (and bin/ifenslave.js) as ops scripts call ifenslave: `ifenslave [-f] master
// slave...` enslaves, `-d` detaches, `-c master slave` changes the active slave, `-a` shows every
// bond, `-V` prints the version and `-h` the usage. -f (force) and -v are accepted and change
// nothing: netbond checks what the kernel checks. Its flags are not netbond's, so main.ts hands it
// the words after `ifenslave` instead of the parser; the program has only its help line. The bond
// code loads once the arguments are known to need it.
import type { Command } from 'commander';
import { ValidationError } from '../../errors.js';
import type { CallOptions } from '../../call/options.js';
import { formatBond } from '../format-bond.js';
import type { Io } from '../io.js';
import { packageVersion } from '../../package-root.js';

const USAGE = 'ifenslave [-f] master slave... | -d master slave... | -c master slave | -a';

export function ifenslaveCommand(program: Command): void {
  program.command('ifenslave').description('ifenslave-compatible: [-f] master slave..., -d detach, -c change active, -a show all');
}

export async function runIfenslave(args: readonly string[], call: CallOptions, io: Pick<Io, 'out'>): Promise<void> {
  let mode: 'enslave' | 'detach' | 'change' | 'all' | 'version' | 'help' = 'enslave';
  const rest: string[] = [];
  for (const arg of args) {
    if (arg === '-d' || arg === '--detach') mode = 'detach';
    else if (arg === '-c' || arg === '--change-active') mode = 'change';
    else if (arg === '-a' || arg === '--all-interfaces') mode = 'all';
    else if (arg === '-V' || arg === '--version') mode = 'version';
    else if (arg === '-h' || arg === '--help') mode = 'help';
    else if (['-f', '--force', '-v', '--verbose'].includes(arg)) continue;
    else if (arg.startsWith('-')) throw new ValidationError({ option: 'ifenslave', value: arg, allowed: USAGE, message: `ifenslave: unknown option ${arg}; usage: ${USAGE}` });
    else rest.push(arg);
  }
  if (mode === 'version') return io.out(packageVersion());
  if (mode === 'help') return io.out(`usage: ${USAGE}`);
  if (mode === 'all') {
    const { listBonds } = await import('../../verbs/read.js');
    io.out((await listBonds(call)).map(formatBond).join('\n\n'));
    return;
  }
  const [master, ...slaves] = rest;
  if (!master || slaves.length === 0 || (mode === 'change' && slaves.length !== 1)) {
    throw new ValidationError({ option: 'ifenslave', value: args, allowed: USAGE, message: `ifenslave: usage: ${USAGE}` });
  }
  const [{ enslave, release }, { setActiveSlave }] = await Promise.all([import('../../verbs/enslave.js'), import('../../verbs/active-slave.js')]);
  if (mode === 'enslave') await enslave(master, slaves, call);
  else if (mode === 'detach') await release(master, slaves, call);
  else await setActiveSlave(master, slaves[0] as string, call);
}
