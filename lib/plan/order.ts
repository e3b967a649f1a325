// The order in which several bonds are applied in one transaction: a bond that takes a slave
// another bond of the transaction has now goes after that one (which releases it first); otherwise
// the order given. Bonds that want each other's slaves (a swap, a rotation) cannot be ordered that
// way: the slaves they contest are released first, and then the order given holds. A restore uses
// the same order (lib/declarative/transaction/restore.ts), so it can undo a swap too.
import { backendOf } from '../backends/backend-of.js';
import type { NetnsOption } from '../call/netns.js';
import { resolveCall } from '../call/options.js';
import type { NativeLink } from '../native.js';
import type { NormalizedSpec } from './normalize.js';
import { StepList, type ExecStep } from './step.js';

/** A slave one bond of the transaction has now and another takes: released before any plan runs. */
export interface ContestedSlave {
  bond: string;
  slave: string;
  takenBy: string;
}

export interface ApplyOrder {
  ordered: NormalizedSpec[];
  releasedFirst: ContestedSlave[];
}

export function applyOrder(specs: readonly NormalizedSpec[], links: readonly NativeLink[]): ApplyOrder {
  const byIndex = new Map(links.map((l) => [l.ifindex, l.ifname]));
  const masterOf = new Map(links.map((l) => [l.ifname, l.master ? byIndex.get(l.master) : undefined]));
  const names = new Set(specs.map((s) => s.name));
  const released = new Set<string>();
  /** The bond of the transaction `spec` takes `slave` from, if any. */
  const takesFrom = (spec: NormalizedSpec, slave: string) => {
    const master = released.has(slave) ? undefined : masterOf.get(slave);
    return master !== undefined && master !== spec.name && names.has(master) ? master : undefined;
  };
  /** The bonds of the transaction that must run before `spec`. */
  const after = (spec: NormalizedSpec) => new Set((spec.slaves ?? []).map((s) => takesFrom(spec, s.name)).filter((m): m is string => m !== undefined));
  const ordered: NormalizedSpec[] = [];
  const releasedFirst: ContestedSlave[] = [];
  const waiting = [...specs];
  while (waiting.length > 0) {
    const next = waiting.findIndex((spec) => [...after(spec)].every((m) => ordered.some((o) => o.name === m)));
    if (next >= 0) {
      ordered.push(...waiting.splice(next, 1));
      continue;
    }
    // Every waiting bond waits for another: free what the waiting bonds take from each other.
    for (const spec of waiting) {
      for (const { name: slave } of spec.slaves ?? []) {
        const bond = takesFrom(spec, slave);
        if (bond === undefined || ordered.some((o) => o.name === bond)) continue;
        releasedFirst.push({ bond, slave, takenBy: spec.name });
        released.add(slave);
      }
    }
  }
  return { ordered, releasedFirst };
}

/** The steps that free the contested slaves, run before the first bond's plan. */
export function releaseFirstSteps(contested: readonly ContestedSlave[], netns: NetnsOption | undefined): ExecStep[] {
  const list = new StepList();
  for (const { bond, slave, takenBy } of contested) {
    const reason = `${takenBy} takes ${slave}, and ${bond} takes a slave ${takenBy} has: one of them must let go first`;
    list.add('release', `release ${slave} from ${bond}`, reason, () => backendOf('netlink').release(resolveCall({ netns }, bond).netns, bond, [slave]));
  }
  return list.steps;
}
