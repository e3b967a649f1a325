// Reading a bond the way a spec describes it: its state, slave order, addresses, routes and the
// VLANs over it with theirs.
import { BondError } from '../errors.js';
import { decodeAddress } from '../link/addresses.js';
import { decodeLinkInfo } from '../link/info.js';
import { routesThrough } from '../link/routes.js';
import type { ResolvedNetns } from '../call/netns.js';
import type { NativeAddr, NativeRoute } from '../native.js';
import { runSteps } from '../netlink/batch.js';
import { readBond } from '../netlink/read.js';
import { runFileSteps } from '../sysfs/files.js';
import { procSlaveOrder } from '../proc/parse.js';
import type { LiveBond, LiveVlan } from './types.js';

export async function readLive(netns: ResolvedNetns, name: string): Promise<LiveBond> {
  let state;
  try {
    state = await readBond(netns, name);
  } catch (error) {
    if (error instanceof BondError && error.code === 'ENODEV') return { exists: false, slaveOrder: [], addresses: [], routes: [], vlans: [] };
    throw error;
  }
  // /proc lists slaves in the order they were enslaved; a rollback re-enslaves in that order so
  // that the bond takes back the same MAC address.
  const [proc] = await runFileSteps(netns, [{ request: { op: 'read', base: 'procnet', path: `bonding/${name}` }, action: `read /proc/net/bonding/${name}`, bond: name }]);
  const slaveOrder = procSlaveOrder(String(proc));
  const [links = [], addrDump = [], routeDump = []] = await runSteps(netns, [
    { request: { op: 'dumplinks' }, action: `read the links over ${name}` },
    { request: { op: 'dumpaddrs', family: 0 }, action: `read the addresses of ${name}` },
    { request: { op: 'dumproutes', family: 0 }, action: `read the routes of ${name}` },
  ]);
  const addrs = addrDump as unknown as NativeAddr[];
  const routes = routeDump as unknown as NativeRoute[];
  const addressesOf = (ifindex: number) => addrs.filter((a) => a.ifindex === ifindex).map(decodeAddress);
  const names = new Map(links.map((l) => [l.ifindex, l.ifname]));
  const vlans: LiveVlan[] = links
    .filter((l) => l.kind === 'vlan' && l.parent === state.ifindex && l.linkNetnsId === undefined)
    .map((l) => {
      const info = decodeLinkInfo(l, (i) => names.get(i));
      const vlan = info.vlan ?? { id: 0, protocol: '802.1Q' as const };
      return { name: info.name, id: vlan.id, protocol: vlan.protocol, up: info.up, mtu: info.mtu, addresses: addressesOf(l.ifindex), routes: routesThrough(routes, links, l.ifindex) };
    });
  return { exists: true, state, slaveOrder, addresses: addressesOf(state.ifindex), routes: routesThrough(routes, links, state.ifindex), vlans };
}
