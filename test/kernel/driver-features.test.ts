// What the bonding driver has, learned from the kernel (lib/features): the trial bond in a throwaway
// namespace finds what the kernel's own sources say it has (helpers/driver.ts), leaves the host
// exactly as it was, and a request for what the driver lacks is refused naming the attribute or
// value, with nothing changed; what it has is accepted and read back.
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createBond } from '../../lib/index.js';
import { resolveCall } from '../../lib/call/options.js';
import { driverFeatures } from '../../lib/features/detect.js';
import { driverLacks } from '../../lib/features/model.js';
import { BOND_OPTION_DEFS, SLAVE_OPTION_DEFS } from '../../lib/option-table.js';
import { driverHasOption, driverHasValue, kernelSeries } from './helpers/driver.js';
import { procField, run, type Lab } from './helpers/lab.js';
import { labPerTest } from './helpers/lab-per-test.js';

let lab: Lab;
labPerTest((created) => (lab = created));

describe(`the bonding driver of this kernel (${kernelSeries})`, () => {
  it('is detected in a throwaway namespace that leaves the host as it was, and found as its sources say', async () => {
    const linksBefore = await run('ip', ['-d', '-j', 'link', 'show']);
    const namespacesBefore = (await readdir('/run/netns')).sort();
    const features = await driverFeatures(resolveCall({}).netns);
    expect(await run('ip', ['-d', '-j', 'link', 'show'])).toBe(linksBefore);
    expect((await readdir('/run/netns')).sort()).toEqual(namespacesBefore);
    expect(features?.source).toBe('trial bond');
    for (const def of BOND_OPTION_DEFS) expect(driverLacks(features, { def, space: 'bond' }), def.key).toBe(!driverHasOption(def));
    for (const def of SLAVE_OPTION_DEFS) expect(driverLacks(features, { def, space: 'slave' }), def.key).toBe(!driverHasOption(def, 'slave'));
    const adSelect = BOND_OPTION_DEFS.find((def) => def.key === 'adSelect')!;
    expect(driverLacks(features, { def: adSelect, space: 'bond', value: 'actor_port_prio' })).toBe(!driverHasValue('adSelect', 'actor_port_prio'));
  });

  it("adSelect 'actor_port_prio' is taken where the driver has it and refused where not, leaving nothing", async () => {
    const request = createBond('bond0', { mode: '802.3ad', adSelect: 'actor_port_prio', netns: lab.ns });
    if (driverHasValue('adSelect', 'actor_port_prio')) {
      await expect(request).resolves.toMatchObject({ adSelect: 'actor_port_prio' });
      expect(procField(await lab.procBonding('bond0'), 'Aggregator selection policy (ad_select)')).toBe('actor_port_prio');
    } else {
      await expect(request).rejects.toMatchObject({
        name: 'ValidationError',
        option: 'adSelect',
        message: "this kernel's bonding driver has no adSelect value 'actor_port_prio'",
      });
      expect(await lab.hasLink('bond0')).toBe(false);
    }
  });

  it('without CAP_SYS_ADMIN learns from the bonds already in the namespace, and with none lets the read-back decide', async () => {
    const script = fileURLToPath(new URL('./helpers/create-without-sys-admin.mjs', import.meta.url));
    const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
    const missing = BOND_OPTION_DEFS.find((def) => def.key === 'broadcastNeighbor')!;
    expect(driverHasOption(missing)).toBe(false); // both test-bed kernels lack it
    const attempt = async (...requests: { name: string; options: Record<string, unknown> }[]) => {
      const output = await run('ip', ['netns', 'exec', lab.ns, 'setpriv', '--bounding-set=-sys_admin', '--inh-caps=-all', process.execPath, script, dist, ...requests.map((r) => JSON.stringify(r))]);
      return output.trim().split('\n').map((line) => JSON.parse(line) as { name: string; ok: boolean; code?: string; message?: string });
    };
    // Nothing to learn from: the driver ignores the attribute it does not know, and netbond's
    // read-back refuses the result (EIO) and removes the bond.
    const [unknown] = await attempt({ name: 'bond1', options: { mode: '802.3ad', broadcastNeighbor: true } });
    expect(unknown).toMatchObject({ ok: false, code: 'EIO' });
    expect(await lab.hasLink('bond1')).toBe(false);
    // With a bond in the namespace, its dump tells.
    await createBond('bondx', { netns: lab.ns });
    const [lacks, has] = await attempt(
      { name: 'bond1', options: { mode: '802.3ad', broadcastNeighbor: true } },
      { name: 'bond2', options: { mode: '802.3ad', coupledControl: false } },
    );
    expect(lacks).toMatchObject({ ok: false, code: 'EINVAL', message: "this kernel's bonding driver has no broadcastNeighbor (IFLA_BOND_BROADCAST_NEIGH) (learned from the existing bonds)" });
    expect(has).toMatchObject({ ok: true });
    expect(await lab.hasLink('bond1')).toBe(false);
  });
});

