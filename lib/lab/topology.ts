// Builds one lab topology: host A with N NICs (veth) and host B, in namespaces of their own.
//   - 802.3ad and the static modes (balance-rr, balance-xor, broadcast): B has a matching bond on
//     the other ends of the same veths, as a switch's LACP or static port-channel would.
//   - active-backup, balance-tlb, balance-alb need nothing from the switch: A's NICs plug into a
//     bridge in a third namespace, and B has one NIC on that bridge. B's uplink is not shaped, so
//     B is never the bottleneck (a server on a faster port).
//   - 'single link': one veth pair, no bond: the baseline the seeds measured before bonding.
// Bonds, addresses and link states go through netbond's own API; veths, the bridge and qdiscs
// through ip and tc, in the lab's namespaces only.
import { createBond, type CreateBondOptions } from '../verbs/create.js';
import { addAddress } from '../link/addresses.js';
import { setLinkUp } from '../link/link.js';
import { createBridge, createVeth } from '../link/create.js';
import { setMaster } from '../link/master.js';
import type { BondMode } from '../option-table.js';
import { getBond } from '../verbs/read.js';
import type { LabNamespaces } from './namespaces.js';
import { shapingCommands } from './shaping.js';
import type { LabSettings } from './types.js';

export const ADDRESS_A = '10.77.0.1';
export const ADDRESS_B = '10.77.0.2';

export interface Topology {
  mode: BondMode | 'single link';
  a: string;
  b: string;
  /** A's NICs: nic0..nicN-1 (one for the single link). */
  nics: string[];
  /** The far end of each of A's NICs: setting it down is a cable pull seen as carrier loss. */
  farEnd: Map<string, { ns: string; dev: string }>;
  /** 'bond0' in A, absent for the single link. */
  bond?: string;
  /** Host B has a matching bond (802.3ad and the static modes) rather than one NIC on a bridge. */
  bondOnB: boolean;
  peer: string;
  switchNeeds: string;
}

const SWITCH_INDEPENDENT: readonly BondMode[] = ['active-backup', 'balance-tlb', 'balance-alb'];

/** What each mode needs from a real switch, for the report. */
export function switchNeeds(mode: BondMode | 'single link'): string {
  switch (mode) {
    case '802.3ad':
      return 'LACP (802.3ad) on the switch ports';
    case 'balance-rr':
    case 'balance-xor':
    case 'broadcast':
      return 'a static port-channel (EtherChannel) on the switch';
    case 'single link':
      return 'nothing';
    default:
      return 'nothing (switch-independent)';
  }
}

function bondOptions(mode: BondMode, settings: LabSettings): CreateBondOptions {
  const options: CreateBondOptions = { mode, miimon: settings.miimon };
  if (mode === 'balance-xor' || mode === '802.3ad') options.xmitHashPolicy = 'layer3+4';
  if (mode === '802.3ad') options.lacpRate = 'fast';
  return options;
}

const delayOf = (settings: LabSettings, link: number): number => settings.delay + link * settings.skew;

async function shape(lab: LabNamespaces, ns: string, dev: string, settings: LabSettings, link: number): Promise<void> {
  for (const args of shapingCommands(dev, settings.rate, settings.rateMbps, delayOf(settings, link))) await lab.tc(ns, args);
}

export async function buildTopology(lab: LabNamespaces, mode: BondMode | 'single link', settings: LabSettings, index: number): Promise<Topology> {
  const a = await lab.create(`${index}a`);
  const b = await lab.create(`${index}b`);
  const count = mode === 'single link' ? 1 : settings.nics;
  const nics = Array.from({ length: count }, (_, k) => `nic${k}`);
  const viaBridge = mode !== 'single link' && SWITCH_INDEPENDENT.includes(mode);
  const farEnd = new Map<string, { ns: string; dev: string }>();

  if (viaBridge) {
    const sw = await lab.create(`${index}sw`);
    await createBridge('br0', { netns: lab.netns(sw) });
    await createVeth('pb0', { netns: sw, peer: 'nic0', peerNetns: lab.netns(b) });
    await setMaster('pb0', 'br0', { netns: sw });
    for (const [k, nic] of nics.entries()) {
      await createVeth(nic, { netns: lab.netns(a), peer: `pa${k}`, peerNetns: sw });
      await setMaster(`pa${k}`, 'br0', { netns: sw });
      farEnd.set(nic, { ns: sw, dev: `pa${k}` });
    }
    for (const dev of ['br0', 'pb0', ...nics.map((_, k) => `pa${k}`)]) await setLinkUp(dev, { netns: sw });
  } else {
    for (const nic of nics) {
      await createVeth(nic, { netns: lab.netns(a), peer: nic, peerNetns: lab.netns(b) });
      farEnd.set(nic, { ns: b, dev: nic });
    }
  }
  for (const [k, nic] of nics.entries()) {
    const far = farEnd.get(nic) as { ns: string; dev: string };
    await shape(lab, a, nic, settings, k);
    await shape(lab, far.ns, far.dev, settings, k);
  }

  let bond: string | undefined;
  if (mode === 'single link') {
    await setLinkUp('nic0', { netns: a });
    await setLinkUp('nic0', { netns: b });
    await addAddress('nic0', `${ADDRESS_A}/24`, { netns: a });
    await addAddress('nic0', `${ADDRESS_B}/24`, { netns: b });
  } else {
    bond = 'bond0';
    await createBond(bond, { ...bondOptions(mode, settings), slaves: nics, up: true, netns: a });
    await addAddress(bond, `${ADDRESS_A}/24`, { netns: a });
    if (viaBridge) {
      await setLinkUp('nic0', { netns: b });
      await addAddress('nic0', `${ADDRESS_B}/24`, { netns: b });
    } else {
      await createBond(bond, { ...bondOptions(mode, settings), slaves: nics, up: true, netns: b });
      await addAddress(bond, `${ADDRESS_B}/24`, { netns: b });
    }
  }
  const peer = mode === 'single link' ? 'one veth pair, no bond' : viaBridge ? 'a bridge standing in for the switch' : `a ${mode} bond on host B`;
  return { mode, a, b, nics, farEnd, bond, bondOnB: bond !== undefined && !viaBridge, peer, switchNeeds: switchNeeds(mode) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until traffic can flow: every slave's MII up and, in 802.3ad, every port collecting and
 * distributing on both hosts (the kernel waits 2 s before it aggregates), then a ping answered.
 */
export async function waitReady(lab: LabNamespaces, topo: Topology, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const hosts = topo.bond ? (topo.bondOnB ? [topo.a, topo.b] : [topo.a]) : [];
  for (;;) {
    let ready = true;
    for (const netns of hosts) {
      const state = await getBond(topo.bond as string, { netns });
      const slavesUp = state.slaves.length === topo.nics.length && state.slaves.every((s) => s.miiStatus === 'up');
      const lacpUp = state.mode !== '802.3ad' || state.slaves.every((s) => s.adActorOperPortState?.collecting && s.adActorOperPortState.distributing);
      ready &&= slavesUp && lacpUp;
    }
    if (ready) {
      try {
        await lab.exec(topo.a, 'ping', ['-n', '-q', '-c', '1', '-W', '1', ADDRESS_B]);
        return;
      } catch {
        // not yet
      }
    }
    if (Date.now() > deadline) throw new Error(`netbond lab: ${topo.mode} topology not ready after ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}
