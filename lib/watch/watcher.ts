// watchBonds: bond-level events as an async iterator. RTNLGRP_LINK notifications arrive through
// the addon's LinkMonitor (uv_poll on the loop); each one updates a cache of the bonds' links and
// the bond's state is decoded from that cache, so a transition is seen in the message that
// reported it. Where the kernel sends nothing (most LACP changes, tlb/alb active slave), a light
// periodic dump feeds the same diff. An overrun (ENOBUFS) or a consumer too slow for the queue
// becomes a `resync` event with the full state: events are never dropped silently.
import { runSteps } from '../netlink/batch.js';
import { resolveCall } from '../call/options.js';
import { ValidationError } from '../errors.js';
import { native, type NativeLink, type NativeLinkMonitor, type NativeLinkNotice } from '../native.js';
import type { CallOptions, ResolvedNetns } from '../call/netns.js';
import { BOND_OPTION_DEFS } from '../option-table.js';
import { toState } from '../netlink/read.js';
import type { AdInfo, BondState, LacpPortState, MiiStatus } from '../bond/state.js';
import { validateIfname } from '../validate/names.js';

export interface WatchOptions extends Pick<CallOptions, 'netns'> {
  /** Only these bonds; default every bond of the namespace. */
  bonds?: readonly string[];
  /** Closes the watcher when aborted. */
  signal?: AbortSignal;
  /** ms between state polls for what the kernel does not notify (LACP, tlb/alb active slave); 0 turns polling off. Default 1000. */
  pollInterval?: number;
  /** Events kept for a slow consumer before they are replaced by one `resync`. Default 10000. */
  maxQueue?: number;
  /** Socket receive buffer in bytes; larger means fewer overruns under event storms. Default 4 MiB. */
  receiveBuffer?: number;
}

interface EventBase {
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

/** The bonds' links as the watcher knows them, updated message by message. */
class LinkCache {
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

/** An open watch: iterate it with `for await`; `close()` (or break, or the signal) ends it. */
export class BondWatcher implements AsyncIterableIterator<BondEvent> {
  private readonly queue: BondEvent[] = [];
  private waiting: ((result: IteratorResult<BondEvent>) => void) | undefined;
  private failWaiting: ((error: unknown) => void) | undefined;
  private failure: unknown;
  private closed = false;
  private monitor: NativeLinkMonitor | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private readonly cache = new LinkCache();
  private readonly states = new Map<number, BondState>();
  private baselineAt = 0n;
  /** Counts applied notices, so a poll can tell whether its dump raced with one. */
  private noticeCount = 0;
  private baselineTaken = false;
  private readonly early: NativeLinkNotice[] = [];
  private readonly onAbort = () => this.close();
  /**
   * Resolves once the watcher is subscribed and has read the bonds as they are: changes after
   * this are reported. Rejects if it cannot start (no such namespace, no permission).
   */
  readonly ready: Promise<void>;

  constructor(
    private readonly netns: ResolvedNetns,
    private readonly names: ReadonlySet<string> | undefined,
    private readonly pollInterval: number,
    private readonly maxQueue: number,
    receiveBuffer: number,
    private readonly signal: AbortSignal | undefined,
  ) {
    signal?.addEventListener('abort', this.onAbort, { once: true });
    this.ready = this.start(receiveBuffer);
    this.ready.catch((error: unknown) => this.fail(error));
  }

  private async start(receiveBuffer: number): Promise<void> {
    const fd = await native().openLinkSubscription(this.netns.path, receiveBuffer);
    if (this.closed) {
      native().closeFd(fd);
      return;
    }
    // Subscribe first, then dump: nothing between the dump and the first notice is missed.
    this.monitor = new (native().LinkMonitor)(fd, (notices, overrun) => this.onBatch(notices, overrun));
    this.baselineAt = process.hrtime.bigint();
    const links = await this.dump();
    if (this.closed) return;
    this.cache.replaceAll(links);
    for (const ifindex of this.cache.bondIfindexes()) {
      const state = this.cache.state(ifindex);
      if (state) this.states.set(ifindex, state);
    }
    this.baselineTaken = true;
    // Notices read before the dump started are already in it.
    for (const notice of this.early.splice(0)) if (notice.timestamp >= this.baselineAt) this.applyNotice(notice);
    if (this.pollInterval > 0) this.schedulePoll();
  }

  private async dump(): Promise<NativeLink[]> {
    const [links = []] = await runSteps(this.netns, [{ request: { op: 'dumplinks' }, action: 'watch: read every link' }]);
    return links;
  }

  private schedulePoll(): void {
    this.pollTimer = setTimeout(() => {
      this.poll().then(
        () => !this.closed && this.schedulePoll(),
        (error: unknown) => this.fail(error),
      );
    }, this.pollInterval);
  }

  /** The kernel does not notify every change (LACP states, tlb/alb active slave): compare a dump. */
  private async poll(): Promise<void> {
    const countBefore = this.noticeCount;
    const links = await this.dump();
    // A notice applied meanwhile may be newer than the dump; skip this round rather than regress.
    if (this.closed || this.noticeCount !== countBefore) return;
    const timestamp = process.hrtime.bigint();
    const fresh = new LinkCache();
    fresh.replaceAll(links);
    const seen = new Set<number>();
    for (const ifindex of fresh.bondIfindexes()) {
      seen.add(ifindex);
      const state = fresh.state(ifindex);
      if (state) this.update(ifindex, state, timestamp);
    }
    for (const [ifindex, last] of this.states) if (!seen.has(ifindex)) this.removed(ifindex, last, timestamp);
    this.cache.replaceAll(links);
  }

  private onBatch(notices: NativeLinkNotice[], overrun: boolean): void {
    if (this.closed) return;
    if (!this.baselineTaken) {
      this.early.push(...notices);
      if (overrun) this.early.length = 0; // the baseline dump comes after; it covers them
      return;
    }
    if (overrun) {
      this.resync('overrun').catch((error: unknown) => this.fail(error));
      return;
    }
    for (const notice of notices) this.applyNotice(notice);
  }

  private applyNotice(notice: NativeLinkNotice): void {
    this.noticeCount++;
    const { link, deleted, timestamp } = notice;
    if (deleted && link.kind === 'bond') {
      const last = this.states.get(link.ifindex);
      this.cache.apply(link, true);
      if (last) this.removed(link.ifindex, last, timestamp);
      return;
    }
    for (const ifindex of this.cache.apply(link, deleted)) {
      const state = this.cache.state(ifindex);
      if (state) this.update(ifindex, state, timestamp);
    }
  }

  private update(ifindex: number, state: BondState, timestamp: bigint): void {
    const before = this.states.get(ifindex);
    this.states.set(ifindex, state);
    if (!before) this.emit({ type: 'bond-added', bond: state.name, timestamp, state });
    else for (const event of diffBond(before, state, timestamp)) this.emit(event);
  }

  private removed(ifindex: number, last: BondState, timestamp: bigint): void {
    this.states.delete(ifindex);
    this.emit({ type: 'bond-removed', bond: last.name, timestamp, state: last });
  }

  private async resync(reason: 'overrun' | 'slow-consumer'): Promise<void> {
    const links = await this.dump();
    if (this.closed) return;
    this.cache.replaceAll(links);
    this.states.clear();
    for (const ifindex of this.cache.bondIfindexes()) {
      const state = this.cache.state(ifindex);
      if (state) this.states.set(ifindex, state);
    }
    const bonds = [...this.states.values()].filter((s) => !this.names || this.names.has(s.name));
    this.queue.length = 0;
    this.push({ type: 'resync', reason, timestamp: process.hrtime.bigint(), bonds });
  }

  private emit(event: BondEvent): void {
    if (event.type !== 'resync' && this.names && !this.names.has(event.bond)) return;
    if (this.queue.length >= this.maxQueue) {
      this.queue.length = 0;
      this.resync('slow-consumer').catch((error: unknown) => this.fail(error));
      return;
    }
    this.push(event);
  }

  private push(event: BondEvent): void {
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      this.failWaiting = undefined;
      resolve({ value: event, done: false });
    } else {
      this.queue.push(event);
    }
  }

  private fail(error: unknown): void {
    if (this.closed) return;
    this.failure = error;
    const reject = this.failWaiting;
    this.close();
    reject?.(error);
  }

  next(): Promise<IteratorResult<BondEvent>> {
    const event = this.queue.shift();
    if (event) return Promise.resolve({ value: event, done: false });
    if (this.failure !== undefined) {
      const error = this.failure;
      this.failure = undefined;
      return Promise.reject(error);
    }
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failWaiting = reject;
    });
  }

  return(): Promise<IteratorResult<BondEvent>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Stops watching: closes the socket and the poll timer. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.monitor?.close();
    this.monitor = undefined;
    clearTimeout(this.pollTimer);
    this.signal?.removeEventListener('abort', this.onAbort);
    const resolve = this.waiting;
    this.waiting = undefined;
    this.failWaiting = undefined;
    if (this.failure === undefined) resolve?.({ value: undefined, done: true });
  }
}

/** Watches bonds live: `for await (const event of watchBonds({ netns })) { ... }`. */
export function watchBonds(opts: WatchOptions = {}): BondWatcher {
  const { bonds, signal, pollInterval, maxQueue, receiveBuffer, ...call } = opts;
  const { netns } = resolveCall(call);
  const names = bonds === undefined ? undefined : new Set(bonds.map((name) => validateIfname('bonds', name)));
  const number = (option: string, value: number | undefined, fallback: number, min: number) => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < min) throw new ValidationError({ option, value, allowed: `an integer >= ${min}` });
    return value;
  };
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new ValidationError({ option: 'signal', value: signal, allowed: 'an AbortSignal' });
  const watcher = new BondWatcher(
    netns,
    names,
    number('pollInterval', pollInterval, 1000, 0),
    number('maxQueue', maxQueue, 10_000, 1),
    number('receiveBuffer', receiveBuffer, 4 * 1024 * 1024, 0),
    signal,
  );
  if (signal?.aborted) watcher.close();
  return watcher;
}
