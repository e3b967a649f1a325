// The declarative bond: what a bond should look like, the bond as it is, and the plan that gets
// it there with its health after (what apply returns: results.ts).
import type { BondOptions, SlaveOptions } from '../option-table.js';
import type { BondState } from '../bond/state.js';
import type { InterfaceAddress } from '../link/addresses.js';
import type { RouteInfo } from '../link/routes.js';
import type { VlanProtocol } from '../link/info.js';
import type { NativeLink } from '../native.js';

/** A slave by name, with any slave option (queueId, prio, actorPortPrio). */
export interface BondSlaveSpec extends SlaveOptions {
  name: string;
}

export interface BondAddressSpec {
  /** CIDR: 10.65.69.171/24 or 2001:db8::1/64. */
  address: string;
  /** IPv4 broadcast address (ifcfg's BROADCAST). */
  broadcast?: string;
}

export interface BondRouteSpec {
  /** CIDR or 'default'. The route goes through the bond. */
  destination: string;
  gateway?: string;
  metric?: number;
}

/**
 * A VLAN over the bond (the bond as a trunk, the host's addresses on `bond0.100`). `addresses`
 * and `routes` work as the bond's own.
 */
export interface BondVlanSpec {
  /** 1-4094. */
  id: number;
  /** Default `<bond>.<id>`. */
  name?: string;
  /** Default '802.1Q'. */
  protocol?: VlanProtocol;
  /** Default true. */
  up?: boolean;
  /** At most the bond's MTU (the kernel refuses more). */
  mtu?: number;
  addresses?: (string | BondAddressSpec)[];
  routes?: BondRouteSpec[];
}

/**
 * A bond as it should be. Options left out stay as the kernel has them. `slaves`, `addresses`
 * and `routes`, when given, are the whole list: what is not in them is removed (addresses the
 * kernel manages, such as IPv6 link-local, and the connected routes of addresses are left alone).
 * `vlans`, when given, is the whole list of VLANs over the bond: a VLAN over it not in the list is
 * deleted.
 */
export interface BondSpec extends BondOptions {
  name: string;
  /** 'absent' deletes the bond. Default 'present'. */
  state?: 'present' | 'absent';
  slaves?: (string | BondSlaveSpec)[];
  activeSlave?: string;
  /** Default true. */
  up?: boolean;
  mtu?: number;
  mac?: string;
  addresses?: (string | BondAddressSpec)[];
  routes?: BondRouteSpec[];
  vlans?: BondVlanSpec[];
}

export type PlanStepKind =
  | 'create-bond'
  | 'delete-bond'
  | 'release'
  | 'set-down'
  | 'set-option'
  | 'set-mtu'
  | 'set-mac'
  | 'enslave'
  | 'set-slave-option'
  | 'set-up'
  | 'set-active-slave'
  | 'remove-address'
  | 'add-address'
  | 'remove-route'
  | 'add-route'
  | 'create-vlan'
  | 'delete-vlan';

/** One step of a plan, in words. */
export interface PlanStep {
  kind: PlanStepKind;
  /** What it does: "set mode active-backup on bond0". */
  description: string;
  /** Why: "mode is balance-rr, wanted active-backup". */
  reason: string;
}

export interface Plan {
  bond: string;
  steps: PlanStep[];
}

/** What the bond looks like from outside, for rollback and verification. */
export interface LiveBond {
  exists: boolean;
  state?: BondState;
  /** Slave names in the order they were enslaved (/proc/net/bonding). */
  slaveOrder: string[];
  addresses: InterfaceAddress[];
  routes: RouteInfo[];
  /** The VLANs whose lower link is the bond, in ifindex order. */
  vlans: LiveVlan[];
  /** Every link of the namespace, read in the same batch (which slaves are free, and how). */
  links: NativeLink[];
}

/** A VLAN over the bond as it is. */
export interface LiveVlan {
  name: string;
  id: number;
  protocol: VlanProtocol;
  up: boolean;
  mtu: number;
  addresses: InterfaceAddress[];
  routes: RouteInfo[];
}

export interface Health {
  healthy: boolean;
  carrier: boolean;
  slavesUp: number;
  minLinks: number;
  /** 802.3ad: the aggregator has a partner. */
  lacpPartner?: boolean;
  problems: string[];
}
