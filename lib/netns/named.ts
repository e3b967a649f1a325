// Named network namespaces exactly as `ip netns add/del/list` make them: a bind mount of the
// namespace on /run/netns/NAME, usable by every netbond call (`netns: NAME`) and by `ip -n NAME`.
import { readdir } from 'node:fs/promises';
import { constants } from 'node:os';
import { BondError, ValidationError } from '../errors.js';
import { resolveNetns } from '../call/netns.js';
import { isNativeError, native } from '../native.js';

const NETNS_DIR = '/run/netns';

async function namedOp(op: 'add' | 'delete', name: string): Promise<void> {
  if (typeof name !== 'string') throw new ValidationError({ option: 'name', value: name, allowed: 'a namespace name without "/"' });
  const { path, label } = resolveNetns(name);
  try {
    await native().namedNamespace(op, path);
  } catch (error) {
    if (!isNativeError(error)) throw error;
    const { EEXIST, ENOENT, EPERM } = constants.errno;
    const hints = new Map([
      [EEXIST, `${label} exists already`],
      [ENOENT, `there is no ${label}`],
      [EPERM, 'named namespaces need CAP_SYS_ADMIN'],
    ]);
    throw new BondError({ errnum: error.errnum, syscall: error.syscall, action: `${op === 'add' ? 'create' : 'delete'} ${label}`, path, hint: hints.get(error.errnum) });
  }
}

/** Creates a named network namespace (`ip netns add NAME`): empty, its lo down. */
export function createNamespace(name: string): Promise<void> {
  return namedOp('add', name);
}

/**
 * Deletes a named namespace (`ip netns del NAME`): the name goes at once, the namespace and its
 * links when its last user (a process, an open socket) is gone.
 */
export function deleteNamespace(name: string): Promise<void> {
  return namedOp('delete', name);
}

/** The named namespaces, sorted (`ip netns list`). */
export async function listNamespaces(): Promise<string[]> {
  try {
    return (await readdir(NETNS_DIR)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
