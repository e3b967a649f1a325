// readProcBonding: /proc/net/bonding/<bond> as the chosen network namespace sees it, parsed.
// For users on kernels whose netlink lacks what they need, and a third oracle in tests.
import { constants } from 'node:os';
import { BondError } from '../errors.js';
import { runFileSteps } from '../sysfs/files.js';
import { resolveCall } from '../call/options.js';
import { validateIfname } from '../validate/names.js';
import type { NetnsOption } from '../call/netns.js';
import { parseProcBonding, type ProcBonding } from './parse.js';

/** Reads and parses /proc/net/bonding/<name> (in `netns` when given). */
export async function readProcBonding(name: string, opts: { netns?: NetnsOption } = {}): Promise<ProcBonding> {
  validateIfname('name', name);
  const { netns } = resolveCall(opts, name);
  try {
    const [text] = await runFileSteps(netns, [
      { request: { op: 'read', base: 'procnet', path: `bonding/${name}` }, action: `read /proc/net/bonding/${name}`, bond: name },
    ]);
    return parseProcBonding(String(text));
  } catch (error) {
    if (error instanceof BondError && error.code === 'ENOENT') {
      throw new BondError({ errnum: constants.errno.ENODEV, syscall: 'procfs', action: `read /proc/net/bonding/${name}`, bond: name, hint: `no bond named ${name}` });
    }
    throw error;
  }
}
