// Speed and duplex of each slave on real drivers (issue 27, item 4): a bond over an e1000
// (1000 Mb/s full) and an e100 (100 Mb/s full) reports each NIC's own, on both backends and in
// `netbond show`, as ethtool and /proc/net/bonding say; the e1000's cable pulled, its speed and
// duplex become null once the bond sees the link down (ethtool and the bond: "Unknown"), and come
// back with the cable. Runs only inside scripts/test-bed/qemu-run.sh (docs/qemu-bed.md), with its
// default NICs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBond, getBond, type BondState } from '../../lib/index.js';
import { main } from '../../lib/cli/main.js';
import { setLink } from '../../scripts/test-bed/qemu-link.mjs';
import { waitFor } from '../kernel/helpers/wait.js';
import { exec, requireQemuGuest, unwire, wire } from './helpers/guest.js';

const HOST = 'nbq-host';
const SW = 'nbq-sw';
const NICS = ['e1k0', 'e100a'];
const netns = HOST;
const BACKENDS = ['netlink', 'sysfs'] as const;

requireQemuGuest();
beforeEach(() => wire(HOST, SW, NICS));
afterEach(() => unwire(HOST, SW, NICS));

/** ethtool's Speed and Duplex lines for DEV in the host namespace, as the kernel's driver answers. */
async function ethtool(dev: string): Promise<{ speed: string; duplex: string }> {
  const { stdout } = await exec('ip', ['netns', 'exec', HOST, 'ethtool', dev]);
  return { speed: /^\s*Speed: (.*)$/mu.exec(stdout)?.[1] ?? 'none', duplex: /^\s*Duplex: (.*)$/mu.exec(stdout)?.[1] ?? 'none' };
}

/** The Speed and Duplex lines of SLAVE's block in /proc/net/bonding/bond0: the bond's own view. */
async function procSpeed(slave: string): Promise<string> {
  const { stdout } = await exec('ip', ['netns', 'exec', HOST, 'cat', '/proc/net/bonding/bond0']);
  const block = stdout.split('Slave Interface: ').find((b) => b.startsWith(`${slave}\n`)) ?? '';
  return [/^Speed: (.*)$/mu.exec(block)?.[1], /^Duplex: (.*)$/mu.exec(block)?.[1]].join(', ');
}

const speeds = (state: BondState) => Object.fromEntries(state.slaves.map((s) => [s.name, [s.speed, s.duplex]]));
const readAll = () => Promise.all(BACKENDS.map((backend) => getBond('bond0', { netns, backend })));

describe('speed and duplex on e1000 and e100', () => {
  it('are each NIC\'s own, null once the cable is pulled, and back with it', async () => {
    await createBond('bond0', { mode: 'active-backup', miimon: 100, slaves: NICS, up: true, netns });
    // An e1000 reports its link ~2 s after it is set up (QEMU's autonegotiation timer).
    const ready = await waitFor(readAll, (states) => states.every((s) => s.slaves.every((x) => x.miiStatus === 'up' && x.speed !== null)), 30_000);

    expect(await ethtool('e1k0')).toEqual({ speed: '1000Mb/s', duplex: 'Full' });
    expect(await ethtool('e100a')).toEqual({ speed: '100Mb/s', duplex: 'Full' });
    expect(await procSpeed('e1k0')).toBe('1000 Mbps, full');
    expect(await procSpeed('e100a')).toBe('100 Mbps, full');
    for (const [i, backend] of BACKENDS.entries()) {
      expect(speeds(ready[i] as BondState), backend).toEqual({ e1k0: [1000, 'full'], e100a: [100, 'full'] });
    }
    const shown: string[] = [];
    expect(await main(['--netns', HOST, 'show', 'bond0'], { out: (t) => shown.push(t), err: () => {} })).toBe(0);
    expect(shown.join('\n')).toMatch(/slave e1k0: \w+, MII up, 1000Mb\/s full,/u);
    expect(shown.join('\n')).toMatch(/slave e100a: \w+, MII up, 100Mb\/s full,/u);

    await setLink('e1k0', false);
    const pulled = await waitFor(readAll, (states) => states.every((s) => s.slaves.find((x) => x.name === 'e1k0')?.miiStatus === 'down'), 20_000);
    for (const [i, backend] of BACKENDS.entries()) {
      expect(speeds(pulled[i] as BondState), backend).toEqual({ e1k0: [null, null], e100a: [100, 'full'] });
    }
    // The driver and the bond say so themselves: e1000 answers "unknown" without a link.
    expect((await ethtool('e1k0')).speed).toMatch(/^Unknown/u);
    expect(await procSpeed('e1k0')).toBe('Unknown, Unknown');
    const json: string[] = [];
    expect(await main(['--netns', HOST, '--json', 'show', 'bond0'], { out: (t) => json.push(t), err: () => {} })).toBe(0);
    expect(speeds(JSON.parse(json.join('\n')) as BondState)).toEqual({ e1k0: [null, null], e100a: [100, 'full'] });

    await setLink('e1k0', true);
    const back = await waitFor(readAll, (states) => states.every((s) => s.slaves.every((x) => x.miiStatus === 'up' && x.speed !== null)), 30_000);
    for (const [i, backend] of BACKENDS.entries()) {
      expect(speeds(back[i] as BondState), backend).toEqual({ e1k0: [1000, 'full'], e100a: [100, 'full'] });
    }
    expect(await procSpeed('e1k0')).toBe('1000 Mbps, full');
  });
});
