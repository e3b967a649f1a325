// A distribution kernel before anything has loaded the bonding module (issue 27, item 3): no
// /sys/class/net/bonding_masters, no /sys/module/bonding. Reads say there are no bonds on either
// backend, as on a kernel with the module; the sysfs backend refuses a create with the cause and the
// remedy and leaves the module unloaded; over netlink the kernel loads the module for the create.
// Runs only inside scripts/test-bed/qemu-run.sh (docs/qemu-bed.md), with systemd's max_bonds=0 file
// of the host (the default): loading the module makes no bond of its own.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BondError, createBond, deleteBond, getBond, listBonds } from '../../lib/index.js';

const exec = promisify(execFile);
const loaded = () => existsSync('/sys/module/bonding');

/** Takes the module out: every bond deleted first (the module cannot go while one exists). */
async function unloadBonding(): Promise<void> {
  if (!loaded()) return;
  const masters = existsSync('/sys/class/net/bonding_masters') ? readFileSync('/sys/class/net/bonding_masters', 'utf8').split(/\s+/u).filter(Boolean) : [];
  for (const bond of masters) await exec('ip', ['link', 'del', bond]);
  await exec('modprobe', ['-r', 'bonding']);
}

beforeAll(() => {
  if (process.env.NETBOND_IN_QEMU !== '1') {
    throw new Error('test/qemu runs inside the QEMU test bed: scripts/test-bed/qemu-run.sh -- npx vitest run --config test/qemu/vitest.config.ts');
  }
});

beforeEach(async () => {
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
      expect(readFileSync('/sys/class/net/bonding_masters', 'utf8').trim()).toBe('bond1');
    } finally {
      await deleteBond('bond1');
    }
  });
});
