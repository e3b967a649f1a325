// The Ansible collection with the real engine: ansible-playbook (Debian's ansible-core) runs the
// netbond.netbond modules with connection: local against a namespace of the test bed. Each play
// registers what the modules returned and writes it to a file the test reads; the kernel's side is
// checked with `ip -d -j` dumps, /proc/net/bonding and `netbond --json show`.
//
// A play costs 20-40 s in the test bed (Python and Ansible start in a User-Mode Linux guest, then
// Python and node again for each task), so the plays are few: where a test needs a bond to start
// from, netbond's own applyBond makes it, and checks that change nothing share one play.
// Budgets: 3x and more of what each test took on UML 6.1 beside the other lane (the slower kernel;
// the test bed runs this file on UML 6.12, docs/test-bed.md): a play 24-35 s there, 12 s a task.
const PLAY_BUDGET = 240_000;
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { applyBond, getBond, type BondSpec } from '../../lib/index.js';
import { main } from '../../lib/cli/main.js';
import { procField, type Lab } from './helpers/lab.js';
import { labPerTest } from './helpers/lab-per-test.js';
import { settledSnapshot } from './helpers/snapshot.js';
import { waitFor } from './helpers/wait.js';

const execFileAsync = promisify(execFile);
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const NETBOND = join(REPO, 'bin/netbond.js');

let lab: Lab;
labPerTest((created) => (lab = created), [['eth1', 'sw-eth1'], ['eth2', 'sw-eth2'], ['eth3', 'sw-eth3']], { peersUp: true });

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netbond-ansible-'));
  // A link that was never up has qdisc noop until first opened, which nothing can put back.
  for (const nic of ['eth1', 'eth2', 'eth3']) {
    await lab.setUp(nic);
    await lab.setUp(nic, false);
  }
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Task = Record<string, unknown>;

interface PlaybookRun {
  code: number;
  stdout: string;
  /** What each task registered, by its register name. */
  results: Record<string, Record<string, unknown>>;
  ms: number;
}

/** Runs one play of `tasks` on localhost; every module task is registered as r<index>. */
async function playbook(tasks: Task[], flags: string[] = []): Promise<PlaybookRun> {
  const registered = tasks.map((task, i) => ({ ignore_errors: true, ...task, register: `r${i}` }));
  const names = registered.map((t) => t.register as string);
  const save = { 'ansible.builtin.copy': { dest: join(dir, 'results.json'), content: `{{ {${names.map((n) => `'${n}': ${n}`).join(', ')}} | to_json }}` }, check_mode: false, diff: false };
  const play = [{ hosts: 'localhost', gather_facts: false, module_defaults: { group: {} }, tasks: [...registered, save] }];
  const path = join(dir, 'play.yml');
  await writeFile(path, stringify(play));
  const env = {
    ...process.env,
    ANSIBLE_COLLECTIONS_PATH: join(REPO, 'ansible'),
    ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_LOCALHOST_WARNING: 'false',
    ANSIBLE_INVENTORY_UNPARSED_WARNING: 'false',
    ANSIBLE_RETRY_FILES_ENABLED: 'false',
    // The test bed's root file system is the host's, read-only: Ansible's own files go here.
    HOME: dir,
    ANSIBLE_LOCAL_TEMP: join(dir, 'local-tmp'),
    ANSIBLE_REMOTE_TEMP: join(dir, 'remote-tmp'),
  };
  const started = Date.now();
  const outcome = await execFileAsync('ansible-playbook', ['-i', 'localhost,', '-c', 'local', path, ...flags], { env, maxBuffer: 16 * 1024 * 1024 }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? -1, stdout: `${error.stdout ?? ''}${error.stderr ?? ''}` }),
  );
  const ms = Date.now() - started;
  const results = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8').catch(() => '{}')) as PlaybookRun['results'];
  return { ...outcome, results, ms };
}

const bond = (args: Record<string, unknown>): Task => ({ 'netbond.netbond.bond': { executable: NETBOND, netns: lab.ns, ...args } });
const confirm = (args: Record<string, unknown>): Task => ({ 'netbond.netbond.bond_confirm': { executable: NETBOND, netns: lab.ns, ...args } });

const AB = { name: 'bond0', mode: 'active-backup', miimon: 100, slaves: ['eth1', 'eth2'], addresses: ['10.7.0.1/24'] };
/** bond0 as AB, made by netbond itself: the starting point of a test about a change. */
const startAtAB = () => applyBond(AB as BondSpec, { netns: lab.ns, healthTimeout: 0 });

async function netbondJson(...args: string[]): Promise<unknown> {
  const out: string[] = [];
  const code = await main(['--json', '--netns', lab.ns, ...args], { out: (t) => out.push(t), err: () => undefined });
  expect(code).toBe(0);
  return JSON.parse(out.join('\n'));
}

describe('the netbond.netbond collection', () => {
  it('creates a bond (changed), then reports changed: false for the same options; bond_info equals netbond --json show', { timeout: PLAY_BUDGET }, async () => {
    const run = await playbook([bond(AB), bond(AB), { 'netbond.netbond.bond_info': { executable: NETBOND, netns: lab.ns } }]);
    expect(run.code, run.stdout).toBe(0);
    const [first, second, info] = [run.results.r0, run.results.r1, run.results.r2];
    expect(first).toMatchObject({ changed: true, failed: false, state: { name: 'bond0', mode: 'active-backup' } });
    expect((first?.steps as { kind: string }[]).map((s) => s.kind)).toContain('create-bond');
    expect(second).toMatchObject({ changed: false, steps: [] });
    expect(procField(await lab.procBonding('bond0'), 'Bonding Mode')).toBe('fault-tolerance (active-backup)');
    const shown = (await netbondJson('show')) as { name: string; slaves: { name: string; linkFailureCount: number }[] }[];
    expect(info?.bonds).toEqual(JSON.parse(JSON.stringify(shown)));
    expect(run.stdout).toMatch(/localhost\s*: ok=4\s+changed=2\s+unreachable=0\s+failed=0/u);
    console.log(`ansible: a play of 3 module tasks and a copy against a namespace took ${run.ms} ms`);
  });

  it('check mode returns the plan and changes nothing; diff mode shows before and after', { timeout: PLAY_BUDGET }, async () => {
    await startAtAB();
    const before = await settledSnapshot(lab);
    const checked = await playbook([bond({ ...AB, mode: '802.3ad', lacp_rate: 'fast' })], ['--check', '--diff']);
    expect(checked.code, checked.stdout).toBe(0);
    const result = checked.results.r0 as { changed: boolean; steps: { description: string }[]; diff: { before: Record<string, unknown>; after: Record<string, unknown> } };
    expect(result.changed).toBe(true);
    expect(result.steps.map((s) => s.description)).toContain('set mode 802.3ad on bond0');
    expect(result.diff.before).toMatchObject({ name: 'bond0', mode: 'active-backup' });
    expect(result.diff.after).toMatchObject({ name: 'bond0', mode: '802.3ad', lacpRate: 'fast' });
    expect(checked.stdout).toMatch(/-\s+"mode": "active-backup"/u);
    expect(checked.stdout).toMatch(/\+\s+"mode": "802\.3ad"/u);
    expect(await settledSnapshot(lab)).toBe(before);

    const changed = await playbook([bond({ ...AB, mode: 'balance-xor', xmit_hash_policy: 'layer3+4' })], ['--diff']);
    expect(changed.code, changed.stdout).toBe(0);
    const live = changed.results.r0 as { changed: boolean; diff: { before: Record<string, unknown>; after: Record<string, unknown> } };
    expect(live).toMatchObject({ changed: true, diff: { before: { mode: 'active-backup' }, after: { mode: 'balance-xor', xmitHashPolicy: 'layer3+4', addresses: ['10.7.0.1/24'] } } });
    // A live mode change: the same bond, the slaves and the address kept.
    expect(procField(await lab.procBonding('bond0'), 'Bonding Mode')).toBe('load balancing (xor)');
    expect((await getBond('bond0', { netns: lab.ns })).slaves.map((s) => s.name).sort()).toEqual(['eth1', 'eth2']);
  });

  it('state absent deletes the bond, and again is not a change', { timeout: PLAY_BUDGET }, async () => {
    await startAtAB();
    const run = await playbook([bond({ name: 'bond0', state: 'absent' }), bond({ name: 'bond0', state: 'absent' })]);
    expect(run.code, run.stdout).toBe(0);
    expect(run.results.r0).toMatchObject({ changed: true });
    expect(run.results.r1).toMatchObject({ changed: false });
    expect(await lab.hasLink('bond0')).toBe(false);
  });

  it('a failing change fails the task with the kernel side named, rolled back: the links as before; invalid and refused specs change nothing', { timeout: PLAY_BUDGET }, async () => {
    await startAtAB();
    const before = await settledSnapshot(lab);
    // Every task's failure is ignored (playbook()), so the three run one after the other.
    const run = await playbook([bond({ ...AB, mode: 'balance-rr', slaves: ['eth1', 'eth9'] }), bond({ ...AB, miimon: 'often' }), bond({ ...AB, vlans: [{ id: 5000 }] })]);
    const result = run.results.r0 as { failed: boolean; msg: string; rolled_back: boolean; rc: number; error: { code: string } };
    expect(result.failed).toBe(true);
    expect(result.msg).toMatch(/eth9/u);
    expect(result).toMatchObject({ rolled_back: true, rc: 1, error: { code: 'ENODEV' } });
    expect(run.results.r1).toMatchObject({ failed: true, msg: expect.stringMatching(/miimon/u) });
    expect(run.results.r2).toMatchObject({ failed: true, rc: 2, msg: expect.stringMatching(/vlans\[0\]\.id of bond bond0/u) });
    expect(await waitFor(() => settledSnapshot(lab), (now) => now === before, 15_000, 0)).toBe(before);
  });

  it('confirm_timeout: kept when bond_confirm confirms in time, restored by the host when nobody does', { timeout: 3 * PLAY_BUDGET }, async () => {
    // The play that makes the starting bond is also the measure of a one-task play on this machine.
    const setup = await playbook([bond(AB)]);
    expect(setup.code, setup.stdout).toBe(0);
    const before = await settledSnapshot(lab);
    const target = { ...AB, mode: 'balance-xor', slaves: ['eth1', 'eth3'] };
    // From the checkpoint to bond_confirm: the rest of the first task and two more tasks. Three
    // one-task plays' worth (at least 20 s) holds however slow the test bed is today.
    const confirmWithin = Math.max(20, Math.ceil((3 * setup.ms) / 1000));
    const kept = await playbook([bond({ ...target, confirm_timeout: confirmWithin }), { 'ansible.builtin.wait_for_connection': { timeout: 10 } }, confirm({ checkpoint: '{{ r0.checkpoint.id }}' })]);
    expect(kept.code, kept.stdout).toBe(0);
    const checkpoint = kept.results.r0?.checkpoint as { id: string; expiresAt: string };
    expect(kept.results.r0).toMatchObject({ changed: true, checkpoint: { id: expect.any(String) } });
    expect(kept.results.r2).toMatchObject({ changed: true, checkpoint: { id: checkpoint.id } });
    // Past the deadline the guard would have restored an unconfirmed change.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(checkpoint.expiresAt) - Date.now()) + 2000));
    expect(procField(await lab.procBonding('bond0'), 'Bonding Mode')).toBe('load balancing (xor)');
    expect(await netbondJson('checkpoints')).toEqual([]);

    await startAtAB();
    const again = await settledSnapshot(lab);
    expect(again).toBe(before);
    const unconfirmed = await playbook([bond({ ...target, confirm_timeout: 10 })]);
    // The change as the module read it back: the play itself can outlast the deadline under load.
    expect(unconfirmed.results.r0).toMatchObject({ changed: true, state: { mode: 'balance-xor' } });
    // The guard restores the state before at the deadline; then confirming is too late.
    expect(await waitFor(() => settledSnapshot(lab), (now) => now === before, 30_000, 0)).toBe(before);
    const late = await playbook([confirm({ checkpoint: (unconfirmed.results.r0?.checkpoint as { id: string }).id })]);
    expect(late.results.r0).toMatchObject({ failed: true });
  });
});
