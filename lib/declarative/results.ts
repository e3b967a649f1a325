// What applyBond and applyBonds return: per bond the steps run, the state and health after, and
// the transaction's checkpoint and probe reports.
import type { ModuleLoadReport } from '../bond/module-load.js';
import type { BondState } from '../bond/state.js';
import type { ProbeReport } from '../probe/types.js';
import type { Health, PlanStep } from '../plan/types.js';

export interface ApplyResult {
  bond: string;
  /** The steps that ran (empty when the bond already matched). */
  steps: PlanStep[];
  dryRun: boolean;
  /** The bond after applying; null when it is absent. */
  state: BondState | null;
  /** Runtime health after applying (not for dry runs or absent bonds). */
  health?: Health;
  /** With confirmTimeout: the checkpoint to confirm before expiresAt, or it is rolled back. */
  checkpoint?: CheckpointInfo;
  /** The probes of the transaction, when there were any: what each saw before and after. */
  probes?: ProbeReport[];
  /** When the apply loaded the bonding module and the load made bonds (its max_bonds): which. */
  moduleLoad?: ModuleLoadReport;
}

export interface CheckpointInfo {
  id: string;
  /** ISO time at which the guard restores the state before unless confirmCheckpoint(id) came first. */
  expiresAt: string;
}

/** applyBonds' outcome: one result per bond, in the order they were applied. */
export interface ApplyBondsResult {
  bonds: ApplyResult[];
  dryRun: boolean;
  checkpoint?: CheckpointInfo;
  probes?: ProbeReport[];
  moduleLoad?: ModuleLoadReport;
}
