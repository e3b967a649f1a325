// watchBonds' baseline: notices read while the baseline dump runs may describe changes older than
// what the dump saw, so the watcher must not apply them after it. The addon is replaced: the fake
// LinkMonitor hands its callback to the test, and each dump is a scripted step that can deliver
// notices while it "runs" before it resolves with the links it saw.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchBonds, type BondWatcher } from '../../lib/index.js';
import { native, type NativeLink, type NativeLinkMonitor, type NativeLinkNotice, type NativeRtnlRequest } from '../../lib/native.js';
import { IFF_LOWER_UP, IFF_UP } from '../../lib/netlink/constants.js';
import { BOND_ATTR, BOND_MODES, SLAVE_ATTR } from '../../lib/option-table.js';

const BOND = 10;
const ETH0 = 2;
const ETH1 = 3;

interface BondView {
  active: 'eth0' | 'eth1';
  miimon: number;
}

function link(ifindex: number, ifname: string, extra: Partial<NativeLink>): NativeLink {
  return { ifindex, ifname, flags: IFF_UP | IFF_LOWER_UP, mtu: 1500, operstate: 6, address: Buffer.from([2, 0, 0, 0, 0, ifindex]), master: 0, numTxQueues: 16, ...extra };
}

/** An active-backup bond0 over eth0 and eth1, as a dump or a notice would carry it. */
function bondLinks({ active, miimon }: BondView): NativeLink[] {
  const activeIfindex = active === 'eth0' ? ETH0 : ETH1;
  const slave = (ifindex: number, ifname: string) =>
    link(ifindex, ifname, { master: BOND, slaveKind: 'bond', slaveData: { [SLAVE_ATTR.STATE]: ifindex === activeIfindex ? 0 : 1, [SLAVE_ATTR.MII_STATUS]: 0 } });
  return [
    link(BOND, 'bond0', {
      kind: 'bond',
      infoData: { [BOND_ATTR.MODE]: BOND_MODES.indexOf('active-backup'), [BOND_ATTR.ACTIVE_SLAVE]: activeIfindex, [BOND_ATTR.MIIMON]: miimon },
    }),
    slave(ETH0, 'eth0'),
    slave(ETH1, 'eth1'),
  ];
}

/** The bond's own link as a notice of a change to it carries it. */
const bondNotice = (view: BondView): NativeLinkNotice => ({ deleted: false, timestamp: process.hrtime.bigint(), link: bondLinks(view)[0] as NativeLink });

type OnBatch = (notices: NativeLinkNotice[], overrun: boolean) => void;
/** One dump: may deliver notices through the monitor while it runs, then resolves with links. */
type DumpStep = (deliver: OnBatch) => Promise<NativeLink[]>;

let deliver: OnBatch | undefined;
let dumps: DumpStep[];
let dumpRequests: NativeRtnlRequest[][];
const watchers: BondWatcher[] = [];

class FakeMonitor implements NativeLinkMonitor {
  constructor(_fd: number, onBatch: OnBatch) {
    deliver = onBatch;
  }
  close(): void {
    deliver = undefined;
  }
}
const RealMonitor = native().LinkMonitor;

beforeEach(() => {
  const addon = native();
  deliver = undefined;
  dumps = [];
  dumpRequests = [];
  vi.spyOn(addon, 'openLinkSubscription').mockResolvedValue(1000);
  vi.spyOn(addon, 'closeFd').mockImplementation(() => undefined);
  // Assigned, not spied: a vi.fn() constructed with `new` would not keep the class's methods.
  addon.LinkMonitor = FakeMonitor;
  vi.spyOn(addon, 'rtnlBatch').mockImplementation(async (_path, requests) => {
    dumpRequests.push([...requests]);
    const step = dumps.shift();
    if (!step || !deliver || requests.length !== 1 || requests[0]?.op !== 'dumplinks') throw new Error(`unexpected rtnlBatch ${JSON.stringify(requests)}`);
    return [await step(deliver)];
  });
});

afterEach(() => {
  for (const watcher of watchers.splice(0)) watcher.close();
  vi.restoreAllMocks();
  native().LinkMonitor = RealMonitor;
});

function watch(pollInterval = 0): BondWatcher {
  const watcher = watchBonds({ pollInterval });
  watchers.push(watcher);
  return watcher;
}

/** Everything the watcher emits, as a consumer reading it all the time would see it. */
function collect(watcher: BondWatcher): unknown[] {
  const events: unknown[] = [];
  (async () => {
    for await (const event of watcher) events.push(event);
  })().catch((error: unknown) => events.push({ failed: error }));
  return events;
}

/** Lets pending dumps, timers and deliveries run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

const OLD: BondView = { active: 'eth0', miimon: 100 };
const NEW: BondView = { active: 'eth1', miimon: 200 };

/** Starts a watcher; once ready it must have dumped twice and reported nothing. */
async function quietStart(): Promise<unknown[]> {
  const watcher = watch();
  const events = collect(watcher);
  await watcher.ready;
  await settle();
  expect(events).toEqual([]);
  expect(dumpRequests).toHaveLength(2);
  return events;
}

/** The next real change must be diffed against the newer state (miimon 200). */
async function expectDiffFromNewer(events: unknown[]): Promise<void> {
  deliver?.([bondNotice({ active: 'eth1', miimon: 300 })], false);
  await settle();
  expect(events).toMatchObject([{ type: 'options-changed', bond: 'bond0', changed: { miimon: { from: 200, to: 300 } } }]);
  expect(events).toHaveLength(1);
}

describe('watchBonds baseline', () => {
  it('dumps again when a notice arrived during the dump, and never applies that notice after it', async () => {
    // The dump saw eth1/200; a notice of the earlier eth0/100 state is read while it runs.
    dumps.push(async (onBatch) => {
      onBatch([bondNotice(OLD)], false);
      return bondLinks(NEW);
    });
    dumps.push(async () => bondLinks(NEW));
    await expectDiffFromNewer(await quietStart());
  });

  it('counts a notice read just after the dump resolved, in the same loop turn, as raced', async () => {
    // The notice was queued before the dump's snapshot but the loop reads it after the dump's
    // completion ran: two callbacks of one loop phase, as the addon's poll and pool wakeups are.
    dumps.push(
      (onBatch) =>
        new Promise((resolve) => {
          // One timer (two could fire in different loop turns on a busy machine): the dump
          // resolves, and the notice is read later in the same turn, before its check phase ends.
          setTimeout(() => {
            resolve(bondLinks(NEW));
            setImmediate(() => onBatch([bondNotice(OLD)], false));
          }, 0);
        }),
    );
    dumps.push(async () => bondLinks(NEW));
    await quietStart();
  });

  it('dumps again after an overrun during the dump: the lost notices may be newer than it', async () => {
    dumps.push(async (onBatch) => {
      onBatch([], true);
      return bondLinks(OLD);
    });
    dumps.push(async () => bondLinks(NEW));
    await expectDiffFromNewer(await quietStart());
  });

  it('when notices arrive during every dump, is ready after a bounded number of dumps and catches up with one poll', async () => {
    let storm = true;
    const step: DumpStep = async (onBatch) => {
      if (!storm) return bondLinks(NEW);
      onBatch([bondNotice(OLD)], false);
      return bondLinks(OLD);
    };
    for (let i = 0; i < 20; i++) dumps.push(step);
    const watcher = watch();
    const events = collect(watcher);
    await watcher.ready;
    storm = false;
    const baselineDumps = dumpRequests.length;
    expect(baselineDumps).toBeGreaterThan(1);
    expect(baselineDumps).toBeLessThanOrEqual(5);

    // The storm is over: the catch-up poll (polling is otherwise off) reports what the discarded
    // notices may have carried, and then nothing polls again.
    await settle();
    expect(dumpRequests).toHaveLength(baselineDumps + 1);
    expect(events).toMatchObject([
      { type: 'active-slave-changed', from: 'eth0', to: 'eth1' },
      { type: 'options-changed', changed: { miimon: { from: 100, to: 200 } } },
    ]);
    expect(events).toHaveLength(2);
  });

  it('close() during the baseline dump resolves ready and ends the iterator', async () => {
    let finish: ((links: NativeLink[]) => void) | undefined;
    dumps.push(() => new Promise((resolve) => (finish = resolve)));
    const watcher = watch();
    await vi.waitFor(() => expect(finish).toBeDefined());
    watcher.close();
    finish?.(bondLinks(NEW));
    await expect(watcher.ready).resolves.toBeUndefined();
    await expect(watcher.next()).resolves.toEqual({ value: undefined, done: true });
    expect(dumpRequests).toHaveLength(1);
  });
});
