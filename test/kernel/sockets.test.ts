// Netlink sockets kept between calls: module-level calls in the caller's own namespace share the
// addon's; a client owns those of its named namespace until close(); a call given a namespace
// name keeps none. Whether a namespace still lives is seen from outside it: a veth whose other end
// is in a second namespace disappears when the namespace holding the first end ends. And the
// one-batch enslave, release and delete: checks and changes in one addon call, with the same
// refusals and rollback as reading first.
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createBond, createClient, createVlan, deleteBond, enslave, getBond, release, type NetbondClient } from '../../lib/index.js';
import { Lab, procSlaves } from './helpers/lab.js';
import { waitFor } from './helpers/wait.js';

const CHILD = fileURLToPath(new URL('./helpers/cycles-in-child.mjs', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

let labs: Lab[] = [];
afterEach(async () => {
  for (const lab of labs) await lab.destroy().catch(() => undefined);
  labs = [];
});

async function newLab(): Promise<Lab> {
  const lab = await Lab.create();
  labs.push(lab);
  return lab;
}

/** `inside` with eth1 (its peer, peer1, in `outside`) and eth2. */
async function pair(): Promise<{ inside: Lab; outside: Lab }> {
  const [inside, outside] = [await newLab(), await newLab()];
  await inside.veth('eth1', 'peer1', outside);
  await inside.veth('eth2', 'peer2');
  return { inside, outside };
}

/** `ip netns del`: the name goes; the namespace ends when nothing holds it any more. */
async function unname(lab: Lab): Promise<void> {
  await lab.destroy();
  labs = labs.filter((l) => l !== lab);
}

const ended = (outside: Lab) => waitFor(() => outside.hasLink('peer1'), (has) => !has);

async function lifecycle(api: Pick<NetbondClient, 'createBond' | 'enslave' | 'getBond' | 'release' | 'deleteBond'>, bond = 'bond0', slaves = ['eth1', 'eth2']) {
  await api.createBond(bond, { mode: 'active-backup', miimon: 100 });
  const enslaved = await api.enslave(bond, slaves);
  const read = await api.getBond(bond);
  const released = await api.release(bond, slaves);
  await api.deleteBond(bond);
  return { enslaved, read, released };
}

describe('sockets kept between calls', () => {
  it('a client keeps its namespace alive until close(); later calls are refused with EBADF', async () => {
    const { inside, outside } = await pair();
    const client = createClient({ netns: inside.ns });
    const { enslaved, read, released } = await lifecycle(client);
    expect(enslaved.slaves.map((s) => s.name).sort()).toEqual(['eth1', 'eth2']);
    expect(read.slaves.map((s) => s.name).sort()).toEqual(['eth1', 'eth2']);
    expect(released.slaves).toEqual([]);
    await client.createBond('bond0', { slaves: ['eth1'] });
    expect((await inside.link('eth1')).master).toBe('bond0');

    await unname(inside);
    await sleep(1000); // long enough for the kernel to end a namespace nothing holds (see below)
    expect(await outside.hasLink('peer1')).toBe(true);
    client.close();
    await ended(outside);
    await expect(client.getBond('bond0')).rejects.toMatchObject({ name: 'BondError', code: 'EBADF', message: expect.stringContaining('this client was closed') });
  });

  it('module-level calls given a namespace name keep no socket in it', async () => {
    const { inside, outside } = await pair();
    const { read } = await lifecycle({
      createBond: (name, options) => createBond(name, { ...options, netns: inside.ns }),
      enslave: (bond, slaves) => enslave(bond, slaves, { netns: inside.ns }),
      getBond: (name) => getBond(name, { netns: inside.ns }),
      release: (bond, slaves) => release(bond, slaves, { netns: inside.ns }),
      deleteBond: (name) => deleteBond(name, { netns: inside.ns }),
    });
    expect(read.slaves).toHaveLength(2);
    await unname(inside);
    await ended(outside);
  });

  it('await using closes a client at the end of its block', async () => {
    const { inside, outside } = await pair();
    {
      const client = createClient({ netns: inside.ns });
      try {
        expect((await client.createBond('bond0', { slaves: ['eth1'] })).slaves).toHaveLength(1);
      } finally {
        await client[Symbol.asyncDispose]();
      }
    }
    await unname(inside);
    await ended(outside);
  });

  it("module-level calls in the caller's namespace reuse the same sockets, cycle after cycle", async () => {
    const lab = await newLab();
    await lab.veth('eth1', 'peer1');
    await lab.veth('eth2', 'peer2');
    const out = await lab.exec(process.execPath, [CHILD, DIST, '30']);
    const { afterFirst, atEnd, seen } = JSON.parse(out) as { afterFirst: number; atEnd: number; seen: string[] };
    expect(seen.sort()).toEqual(['[["eth1","eth2"],["eth1","eth2"]]', '[]']);
    expect(atEnd).toBe(afterFirst);
    expect(await lab.hasLink('bond0')).toBe(false);
  });

  it('8 concurrent lifecycles on one client end as they would one after another', async () => {
    const lab = await newLab();
    for (let i = 0; i < 16; i++) await lab.veth(`eth${i}`, `peer${i}`);
    const client = createClient({ netns: lab.ns });
    try {
      const results = await Promise.all(
        Array.from({ length: 8 }, async (_, w) => {
          const slaves = [`eth${2 * w}`, `eth${2 * w + 1}`];
          for (let i = 0; i < 5; i++) {
            const { read, released } = await lifecycle(client, `bond${w}`, slaves);
            expect(read.slaves.map((s) => s.name).sort()).toEqual([...slaves].sort());
            expect(released.slaves).toEqual([]);
          }
          return client.createBond(`bond${w}`, { slaves });
        }),
      );
      for (const [w, state] of results.entries()) {
        expect(procSlaves(await lab.procBonding(`bond${w}`)).sort()).toEqual([`eth${2 * w}`, `eth${2 * w + 1}`].sort());
        expect(state.slaves).toHaveLength(2);
      }
    } finally {
      client.close();
    }
  });
});

describe('enslave, release and delete in one batch', () => {
  it('enslaves an up link (down first, the kernel brings it up), skips a slave already ours', async () => {
    const lab = await newLab();
    await lab.veth('eth1', 'peer1');
    await lab.veth('eth2', 'peer2');
    await lab.setUp('eth2');
    await createBond('bond0', { slaves: ['eth1'], up: true, netns: lab.ns });
    const state = await enslave('bond0', ['eth1', 'eth2'], { netns: lab.ns });
    expect(state.slaves.map((s) => s.name).sort()).toEqual(['eth1', 'eth2']);
    expect((await lab.link('eth2')).master).toBe('bond0');
    expect((await lab.link('eth2')).flags).toContain('UP');
    expect(procSlaves(await lab.procBonding('bond0')).sort()).toEqual(['eth1', 'eth2']);
  });

  it('rolls back when the kernel refuses a link after the checks passed', async () => {
    const lab = await newLab();
    await lab.veth('eth1', 'peer1');
    await lab.setUp('eth1');
    await createBond('bond0', { up: true, netns: lab.ns });
    await createVlan('bond0.100', { link: 'bond0', id: 100, up: true, netns: lab.ns });
    // A VLAN of the bond has no master, so the checks pass; the kernel refuses to make the bond
    // its master (it is already the VLAN's lower link) after eth1 was enslaved.
    const error = await enslave('bond0', ['eth1', 'bond0.100'], { netns: lab.ns }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'BondError', slave: 'bond0.100', action: 'enslave bond0.100 -> bond0' });
    expect((await lab.link('eth1')).master).toBeUndefined();
    expect((await lab.link('eth1')).flags).toContain('UP');
    expect((await lab.link('bond0.100')).flags).toContain('UP');
    expect(procSlaves(await lab.procBonding('bond0'))).toEqual([]);
  });

  it('releases a slave of the bond; a link that is not one is refused by name before any change', async () => {
    const lab = await newLab();
    await lab.veth('eth1', 'peer1');
    await lab.veth('eth2', 'peer2');
    await lab.veth('eth3', 'peer3');
    await createBond('bond0', { slaves: ['eth1', 'eth2'], netns: lab.ns });
    const error = await release('bond0', ['eth1', 'eth3'], { netns: lab.ns }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'EINVAL', slave: 'eth3', message: 'EINVAL: eth3 is not a slave of bond0 (slaves: eth1, eth2) (release eth3 from bond0)' });
    expect(procSlaves(await lab.procBonding('bond0')).sort()).toEqual(['eth1', 'eth2']);
    const state = await release('bond0', ['eth2'], { netns: lab.ns });
    expect(state.slaves.map((s) => s.name)).toEqual(['eth1']);
    expect((await lab.link('eth2')).master).toBeUndefined();
    expect((await lab.link('eth2')).flags).not.toContain('UP');
  });

  it('deletes a bond; a link that is not a bond is named with its kind and kept', async () => {
    const lab = await newLab();
    await lab.veth('eth1', 'peer1');
    await createBond('bond0', { slaves: ['eth1'], netns: lab.ns });
    const error = await deleteBond('eth1', { netns: lab.ns }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'EINVAL', message: 'EINVAL: eth1 is not a bond (kind veth); refusing to delete it (delete bond eth1)' });
    await deleteBond('bond0', { netns: lab.ns });
    expect(await lab.hasLink('bond0')).toBe(false);
    expect((await lab.link('eth1')).master).toBeUndefined();
  });
});
