// Which network namespace a call acts in: a name under /run/netns (as `ip netns` makes them), a
// path to a namespace file, or a process id.
import { isAbsolute } from 'node:path';
import { ValidationError } from '../errors.js';
import type { NativeRtnlSockets } from '../native.js';
import { validateNetnsName } from '../validate/names.js';

/** A network namespace: its `ip netns` name, `{ path }` to a namespace file, or `{ pid }`. */
export type NetnsOption = string | { path: string } | { pid: number };

export interface ResolvedNetns {
  /** '' for the caller's namespace. */
  path: string;
  /** How to name it in messages. */
  label: string;
  /** A client's netlink sockets in this namespace (lib/call/client-sockets.ts); else one per call. */
  sockets?: NativeRtnlSockets;
}

const current: ResolvedNetns = { path: '', label: 'the current network namespace' };

export function resolveNetns(netns: NetnsOption | undefined): ResolvedNetns {
  if (netns === undefined) return current;
  if (typeof netns === 'string') {
    validateNetnsName(netns);
    return { path: `/run/netns/${netns}`, label: `network namespace '${netns}'` };
  }
  if (typeof netns === 'object' && netns !== null) {
    if ('path' in netns && typeof netns.path === 'string' && isAbsolute(netns.path) && !netns.path.includes('\0')) {
      return { path: netns.path, label: `network namespace at ${netns.path}` };
    }
    if ('pid' in netns && Number.isSafeInteger(netns.pid) && netns.pid > 0) {
      return { path: `/proc/${netns.pid}/ns/net`, label: `network namespace of pid ${netns.pid}` };
    }
  }
  throw new ValidationError({
    option: 'netns',
    value: netns,
    allowed: 'a namespace name, { path: absolute path } or { pid: positive integer }',
  });
}
