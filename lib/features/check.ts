// The one place a request is checked against what the bonding driver has: after the pure
// validation (so bad input never costs a trial bond), before the first change. Only options and values
// newer than ASSUMED_KERNEL are asked about, so most calls detect nothing.
import type { ResolvedNetns } from '../call/netns.js';
import { ValidationError } from '../errors.js';
import { BOND_ATTR, SLAVE_ATTR, type BondOptionDef, type OptionDef } from '../option-table.js';
import type { NormalizedValue } from '../validate/values.js';
import { driverLacks, needsDriverCheck, type DriverFeatures, type DriverNeed } from './model.js';
import { driverFeatures } from './detect.js';

const attrName = (space: DriverNeed['space'], attr: number): string => {
  const table: Record<string, number> = space === 'bond' ? BOND_ATTR : SLAVE_ATTR;
  const name = Object.keys(table).find((key) => table[key] === attr) ?? String(attr);
  return space === 'bond' ? `IFLA_BOND_${name}` : `IFLA_BOND_SLAVE_${name}`;
};

/** What a set of validated options asks of the driver. */
export function optionNeeds(options: Iterable<[BondOptionDef, NormalizedValue]>): DriverNeed[] {
  return [...options].map(([def, given]) => ({
    def,
    space: 'bond',
    given,
    value: def.value.kind === 'enum' ? def.value.names[given as number] : undefined,
  }));
}

export function slaveOptionNeeds(options: Iterable<{ def: OptionDef; value: NormalizedValue }>): DriverNeed[] {
  return [...options].map(({ def, value }) => ({ def, space: 'slave', given: value }));
}

function lacksError(bond: string, need: DriverNeed, features: DriverFeatures): ValidationError {
  const learned = features.source === 'trial bond' ? '' : ` (learned from the ${features.source})`;
  if (need.value !== undefined && need.def.value.kind === 'enum') {
    const has = [...(features.values.get(need.def.key) ?? [])].filter(([, ok]) => ok).map(([name]) => name);
    const older = need.def.value.names.filter((name) => !needsDriverCheck({ ...need, value: name }));
    return new ValidationError({
      option: need.def.key,
      value: need.value,
      allowed: [...older, ...has].join(', '),
      bond,
      message: `this kernel's bonding driver has no ${need.def.key} value '${need.value}'${learned}`,
    });
  }
  return new ValidationError({
    option: need.def.key,
    value: need.given,
    allowed: `an option this kernel's bonding driver has`,
    bond,
    message: `this kernel's bonding driver has no ${need.def.key} (${attrName(need.space, need.def.attr)})${learned}`,
  });
}

/** Throws a ValidationError for the first need the driver is known to lack. */
export async function checkDriverHas(netns: ResolvedNetns, bond: string, needs: readonly DriverNeed[]): Promise<void> {
  const asked = needs.filter(needsDriverCheck);
  if (asked.length === 0) return;
  const features = await driverFeatures(netns);
  if (!features) return;
  const lacking = asked.find((need) => driverLacks(features, need));
  if (lacking) throw lacksError(bond, lacking, features);
}
