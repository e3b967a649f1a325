// A distribution kernel whose bonding module is loaded by netbond's own call, with the module's
// default max_bonds=1 (no systemd file: the seeds' `alias bond0 bonding` + `options bond0 miimon=100
// mode=1` recipe relies on it), so the load makes a balance-rr bond0 by itself (issue 27, item 3):
// - a create or an apply of bond0 adopts it and configures it as asked;
// - a create of another name leaves the module's bond0 in place and reports it, in the result and
//   on the CLI's stderr, naming max_bonds;
// - without CAP_SYS_MODULE (a container) the kernel still loads the module for the create (its
//   request_module does not look at the caller), and where it cannot, one clear error and nothing
//   left behind.
// Oracles: `ip -d -j link show`, /sys/class/net/bonding_masters, /sys/module, the CLI's own output.
// Runs only inside scripts/test-bed/qemu-run.sh (docs/qemu-bed.md).
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { applyBond, createBond } from '../../lib/index.js';
import { exec, requireQemuGuest } from './helpers/guest.js';
import { bondingLoaded, rootBonds, setMaxBondsZero, unloadBonding } from './helpers/module.js';

const NETBOND = 'bin/netbond.js';
const MODPROBE_PATH = '/proc/sys/kernel/modprobe';
const SLAVES = ['e1k0', 'e1k1'];

interface IpLink {
  ifname: string;
  master?: string;
  linkinfo?: { info_kind?: string; info_data?: Record<string, unknown> };
}

async function ipLink(name: string): Promise<IpLink> {
  const { stdout } = await exec('ip', ['-d', '-j', 'link', 'show', name]);
  return (JSON.parse(stdout) as IpLink[])[0] as IpLink;
}

/** The CLI as a process of its own; `dropSysModule` runs it without CAP_SYS_MODULE, as in a container. */
async function cli(args: string[], { dropSysModule = false } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const argv = dropSysModule ? ['setpriv', '--bounding-set=-sys_module', '--inh-caps=-sys_module', '--', process.execPath, NETBOND, ...args] : [process.execPath, NETBOND, ...args];
  return promisify(execFile)(argv[0] as string, argv.slice(1)).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

requireQemuGuest();

const modprobePath = readFileSync(MODPROBE_PATH, 'utf8').trim();
beforeEach(async () => {
  writeFileSync(MODPROBE_PATH, modprobePath);
  setMaxBondsZero(false);
  await unloadBonding();
  expect(bondingLoaded()).toBe(false);
});
afterAll(async () => {
  writeFileSync(MODPROBE_PATH, modprobePath);
  await unloadBonding();
  setMaxBondsZero(true);
});

describe('the module loaded by the call, with its default max_bonds=1', () => {
  it('createBond bond0: the bond the load made is adopted and configured as asked', async () => {
    const state = await createBond('bond0', { mode: 'active-backup', miimon: 100, slaves: SLAVES, up: true });
    expect(state).toMatchObject({ name: 'bond0', mode: 'active-backup', miimon: 100, up: true });
    expect(state.moduleLoad).toEqual({ adoptedBonds: ['bond0'], unrequestedBonds: [], maxBonds: 1 });
    expect(rootBonds()).toEqual(['bond0']);
    const link = await ipLink('bond0');
    expect(link.linkinfo?.info_data).toMatchObject({ mode: 'active-backup', miimon: 100 });
    for (const slave of SLAVES) expect((await ipLink(slave)).master).toBe('bond0');
  });

  it('applyBond bond0: adopted through the declarative plan too', async () => {
    const result = await applyBond({ name: 'bond0', mode: '802.3ad', miimon: 100, lacpRate: 'fast', slaves: SLAVES.map((name) => ({ name })) });
    expect(result.steps[0]?.kind).toBe('create-bond');
    expect(result.moduleLoad).toEqual({ adoptedBonds: ['bond0'], unrequestedBonds: [], maxBonds: 1 });
    expect((await ipLink('bond0')).linkinfo?.info_data).toMatchObject({ mode: '802.3ad', miimon: 100, ad_lacp_rate: 'fast' });
    expect(rootBonds()).toEqual(['bond0']);
  });

  it('netbond create bond1: made as asked; the module\'s bond0 stays and is reported on stderr and in --json', async () => {
    const run = await cli(['create', 'bond1', '-m', 'active-backup', 'miimon=100']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/bond0 was not asked for and stay/u);
    expect(run.stderr).toMatch(/max_bonds=1/u);
    expect(run.stderr).toMatch(/options bonding max_bonds=0/u);
    expect(rootBonds().sort()).toEqual(['bond0', 'bond1']);
    expect((await ipLink('bond0')).linkinfo?.info_data).toMatchObject({ mode: 'balance-rr' });
    expect((await ipLink('bond1')).linkinfo?.info_data).toMatchObject({ mode: 'active-backup', miimon: 100 });

    await exec('ip', ['link', 'del', 'bond1']);
    await unloadBonding();
    const json = await cli(['--json', 'create', 'bond1']);
    expect(json.code, json.stderr).toBe(0);
    expect((JSON.parse(json.stdout) as { moduleLoad: unknown }).moduleLoad).toEqual({ adoptedBonds: [], unrequestedBonds: ['bond0'], maxBonds: 1 });
  });
});

describe('without CAP_SYS_MODULE, as in a container', () => {
  it('the process really lacks it: modprobe is refused', async () => {
    const { stdout } = await exec('setpriv', ['--bounding-set=-sys_module', '--inh-caps=-sys_module', '--', 'modprobe', 'bonding']).then(
      () => ({ stdout: 'loaded' }),
      (e: { stderr: string }) => ({ stdout: e.stderr }),
    );
    expect(stdout).toMatch(/Operation not permitted/u);
    expect(bondingLoaded()).toBe(false);
  });

  it('the kernel loads the module for the create all the same (its request_module does not look at the caller)', async () => {
    setMaxBondsZero(true);
    const run = await cli(['create', 'bond3', '-m', 'active-backup'], { dropSysModule: true });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(bondingLoaded()).toBe(true);
    expect(rootBonds()).toEqual(['bond3']);
  });

  it('where the kernel cannot load it: one clear error, nothing left behind', async () => {
    // The kernel's modprobe helper fails, as on a host that has no bonding module.
    writeFileSync(MODPROBE_PATH, '/bin/false');
    const before = (await exec('ip', ['-j', 'link', 'show'])).stdout;
    const run = await cli(['create', 'bond3', '-m', 'active-backup', '-s', 'e1k0'], { dropSysModule: true });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/EOPNOTSUPP.*not loaded and the kernel could not load it.*modprobe bonding.*bond3/u);
    expect(bondingLoaded()).toBe(false);
    expect((await exec('ip', ['-j', 'link', 'show'])).stdout).toBe(before);
  });
});
