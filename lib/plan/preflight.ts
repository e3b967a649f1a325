// What the live read under the transaction's lock already shows to be impossible, refused before
// the first change: a slave that does not exist, or one that a master outside the transaction has
// (the kernel would move it silently; the enslave verb refuses it too), or one whose driver does
// not take the bond's MTU. Found at its enslave step (or the bond's MTU step) instead, the refusal
// came after other changes had been made, and their restore is only as exact as the kernel lets it
// be (a NIC reset by an MTU change the kernel undid has dropped its link).
import { constants } from 'node:os';
import { BondError } from '../errors.js';
import { slaveOfAnotherBondError } from '../bond/slave-checks.js';
import { checkSlavesTakeMtu } from '../validate/net.js';
import type { NativeLink } from '../native.js';
import type { NormalizedSpec } from './normalize.js';
import { mtuAfter } from './plan.js';
import type { LiveBond } from './types.js';

/** Throws for the first slave of `specs` that cannot be enslaved as the links are now. */
export function refuseImpossible(specs: readonly NormalizedSpec[], lives: ReadonlyMap<string, LiveBond>): void {
  const names = new Set(specs.map((s) => s.name));
  for (const spec of specs) {
    if (!spec.present) continue;
    const live = lives.get(spec.name);
    const links = live?.links ?? [];
    const byIndex = new Map(links.map((l) => [l.ifindex, l.ifname]));
    const slaveLinks: NativeLink[] = [];
    for (const { name: slave } of spec.slaves ?? []) {
      const link = links.find((l) => l.ifname === slave);
      if (!link) {
        throw new BondError({ errnum: constants.errno.ENODEV, syscall: 'plan', action: `enslave ${slave} -> ${spec.name}`, bond: spec.name, slave, hint: `${slave} does not exist in this network namespace` });
      }
      const master = link.master ? byIndex.get(link.master) : undefined;
      if (master !== undefined && master !== spec.name && !names.has(master)) throw slaveOfAnotherBondError(spec.name, slave, master);
      slaveLinks.push(link);
    }
    // Without a slave list the plan keeps the bond's slaves: they take its new MTU as well.
    const kept = spec.slaves === undefined ? links.filter((l) => live?.state?.slaves.some((s) => s.name === l.ifname)) : [];
    checkSlavesTakeMtu(spec.name, mtuAfter(spec, live?.state), [...slaveLinks, ...kept]);
  }
}
