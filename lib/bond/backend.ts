// What a backend does for the bond verbs: the kernel I/O of each, over rtnetlink (lib/backends/netlink/)
// or sysfs (lib/backends/sysfs/). The verbs (lib/verbs/) validate, check the request against the bond
// as it is and pick the backend (backend-of.ts); a backend runs the steps in the driver's order,
// reads back, verifies and rolls back what it changed when a step fails.
import type { ResolvedCall } from '../call/options.js';
import type { ResolvedNetns } from '../call/netns.js';
import type { OptionDef, SlaveOptionDef } from '../option-table.js';
import type { NormalizedOptions } from '../validate/options.js';
import type { OptionChanges } from './option-plan.js';
import type { ModuleLoadWatch } from './module-load.js';
import type { BondState, SlaveState } from './state.js';

/** A validated createBond request. */
export interface CreatePlan {
  name: string;
  call: ResolvedCall;
  slaves: string[];
  up: boolean;
  mode: number;
  options: NormalizedOptions;
  /** The call's watch on the bonding module: a bond of this name made by the module's load is adopted. */
  moduleLoad?: ModuleLoadWatch;
}

/** A slave option that changes, with its validated value. */
export type SlaveChange = { def: SlaveOptionDef; value: number };

export interface Backend {
  /** Refuses options this backend cannot set (sysfs has no file for the netlink-only ones). */
  checkSettable(bond: string, defs: Iterable<OptionDef>): void;
  readBond(netns: ResolvedNetns, name: string, stats: boolean): Promise<BondState>;
  listBonds(netns: ResolvedNetns, stats: boolean): Promise<BondState[]>;
  createBond(plan: CreatePlan): Promise<BondState>;
  deleteBond(netns: ResolvedNetns, name: string): Promise<void>;
  /** Enslaves the named links; slaves of another master are refused, those already ours skipped. */
  enslave(netns: ResolvedNetns, bond: string, names: readonly string[]): Promise<BondState>;
  /** Releases the named slaves of the bond; a name that is not one is refused (slavesToRelease). */
  release(netns: ResolvedNetns, bond: string, names: readonly string[]): Promise<BondState>;
  setActiveSlave(netns: ResolvedNetns, bond: BondState, slave: SlaveState | null): Promise<BondState>;
  setBondOptions(netns: ResolvedNetns, bond: BondState, plan: OptionChanges): Promise<BondState>;
  setSlaveOptions(netns: ResolvedNetns, bond: BondState, slave: SlaveState, changes: readonly SlaveChange[]): Promise<BondState>;
}
