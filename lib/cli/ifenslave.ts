// `ifenslave` as ops scripts call it: `ifenslave [-f] master slave...` enslaves, `-d` detaches,
// `-c master slave` changes the active slave, `-a` shows every bond. -f (force) and -v are
// accepted and change nothing: netbond checks what the kernel checks.
import { ValidationError } from '../errors.js';
import type { CallOptions } from '../call/options.js';
import { listBonds } from '../bond/read.js';
import { enslave, release } from '../bond/enslave.js';
import { setActiveSlave } from '../bond/active-slave.js';
import { formatBond } from './show.js';

interface Io {
  out: (text: string) => void;
}

const USAGE = 'ifenslave [-f] master slave... | -d master slave... | -c master slave | -a';

export async function runIfenslave(args: readonly string[], call: CallOptions, io: Io): Promise<void> {
  let mode: 'enslave' | 'detach' | 'change' | 'all' = 'enslave';
  const rest: string[] = [];
  for (const arg of args) {
    if (arg === '-d' || arg === '--detach') mode = 'detach';
    else if (arg === '-c' || arg === '--change-active') mode = 'change';
    else if (arg === '-a' || arg === '--all-interfaces') mode = 'all';
    else if (['-f', '--force', '-v', '--verbose'].includes(arg)) continue;
    else if (arg.startsWith('-')) throw new ValidationError({ option: 'ifenslave', value: arg, allowed: USAGE, message: `ifenslave: unknown option ${arg}; usage: ${USAGE}` });
    else rest.push(arg);
  }
  if (mode === 'all') {
    io.out((await listBonds(call)).map(formatBond).join('\n\n'));
    return;
  }
  const [master, ...slaves] = rest;
  if (!master || slaves.length === 0 || (mode === 'change' && slaves.length !== 1)) {
    throw new ValidationError({ option: 'ifenslave', value: args, allowed: USAGE, message: `ifenslave: usage: ${USAGE}` });
  }
  if (mode === 'enslave') await enslave(master, slaves, call);
  else if (mode === 'detach') await release(master, slaves, call);
  else await setActiveSlave(master, slaves[0] as string, call);
}
