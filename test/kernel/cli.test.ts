// The netbond command against the real kernel: create/show/set/active/delete with --json equal to
// getBond, exit codes, ifenslave compatibility, and a seed's config imported and applied.
import { execFile, spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { getBond } from '../../lib/index.js';
import { main } from '../../lib/cli/main.js';
import { procField, type Lab } from './helpers/lab.js';
import { labPerTest } from './helpers/lab-per-test.js';

let lab: Lab;
labPerTest((created) => (lab = created), [['eth0', 'sw-eth0'], ['eth1', 'sw-eth1'], ['eth2', 'sw-eth2']], { peersUp: true });

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['--netns', lab.ns, ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('netbond CLI', () => {
  it('creates, shows (--json equals getBond), changes and deletes a bond', async () => {
    const created = await cli('create', 'bond0', '--mode', 'active-backup', 'miimon=100', 'updelay=200', '--slave', 'eth1', 'eth2', '--up');
    expect(created).toMatchObject({ code: 0, err: '' });
    expect(created.out).toContain('bond0: active-backup, up');
    const shown = await cli('--json', 'show', 'bond0');
    expect(shown.code).toBe(0);
    const state = await getBond('bond0', { netns: lab.ns });
    expect(JSON.parse(shown.out)).toEqual(JSON.parse(JSON.stringify({ ...state, slaves: state.slaves })));
    expect((await cli('set', 'bond0', 'primary_reselect=failure', 'num_grat_arp=3')).code).toBe(0);
    expect((await getBond('bond0', { netns: lab.ns })).numGratArp).toBe(3);
    expect((await cli('show', 'bond0')).out).toMatch(/slave eth1: (active|backup), MII/);
    expect((await cli('list')).out).toMatch(/^bond0\tactive-backup\tup\tslaves: eth1 eth2$/m);
    expect((await cli('delete', 'bond0')).code).toBe(0);
    expect(await lab.hasLink('bond0')).toBe(false);
  });

  it('exits 2 for usage and validation errors, 1 when the kernel refuses, with one line', async () => {
    expect((await cli('create', 'bond0', 'miimon=-5')).code).toBe(2);
    const unknown = await cli('create', 'bond0', 'miimom=100');
    expect(unknown).toMatchObject({ code: 2 });
    expect(unknown.err).toBe("netbond: Unknown bond option 'miimom'");
    expect((await cli('frobnicate')).code).toBe(2);
    expect((await cli('create', 'bond0')).code).toBe(0);
    const exists = await cli('create', 'bond0');
    expect(exists.code).toBe(1);
    expect(exists.err.split('\n')).toHaveLength(1);
    expect(exists.err).toMatch(/^netbond: EEXIST: /);
    const busy = await cli('set', 'bond0', 'mode=802.3ad');
    expect(busy.code).toBe(0);
    await cli('enslave', 'bond0', 'eth1');
    const refused = await cli('set', 'bond0', 'mode=active-backup');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('unable to set option because the bond device has slaves');
  });

  it('speaks ifenslave: enslave, -c change active, -d detach, -a show all', async () => {
    await cli('create', 'bond0', '--mode', 'active-backup', 'miimon=100', '--up');
    expect((await cli('ifenslave', 'bond0', 'eth1', 'eth2')).code).toBe(0);
    expect((await getBond('bond0', { netns: lab.ns })).slaves.map((s) => s.name).sort()).toEqual(['eth1', 'eth2']);
    for (let i = 0; i < 50; i++) {
      const s = await getBond('bond0', { netns: lab.ns });
      if (s.activeSlave && s.slaves.every((x) => x.miiStatus === 'up')) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const other = (await getBond('bond0', { netns: lab.ns })).activeSlave === 'eth1' ? 'eth2' : 'eth1';
    expect((await cli('ifenslave', '-c', 'bond0', other)).code).toBe(0);
    expect(procField(await lab.procBonding('bond0'), 'Currently Active Slave')).toBe(other);
    expect((await cli('ifenslave', '-d', 'bond0', 'eth1')).code).toBe(0);
    expect((await lab.link('eth1')).master).toBeUndefined();
    const all = await cli('ifenslave', '-a');
    expect(all.out).toContain('bond0: active-backup');
    expect((await cli('ifenslave', '-x', 'bond0')).code).toBe(2);
  });

  it('the installed binary runs and returns the exit status', async () => {
    const bin = fileURLToPath(new URL('../../bin/netbond.js', import.meta.url));
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, [bin, '--netns', lab.ns, 'create', 'bondx', '--mode', '802.3ad']);
    expect(stdout).toContain('bondx: 802.3ad');
    const failed = await run(process.execPath, [bin, '--netns', lab.ns, 'create', 'bondx']).catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 1 });
  });

  it('watch --json prints one JSON event per line', async () => {
    const bin = fileURLToPath(new URL('../../bin/netbond.js', import.meta.url));
    const child = spawn(process.execPath, [bin, '--netns', lab.ns, '--json', 'watch'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      // The watcher takes its baseline first; create bonds until one is reported.
      for (let i = 0; i < 40 && !output.includes('bond-added'); i++) {
        await cli('create', `bondw${i}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    } finally {
      child.kill('SIGTERM');
    }
    const events = output.trim().split('\n').map((line) => JSON.parse(line) as { type: string; bond: string; timestamp: string });
    expect(events.some((e) => e.type === 'bond-added' && e.bond.startsWith('bondw'))).toBe(true);
    expect(typeof events[0]?.timestamp).toBe('string');
  });

  it('exports a live bond and imports it back', async () => {
    await cli('create', 'bond0', '--mode', '802.3ad', 'lacp_rate=fast', 'xmit_hash_policy=layer3+4', '--slave', 'eth1', 'eth2', '--up');
    await main(['--netns', lab.ns, 'ifenslave', 'bond0', 'eth0'], { out: () => undefined, err: () => undefined });
    for (const format of ['networkd', 'ifcfg', 'netplan', 'nm', 'interfaces']) {
      const exported = await cli('--json', 'export', format, 'bond0');
      expect(exported.code, exported.err).toBe(0);
      const files = JSON.parse(exported.out) as { path: string; text: string }[];
      const { importConfigs } = await import('../../lib/index.js');
      const { specs } = importConfigs(files.map((f) => ({ ...f, format: format as never })));
      expect(specs[0], format).toMatchObject({ name: 'bond0', mode: '802.3ad', lacpRate: 'fast', xmitHashPolicy: 'layer3+4' });
      expect([...(specs[0]?.slaves ?? [])].map((x) => (typeof x === 'string' ? x : x.name)).sort(), format).toEqual(['eth0', 'eth1', 'eth2']);
    }
  });

  it.each([
    ['seed 000', 'seed-000', 'load balancing (round-robin)', ['eth1', 'eth2']],
    ['seed 001', 'seed-001', 'fault-tolerance (active-backup)', ['eth0', 'eth1']],
  ])('imports %s, applies it, and /proc shows the mode the article expected', async (_name, dir, procMode, slaves) => {
    const folder = fileURLToPath(new URL(`../fixtures/configs/${dir}/`, import.meta.url));
    const files = (await readdir(folder)).map((f) => `${folder}${f}`);
    const imported = await cli('--json', 'import', 'auto', ...files);
    expect(imported.code).toBe(0);
    const spec = JSON.parse(imported.out) as Record<string, unknown>;
    const specFile = `/tmp/netbond-cli-${process.pid}.json`;
    await import('node:fs/promises').then((fs) => fs.writeFile(specFile, JSON.stringify(spec)));
    const applied = await cli('apply', specFile);
    expect(applied.code, applied.err).toBe(0);
    const proc = await lab.procBonding('bond0');
    expect(procField(proc, 'Bonding Mode')).toBe(procMode);
    expect([...proc.matchAll(/^Slave Interface: (\S+)$/gmu)].map((m) => m[1]).sort()).toEqual(slaves);
    expect((await cli('apply', '--dry-run', specFile)).out).toBe('bond0: nothing to do');
    await readFile(specFile).then(() => import('node:fs/promises')).then((fs) => fs.rm(specFile));
  });
});
