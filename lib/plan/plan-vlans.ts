// The VLANs over a bond in a plan. Rules of the kernel's 8021q code the plan relies on:
// - A VLAN's id and protocol cannot change: a VLAN with the wanted name but another id is
//   deleted and made again.
// - Taking the bond down closes every VLAN over it (their IPv6 addresses and routes go, IPv4
//   addresses stay); bringing it up opens them all again (vlan_device_event NETDEV_DOWN/UP).
//   So a plan that takes the bond down, for a mode change, puts back what the VLANs lost.
// - Lowering the bond's MTU lowers a VLAN's above it; raising it leaves the VLANs as they are.
// VLANs not wanted go first; the wanted ones are made and set up after the bond is complete.
import type { NetnsOption } from '../call/netns.js';
import { createVlan } from '../link/create.js';
import { deleteLink } from '../link/info.js';
import { setLinkDown, setLinkUp, setMtu } from '../link/link.js';
import { addressingSteps } from './addressing.js';
import type { NormalizedSpec, NormalizedVlan } from './normalize.js';
import type { StepList } from './step.js';
import type { LiveBond, LiveVlan } from './types.js';

const sameVlan = (wanted: NormalizedVlan, live: LiveVlan) => wanted.id === live.id && wanted.protocol === live.protocol;

/** Deletes the VLANs over the bond that the spec does not list, or lists with another id or protocol. */
export function vlanRemovalSteps(steps: StepList, spec: NormalizedSpec, live: LiveBond, netns: NetnsOption | undefined): void {
  if (!spec.vlans) return;
  for (const vlan of live.vlans) {
    const wanted = spec.vlans.find((w) => w.name === vlan.name);
    if (wanted && sameVlan(wanted, vlan)) continue;
    const reason = wanted ? `${vlan.name} is VLAN ${vlan.protocol} ${vlan.id}, wanted ${wanted.protocol} ${wanted.id} (a VLAN's id cannot change)` : `${vlan.name} is not in the spec's VLANs`;
    steps.add('delete-vlan', `delete VLAN ${vlan.name} (${vlan.id}) over ${spec.name}`, reason, () => deleteLink(vlan.name, { netns }));
  }
}

export interface BondOutcome {
  /** The plan takes the bond down at some point (its VLANs are closed with it). */
  takenDown: boolean;
  /** The plan sets the bond down or up: the VLANs end as the bond does. */
  upChanged: boolean;
  /** The bond's MTU after the plan. */
  mtu: number;
}

/** Makes each wanted VLAN and gives it its MTU, its state, its addresses and its routes. */
export function vlanSteps(steps: StepList, spec: NormalizedSpec, live: LiveBond, bond: BondOutcome, netns: NetnsOption | undefined): void {
  for (const vlan of spec.vlans ?? []) {
    const found = live.vlans.find((l) => l.name === vlan.name);
    const existing = found && sameVlan(vlan, found) ? found : undefined;
    if (!existing) {
      const reason = found ? `${vlan.name} was deleted to change its id` : `${vlan.name} does not exist`;
      steps.add('create-vlan', `create VLAN ${vlan.name} (${vlan.protocol} ${vlan.id}) over ${spec.name}`, reason, () => createVlan(vlan.name, { link: spec.name, id: vlan.id, protocol: vlan.protocol, up: vlan.up, netns }));
    }
    const mtuNow = existing ? Math.min(existing.mtu, bond.mtu) : bond.mtu;
    if (vlan.mtu !== undefined && vlan.mtu !== mtuNow) {
      steps.add('set-mtu', `set mtu ${vlan.mtu} on ${vlan.name}`, `mtu is ${mtuNow}, wanted ${vlan.mtu}`, () => setMtu(vlan.name, vlan.mtu as number, { netns }));
    }
    const upNow = existing ? (bond.upChanged ? spec.up : existing.up) : vlan.up;
    if (vlan.up !== upNow) {
      steps.add(vlan.up ? 'set-up' : 'set-down', `set ${vlan.name} ${vlan.up ? 'up' : 'down'}`, `${vlan.name} is ${upNow ? 'up' : 'down'}, wanted ${vlan.up ? 'up' : 'down'}`, () => (vlan.up ? setLinkUp : setLinkDown)(vlan.name, { netns }));
    }
    const wentDown = existing !== undefined && (bond.takenDown || (existing.up && !vlan.up));
    addressingSteps(steps, vlan.name, vlan, existing ?? { addresses: [], routes: [] }, wentDown, netns);
  }
}
