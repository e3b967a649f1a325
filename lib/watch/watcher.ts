// watchBonds: bond-level events as an async iterator. RTNLGRP_LINK notifications arrive through
// the addon's LinkMonitor (uv_poll on the loop); each one updates a cache of the bonds' links and
// the bond's state is decoded from that cache, so a transition is seen in the message that
// reported it. Where the kernel sends nothing (most LACP changes, tlb/alb active slave), a light
// periodic dump feeds the same diff. An overrun (ENOBUFS) or a consumer too slow for the queue
// becomes a `resync` event with the full state: events are never dropped silently.
import { runSteps } from '../netlink/batch.js';
import { resolveCall, type CallOptions } from '../call/options.js';
import { ValidationError } from '../errors.js';
import { native, type NativeLink, type NativeLinkMonitor, type NativeLinkNotice } from '../native.js';
import type { ResolvedNetns } from '../call/netns.js';
import type { BondState } from '../bond/state.js';
import { validateIfname } from '../validate/names.js';
import { MAX_TIMER_MS, validateInteger } from '../validate/values.js';
import { diffBond, type BondEvent } from './events.js';
import { LinkCache } from './link-cache.js';

export { diffBond, type BondEvent, type BondEventType, type LacpPortView } from './events.js';

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
  /** Counts the batches read (notices or an overrun), so a dump can tell whether one raced with it. */
  private arrivals = 0;
  private baselineTaken = false;
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
    const { links, quiet } = await this.baselineDump();
    if (this.closed) return;
    this.cache.replaceAll(links);
    for (const ifindex of this.cache.bondIfindexes()) {
      const state = this.cache.state(ifindex);
      if (state) this.states.set(ifindex, state);
    }
    this.baselineTaken = true;
    // A baseline taken in a storm may lack what its discarded notices said: diff a fresh dump at
    // once. Like every poll it skips a round a notice raced with; such a notice carries its link's
    // whole state, and with polling on the next round diffs again.
    if (!quiet) this.schedulePoll(0);
    else if (this.pollInterval > 0) this.schedulePoll();
  }

  /**
   * A dump that no notice raced with. A notice read while a dump runs may describe a change older
   * or newer than the dump's snapshot, and its read time cannot tell which, so it is neither
   * applied nor trusted: the dump is taken again, and sees every change whose notice was already
   * read (the change came before its notice). After MAX_BASELINE_DUMPS raced dumps the last one
   * is used anyway (`quiet: false`), and the caller polls to catch up.
   */
  private async baselineDump(): Promise<{ links: NativeLink[]; quiet: boolean }> {
    for (let attempt = 1; ; attempt++) {
      const arrivalsBefore = this.arrivals;
      const links = await this.dump();
      const quiet = this.arrivals === arrivalsBefore;
      if (quiet || attempt === MAX_BASELINE_DUMPS || this.closed) return { links, quiet };
    }
  }

  private async dump(): Promise<NativeLink[]> {
    const [links = []] = await runSteps(this.netns, [{ request: { op: 'dumplinks' }, action: 'watch: read every link' }]);
    // A notice queued before the snapshot can still be unread when the reply resolves: the loop
    // may run the dump's completion before the monitor's readable callback of the same turn. Wait
    // for that turn to end (setImmediate runs after its I/O callbacks), so the caller's race check
    // sees the notice.
    await new Promise((resolve) => setImmediate(resolve));
    return links;
  }

  private schedulePoll(delay = this.pollInterval): void {
    this.pollTimer = setTimeout(() => {
      this.poll().then(
        () => !this.closed && this.pollInterval > 0 && this.schedulePoll(),
        (error: unknown) => this.fail(error),
      );
    }, delay);
  }

  /** The kernel does not notify every change (LACP states, tlb/alb active slave): compare a dump. */
  private async poll(): Promise<void> {
    const arrivalsBefore = this.arrivals;
    const links = await this.dump();
    // A notice read meanwhile may be newer than the dump; skip this round rather than regress.
    if (this.closed || this.arrivals !== arrivalsBefore) return;
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
    this.arrivals++;
    // Before the baseline, a batch can only arrive during its dump: that dump is taken again.
    if (!this.baselineTaken) return;
    if (overrun) {
      this.resync('overrun').catch((error: unknown) => this.fail(error));
      return;
    }
    for (const notice of notices) this.applyNotice(notice);
  }

  private applyNotice(notice: NativeLinkNotice): void {
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

/** Baseline dumps tried while notices keep racing with them; then the last is used and a poll catches up. */
const MAX_BASELINE_DUMPS = 5;
/** Events held for a slow consumer; beyond this one `resync` replaces them anyway. */
const MAX_QUEUE = 10_000_000;
/** SO_RCVBUFFORCE takes an int that the kernel doubles: 1 GiB is far above need and below the wrap. */
const MAX_RECEIVE_BUFFER = 2 ** 30;

/** Watches bonds live: `for await (const event of watchBonds({ netns })) { ... }`. */
export function watchBonds(opts: WatchOptions = {}): BondWatcher {
  const { bonds, signal, pollInterval, maxQueue, receiveBuffer, ...call } = opts;
  const { netns } = resolveCall(call);
  const names = bonds === undefined ? undefined : new Set(bonds.map((name) => validateIfname('bonds', name)));
  const number = (option: string, value: number | undefined, fallback: number, min: number, max: number) =>
    value === undefined ? fallback : validateInteger(option, value, min, max);
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new ValidationError({ option: 'signal', value: signal, allowed: 'an AbortSignal' });
  const watcher = new BondWatcher(
    netns,
    names,
    number('pollInterval', pollInterval, 1000, 0, MAX_TIMER_MS),
    number('maxQueue', maxQueue, 10_000, 1, MAX_QUEUE),
    number('receiveBuffer', receiveBuffer, 4 * 1024 * 1024, 0, MAX_RECEIVE_BUFFER),
    signal,
  );
  if (signal?.aborted) watcher.close();
  return watcher;
}
