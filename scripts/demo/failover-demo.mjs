#!/usr/bin/env node
// The seeds' cable-pull test, reproduced in a throwaway lab: host A bonds two NICs (veth) in
// active-backup with miimon 100 through netbond; namespace "switch" bridges their peers and
// answers pings. Pings flow, the active link is cut, the bond fails over. Everything is removed
// at the end, also on Ctrl-C. Must run as root in a kernel with the bonding driver. The lab is
// built with netbond alone (namespaces, veths, bridge); only ping is a process of its own.
import { spawn } from 'node:child_process';
import { addAddress, createBond, createBridge, createNamespace, createVeth, deleteNamespace, getBond, setLinkDown, setLinkUp, setMaster } from '../../dist/index.js';

const hostA = `nbdemo-host-${process.pid}`;
const sw = `nbdemo-switch-${process.pid}`;
const BOND_IP = '172.16.248.50/16'; // the RHEL4 seed's ifcfg-bond0
const PEER_IP = '172.16.248.1';
const PINGS = 500;
const INTERVAL_MS = 10;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const t0 = process.hrtime.bigint();
const stamp = () => `[${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(3).padStart(7)}s]`;
const say = (line) => console.log(`${stamp()} ${line}`);

function printBond(state) {
  console.log(`    bond ${state.name}: mode ${state.mode}, miimon ${state.miimon} ms, carrier ${state.carrier ? 'up' : 'down'}, mac ${state.mac}`);
  console.log(`    active slave: ${state.activeSlave ?? 'none'}`);
  for (const slave of state.slaves) {
    console.log(`      ${slave.name.padEnd(6)} ${slave.state.padEnd(7)} MII ${slave.miiStatus.padEnd(10)} link failures ${slave.linkFailureCount}  perm ${slave.permHwaddr}`);
  }
}

async function cleanup() {
  await deleteNamespace(hostA).catch(() => undefined);
  await deleteNamespace(sw).catch(() => undefined);
}

async function buildLab() {
  say(`building the lab: namespaces ${hostA} (the server) and ${sw} (the switch)`);
  await createNamespace(hostA);
  await createNamespace(sw);
  await createBridge('br0', { netns: sw });
  for (const n of [0, 1]) {
    // eth0/eth1 in the server, as in the seed's ifcfg-eth0/ifcfg-eth1; their cables end in the switch.
    await createVeth(`eth${n}`, { netns: hostA, peer: `port${n}`, peerNetns: sw });
    await setMaster(`port${n}`, 'br0', { netns: sw });
    await setLinkUp(`port${n}`, { netns: sw });
  }
  await addAddress('br0', `${PEER_IP}/16`, { netns: sw });
  await setLinkUp('br0', { netns: sw });
  await setLinkUp('lo', { netns: hostA });
}

async function waitFor(read, done, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < end) {
    await sleep(5);
    value = await read();
  }
  return value;
}

function startPing() {
  const child = spawn('nsenter', [`--net=/run/netns/${hostA}`, '--', 'ping', '-n', '-i', String(INTERVAL_MS / 1000), '-c', String(PINGS), '-W', '1', PEER_IP], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  const done = new Promise((resolve) => child.on('exit', () => resolve(output)));
  return { child, done };
}

async function main() {
  await buildLab();
  say('createBond("bond0", { mode: "active-backup", miimon: 100, slaves: ["eth0", "eth1"], up: true })');
  let state = await createBond('bond0', { mode: 'active-backup', miimon: 100, slaves: ['eth0', 'eth1'], up: true, netns: hostA });
  await addAddress('bond0', BOND_IP, { netns: hostA });
  state = await waitFor(
    () => getBond('bond0', { netns: hostA }),
    (s) => s.carrier && s.activeSlave !== null && s.slaves.every((x) => x.miiStatus === 'up'),
  );
  printBond(state);

  say(`pinging ${PEER_IP} every ${INTERVAL_MS} ms (${PINGS} pings) through bond0`);
  const ping = startPing();
  await sleep(1500);

  const victim = state.activeSlave;
  const victimPort = `port${victim.slice(-1)}`;
  say(`pulling the cable of the active slave ${victim}: ${victimPort} in the switch goes down`);
  const cut = process.hrtime.bigint();
  await setLinkDown(victimPort, { netns: sw });
  const after = await waitFor(() => getBond('bond0', { netns: hostA }), (s) => s.activeSlave !== victim);
  const ms = Number(process.hrtime.bigint() - cut) / 1e6;
  say(`failover: active slave ${victim} -> ${after.activeSlave ?? 'none'}, seen ${ms.toFixed(0)} ms after the cut`);

  const output = await ping.done;
  const summary = /(\d+) packets transmitted, (\d+) received/u.exec(output);
  const sent = Number(summary?.[1] ?? 0);
  const received = Number(summary?.[2] ?? 0);
  say(`pings: ${sent} sent, ${received} received, ${sent - received} lost (${((100 * (sent - received)) / Math.max(sent, 1)).toFixed(1)}%; the seed saw 5%)`);
  printBond(await getBond('bond0', { netns: hostA }));
  if (after.activeSlave === victim || received === 0) throw new Error('no failover was seen');
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    cleanup().finally(() => process.exit(130));
  });
}

try {
  await main();
  say('cleaning up: the lab namespaces and everything in them are deleted');
} catch (error) {
  console.error(`demo failed: ${error.message}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
