// A distribution kernel before anything has loaded the bonding module (issue 27, item 3): no
// /sys/class/net/bonding_masters, no /sys/module/bonding. Reads say there are no bonds on either
// backend, as on a kernel with the module; the sysfs backend refuses a create with the cause and the
// remedy and leaves the module unloaded; over netlink the kernel loads the module for the create.
// Runs only inside scripts/test-bed/qemu-run.sh (docs/qemu-bed.md), with systemd's max_bonds=0 line
// (as on a host with systemd): loading the module makes no bond of its own. module-load.test.ts has
// the module's default max_bonds=1.
import { existsSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { BondError, createBond, deleteBond, getBond, listBonds, watchBonds, type BondEvent } from '../../lib/index.js';
import { exec, requireQemuGuest } from './helpers/guest.js';
import { bondingLoaded as loaded, rootBonds, setMaxBondsZero, unloadBonding } from './helpers/module.js';

requireQemuGuest();

beforeEach(async () => {
  setMaxBondsZero(true);
  await unloadBonding();
  expect(loaded()).toBe(false);
  expect(existsSync('/sys/class/net/bonding_masters')).toBe(false);
});

describe('the bonding module not loaded', () => {
  it('reads: no bonds on either backend, and a bond of any name does not exist', async () => {
    expect(await listBonds()).toEqual([]);
    expect(await listBonds({ backend: 'sysfs' })).toEqual([]);
    for (const backend of ['netlink', 'sysfs'] as const) {
      const error = await getBond('bond0', { backend }).catch((e: unknown) => e);
      expect(error, backend).toBeInstanceOf(BondError);
      expect((error as BondError).code, backend).toBe('ENODEV');
    }
    // Reading loads nothing.
    expect(loaded()).toBe(false);
  });

  it('sysfs: a create is refused with the cause and the remedy, and the module stays unloaded', async () => {
    const error = await createBond('bond1', { backend: 'sysfs', mode: 'active-backup' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BondError);
    expect((error as BondError).code).toBe('ENOENT');
    expect((error as BondError).message).toMatch(/bonding driver is not loaded.*modprobe bonding/u);
    expect((error as BondError).bond).toBe('bond1');
    expect(loaded()).toBe(false);
    const { stdout } = await exec('ip', ['-j', 'link', 'show']);
    expect((JSON.parse(stdout) as { ifname: string }[]).map((l) => l.ifname)).not.toContain('bond1');
  });

  it('netlink: the kernel loads the module for the create, and the bond is made as asked', async () => {
    const state = await createBond('bond1', { mode: 'active-backup', miimon: 100 });
    try {
      expect(loaded()).toBe(true);
      expect(state).toMatchObject({ name: 'bond1', mode: 'active-backup', miimon: 100 });
      const { stdout } = await exec('ip', ['-d', '-j', 'link', 'show', 'bond1']);
      expect(JSON.parse(stdout)[0].linkinfo.info_data).toMatchObject({ mode: 'active-backup', miimon: 100 });
      // With systemd's max_bonds=0 the load made no bond of its own.
      expect(rootBonds()).toEqual(['bond1']);
      expect(state.moduleLoad).toBeUndefined();
    } finally {
      await deleteBond('bond1');
    }
  });

  it('watchBonds started before the module is loaded sees the bonds made after', async () => {
    const watcher = watchBonds();
    await watcher.ready;
    expect(loaded()).toBe(false);
    const seen: BondEvent[] = [];
    const deadline = setTimeout(() => watcher.close(), 30_000);
    const collected = (async () => {
      for await (const e of watcher) {
        seen.push(e);
        if (e.type === 'bond-added' && e.bond === 'bond2') break;
      }
    })();
    await createBond('bond2', { mode: 'balance-xor' });
    try {
      await collected;
      clearTimeout(deadline);
      watcher.close();
      expect(seen.filter((e) => e.type === 'bond-added').map((e) => (e as { bond: string }).bond)).toEqual(['bond2']);
      expect(rootBonds()).toEqual(['bond2']);
    } finally {
      await deleteBond('bond2');
    }
  });
});
