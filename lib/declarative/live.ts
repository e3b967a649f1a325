// Reading a bond the way a spec describes it: its state, slave order, addresses and routes.
import { BondError } from '../errors.js';
import { readAddresses } from '../link/addresses.js';
import { readRoutes } from '../link/routes.js';
import type { ResolvedNetns } from '../call/netns.js';
import { readBond } from '../netlink/read.js';
import { runFileSteps } from '../sysfs/files.js';
import { procSlaveOrder } from '../proc/parse.js';
import type { LiveBond } from './types.js';

export async function readLive(netns: ResolvedNetns, name: string): Promise<LiveBond> {
  let state;
  try {
    state = await readBond(netns, name);
  } catch (error) {
    if (error instanceof BondError && error.code === 'ENODEV') return { exists: false, slaveOrder: [], addresses: [], routes: [] };
    throw error;
  }
  // /proc lists slaves in the order they were enslaved; a rollback re-enslaves in that order so
  // that the bond takes back the same MAC address.
  const [proc] = await runFileSteps(netns, [{ request: { op: 'read', base: 'procnet', path: `bonding/${name}` }, action: `read /proc/net/bonding/${name}`, bond: name }]);
  const slaveOrder = procSlaveOrder(String(proc));
  const [addresses, routes] = await Promise.all([readAddresses(netns, state.ifindex), readRoutes(netns, state.ifindex)]);
  return { exists: true, state, slaveOrder, addresses, routes };
}
