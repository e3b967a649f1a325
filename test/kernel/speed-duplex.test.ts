// Each slave's speed and duplex, as getBond, listBonds, the write verbs and `netbond show` report
// them on both backends, against ethtool and /sys/class/net/<slave>/{speed,duplex}: a veth says
// 10000/full; a slave without carrier, or set down, has null (while /proc still says 10000).
import { describe, expect, it } from 'vitest';
import { createBond, enslave, getBond, listBonds, release, type BondState } from '../../lib/index.js';
import { main } from '../../lib/cli/main.js';
import { BACKENDS, type Lab } from './helpers/lab.js';
import { labPerTest } from './helpers/lab-per-test.js';
import { waitFor } from './helpers/wait.js';

let lab: Lab;
labPerTest((created) => (lab = created), [['eth1', 'peer1'], ['eth2', 'peer2']], { peersUp: true });

/** ethtool's "Speed:" and "Duplex:" lines, as numbers and the state's words (null for Unknown). */
async function ethtool(dev: string): Promise<{ speed: number | null; duplex: string | null }> {
  const out = await lab.exec('ethtool', [dev]);
  const speed = /^\s*Speed: (\d+)Mb\/s$/mu.exec(out)?.[1];
  const duplex = /^\s*Duplex: (Full|Half)$/mu.exec(out)?.[1];
  return { speed: speed === undefined ? null : Number(speed), duplex: duplex?.toLowerCase() ?? null };
}

/** /sys/class/net/<dev>/speed and duplex, or the error the kernel gives for them. */
async function sysfsSpeed(dev: string): Promise<string> {
  try {
    return (await lab.exec('cat', [`/sys/class/net/${dev}/speed`, `/sys/class/net/${dev}/duplex`])).trim().replace(/\n/gu, ' ');
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? error).trim();
  }
}

const speedOf = (state: BondState, slave: string) => {
  const found = state.slaves.find((s) => s.name === slave);
  return found && { speed: found.speed, duplex: found.duplex };
};

describe.each(BACKENDS)('speed and duplex over %s', (backend) => {
  it('are the driver\'s for slaves with carrier, in every state the verbs return', async () => {
    const call = { netns: lab.ns, backend };
    const created = await createBond('bond0', { mode: 'active-backup', miimon: 100, slaves: ['eth1'], up: true, ...call });
    const enslaved = await enslave('bond0', 'eth2', call);
    const state = await waitFor(() => getBond('bond0', call), (s) => s.slaves.every((x) => x.carrier && x.miiStatus === 'up' && x.speed !== null));

    for (const slave of ['eth1', 'eth2']) {
      const oracle = await ethtool(slave);
      expect(oracle, `ethtool ${slave}`).toEqual({ speed: 10000, duplex: 'full' });
      expect(await sysfsSpeed(slave)).toBe('10000 full');
      expect(speedOf(state, slave), `getBond ${slave}`).toEqual(oracle);
      expect(speedOf((await listBonds(call))[0] as BondState, slave), `listBonds ${slave}`).toEqual(oracle);
    }
    // The states the write verbs return carry them too (read after the change): a slave that
    // already had carrier when the state was read shows 10000/full there.
    for (const [verb, returned] of [['createBond', created], ['enslave', enslaved]] as const) {
      for (const slave of returned.slaves) {
        expect(speedOf(returned, slave.name), `${verb} ${slave.name}`).toEqual(slave.up && slave.carrier ? { speed: 10000, duplex: 'full' } : { speed: null, duplex: null });
      }
    }
    expect(speedOf(created, 'eth1')).toEqual({ speed: 10000, duplex: 'full' });
    expect((await release('bond0', 'eth2', call)).slaves.map((s) => [s.name, s.speed, s.duplex])).toEqual([['eth1', 10000, 'full']]);

    const out: string[] = [];
    expect(await main(['--netns', lab.ns, '--backend', backend, 'show', 'bond0'], { out: (t) => out.push(t), err: () => {} })).toBe(0);
    expect(out.join('\n')).toMatch(/^ {2}slave eth1: active, MII up, 10000Mb\/s full, link failures 0/mu);
    const json: string[] = [];
    expect(await main(['--netns', lab.ns, '--backend', backend, '--json', 'show', 'bond0'], { out: (t) => json.push(t), err: () => {} })).toBe(0);
    expect((JSON.parse(json.join('\n')) as BondState).slaves[0]).toMatchObject({ name: 'eth1', speed: 10000, duplex: 'full' });
  });

  it('are null for a slave without carrier or set down, and come back with the link', async () => {
    const call = { netns: lab.ns, backend };
    await createBond('bond0', { mode: 'active-backup', miimon: 100, slaves: ['eth1', 'eth2'], up: true, ...call });
    await waitFor(() => getBond('bond0', call), (s) => s.slaves.every((x) => x.speed !== null));

    // The cable pulled: the far end down, eth2 loses carrier. A veth still tells ethtool and the
    // bond 10000/full; the state says null.
    await lab.setUp('peer2', false);
    const pulled = await waitFor(() => getBond('bond0', call), (s) => s.slaves.find((x) => x.name === 'eth2')?.miiStatus === 'down');
    expect(pulled.slaves.find((s) => s.name === 'eth2')).toMatchObject({ carrier: false, miiStatus: 'down', speed: null, duplex: null });
    expect(speedOf(pulled, 'eth1')).toEqual({ speed: 10000, duplex: 'full' });
    expect((await lab.link('eth2')).flags).toContain('NO-CARRIER');
    expect(await ethtool('eth2')).toEqual({ speed: 10000, duplex: 'full' });
    expect(await lab.procBonding('bond0')).toMatch(/Slave Interface: eth2\nMII Status: down\nSpeed: 10000 Mbps\nDuplex: full/u);

    // eth1 set down itself: sysfs refuses to say (EINVAL), the state says null.
    await lab.setUp('eth1', false);
    const down = await waitFor(() => getBond('bond0', call), (s) => s.slaves.find((x) => x.name === 'eth1')?.up === false);
    expect(down.slaves.find((s) => s.name === 'eth1')).toMatchObject({ up: false, speed: null, duplex: null });
    expect(await sysfsSpeed('eth1')).toMatch(/Invalid argument/u);

    await lab.setUp('eth1');
    await lab.setUp('peer2');
    const back = await waitFor(() => getBond('bond0', call), (s) => s.slaves.every((x) => x.miiStatus === 'up' && x.speed !== null));
    expect(back.slaves.map((s) => [s.name, s.speed, s.duplex]).sort()).toEqual([
      ['eth1', 10000, 'full'],
      ['eth2', 10000, 'full'],
    ]);
  });
});
