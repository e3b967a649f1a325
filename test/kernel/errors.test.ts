// The kernel's refusals, surfaced as typed errors that name the bond, the slave and the rule, and
// leave the system as it was.
import { describe, expect, it } from 'vitest';
import { BondError, createBond, deleteBond, enslave, getBond, release, setActiveSlave, setBondOptions } from '../../lib/index.js';
import { BACKENDS, type Lab } from './helpers/lab.js';
import { labPerTest } from './helpers/lab-per-test.js';

let lab: Lab;
labPerTest((created) => (lab = created), [['eth1', 'peer1'], ['eth2', 'peer2']]);

async function rejection(promise: Promise<unknown>): Promise<BondError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(BondError);
    return error as BondError;
  }
  throw new Error('expected a rejection');
}

describe.each(BACKENDS)('kernel refusals over %s', (backend) => {
  const overNetlink = backend === 'netlink';
  it('EEXIST for an existing name, and the existing bond is untouched', async () => {
    const netns = lab.ns;
    const call = { netns, backend };
    await createBond('bond0', { mode: 'active-backup', ...call });
    const error = await rejection(createBond('bond0', { mode: 'balance-xor', ...call }));
    expect(error).toMatchObject({ code: 'EEXIST', errno: -17, syscall: overNetlink ? 'netlink' : 'write', bond: 'bond0' });
    if (!overNetlink) expect(error.path).toBe('/sys/class/net/bonding_masters');
    expect(error.message).toMatch(/^EEXIST: .*\(create bond bond0 \(balance-xor\)\)$/);
    expect((await getBond('bond0', call)).mode).toBe('active-backup');
  });

  it('ENODEV for a missing slave, and no bond is left behind', async () => {
    const netns = lab.ns;
    const call = { netns, backend };
    const error = await rejection(createBond('bond0', { slaves: ['eth1', 'nosuch0'], ...call }));
    expect(error).toMatchObject({ code: 'ENODEV', errno: -19, bond: 'bond0', slave: 'nosuch0' });
    expect(error.message).toContain('nosuch0');
    expect(await lab.hasLink('bond0')).toBe(false);
    expect((await lab.link('eth1')).master).toBeUndefined();
  });

  it('refuses to enslave a bond to itself, before any change', async () => {
    const netns = lab.ns;
    const call = { netns, backend };
    await createBond('bond0', { up: true, ...call });
    const error = await rejection(enslave('bond0', 'bond0', call));
    expect(error).toMatchObject({ name: 'ValidationError', code: 'EINVAL', option: 'slaves' });
    expect(error.message).toBe('Cannot enslave bond bond0 to itself');
    expect((await lab.link('bond0')).flags).toContain('UP');
  });

  it('refuses a slave already in another bond (the kernel would move it silently)', async () => {
    const netns = lab.ns;
    const call = { netns, backend };
    await createBond('bond0', { slaves: ['eth1'], ...call });
    await createBond('bond1', call);
    const error = await rejection(enslave('bond1', 'eth1', call));
    expect(error).toMatchObject({ code: 'EBUSY', bond: 'bond1', slave: 'eth1' });
    expect(error.message).toBe('EBUSY: eth1 is already enslaved to bond0; release it from bond0 first (enslave eth1 -> bond1)');
    expect((await lab.link('eth1')).master).toBe('bond0');
  });

  it('surfaces the kernel message for a mode change with slaves, with the rule and remedy', async () => {
    const netns = lab.ns;
    const call = { netns, backend };
    await createBond('bond0', { mode: 'active-backup', miimon: 100, slaves: ['eth1'], ...call });
    const error = await rejection(setBondOptions('bond0', { mode: 'balance-xor' }, call));
    expect(error).toMatchObject({ code: 'ENOTEMPTY', option: 'mode', bond: 'bond0' });
    // The kernel's words come over netlink only; sysfs returns a bare errno.
    expect(error.kernelMessage).toBe(overNetlink ? 'unable to set option because the bond device has slaves' : undefined);
    expect(error.message).toContain('release its slaves, set mode, then enslave them again');
    if (!overNetlink) expect(error.message).toContain('sysfs gives no reason');
    const state = await getBond('bond0', call);
    expect(state.mode).toBe('active-backup');
    expect(state.slaves.map((s) => s.name)).toEqual(['eth1']);
  });

  it('surfaces EBUSY for an option that needs the bond down, and rolls back earlier changes', async () => {
    const netns = lab.ns;
    const call = { netns, backend };
    await createBond('bond0', { mode: '802.3ad', up: true, ...call });
    const before = await getBond('bond0', call);
    const error = await rejection(setBondOptions('bond0', { minLinks: 2, lacpRate: 'fast' }, call));
    expect(error).toMatchObject({ code: 'EBUSY', option: 'lacpRate' });
    expect(error.kernelMessage).toBe(overNetlink ? 'unable to set option because the bond is up' : undefined);
    expect(error.message).toContain('bring bond0 down, set lacpRate, then bring it up again');
    const after = await getBond('bond0', call);
    expect(after.minLinks).toBe(before.minLinks);
    expect(after.lacpRate).toBe('slow');
  });

  it('EINVAL when releasing an interface that is not a slave', async () => {
    const netns = lab.ns;
    const call = { netns, backend };
    await createBond('bond0', call);
    const error = await rejection(release('bond0', 'eth1', call));
    expect(error).toMatchObject({ code: 'EINVAL', slave: 'eth1' });
    expect(error.message).toBe('EINVAL: eth1 is not a slave of bond0 (slaves: none) (release eth1 from bond0)');
  });

  it('refuses to delete something that is not a bond', async () => {
    const error = await rejection(deleteBond('eth1', { netns: lab.ns, backend }));
    expect(error.message).toContain('eth1 is not a bond');
    expect(await lab.hasLink('eth1')).toBe(true);
  });

  it('refuses setActiveSlave in a mode without an active slave', async () => {
    const netns = lab.ns;
    const call = { netns, backend };
    await createBond('bond0', { mode: 'balance-xor', slaves: ['eth1'], ...call });
    const error = await rejection(setActiveSlave('bond0', 'eth1', call));
    expect(error.name).toBe('ValidationError');
    expect(error.message).toBe('activeSlave is only supported in mode active-backup, balance-tlb, balance-alb; bond bond0 is balance-xor');
  });

  it('ENOENT for a namespace that does not exist', async () => {
    const error = await rejection(createBond('bond0', { netns: 'nbt-no-such-namespace', backend }));
    expect(error).toMatchObject({ code: 'ENOENT', errno: -2 });
    expect(error.message).toBe(
      "ENOENT: network namespace 'nbt-no-such-namespace' does not exist (/run/netns/nbt-no-such-namespace) (open network namespace 'nbt-no-such-namespace')",
    );
  });

  it('validation errors name the option and bond, and create nothing', async () => {
    const netns = lab.ns;
    const call = { netns, backend };
    const error = await rejection(createBond('bond0', { mode: 'active-backup', miimon: -5, ...call }));
    expect(error.message).toBe('Expected integer between 0 and 2147483647 for miimon of bond bond0 but received -5');
    await expect(createBond('bond0', { miimon: '100' as never, ...call })).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(createBond('bond0 x', call)).rejects.toMatchObject({ name: 'ValidationError', option: 'name' });
    await expect(createBond('averyveryverylongname', call)).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(createBond('bo/nd', call)).rejects.toMatchObject({ name: 'ValidationError' });
    expect((await lab.links()).map((l) => l.ifname).sort()).toEqual(['eth1', 'eth2', 'lo', 'peer1', 'peer2']);
  });
});
