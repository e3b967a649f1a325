// Checks netbond's option table against the running kernel: for every option and every mode, the
// kernel refuses the option (EACCES, "option not supported in mode") exactly in the modes the
// table says it does not take it. The request goes straight to the addon, past validation.
import { describe, expect, it } from 'vitest';
import { encodeOption } from '../../lib/backends/netlink/encode.js';
import { isNativeError, native } from '../../lib/native.js';
import { createBond } from '../../lib/index.js';
import { BOND_MODES, BOND_OPTION_DEFS, defaultValue, type BondOptionDef } from '../../lib/option-table.js';
import { driverHasOption } from './helpers/driver.js';
import { normalizeValue } from '../../lib/validate/values.js';
import { type Lab } from './helpers/lab.js';
import { labPerTest } from './helpers/lab-per-test.js';
import { IP_JSON_KEYS, ipValue } from './helpers/oracle.js';

// A value the kernel takes in every mode that has the option: the table's default, or where the
// default switches the option off (or is no value), a value that turns it on.
const SAMPLE_OVERRIDES: Partial<Record<string, unknown>> = {
  miimon: 100,
  arpInterval: 100,
  arpIpTarget: ['10.0.0.1'],
  nsIp6Target: ['2001:db8::1'],
  primary: 'lo',
  adActorSystem: '02:00:00:00:00:09',
};
const sample = (def: BondOptionDef): unknown => SAMPLE_OVERRIDES[def.key] ?? def.default;

const checked = BOND_OPTION_DEFS.filter((def) => def.key !== 'mode' && driverHasOption(def));

let lab: Lab;
labPerTest((created) => (lab = created));

async function kernelAccepts(nsPath: string, mode: number, spec: BondOptionDef): Promise<boolean> {
  const value = normalizeValue(spec, sample(spec));
  const attr = encodeOption(spec, value, () => 1);
  try {
    await native().rtnlBatch(nsPath, [
      { op: 'newlink', ifname: 'bond9', kind: 'bond', infoData: [attr] },
    ]);
    return true;
  } catch (error) {
    if (isNativeError(error) && error.errnum === 13 /* EACCES */) return false;
    throw error;
  }
}

describe.each(BOND_MODES.map((mode, index) => [mode, index] as const))('in mode %s', (_mode, index) => {
  it('the kernel refuses exactly the options the table says this mode does not take', async () => {
    await native().rtnlBatch(`/run/netns/${lab.ns}`, [
      { op: 'newlink', create: true, ifname: 'bond9', kind: 'bond', infoData: [{ type: 1, value: index }] },
    ]);
    const mismatches: string[] = [];
    for (const spec of checked) {
      const expected = !spec.modes || spec.modes.includes(index);
      const actual = await kernelAccepts(`/run/netns/${lab.ns}`, index, spec);
      if (actual !== expected) mismatches.push(`${spec.key}: table says ${expected ? 'accepted' : 'refused'}, kernel ${actual ? 'accepts' : 'refuses'}`);
    }
    expect(mismatches).toEqual([]);
  });

  it("a new bond has the table's default of every option, as ip reports it", async () => {
    await createBond('bond9', { mode: BOND_MODES[index], netns: lab.ns });
    const link = await lab.link('bond9');
    const differences: string[] = [];
    for (const def of checked) {
      // ip prints the 802.3ad actor settings in every mode; the kernel keeps them only in 802.3ad.
      if (def.key === 'primary' || !(def.key in IP_JSON_KEYS) || link.linkinfo?.info_data?.[IP_JSON_KEYS[def.key]![0]] === undefined) continue;
      const reported = ipValue(link, def.key);
      const expected = defaultValue(def, index);
      if (JSON.stringify(reported) !== JSON.stringify(expected)) differences.push(`${def.key}: table ${JSON.stringify(expected)}, ip ${JSON.stringify(reported)}`);
    }
    expect(differences).toEqual([]);
  });
});
