// A client: the same API with call options (namespace, backend) fixed once, e.g.
// `const nb = createClient({ backend: 'sysfs', netns: 'blue' })`. Options given to a call win.
// A client of a named namespace keeps its netlink sockets there open between calls, until close().
import { ClientSockets, withClientSockets } from '../call/client-sockets.js';
import { resolveCall, type CallOptions } from '../call/options.js';
import { createBond, type CreateBondOptions } from './create.js';
import { deleteBond } from './delete.js';
import { setActiveSlave } from './active-slave.js';
import type { BondOptions, SlaveOptions } from '../option-table.js';
import { getBond, listBonds, type ReadOptions } from './read.js';
import { setBondOptions } from './set-options.js';
import { setSlaveOptions } from './slave-options.js';
import { enslave, release } from './enslave.js';

export interface NetbondClient {
  createBond(name: string, options?: CreateBondOptions): ReturnType<typeof createBond>;
  deleteBond(name: string, opts?: CallOptions): Promise<void>;
  enslave(bond: string, slaves: string | readonly string[], opts?: CallOptions): ReturnType<typeof enslave>;
  release(bond: string, slaves: string | readonly string[], opts?: CallOptions): ReturnType<typeof release>;
  setActiveSlave(bond: string, slave: string | null, opts?: CallOptions): ReturnType<typeof setActiveSlave>;
  setBondOptions(name: string, options: BondOptions, opts?: CallOptions): ReturnType<typeof setBondOptions>;
  setSlaveOptions(bond: string, slave: string, options: SlaveOptions, opts?: CallOptions): ReturnType<typeof setSlaveOptions>;
  getBond(name: string, opts?: ReadOptions): ReturnType<typeof getBond>;
  listBonds(opts?: ReadOptions): ReturnType<typeof listBonds>;
  /**
   * Closes the sockets the client keeps in its namespace (calls still running finish first); a
   * call after close() is refused with EBADF. Until then they keep the namespace alive, as an open
   * /proc/PID/ns/net would. `await using nb = createClient({ netns })` closes it at the block's end.
   */
  close(): void;
  [Symbol.asyncDispose](): Promise<void>;
  [Symbol.dispose](): void;
}

export function createClient(defaults: CallOptions = {}): NetbondClient {
  const sockets = new ClientSockets(resolveCall(defaults).netns); // validates once, up front
  const withDefaults = <T extends object>(opts: T | undefined): T & CallOptions =>
    withClientSockets({ ...defaults, ...opts } as T & CallOptions, sockets);
  const close = () => sockets.close();
  return {
    createBond: (name, options) => createBond(name, withDefaults(options)),
    deleteBond: (name, opts) => deleteBond(name, withDefaults(opts)),
    enslave: (bond, slaves, opts) => enslave(bond, slaves, withDefaults(opts)),
    release: (bond, slaves, opts) => release(bond, slaves, withDefaults(opts)),
    setActiveSlave: (bond, slave, opts) => setActiveSlave(bond, slave, withDefaults(opts)),
    setBondOptions: (name, options, opts) => setBondOptions(name, options, withDefaults(opts)),
    setSlaveOptions: (bond, slave, options, opts) => setSlaveOptions(bond, slave, options, withDefaults(opts)),
    getBond: (name, opts) => getBond(name, withDefaults(opts)),
    listBonds: (opts) => listBonds(withDefaults(opts)),
    close,
    [Symbol.asyncDispose]: async () => close(),
    [Symbol.dispose]: close,
  };
}
