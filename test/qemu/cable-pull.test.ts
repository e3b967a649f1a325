// The seeds' cable-pull test on a real driver: an active-backup bond over two e1000 NICs of a
// Debian kernel image (QEMU), pings every 10 ms through it to a bridge standing in for the switch,
// the active NIC's cable pulled through QMP set_link: watchBonds reports the failover, the failed
// port is counted, pings keep flowing; then the cable goes back and the port comes up.
// Runs only inside scripts/test-bed/qemu-run.sh (docs/qemu-bed.md), with its default NICs.
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBond, getBond, readProcBonding, watchBonds, type BondEvent } from '../../lib/index.js';
import { setLink } from '../../scripts/test-bed/qemu-link.mjs';
import { waitFor } from '../kernel/helpers/wait.js';
import { exec, ip, requireQemuGuest, unwire, wire } from './helpers/guest.js';

const HOST = 'nbq-host';
const SW = 'nbq-sw';
const NICS = ['e1k0', 'e1k1'];

requireQemuGuest();
beforeEach(() => wire(HOST, SW, NICS, { swAddress: '10.99.0.2/24' }));
afterEach(() => unwire(HOST, SW, NICS));

/** ping every 10 ms from the host namespace; resolves with what it sent and the replies' sequence numbers. */
function pings(count: number): { done: Promise<{ sent: number; seqs: number[] }> } {
  const child = spawn('ip', ['netns', 'exec', HOST, 'ping', '-n', '-i', '0.01', '-W', '1', '-c', String(count), '10.99.0.2'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const done = new Promise<{ sent: number; seqs: number[] }>((resolve) => {
    child.on('close', () => {
      const sent = Number(/(\d+) packets transmitted/.exec(out)?.[1] ?? 0);
      const seqs = [...out.matchAll(/icmp_seq=(\d+)/g)].map((m) => Number(m[1]));
      resolve({ sent, seqs });
    });
  });
  return { done };
}

describe('cable pull on e1000 (QMP set_link)', () => {
  it('fails over when the active NIC loses its link, reports it, and pings keep flowing', async () => {
    const netns = HOST;
    await createBond('bond0', { mode: 'active-backup', miimon: 100, slaves: NICS, up: true, netns });
    await ip(['-n', HOST, 'addr', 'add', '10.99.0.1/24', 'dev', 'bond0']);
    // An e1000 reports its link ~2 s after it is set up (QEMU's autonegotiation timer).
    const ready = await waitFor(() => getBond('bond0', { netns }), (s) => s.carrier && s.activeSlave !== null && s.slaves.every((x) => x.miiStatus === 'up'), 30_000);
    expect(ready.slaves.map((s) => s.miiStatus)).toEqual(['up', 'up']);
    const victim = ready.activeSlave as string;
    const survivor = victim === 'e1k0' ? 'e1k1' : 'e1k0';
    await waitFor(() => exec('ip', ['netns', 'exec', HOST, 'ping', '-c', '1', '-W', '1', '10.99.0.2']).then(() => true, () => false), Boolean, 20_000);

    const watcher = watchBonds({ netns, bonds: ['bond0'] });
    await watcher.ready;
    const COUNT = 500;
    const run = pings(COUNT);
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const cut = performance.now();
    await setLink(victim, false);
    const qmpDone = performance.now() - cut;
    let event: BondEvent | undefined;
    const deadline = setTimeout(() => watcher.close(), 20_000);
    for await (const e of watcher) {
      if (e.type === 'active-slave-changed') {
        event = e;
        break;
      }
    }
    clearTimeout(deadline);
    const toEvent = performance.now() - cut;
    watcher.close();
    const result = await run.done;
    const lost = result.sent - result.seqs.length;
    console.log(`cable pull ${victim}: set_link done ${qmpDone.toFixed(0)} ms, failover event ${toEvent.toFixed(0)} ms after the pull; pings ${result.sent} sent, ${lost} lost`);

    expect(event).toMatchObject({ type: 'active-slave-changed', from: victim, to: survivor });
    const after = await getBond('bond0', { netns });
    expect(after.activeSlave).toBe(survivor);
    expect(after.slaves.find((s) => s.name === victim)).toMatchObject({ miiStatus: 'down', linkFailureCount: 1 });
    const proc = await readProcBonding('bond0', { netns });
    expect(proc.activeSlave).toBe(survivor);
    // The pings after the failover got through: the last ones answered.
    expect(result.sent).toBe(COUNT);
    expect(Math.max(...result.seqs)).toBeGreaterThan(COUNT - 10);
    // The carrier is the driver's: e1000 reports it lost.
    expect((await exec('ip', ['netns', 'exec', HOST, 'cat', `/sys/class/net/${victim}/carrier`])).stdout.trim()).toBe('0');

    const back = performance.now();
    await setLink(victim, true);
    const restored = await waitFor(() => getBond('bond0', { netns }), (s) => s.slaves.find((x) => x.name === victim)?.miiStatus === 'up', 20_000);
    console.log(`cable back ${victim}: MII up ${(performance.now() - back).toFixed(0)} ms after the restore`);
    expect(restored.slaves.find((s) => s.name === victim)?.miiStatus).toBe('up');
    expect(restored.activeSlave).toBe(survivor);
  });
});
