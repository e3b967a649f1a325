// Unusual but valid interface names through both backends, checked against ip and sysfs.
import { describe, expect, it } from 'vitest';
import { createBond, deleteBond, enslave, getBond } from '../../lib/index.js';
import { BACKENDS, type Lab } from './helpers/lab.js';
import { labPerTest } from './helpers/lab-per-test.js';

let lab: Lab;
labPerTest((created) => (lab = created), [['a..b', 'peer1']]);

describe.each(BACKENDS)('%s backend', (backend) => {
  it('takes names with ".." inside them ("a..b" is a name; only a path component ".." is refused)', async () => {
    const call = { netns: lab.ns, backend };
    await createBond('x..y', { mode: 'active-backup', miimon: 100, ...call });
    const state = await enslave('x..y', 'a..b', call);
    expect(state.slaves.map((s) => s.name)).toEqual(['a..b']);
    expect((await lab.link('a..b')).master).toBe('x..y');
    expect((await getBond('x..y', call)).mode).toBe('active-backup');
    await deleteBond('x..y', call);
    expect(await lab.hasLink('x..y')).toBe(false);
  });
});

describe('names the kernel would treat as templates', () => {
  it.each(BACKENDS)('refuses bond%%d before any syscall and creates nothing (%s)', async (backend) => {
    const before = (await lab.links()).map((l) => l.ifname).sort();
    await expect(createBond('bond%d', { netns: lab.ns, backend })).rejects.toThrow(/"%"/u);
    expect((await lab.links()).map((l) => l.ifname).sort()).toEqual(before);
  });
});
