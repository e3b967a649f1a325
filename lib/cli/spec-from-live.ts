// A BondSpec that describes a live bond, for `netbond export`: its mode, the options that differ
// from the kernel's defaults, slaves, addresses and the routes someone added.
import type { InterfaceAddress, RouteInfo } from '../link/link.js';
import type { CallOptions } from '../call/netns.js';
import { OPTION_SPECS } from '../option-table.js';
import type { BondSpec } from '../declarative/types.js';
import type { BondState } from '../bond/state.js';

/** bonding.rst defaults; miimon 100 is what the kernel picks for 802.3ad, tlb and alb. */
const DEFAULTS: Record<string, unknown> = {
  miimon: 0,
  updelay: 0,
  downdelay: 0,
  peerNotifDelay: 0,
  useCarrier: true,
  arpInterval: 0,
  arpIpTarget: [],
  nsIp6Target: [],
  arpValidate: 'none',
  arpAllTargets: 'any',
  primaryReselect: 'always',
  failOverMac: 'none',
  xmitHashPolicy: 'layer2',
  resendIgmp: 1,
  numGratArp: 1,
  allSlavesActive: false,
  minLinks: 0,
  lpInterval: 1,
  packetsPerSlave: 1,
  lacpActive: true,
  lacpRate: 'slow',
  adSelect: 'stable',
  adActorSysPrio: 65535,
  adUserPortKey: 0,
  adActorSystem: '00:00:00:00:00:00',
  tlbDynamicLb: true,
  arpMissedMax: 2,
};

interface Readers {
  getBond: (name: string, opts: CallOptions) => Promise<BondState>;
  listAddresses: (name: string, opts: CallOptions) => Promise<InterfaceAddress[]>;
  listRoutes: (opts: CallOptions & { dev?: string }) => Promise<RouteInfo[]>;
}

export async function specFromLive(name: string, call: CallOptions, read: Readers): Promise<BondSpec> {
  const state = await read.getBond(name, call);
  const spec: Record<string, unknown> = { name, mode: state.mode };
  const modeDefaultMiimon = ['802.3ad', 'balance-tlb', 'balance-alb'].includes(state.mode) ? 100 : 0;
  for (const option of OPTION_SPECS) {
    if (option.key === 'mode' || option.key === 'primary') continue;
    const value = (state as unknown as Record<string, unknown>)[option.key];
    const fallback = option.key === 'miimon' ? modeDefaultMiimon : DEFAULTS[option.key];
    if (value === undefined || JSON.stringify(value) === JSON.stringify(fallback)) continue;
    if (option.modes && !option.modes.includes(['balance-rr', 'active-backup', 'balance-xor', 'broadcast', '802.3ad', 'balance-tlb', 'balance-alb'].indexOf(state.mode))) continue;
    spec[option.key] = value;
  }
  if (state.primary) spec.primary = state.primary;
  spec.slaves = state.slaves.map((s) => (s.queueId ? { name: s.name, queueId: s.queueId } : s.name));
  spec.up = state.up;
  spec.mtu = state.mtu;
  const addresses = (await read.listAddresses(name, call)).filter((a) => !a.dynamic);
  spec.addresses = addresses.map((a) => (a.broadcast ? { address: a.address, broadcast: a.broadcast } : a.address));
  const routes = (await read.listRoutes({ ...call, dev: name })).filter((r) => r.protocol !== 'kernel');
  spec.routes = routes.map((r) => ({ destination: r.destination, ...(r.gateway ? { gateway: r.gateway } : {}), ...(r.metric ? { metric: r.metric } : {}) }));
  return spec as unknown as BondSpec;
}
