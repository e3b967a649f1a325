// Checks netbond's option table against the running kernel: for every option and every mode, the
// kernel refuses the option (EACCES, "option not supported in mode") exactly in the modes the
// table says it does not take it. The request goes straight to the addon, past validation.
import { describe, expect, it } from 'vitest';
import { encodeOption } from '../../lib/netlink/encode.js';
import { isNativeError, native } from '../../lib/native.js';
import { BOND_MODES, OPTION_SPECS, type OptionSpec } from '../../lib/option-table.js';
import { runningKernel } from '../../lib/bond/read.js';
import { atLeast, normalizeValue } from '../../lib/validate/options.js';
import { type Lab } from './helpers/lab.js';
import { labPerTest } from './helpers/lab-per-test.js';

const SAMPLE: Partial<Record<string, unknown>> = {
  miimon: 100,
  useCarrier: true,
  arpInterval: 100,
  arpIpTarget: ['10.0.0.1'],
  nsIp6Target: ['2001:db8::1'],
  arpValidate: 'none',
  arpAllTargets: 'any',
  primary: 'lo',
  primaryReselect: 'always',
  failOverMac: 'none',
  xmitHashPolicy: 'layer2',
  resendIgmp: 1,
  numGratArp: 1,
  allSlavesActive: false,
  minLinks: 0,
  lpInterval: 1,
  packetsPerSlave: 1,
  lacpActive: true,
  lacpRate: 'slow',
  adSelect: 'stable',
  adActorSysPrio: 65535,
  adUserPortKey: 0,
  adActorSystem: '02:00:00:00:00:09',
  tlbDynamicLb: true,
  arpMissedMax: 2,
};

const checked = OPTION_SPECS.filter((spec) => SAMPLE[spec.key] !== undefined && atLeast(runningKernel, spec.since));

let lab: Lab;
labPerTest((created) => (lab = created));

async function kernelAccepts(nsPath: string, mode: number, spec: OptionSpec): Promise<boolean> {
  const value = normalizeValue(spec, SAMPLE[spec.key], runningKernel);
  const attr = encodeOption(spec, value, () => 1);
  try {
    await native().linkBatch(nsPath, [
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
    await native().linkBatch(`/run/netns/${lab.ns}`, [
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
});
