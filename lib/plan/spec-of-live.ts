// A BondSpec that describes a live bond. Two uses, one rule for each field:
// - 'export' (`netbond export`): the mode, the MII monitor when on, the options that differ from
//   the kernel's defaults, and what someone configured (slaves, addresses, the routes someone
//   added, VLANs);
// - 'exact' (the state a rollback or a checkpoint restores): every option the kernel reports and
//   takes back, those of other modes too, so that applying the spec (buildPlan with restore) undoes
//   any option change, not only the ones a default would cover.
import { BOND_MODES, BOND_OPTION_DEFS, MODES_WITH_ACTIVE_SLAVE, SLAVE_OPTION_DEFS, defaultValue, type SlaveOptions } from '../option-table.js';
import type { SlaveState } from '../bond/state.js';
import { normalizeValue } from '../validate/values.js';
import { configuredAddresses, type LiveAddressing } from './addressing.js';
import type { BondAddressSpec, BondRouteSpec, BondSlaveSpec, BondSpec, BondVlanSpec, LiveBond, LiveVlan } from './types.js';

export type SpecDetail = 'export' | 'exact';

/** A slave's options that differ from the kernel's defaults: what a re-enslave must put back. */
export function nonDefaultSlaveOptions(slave: SlaveState): SlaveOptions {
  const options: SlaveOptions = {};
  for (const def of SLAVE_OPTION_DEFS) {
    const value = slave[def.key];
    if (value !== undefined && value !== def.default) options[def.key] = value;
  }
  return options;
}

/** Whether a value read from the kernel passes the option table's rule, so it can be written back. */
function writable(def: (typeof BOND_OPTION_DEFS)[number], value: unknown): boolean {
  try {
    normalizeValue(def, value);
    return true;
  } catch {
    return false;
  }
}

/** The spec of a bond as it is; a bond that does not exist is `state: 'absent'`. */
export function specOfLive(name: string, live: LiveBond, detail: SpecDetail): BondSpec {
  const state = live.state;
  if (!live.exists || !state) return { name, state: 'absent' };
  const spec: Record<string, unknown> = { name, mode: state.mode };
  const mode = BOND_MODES.indexOf(state.mode);
  for (const def of BOND_OPTION_DEFS) {
    if (def.key === 'mode' || def.key === 'primary') continue;
    // An export keeps what the mode takes; a restore also what the kernel reports for other modes
    // (lacp_rate of an active-backup bond), which a change through that mode could have changed.
    if (detail === 'export' && def.modes && !def.modes.includes(mode)) continue;
    const value = (state as unknown as Record<string, unknown>)[def.key];
    if (value === undefined) continue;
    // The link monitor in use is kept even where the mode makes it the default (miimon 100 in
    // 802.3ad): every config file of these bonds states it, and a reader looks for it.
    const monitorInUse = def.key === 'miimon' && value !== 0;
    if (detail === 'export' && !monitorInUse && JSON.stringify(value) === JSON.stringify(defaultValue(def, mode))) continue;
    if (detail === 'exact' && !writable(def, value)) continue;
    spec[def.key] = value;
  }
  if (state.primary) spec.primary = state.primary;
  // A restore must also take away a primary the change set (where the mode has one).
  else if (detail === 'exact' && (MODES_WITH_ACTIVE_SLAVE as readonly number[]).includes(mode)) spec.primary = null;
  // In the order they were enslaved: the first one gave the bond its MAC address.
  const order = [...live.slaveOrder, ...state.slaves.map((s) => s.name).filter((n) => !live.slaveOrder.includes(n))];
  spec.slaves = order.flatMap((slaveName): (string | BondSlaveSpec)[] => {
    const slave = state.slaves.find((s) => s.name === slaveName);
    if (!slave) return [];
    const options = nonDefaultSlaveOptions(slave);
    return Object.keys(options).length > 0 ? [{ name: slaveName, ...options }] : [slaveName];
  });
  if (detail === 'exact' && state.activeSlave) spec.activeSlave = state.activeSlave;
  spec.up = state.up;
  spec.mtu = state.mtu;
  if (detail === 'exact') spec.mac = state.mac;
  Object.assign(spec, addressingOf(live));
  // A restore deletes the VLANs a change made; an export lists them only where there are some.
  if (detail === 'exact' || live.vlans.length > 0) spec.vlans = live.vlans.map((vlan) => vlanOf(name, state.mtu, vlan, detail));
  return spec as unknown as BondSpec;
}

/** The addresses and routes someone configured on a link (not the kernel's own). */
function addressingOf(live: LiveAddressing): { addresses: (string | BondAddressSpec)[]; routes: BondRouteSpec[] } {
  return {
    addresses: configuredAddresses(live.addresses).map((a) => (a.broadcast ? { address: a.address, broadcast: a.broadcast } : a.address)),
    routes: live.routes
      .filter((r) => r.protocol !== 'kernel')
      .map((r) => ({ destination: r.destination, ...(r.gateway ? { gateway: r.gateway } : {}), ...(r.metric ? { metric: r.metric } : {}) })),
  };
}

/** An export leaves out what a VLAN gets by default: its name <bond>.<id>, 802.1Q, up, the bond's MTU. */
function vlanOf(bond: string, bondMtu: number, vlan: LiveVlan, detail: SpecDetail): BondVlanSpec {
  const exact = detail === 'exact';
  const { addresses, routes } = addressingOf(vlan);
  return {
    id: vlan.id,
    ...(exact || vlan.name !== `${bond}.${vlan.id}` ? { name: vlan.name } : {}),
    ...(exact || vlan.protocol !== '802.1Q' ? { protocol: vlan.protocol } : {}),
    ...(exact || !vlan.up ? { up: vlan.up } : {}),
    ...(exact || vlan.mtu !== bondMtu ? { mtu: vlan.mtu } : {}),
    ...(exact || addresses.length > 0 ? { addresses } : {}),
    ...(exact || routes.length > 0 ? { routes } : {}),
  };
}
