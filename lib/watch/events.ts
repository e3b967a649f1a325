// Bond events and how they follow from two states of the same bond: what a watcher emits.
import { BOND_OPTION_DEFS } from '../option-table.js';
import type { AdInfo, BondState, ChurnState, LacpPortState, MiiStatus } from '../bond/state.js';

export interface EventBase {
  bond: string;
  /** ns, monotonic (comparable with process.hrtime.bigint()): when netbond read the message. */
  timestamp: bigint;
  /** The bond's state after the change (for bond-removed: the last state seen). */
  state: BondState;
}

export interface LacpPortView {
  slave: string;
  adAggregatorId?: number;
  adActorOperPortState?: LacpPortState;
  adPartnerOperPortState?: LacpPortState;
  adChurnActorState?: ChurnState;
  adChurnPartnerState?: ChurnState;
}

export type BondEvent =
  | (EventBase & { type: 'bond-added' })
  | (EventBase & { type: 'bond-removed' })
  | (EventBase & { type: 'slave-added'; slave: string })
  | (EventBase & { type: 'slave-removed'; slave: string })
  | (EventBase & { type: 'slave-link'; slave: string; status: MiiStatus; previous: MiiStatus; linkFailureCount: number })
  | (EventBase & { type: 'active-slave-changed'; from: string | null; to: string | null })
  | (EventBase & { type: 'lacp-changed'; adInfo?: AdInfo; ports: LacpPortView[] })
  | (EventBase & { type: 'carrier'; carrier: boolean })
  | (EventBase & { type: 'options-changed'; changed: Record<string, { from: unknown; to: unknown }> })
  | { type: 'resync'; reason: 'overrun' | 'slow-consumer'; timestamp: bigint; bonds: BondState[] };

export type BondEventType = BondEvent['type'];

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function lacpView(state: BondState): LacpPortView[] {
  return state.slaves.map((s) => ({
    slave: s.name,
    adAggregatorId: s.adAggregatorId,
    adActorOperPortState: s.adActorOperPortState,
    adPartnerOperPortState: s.adPartnerOperPortState,
    adChurnActorState: s.adChurnActorState,
    adChurnPartnerState: s.adChurnPartnerState,
  }));
}

/** The events that lead from `before` to `after` (same bond). */
export function diffBond(before: BondState, after: BondState, timestamp: bigint): BondEvent[] {
  const base = { bond: after.name, timestamp, state: after };
  const events: BondEvent[] = [];
  const was = new Map(before.slaves.map((s) => [s.name, s]));
  const now = new Map(after.slaves.map((s) => [s.name, s]));
  for (const name of now.keys()) if (!was.has(name)) events.push({ ...base, type: 'slave-added', slave: name });
  for (const name of was.keys()) if (!now.has(name)) events.push({ ...base, type: 'slave-removed', slave: name });
  for (const [name, slave] of now) {
    const old = was.get(name);
    if (old && old.miiStatus !== slave.miiStatus) {
      events.push({ ...base, type: 'slave-link', slave: name, status: slave.miiStatus, previous: old.miiStatus, linkFailureCount: slave.linkFailureCount });
    }
  }
  if (before.activeSlave !== after.activeSlave) events.push({ ...base, type: 'active-slave-changed', from: before.activeSlave, to: after.activeSlave });
  if (!same(before.adInfo, after.adInfo) || !same(lacpView(before), lacpView(after))) {
    if (after.mode === '802.3ad' || before.mode === '802.3ad') events.push({ ...base, type: 'lacp-changed', adInfo: after.adInfo, ports: lacpView(after) });
  }
  if (before.carrier !== after.carrier) events.push({ ...base, type: 'carrier', carrier: after.carrier });
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of ['mode', 'primary', ...BOND_OPTION_DEFS.map((s) => s.key)] as const) {
    const from = (before as unknown as Record<string, unknown>)[key];
    const to = (after as unknown as Record<string, unknown>)[key];
    if (!same(from, to)) changed[key] = { from, to };
  }
  if (Object.keys(changed).length > 0) events.push({ ...base, type: 'options-changed', changed });
  return events;
}
