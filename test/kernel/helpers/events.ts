// Collects a watcher's events in the background so tests can wait for the one they expect.
import type { BondEvent, BondWatcher } from '../../../lib/index.js';

export class EventLog {
  readonly events: { event: BondEvent; receivedAt: bigint }[] = [];
  /** What ended the iteration with an error, if anything did. */
  error: unknown;
  private readonly done: Promise<void>;
  private wake: (() => void) | undefined;

  constructor(watcher: BondWatcher) {
    this.done = (async () => {
      try {
        for await (const event of watcher) {
          this.events.push({ event, receivedAt: process.hrtime.bigint() });
          this.wake?.();
        }
      } catch (error) {
        this.error = error;
      }
    })();
  }

  /** Waits until an event matching `predicate` has arrived; throws after timeoutMs. */
  async waitFor(predicate: (event: BondEvent) => boolean, timeoutMs = 10_000): Promise<{ event: BondEvent; receivedAt: bigint }> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(({ event }) => predicate(event));
      if (found) return found;
      if (Date.now() > end) throw new Error(`no matching event within ${timeoutMs} ms; saw ${this.events.map((e) => e.event.type).join(', ')}`);
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, 50);
      });
    }
  }

  /** Resolves when the watcher's iteration has ended. */
  finished(): Promise<void> {
    return this.done;
  }
}
