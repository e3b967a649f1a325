// `ifenslave` as ops scripts call it: `ifenslave [-f] master slave...` enslaves, `-d` detaches,
// `-c master slave` changes the active slave, `-a` shows every bond, `-V` prints the version and
// `-h` the usage. -f (force) and -v are accepted and change nothing: netbond checks what the
// kernel checks. The bond code loads once the arguments are known to need it.
import { ValidationError } from '../errors.js';
import type { CallOptions } from '../call/options.js';
import { formatBond } from './show.js';
import { packageVersion } from '../package-root.js';

interface Io {
  out: (text: string) => void;
}

const USAGE = 'ifenslave [-f] master slave... | -d master slave... | -c master slave | -a';

export async function runIfenslave(args: readonly string[], call: CallOptions, io: Io): Promise<void> {
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
    const { listBonds } = await import('../verbs/read.js');
    io.out((await listBonds(call)).map(formatBond).join('\n\n'));
    return;
  }
  const [master, ...slaves] = rest;
  if (!master || slaves.length === 0 || (mode === 'change' && slaves.length !== 1)) {
    throw new ValidationError({ option: 'ifenslave', value: args, allowed: USAGE, message: `ifenslave: usage: ${USAGE}` });
  }
  const [{ enslave, release }, { setActiveSlave }] = await Promise.all([import('../verbs/enslave.js'), import('../verbs/active-slave.js')]);
  if (mode === 'enslave') await enslave(master, slaves, call);
  else if (mode === 'detach') await release(master, slaves, call);
  else await setActiveSlave(master, slaves[0] as string, call);
}
