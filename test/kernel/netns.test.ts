// Namespace selection by name, path and pid; bonds of the same name in two namespaces stay apart;
// a caller without CAP_NET_ADMIN gets EPERM with a clear message.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBond, deleteBond, getBond, listBonds } from '../../lib/index.js';
import { Lab, run } from './helpers/lab.js';

let a: Lab;
let b: Lab;
beforeEach(async () => {
  a = await Lab.create();
  b = await Lab.create();
});
afterEach(async () => {
  await a.destroy();
  await b.destroy();
});

describe('netns option', () => {
  it('selects a namespace by { path }', async () => {
    await createBond('bond0', { mode: 'broadcast', netns: { path: `/run/netns/${a.ns}` } });
    expect((await a.link('bond0')).linkinfo?.info_data?.mode).toBe('broadcast');
    expect((await getBond('bond0', { netns: a.ns })).mode).toBe('broadcast');
  });

  it('selects a namespace by { pid }', async () => {
    const child = spawn('ip', ['netns', 'exec', b.ns, 'sleep', '60'], { stdio: 'ignore' });
    try {
      // Wait until the child has entered the namespace (ip netns exec, then exec sleep).
      let pid = 0;
      for (let i = 0; i < 100 && pid === 0; i++) {
        const pids = (await run('ip', ['netns', 'pids', b.ns])).trim().split('\n').filter(Boolean);
        pid = Number(pids[0] ?? 0);
        if (pid === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(pid).toBeGreaterThan(0);
      await createBond('bond0', { mode: 'balance-alb', netns: { pid } });
      expect((await b.link('bond0')).linkinfo?.info_data?.mode).toBe('balance-alb');
    } finally {
      child.kill();
    }
  });

  it('keeps bonds of the same name in two namespaces apart', async () => {
    await createBond('bond0', { mode: 'active-backup', netns: a.ns });
    await createBond('bond0', { mode: '802.3ad', netns: b.ns });
    expect((await listBonds({ netns: a.ns })).map((s) => [s.name, s.mode])).toEqual([['bond0', 'active-backup']]);
    expect((await listBonds({ netns: b.ns })).map((s) => [s.name, s.mode])).toEqual([['bond0', '802.3ad']]);
    await deleteBond('bond0', { netns: a.ns });
    expect(await a.hasLink('bond0')).toBe(false);
    expect(await b.hasLink('bond0')).toBe(true);
  });
});

describe('a caller without CAP_NET_ADMIN', () => {
  it('gets EPERM naming the capability, and nothing is created', async () => {
    const script = fileURLToPath(new URL('./helpers/create-without-cap.mjs', import.meta.url));
    const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
    // Inside the namespace already, with CAP_NET_ADMIN and CAP_SYS_ADMIN dropped from the bounding
    // set, so the node process cannot hold them.
    const output = await run('ip', [
      'netns', 'exec', a.ns,
      'setpriv', '--bounding-set=-net_admin,-sys_admin', '--inh-caps=-all',
      process.execPath, script, dist,
    ]);
    const result = JSON.parse(output) as { name: string; code: string; errno: number; message: string };
    expect(result).toMatchObject({ name: 'BondError', code: 'EPERM', errno: -1 });
    expect(result.message).toBe(
      'EPERM: Operation not permitted: changing network links needs CAP_NET_ADMIN (run as root or grant the capability) (create bond nocap0 (balance-rr))',
    );
    expect(await a.hasLink('nocap0')).toBe(false);
  });
});
