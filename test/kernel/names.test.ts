// Unusual but valid interface names through both backends, checked against ip and sysfs.
import { spawn } from 'node:child_process';
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
  it.each(BACKENDS)('refuses a name with a percent sign (a kernel name template), over %s, and creates nothing', async (backend) => {
    const before = (await lab.links()).map((l) => l.ifname).sort();
    await expect(createBond('bond%d', { netns: lab.ns, backend })).rejects.toThrow(/"%"/u);
    expect((await lab.links()).map((l) => l.ifname).sort()).toEqual(before);
  });
});

describe('sysfs up/down leaves the flags others own alone', () => {
  // Holds PACKET_MR_PROMISC on the interface, as tcpdump does, until its stdin closes.
  const PROMISC_HOLDER = [
    'import socket, struct, sys',
    's = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)',
    's.setsockopt(263, 1, struct.pack("iHH8s", socket.if_nametoindex(sys.argv[1]), 1, 0, b""))',
    'print("ready", flush=True)',
    'sys.stdin.read()',
  ].join('\n');

  it('does not make a packet socket\'s promiscuous mode permanent when it takes a slave down', async () => {
    await lab.setUp('a..b');
    const holder = spawn('ip', ['netns', 'exec', lab.ns, '/usr/bin/python3', '-c', PROMISC_HOLDER, 'a..b'], { stdio: ['pipe', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      holder.on('exit', (code) => reject(new Error(`promisc holder exited with ${code}`)));
    });
    await createBond('bond0', { mode: 'balance-rr', netns: lab.ns, backend: 'sysfs' });
    await enslave('bond0', 'a..b', { netns: lab.ns, backend: 'sysfs' });
    holder.stdin.end();
    await new Promise((resolve) => holder.on('exit', resolve));
    const link = await lab.link('a..b');
    expect(link.flags).not.toContain('PROMISC');
    expect(link.master).toBe('bond0');
  });
});
