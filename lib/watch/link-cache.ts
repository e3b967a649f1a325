// The bonds' links as a watcher knows them, updated message by message, and each bond's state
// decoded from them.
import type { NativeLink } from '../native.js';
import type { BondState } from '../bond/state.js';
import { toState } from '../backends/netlink/read.js';

/** The bonds' links as the watcher knows them, updated message by message. */
export class LinkCache {
  private readonly links = new Map<number, NativeLink>();

  bondOf(ifindex: number): number | undefined {
    const link = this.links.get(ifindex);
    if (!link) return undefined;
    return link.kind === 'bond' ? link.ifindex : link.master;
  }

  state(bondIfindex: number): BondState | undefined {
    const bond = this.links.get(bondIfindex);
    if (!bond || bond.kind !== 'bond') return undefined;
    const slaves = [...this.links.values()].filter((l) => l.master === bondIfindex && l.slaveKind === 'bond');
    return toState(bond, slaves);
  }

  /** Applies one notice; returns the bonds whose state it may have changed. */
  apply(link: NativeLink, deleted: boolean): number[] {
    const touched = new Set<number>();
    const previous = this.links.get(link.ifindex);
    if (previous && previous.kind !== 'bond' && previous.master) touched.add(previous.master);
    if (deleted || (link.kind !== 'bond' && !(link.slaveKind === 'bond' && link.master))) {
      this.links.delete(link.ifindex);
    } else {
      this.links.set(link.ifindex, link);
    }
    if (link.kind === 'bond') touched.add(link.ifindex);
    else if (link.master && this.links.has(link.ifindex)) touched.add(link.master);
    return [...touched];
  }

  replaceAll(links: readonly NativeLink[]): void {
    this.links.clear();
    for (const link of links) if (link.kind === 'bond' || (link.slaveKind === 'bond' && link.master)) this.links.set(link.ifindex, link);
  }

  bondIfindexes(): number[] {
    return [...this.links.values()].filter((l) => l.kind === 'bond').map((l) => l.ifindex);
  }
}
