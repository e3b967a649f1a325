// A failed apply puts back exactly what it changed, through every pair of modes (issue 26, item 2):
// a bond in mode A with every option A takes set away from its default, then an apply to mode B
// with every option B takes set to other values, failing at its last step. `ip -d -j` link,
// address and route dumps must be the same before and after, and the rollback must report no
// error. Options the running driver does not have (helpers/driver.ts, read from its sources) are
// left out; MII monitoring is the link monitor (ARP monitoring excludes it; arp_interval and
// arp_validate are walked by their own tests).
import { describe, expect, it } from 'vitest';
import { ApplyError, applyBond, type BondSpec } from '../../lib/index.js';
import { BOND_MODES, BOND_OPTION_DEFS, type BondOptions } from '../../lib/option-table.js';
import { driverHasOption } from './helpers/driver.js';
import type { Lab } from './helpers/lab.js';
import { labPerTest } from './helpers/lab-per-test.js';
import { settledSnapshot } from './helpers/snapshot.js';

let lab: Lab;
labPerTest((created) => (lab = created), [['e1', 'sw-e1'], ['e2', 'sw-e2']], { peersUp: true });

/** Two non-default values per option, one for the bond before and one for the apply that fails. */
const VALUES: Record<string, readonly [unknown, unknown]> = {
  miimon: [100, 200],
  updelay: [200, 400],
  downdelay: [300, 600],
  peerNotifDelay: [100, 200],
  useCarrier: [false, false],
  arpIpTarget: [['192.0.2.1', '192.0.2.2'], ['198.51.100.7']],
  nsIp6Target: [['2001:db8::1'], ['2001:db8::2', '2001:db8::3']],
  arpAllTargets: ['all', 'all'],
  primary: ['e1', 'e2'],
  primaryReselect: ['better', 'failure'],
  failOverMac: ['active', 'follow'],
  xmitHashPolicy: ['layer3+4', 'layer2+3'],
  resendIgmp: [2, 3],
  numGratArp: [3, 4],
  allSlavesActive: [true, true],
  minLinks: [1, 2],
  lpInterval: [2, 3],
  packetsPerSlave: [3, 5],
  lacpActive: [false, false],
  lacpRate: ['fast', 'fast'],
  adSelect: ['count', 'bandwidth'],
  adActorSysPrio: [100, 200],
  adUserPortKey: [5, 6],
  adActorSystem: ['02:00:00:00:00:42', '02:00:00:00:00:43'],
  tlbDynamicLb: [false, false],
  arpMissedMax: [3, 4],
  coupledControl: [false, false],
  broadcastNeighbor: [true, true],
  lacpStrict: [true, true],
};
const ARP_MONITOR = ['arpInterval', 'arpValidate'];

/** Every option `mode` takes that the driver has, set to the first or second of its values. */
function optionsFor(mode: number, which: 0 | 1): BondOptions {
  const options: Record<string, unknown> = { mode: BOND_MODES[mode] };
  for (const def of BOND_OPTION_DEFS) {
    if (def.key === 'mode' || ARP_MONITOR.includes(def.key)) continue;
    if (def.modes && !def.modes.includes(mode)) continue;
    if (!driverHasOption(def)) continue;
    const values = VALUES[def.key];
    if (!values) throw new Error(`mode-pairs.test.ts has no values for ${def.key}: add two`);
    options[def.key] = values[which];
  }
  return options as BondOptions;
}

describe('a failed apply through every pair of modes', () => {
  for (const [from, fromName] of BOND_MODES.entries()) {
    it(`from ${fromName} to each other mode: every option back, ip -d -j the same`, { timeout: 6 * 60_000 }, async () => {
      const netns = lab.ns;
      const base: BondSpec = { name: 'bond0', slaves: ['e1', 'e2'], addresses: ['10.9.0.1/24'] };
      await applyBond({ ...base, ...optionsFor(from, 0) }, { netns, healthTimeout: 0 });
      const before = await settledSnapshot(lab);
      for (const [to, toName] of BOND_MODES.entries()) {
        if (to === from) continue;
        const spec: BondSpec = { ...base, ...optionsFor(to, 1), addresses: ['10.9.0.2/24'] };
        const error = await applyBond(spec, {
          netns,
          healthTimeout: 0,
          onStep: (_index, step) => {
            if (step.kind === 'add-address') throw new Error(`injected fault at the last step of ${fromName} -> ${toName}`);
          },
        }).catch((e: unknown) => e);
        expect(error, `${fromName} -> ${toName}`).toBeInstanceOf(ApplyError);
        expect((error as ApplyError).rollbackErrors, `${fromName} -> ${toName}`).toEqual([]);
        expect(await settledSnapshot(lab), `${fromName} -> ${toName}`).toBe(before);
      }
    });
  }
});
