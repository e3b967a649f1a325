// Reading a bond the way a spec describes it: its state, slave order, addresses, routes and the
// VLANs over it with theirs.
import { decodeAddress } from '../link/addresses.js';
import { decodeLinkInfo } from '../link/info.js';
import { routesThrough } from '../link/routes.js';
import type { ResolvedNetns } from '../call/netns.js';
import type { NativeAddr, NativeRoute } from '../native.js';
import { runSteps } from '../netlink/batch.js';
import { bondLinkFrom, toState } from '../backends/netlink/read.js';
import { runFileSteps } from '../sysfs/files.js';
import { procSlaveOrder } from '../proc/parse.js';
import { procBondingStep } from '../proc/read.js';
import type { LiveBond, LiveVlan } from './types.js';

/**
 * The bond as a spec sees it, from one rtnetlink batch (every link, address and route of the
 * namespace: the bond and its slaves are among the links) and, at the same time, the bond's
 * /proc file for the order of its slaves.
 */
export async function readLive(netns: ResolvedNetns, name: string): Promise<LiveBond> {
  // /proc lists slaves in the order they were enslaved; a rollback re-enslaves in that order so
  // that the bond takes back the same MAC address. Optional: there is none when there is no bond.
  const [[links = [], addrDump = [], routeDump = []], [proc]] = await Promise.all([
    runSteps(netns, [
      { request: { op: 'dumplinks', portSpeeds: true }, action: `read ${name} and the links around it` },
      { request: { op: 'dumpaddrs', family: 0 }, action: `read the addresses of ${name}` },
      { request: { op: 'dumproutes', family: 0 }, action: `read the routes of ${name}` },
    ]),
    runFileSteps(netns, [procBondingStep(name, true)]),
  ]);
  const link = links.find((l) => l.ifname === name);
  if (!link) return { exists: false, slaveOrder: [], addresses: [], routes: [], vlans: [], links };
  const state = toState(bondLinkFrom([link], name), links.filter((l) => l.master === link.ifindex));
  const slaveOrder = proc === null || proc === undefined ? [] : procSlaveOrder(String(proc));
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
  return { exists: true, state, slaveOrder, addresses: addressesOf(state.ifindex), routes: routesThrough(routes, links, state.ifindex), vlans, links };
}
