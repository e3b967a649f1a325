// The options every call takes, checked once: which namespace, which backend.
import { ValidationError } from '../errors.js';
import { resolveNetns, type NetnsOption, type ResolvedNetns } from './netns.js';
import { checkKeys } from '../validate/keys.js';
import { attachClientSockets } from './client-sockets.js';

export type BackendName = 'netlink' | 'sysfs';

/** Options every call takes. */
export interface CallOptions {
  /** Act inside this network namespace instead of the caller's own. */
  netns?: NetnsOption;
  /**
   * How to talk to the kernel: 'netlink' (default; rtnetlink, with the kernel's own error
   * messages) or 'sysfs' (/sys/class/net/.../bonding, as ifenslave scripts do; errno only).
   */
  backend?: BackendName;
}

export interface ResolvedCall {
  netns: ResolvedNetns;
  backend: BackendName;
}

export const CALL_KEYS = ['netns', 'backend'] as const;

/** Validates call options (rejecting unknown keys other than `extraKeys`) and resolves them. */
export function resolveCall(opts: CallOptions, bond?: string, extraKeys: readonly string[] = []): ResolvedCall {
  if (typeof opts !== 'object' || opts === null) {
    throw new ValidationError({ option: 'options', value: opts, allowed: 'an object', bond });
  }
  checkKeys(opts, [...CALL_KEYS, ...extraKeys], bond);
  const backend = opts.backend ?? 'netlink';
  if (backend !== 'netlink' && backend !== 'sysfs') {
    throw new ValidationError({ option: 'backend', value: backend, allowed: "'netlink' or 'sysfs'", bond });
  }
  return { netns: attachClientSockets(opts, resolveNetns(opts.netns)), backend };
}
