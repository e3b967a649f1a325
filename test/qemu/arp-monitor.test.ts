// ARP monitoring over e100 NICs, whose emulated link never goes down: the switch side of the
// active port goes dark (its peer's cable pulled through QMP), the e100 keeps its carrier, so
// miimon would never notice; the ARP monitor does and fails over. Then the cable goes back.
// Runs only inside scripts/test-bed/qemu-run.sh (docs/qemu-bed.md), with its default NICs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBond, getBond, readProcBonding, watchBonds, type BondEvent } from '../../lib/index.js';
import { setLink } from '../../scripts/test-bed/qemu-link.mjs';
import { waitFor } from '../kernel/helpers/wait.js';
import { ip, requireQemuGuest, unwire, wire } from './helpers/guest.js';
import { ipJson, nsRead, pingRun, reaches } from './helpers/net.js';

const HOST = 'nbq-host';
const SW = 'nbq-sw';
const NICS = ['e100a', 'e100b'];
const TARGET = '10.99.5.2';

requireQemuGuest();
beforeEach(() => wire(HOST, SW, NICS, { swAddress: `${TARGET}/24` }));
afterEach(() => unwire(HOST, SW, NICS));

describe('ARP monitor on e100 (carrier never drops)', () => {
  it('fails over when the active port stops reaching the target, although its carrier stays up', async () => {
    const netns = HOST;
    // arp_validate all: only ARP for the target keeps a port up; a backup hears the active's
    // requests, which the bridge floods to it.
    await createBond('bond0', { mode: 'active-backup', arpInterval: 100, arpIpTarget: [TARGET], arpValidate: 'all', slaves: NICS, up: true, netns });
    await ip(['-n', HOST, 'addr', 'add', '10.99.5.1/24', 'dev', 'bond0']);
    const ready = await waitFor(() => getBond('bond0', { netns }), (s) => s.carrier && s.activeSlave !== null && s.slaves.every((x) => x.miiStatus === 'up'), 30_000);
    expect(ready).toMatchObject({ arpInterval: 100, arpIpTarget: [TARGET], arpValidate: 'all', miimon: 0 });
    expect(ready.slaves.map((s) => s.miiStatus)).toEqual(['up', 'up']);
    const victim = ready.activeSlave as string;
    const survivor = NICS.find((n) => n !== victim)!;
    expect(await reaches(HOST, TARGET)).toBe(true);

    const watcher = watchBonds({ netns, bonds: ['bond0'] });
    await watcher.ready;
    const COUNT = 500;
    const run = pingRun(HOST, TARGET, COUNT);
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const cut = performance.now();
    await setLink(`p-${victim}`, false);
    // The monitor may first find no port answering (the backup heard the target through the
    // active's requests) and then probe each port in turn: wait for the move to the survivor.
    const seen: BondEvent[] = [];
    const deadline = setTimeout(() => watcher.close(), 20_000);
    for await (const e of watcher) {
      seen.push(e);
      if (e.type === 'active-slave-changed' && e.to === survivor) break;
    }
    clearTimeout(deadline);
    const toEvent = performance.now() - cut;
    watcher.close();
    const result = await run.done;
    const lost = result.sent - result.seqs.length;
    const moves = seen.filter((e) => e.type === 'active-slave-changed').map((e) => `${e.from}->${e.to}`);
    console.log(`ARP monitor, ${victim}'s switch side dark: active ${moves.join(', ')} ${toEvent.toFixed(0)} ms after the pull; pings ${result.sent} sent, ${lost} lost`);

    expect(seen.at(-1)).toMatchObject({ type: 'active-slave-changed', to: survivor });
    expect(seen).toContainEqual(expect.objectContaining({ type: 'slave-link', slave: victim, status: 'down' }));
    const after = await getBond('bond0', { netns });
    expect(after.activeSlave).toBe(survivor);
    expect(after.slaves.find((s) => s.name === victim)).toMatchObject({ miiStatus: 'down' });
    expect(after.slaves.find((s) => s.name === victim)?.linkFailureCount).toBeGreaterThanOrEqual(1);
    const proc = await readProcBonding('bond0', { netns });
    expect(proc).toMatchObject({ activeSlave: survivor, arpInterval: 100, arpIpTarget: [TARGET] });
    expect(proc.slaves.find((s) => s.name === victim)?.miiStatus).toBe('down');
    // That is the point: the NIC itself still says its link is fine.
    expect((await nsRead(HOST, `/sys/class/net/${victim}/carrier`)).trim()).toBe('1');
    const [link] = await ipJson<{ flags: string[] }>(HOST, ['link', 'show', victim]);
    expect(link!.flags).toContain('LOWER_UP');
    // The pings after the failover got through: the last ones answered.
    expect(result.sent).toBe(COUNT);
    expect(Math.max(...result.seqs)).toBeGreaterThan(COUNT - 10);

    const back = performance.now();
    await setLink(`p-${victim}`, true);
    const restored = await waitFor(() => getBond('bond0', { netns }), (s) => s.slaves.find((x) => x.name === victim)?.miiStatus === 'up', 20_000);
    console.log(`ARP monitor, ${victim}'s switch side back: up ${(performance.now() - back).toFixed(0)} ms after the restore`);
    expect(restored.slaves.find((s) => s.name === victim)?.miiStatus).toBe('up');
    expect(restored.activeSlave).toBe(survivor);
    expect((await readProcBonding('bond0', { netns })).slaves.map((s) => s.miiStatus)).toEqual(['up', 'up']);
  });
});
