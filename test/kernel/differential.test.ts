// Differential: for every mode and random valid option sets, four readers of the same kernel
// state must agree: getBond over netlink, getBond over sysfs, readProcBonding, and `ip -d -j link
// show`. Each reader decodes independently (netlink attributes, sysfs text, /proc text, iproute2).
import { describe, expect, it } from 'vitest';
import { createBond, getBond, readProcBonding, type BondState, type ProcBonding } from '../../lib/index.js';
import { BOND_MODES, BOND_OPTION_DEFS } from '../../lib/option-table.js';
import { type Lab } from './helpers/lab.js';
import { labPerTest } from './helpers/lab-per-test.js';
import { IP_JSON_KEYS, ipValue } from './helpers/oracle.js';
import { randomOptions, seededRandom } from './helpers/random-options.js';

const SEED = Number(process.env.NETBOND_DIFF_SEED ?? 20261121);
const SETS_PER_MODE = Number(process.env.NETBOND_DIFF_SETS ?? 4);

let lab: Lab;
labPerTest((created) => (lab = created), [['eth1', 'peer1'], ['eth2', 'peer2']], { peersUp: true });

/** The fields of a BondState that /proc shows, in BondState terms. */
function fromProc(proc: ProcBonding): Record<string, unknown> {
  const out: Record<string, unknown> = {
    mode: proc.mode,
    miimon: proc.miimon,
    updelay: proc.updelay,
    downdelay: proc.downdelay,
    peerNotifDelay: proc.peerNotifDelay,
    carrier: proc.miiStatus === 'up',
  };
  if (proc.activeSlave !== undefined) out.activeSlave = proc.activeSlave;
  if (proc.primaryReselect !== undefined) out.primaryReselect = proc.primaryReselect;
  if (proc.xmitHashPolicy !== undefined) out.xmitHashPolicy = proc.xmitHashPolicy;
  if (proc.failOverMac !== undefined) out.failOverMac = proc.failOverMac;
  if (proc.arpInterval !== undefined) {
    out.arpInterval = proc.arpInterval;
    out.arpMissedMax = proc.arpMissedMax;
    out.arpIpTarget = proc.arpIpTarget;
  }
  if (proc.ad) {
    out.lacpRate = proc.ad.lacpRate;
    out.minLinks = proc.ad.minLinks;
    out.adSelect = proc.ad.adSelect;
    out.lacpActive = proc.ad.lacpActive;
    out.adActorSysPrio = proc.ad.systemPriority;
  }
  return out;
}

function slaveView(state: BondState) {
  return state.slaves
    .map((s) => ({ name: s.name, state: s.state, miiStatus: s.miiStatus, linkFailureCount: s.linkFailureCount, permHwaddr: s.permHwaddr, queueId: s.queueId, adAggregatorId: s.adAggregatorId }))
    .sort((a, b) => a.name.localeCompare(b.name));
}


/** Reads the bond four ways and asserts that they agree. */
async function compareReaders(netns: string): Promise<void> {
  const viaNetlink = await getBond('bond0', { netns });
  const viaSysfs = await getBond('bond0', { netns, backend: 'sysfs' });
  const proc = await readProcBonding('bond0', { netns });
  const ip = await lab.link('bond0');
  const slaveIps = await Promise.all(['eth1', 'eth2'].map((n) => lab.link(n)));

  // Every option netlink reports: sysfs (where it has a file) and ip agree.
  for (const spec of BOND_OPTION_DEFS) {
    const value = (viaNetlink as unknown as Record<string, unknown>)[spec.key];
    if (value === undefined) continue;
    if (spec.sysfs !== undefined) expect((viaSysfs as unknown as Record<string, unknown>)[spec.key], `${spec.key} over sysfs`).toEqual(value);
    if (IP_JSON_KEYS[spec.key]) expect(ipValue(ip, spec.key), `${spec.key} in ip`).toEqual(value);
  }
  for (const key of ['name', 'ifindex', 'mac', 'mtu', 'up', 'mode', 'activeSlave', 'txQueues'] as const) {
    expect(viaSysfs[key], `${key} over sysfs`).toEqual(viaNetlink[key]);
  }
  expect(ip.address).toBe(viaNetlink.mac);
  expect(ipValue(ip, 'activeSlave')).toEqual(viaNetlink.activeSlave);

  // What /proc shows agrees with netlink.
  for (const [key, value] of Object.entries(fromProc(proc))) {
    if (value === undefined) continue;
    expect(value, `${key} in /proc`).toEqual((viaNetlink as unknown as Record<string, unknown>)[key]);
  }

  // Slaves: the same in all four.
  const slaves = slaveView(viaNetlink);
  expect(slaveView(viaSysfs)).toEqual(slaves);
  const procSlaves = proc.slaves.map((s) => ({ name: s.name, miiStatus: s.miiStatus, linkFailureCount: s.linkFailureCount, permHwaddr: s.permHwaddr, queueId: s.queueId })).sort((a, b) => a.name.localeCompare(b.name));
  expect(procSlaves).toEqual(slaves.map(({ name, miiStatus, linkFailureCount, permHwaddr, queueId }) => ({ name, miiStatus, linkFailureCount, permHwaddr, queueId })));
  for (const slave of slaves) {
    const data = slaveIps.find((l) => l.ifname === slave.name)?.linkinfo?.info_slave_data ?? {};
    expect([data.state, data.mii_status, data.link_failure_count, data.perm_hwaddr, data.queue_id]).toEqual([
      slave.state.toUpperCase(),
      slave.miiStatus.toUpperCase().replace('-', '_'),
      slave.linkFailureCount,
      slave.permHwaddr,
      slave.queueId,
    ]);
  }
}

const cases = BOND_MODES.flatMap((mode, index) => {
  const rng = seededRandom(SEED + index);
  return Array.from({ length: SETS_PER_MODE }, (_, i) => [mode, i, randomOptions(rng, index)] as const);
});

describe(`differential (seed ${SEED})`, () => {
  it.each(cases)('%s, option set %i: netlink = sysfs = /proc = ip', async (_mode, _i, options) => {
    const netns = lab.ns;
    await createBond('bond0', { ...options, slaves: ['eth1', 'eth2'], up: true, netns });
    // Link monitors change slave states on their own (an ARP target that never answers makes the
    // slaves go down, come back and go down again). Read all four and compare; while a monitor
    // is mid-transition the readers may see different moments, so retry until they agree. A
    // decoder that disagrees for good still fails, with its last difference.
    const end = Date.now() + 20_000;
    for (;;) {
      try {
        await compareReaders(netns);
        return;
      } catch (error) {
        if (Date.now() > end) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  });
});
