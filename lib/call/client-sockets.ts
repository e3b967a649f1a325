// The netlink sockets a client keeps open in its named namespace, and how its calls find them.
// A module-level call in the caller's own namespace already reuses the addon's shared sockets;
// one in another namespace opens a socket for the call, because a socket kept there behind the
// user's back would keep a deleted namespace (and every veth in it) alive. A client owns its
// sockets instead, and close() (or `await using`) ends them.
import { constants } from 'node:os';
import { BondError } from '../errors.js';
import { native, type NativeRtnlSockets } from '../native.js';
import type { ResolvedNetns } from './netns.js';

export class ClientSockets {
  #sockets: NativeRtnlSockets | undefined;
  #closed = false;

  constructor(readonly netns: ResolvedNetns) {}

  /** The namespace with these sockets attached when `netns` is this client's; else `netns` as is. */
  attachTo(netns: ResolvedNetns): ResolvedNetns {
    if (this.#closed) {
      throw new BondError({
        errnum: constants.errno.EBADF,
        syscall: 'client',
        action: `use a netbond client of ${this.netns.label}`,
        hint: 'this client was closed; make a new one with createClient()',
      });
    }
    // The caller's namespace has the addon's shared sockets; another namespace given to one call
    // gets a socket of its own for that call.
    if (this.netns.path === '' || netns.path !== this.netns.path) return netns;
    this.#sockets ??= new (native().RtnlSockets)(this.netns.path);
    return { ...netns, sockets: this.#sockets };
  }

  /** Closes the sockets (calls still running finish first); later calls are refused. */
  close(): void {
    this.#closed = true;
    this.#sockets?.close();
    this.#sockets = undefined;
  }
}

const socketsOfOptions = new WeakMap<object, ClientSockets>();

/** Marks a client call's options object, so that resolveCall attaches the client's sockets. */
export function withClientSockets<T extends object>(opts: T, sockets: ClientSockets): T {
  socketsOfOptions.set(opts, sockets);
  return opts;
}

/** `to`, marked as coming through the same client as `from` (a call's options, taken apart). */
export function sameClientAs<T extends object>(from: object, to: T): T {
  const sockets = socketsOfOptions.get(from);
  return sockets ? withClientSockets(to, sockets) : to;
}

/** The namespace of a call, with its client's sockets when it came through a client. */
export function attachClientSockets(opts: object, netns: ResolvedNetns): ResolvedNetns {
  return socketsOfOptions.get(opts)?.attachTo(netns) ?? netns;
}
