// The order in which several bonds are applied in one transaction: a bond that takes a slave
// another bond of the transaction has now goes after that one (which releases it first); otherwise
// the order given. Two bonds that want each other's slaves cannot be ordered.
import { ValidationError } from '../errors.js';
import type { NativeLink } from '../native.js';
import type { NormalizedSpec } from './normalize.js';

export function applyOrder(specs: readonly NormalizedSpec[], links: readonly NativeLink[]): NormalizedSpec[] {
  const byIndex = new Map(links.map((l) => [l.ifindex, l.ifname]));
  const masterOf = new Map(links.map((l) => [l.ifname, l.master ? byIndex.get(l.master) : undefined]));
  const names = new Set(specs.map((s) => s.name));
  /** The bonds of the transaction that must run before `spec`. */
  const after = (spec: NormalizedSpec) => new Set((spec.slaves ?? []).map((s) => masterOf.get(s.name)).filter((m): m is string => m !== undefined && m !== spec.name && names.has(m)));
  const ordered: NormalizedSpec[] = [];
  const waiting = [...specs];
  while (waiting.length > 0) {
    const next = waiting.findIndex((spec) => [...after(spec)].every((m) => ordered.some((o) => o.name === m)));
    if (next < 0) {
      throw new ValidationError({
        option: 'bonds',
        value: waiting.map((s) => s.name),
        allowed: 'bonds that do not take each other\'s slaves',
        message: `${waiting.map((s) => s.name).join(' and ')} each want slaves the other has now; apply them in two transactions`,
      });
    }
    ordered.push(...waiting.splice(next, 1));
  }
  return ordered;
}
