// A BondSpec that describes a live bond, for `netbond export`: its mode, the options that differ
// from the kernel's defaults (the option table's default column), slaves, addresses and the routes someone added.
import type { InterfaceAddress } from '../link/addresses.js';
import type { RouteInfo } from '../link/routes.js';
import type { CallOptions } from '../call/options.js';
import { BOND_MODES, BOND_OPTION_DEFS, defaultValue } from '../option-table.js';
import type { BondSpec } from '../declarative/types.js';
import type { BondState } from '../bond/state.js';

interface Readers {
  getBond: (name: string, opts: CallOptions) => Promise<BondState>;
  listAddresses: (name: string, opts: CallOptions) => Promise<InterfaceAddress[]>;
  listRoutes: (opts: CallOptions & { dev?: string }) => Promise<RouteInfo[]>;
}

export async function specFromLive(name: string, call: CallOptions, read: Readers): Promise<BondSpec> {
  const state = await read.getBond(name, call);
  const spec: Record<string, unknown> = { name, mode: state.mode };
  const mode = BOND_MODES.indexOf(state.mode);
  for (const def of BOND_OPTION_DEFS) {
    if (def.key === 'mode' || def.key === 'primary' || (def.modes && !def.modes.includes(mode))) continue;
    const value = (state as unknown as Record<string, unknown>)[def.key];
    if (value === undefined || JSON.stringify(value) === JSON.stringify(defaultValue(def, mode))) continue;
    spec[def.key] = value;
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
