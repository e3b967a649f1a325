// `netbond apply --try`, probes and the checkpoint commands against the real kernel, as an operator
// over SSH meets them: a host namespace whose bond is cabled to a "switch" namespace (a bridge
// with the gateway's address, a TCP listener on it). "Restored" means equal `ip -d -j` link,
// address and route dumps. The CLI runs as a process of its own (bin/netbond.js), in its own
// process group so that it can be killed as a dropped SSH session kills its shell.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyBond, getBond, listCheckpoints, type BondSpec } from '../../lib/index.js';
import { settledSnapshot } from './helpers/snapshot.js';
import { switchedHost, type Switched } from './helpers/switched.js';
import { waitFor } from './helpers/wait.js';

// Each test starts the CLI as processes of its own and waits for settled dumps: 13-35 s each on
// UML 6.1 beside the other lane (the longest, an apply killed and rolled back). 3x and more.
const TRY_BUDGET = 120_000;
const BIN = fileURLToPath(new URL('../../bin/netbond.js', import.meta.url));
const GATEWAY = '10.9.0.254';
const PORT = 8022;

let net: Switched;
let dir: string;
let listener: ChildProcess | undefined;

beforeEach(async () => {
  net = await switchedHost(['eth1', 'eth2', 'eth3'], [`${GATEWAY}/24`]);
  // eth3's switch port is cabled to nothing: a bond over eth3 alone cannot reach the gateway.
  await net.sw.ip(['link', 'set', net.portOf('eth3'), 'nomaster']);
  // A device never up has the 'noop' qdisc until first opened, which no rollback can put back.
  await net.host.setUp('eth3');
  await net.host.setUp('eth3', false);
  dir = await mkdtemp(join(tmpdir(), 'netbond-try-'));
});

afterEach(async () => {
  listener?.kill('SIGKILL');
  listener = undefined;
  await net.destroy();
  await rm(dir, { recursive: true, force: true });
});

const start: BondSpec = {
  name: 'bond0',
  mode: 'active-backup',
  miimon: 100,
  slaves: ['eth1', 'eth2'],
  addresses: ['10.9.0.1/24'],
  routes: [{ destination: 'default', gateway: GATEWAY }],
};
/** A harmless change: the path to the gateway stays. */
const harmless: BondSpec = { ...start, mode: 'balance-xor', xmitHashPolicy: 'layer3+4', mtu: 9000, addresses: ['10.9.0.2/24'] };
/** Cuts the host off: the only slave left is cabled to nothing. */
const breaking: BondSpec = { ...start, slaves: ['eth3'] };

async function specFile(name: string, content: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(content));
  return path;
}

/** bond0 at `spec`, with every slave's link up, and the namespace as it then settles. */
async function settledAt(spec: BondSpec): Promise<string> {
  await applyBond(spec, { netns: net.host.ns, healthTimeout: 0 });
  await waitFor(() => getBond('bond0', { netns: net.host.ns }), (s) => s.slaves.every((x) => x.miiStatus === 'up'));
  return settledSnapshot(net.host);
}

interface Cli {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  /** Resolves once stdout or stderr has a line matching `pattern`. */
  printed: (pattern: RegExp) => Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `netbond --netns HOST ARGS` in a process group of its own, stdin a pipe (Enter = write '\n'). */
function netbond(...args: string[]): Cli {
  const child = spawn(process.execPath, [BIN, '--netns', net.host.ns, ...args], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let out = '';
  let err = '';
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const check = () => {
    for (const waiter of [...waiters]) {
      const line = `${out}\n${err}`.split('\n').find((l) => waiter.pattern.test(l));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  };
  child.stdout!.on('data', (chunk: Buffer) => ((out += chunk.toString()), check()));
  child.stderr!.on('data', (chunk: Buffer) => ((err += chunk.toString()), check()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return {
    child,
    out: () => out,
    err: () => err,
    exited,
    printed: (pattern) =>
      new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        check();
        void exited.then(() => setTimeout(() => reject(new Error(`netbond exited without printing ${pattern}:\n${out}\n${err}`)), 50));
      }),
  };
}

/** A TCP listener on the gateway's address, in the switch namespace (killed after the test). */
async function listenOnGateway(): Promise<void> {
  listener = spawn('ip', ['netns', 'exec', net.sw.ns, process.execPath, '-e', `require('net').createServer((s) => s.end()).listen(${PORT}, '${GATEWAY}', () => console.log('listening'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => listener!.stdout!.once('data', resolve));
}

async function run(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const cli = netbond(...args);
  cli.child.stdin!.end();
  const { code } = await cli.exited;
  return { code, out: cli.out(), err: cli.err() };
}

/**
 * A --try deadline (seconds) that the confirming side meets on this machine however slow the test
 * bed is today: four CLI runs' worth, measured now by one (`netbond checkpoints`), and at least 4 s.
 * A fixed number failed under load: the deadline passed while `netbond confirm` was starting.
 */
async function confirmableDeadline(): Promise<number> {
  const started = Date.now();
  expect((await run('checkpoints')).code).toBe(0);
  return Math.max(4, Math.ceil((4 * (Date.now() - started)) / 1000));
}

describe('netbond apply --try', () => {
  it('rolls back at once, exit 1, when the default gateway probe fails after the change', { timeout: TRY_BUDGET }, async () => {
    const before = await settledAt(start);
    const file = await specFile('breaking.json', breaking);
    const result = await run('apply', file, '--try', '60');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(new RegExp(`probe gateway \\(${GATEWAY.replace(/\./gu, '\\.')} via bond0\\) failed after the change: no echo reply from ${GATEWAY.replace(/\./gu, '\\.')}`, 'u'));
    const rolledBackIn = /rolled back in (\d+) ms/u.exec(result.err);
    expect(rolledBackIn).not.toBeNull();
    console.log(`failed probe -> restored state: ${rolledBackIn?.[1]} ms`);
    expect(await listCheckpoints({ netns: net.host.ns })).toEqual([]);
    expect(await settledSnapshot(net.host)).toBe(before);
  });

  it('is rolled back at the deadline when nobody confirms (exit 1), exactly', { timeout: TRY_BUDGET }, async () => {
    const before = await settledAt(start);
    const cli = netbond('apply', await specFile('harmless.json', harmless), '--try', '3');
    await cli.printed(/^checkpoint \S+: press Enter/u);
    expect((await getBond('bond0', { netns: net.host.ns })).mode).toBe('balance-xor');
    expect(cli.out()).toMatch(/probe gateway \(10\.9\.0\.254 via bond0\): ok/u);
    const { code } = await cli.exited;
    expect(code).toBe(1);
    expect(cli.err()).toMatch(/ETIMEDOUT: not confirmed by \S+; the state before the change is restored/u);
    expect(await settledSnapshot(net.host)).toBe(before);
  });

  it('is kept when `netbond confirm` comes from another shell before the deadline', { timeout: TRY_BUDGET }, async () => {
    await settledAt(start);
    const deadline = await confirmableDeadline();
    const cli = netbond('apply', await specFile('harmless.json', harmless), '--try', String(deadline));
    const line = await cli.printed(/^checkpoint \S+: press Enter/u);
    const id = /^checkpoint (\S+):/u.exec(line)?.[1];
    const confirmed = await run('confirm', id as string);
    expect(confirmed).toMatchObject({ code: 0, out: `confirmed ${id}: bond0 kept as they are\n` });
    expect(await cli.exited).toMatchObject({ code: 0 });
    expect(cli.out()).toContain(`confirmed from another shell: the change is kept (checkpoint ${id})`);
    // Past the deadline the guard would have restored an unconfirmed change.
    await new Promise((resolve) => setTimeout(resolve, deadline * 1000 + 500));
    expect(await getBond('bond0', { netns: net.host.ns })).toMatchObject({ mode: 'balance-xor', mtu: 9000 });
    expect(await run('checkpoints')).toMatchObject({ code: 0, out: 'no open checkpoints\n' });
  });

  it('is kept when Enter is pressed', { timeout: TRY_BUDGET }, async () => {
    await settledAt(start);
    const deadline = await confirmableDeadline();
    const cli = netbond('apply', await specFile('harmless.json', harmless), '--try', String(deadline));
    await cli.printed(/^checkpoint \S+: press Enter/u);
    cli.child.stdin!.write('\n');
    expect(await cli.exited).toMatchObject({ code: 0 });
    expect(cli.out()).toMatch(/^confirmed: the change is kept/mu);
    // Past the deadline the guard would have restored an unconfirmed change.
    await new Promise((resolve) => setTimeout(resolve, deadline * 1000 + 500));
    expect(await getBond('bond0', { netns: net.host.ns })).toMatchObject({ mode: 'balance-xor', mtu: 9000 });
  });

  it('is rolled back by the deadline when the CLI is killed (SIGKILL of its process group) right after the change', { timeout: TRY_BUDGET }, async () => {
    const before = await settledAt(start);
    const cli = netbond('apply', await specFile('harmless.json', harmless), '--try', '3');
    await cli.printed(/^checkpoint \S+: press Enter/u);
    process.kill(-cli.child.pid!, 'SIGKILL');
    await cli.exited;
    const [pending] = await listCheckpoints({ netns: net.host.ns });
    expect(pending).toMatchObject({ status: 'pending', bonds: ['bond0'] });
    await waitFor(() => listCheckpoints({ netns: net.host.ns }), (list) => list.length === 0, 15_000, 50);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(pending!.expiresAt!));
    expect(await settledSnapshot(net.host)).toBe(before);
  });

  it('rolls back at once on Ctrl-C while waiting (exit 130)', { timeout: TRY_BUDGET }, async () => {
    const before = await settledAt(start);
    const cli = netbond('apply', await specFile('harmless.json', harmless), '--try', '60');
    await cli.printed(/^checkpoint \S+: press Enter/u);
    process.kill(cli.child.pid!, 'SIGINT');
    expect((await cli.exited).code).toBe(130);
    expect(cli.err()).toMatch(/interrupted by SIGINT; checkpoint \S+ rolled back/u);
    expect(await settledSnapshot(net.host)).toBe(before);
  });
});

describe('probes', () => {
  it('tcp, arp and ping probes pass before and after; one failing before the change is dropped with a warning', { timeout: TRY_BUDGET }, async () => {
    await listenOnGateway();
    await settledAt(start);
    const result = await run('apply', await specFile('harmless.json', harmless), '--probe', `tcp:${GATEWAY}:${PORT}`, '--probe', `arp:${GATEWAY}`, '--probe', `ping:${GATEWAY}`, '--probe', 'ping:10.9.0.77');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(new RegExp(`^probe tcp ${GATEWAY}:${PORT}: ok \\(connected to`, 'mu'));
    expect(result.out).toMatch(new RegExp(`^probe arp ${GATEWAY} on bond0: ok \\(${GATEWAY} is at ([0-9a-f]{2}:){5}[0-9a-f]{2}`, 'mu'));
    expect(result.out).toMatch(new RegExp(`^probe ping ${GATEWAY}: ok \\(echo reply from ${GATEWAY}`, 'mu'));
    expect(result.err).toMatch(/^warning: probe ping 10\.9\.0\.77 fails before the change \(.+\); left out$/mu);
    // The sender address of the ARP request was bond0's: the switch learned it.
    const neighbours = await net.sw.ip(['neigh', 'show', 'dev', 'br0']);
    expect(neighbours).toMatch(/10\.9\.0\.(1|2) /u);
  });

  it('a tcp probe that breaks rolls back a change without a checkpoint', { timeout: TRY_BUDGET }, async () => {
    await listenOnGateway();
    const before = await settledAt(start);
    const result = await run('apply', await specFile('breaking.json', breaking), '--probe', `tcp:${GATEWAY}:${PORT}`);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/probe tcp 10\.9\.0\.254:8022 failed after the change: (no answer from|connect to) 10\.9\.0\.254:8022/u);
    expect(await settledSnapshot(net.host)).toBe(before);
  });
});

describe('the journal and the checkpoint commands', () => {
  it('an apply killed between two steps is reported by the next apply; netbond rollback restores the state before', { timeout: TRY_BUDGET }, async () => {
    const before = await settledAt(start);
    const file = await specFile('harmless.json', harmless);
    const cli = netbond('apply', '-v', file);
    await cli.printed(/^step 3: /u);
    process.kill(-cli.child.pid!, 'SIGKILL');
    await cli.exited;
    const again = await run('apply', file);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(new RegExp(`an apply by pid ${cli.child.pid} \\(.+\\) was interrupted at step \\d+ of \\d+ on bond0; \`netbond rollback \\S+\``, 'u'));
    const listed = await run('--json', 'checkpoints');
    const [entry] = JSON.parse(listed.out) as { id: string; status: string }[];
    expect(entry).toMatchObject({ status: 'interrupted' });
    expect(await run('checkpoints')).toMatchObject({ code: 0, out: expect.stringMatching(new RegExp(`^${entry!.id}\tinterrupted\tbond0\tstep \\d+ of \\d+\tpid ${cli.child.pid} `, 'u')) });
    expect(await run('rollback')).toMatchObject({ code: 0, out: `rolled back ${entry!.id}: bond0 as before it\n` });
    expect(await settledSnapshot(net.host)).toBe(before);
    expect(await run('rollback')).toMatchObject({ code: 2, err: 'netbond: there is no open checkpoint\n' });
  });

  it('two applies of one bond at once: the result is one spec or the other, and the wait is reported', { timeout: TRY_BUDGET }, async () => {
    await settledAt(start);
    const other: BondSpec = { ...start, mode: 'balance-rr', mtu: 4000, slaves: ['eth1', 'eth2'], addresses: ['10.9.0.3/24'] };
    const runs = await Promise.all([run('apply', await specFile('a.json', harmless)), run('apply', await specFile('b.json', other))]);
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    expect(runs.filter((r) => /^waiting for bond0: pid \d+ \(.+\) is changing it$/mu.test(r.err))).toHaveLength(1);
    const state = await getBond('bond0', { netns: net.host.ns });
    const won = state.mode === 'balance-xor' ? harmless : other;
    expect(state).toMatchObject({ mode: won.mode, mtu: won.mtu });
    const addresses = await net.host.ip(['-j', 'addr', 'show', 'dev', 'bond0']);
    expect(addresses).toContain((won.addresses as string[])[0]!.split('/')[0]);
    expect(addresses).not.toContain(((won === harmless ? other : harmless).addresses as string[])[0]!.split('/')[0]);
  });

  it('a bonds: file is one transaction: the first bond is rolled back when the second fails', { timeout: TRY_BUDGET }, async () => {
    const before = await settledAt(start);
    const file = await specFile('two.json', { bonds: [harmless, { name: 'bond1', mode: 'balance-rr', slaves: ['eth3', 'missing0'] }] });
    const result = await run('apply', file);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/missing0.*rolled back/u);
    expect(await settledSnapshot(net.host)).toBe(before);
    const ok = await run('apply', await specFile('two-ok.json', { bonds: [harmless, { name: 'bond1', mode: 'balance-rr', slaves: ['eth3'] }] }));
    expect(ok.code).toBe(0);
    expect((await getBond('bond1', { netns: net.host.ns })).slaves.map((s) => s.name)).toEqual(['eth3']);
  });
});
