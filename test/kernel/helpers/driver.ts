// What the test bed's kernels' bonding drivers have, read from each kernel's own sources
// (include/uapi/linux/if_link.h for the attribute lists, drivers/net/bonding/bond_options.c for
// the enum values): the oracle that netbond's probe (lib/features) is held to. A kernel that is
// not listed fails loudly instead of guessing; add it from its sources.
import { release } from 'node:os';
import { BOND_ATTR, SLAVE_ATTR, type OptionDef } from '../../../lib/option-table.js';

interface DriverFacts {
  /** The last IFLA_BOND_* of the kernel's list (the list is append-only). */
  lastBondAttr: number;
  lastSlaveAttr: number;
  /** Enum values newer than netbond's ASSUMED_KERNEL that the driver accepts. */
  newerValues: readonly string[];
}

const KERNELS: Record<string, DriverFacts> = {
  // Debian's user-mode-linux 6.1 (6.1.176; Debian's linux-source-6.1 6.1.192 read for this): the
  // uapi lists end at COUPLED_CONTROL (upstream 6.9) and AD_CHURN_PARTNER_STATE (upstream 7.1),
  // ACTOR_PORT_PRIO (upstream 6.18) included; bond_ad_select_tbl holds stable, bandwidth and
  // count only, and xmit_hash_policy has vlan+srcmac.
  '6.1': { lastBondAttr: BOND_ATTR.COUPLED_CONTROL, lastSlaveAttr: SLAVE_ATTR.AD_CHURN_PARTNER_STATE, newerValues: ['xmitHashPolicy=vlan+srcmac'] },
  // Debian's linux-source-6.12 (6.12.117): 6.18's per-port actor_port_prio and 7.1's churn
  // states are backported, 6.17's broadcast_neighbor is not; and its bond_options.c's
  // bond_ad_select_tbl holds only stable, bandwidth and count (no actor_port_prio policy).
  '6.12': { lastBondAttr: BOND_ATTR.COUPLED_CONTROL, lastSlaveAttr: SLAVE_ATTR.AD_CHURN_PARTNER_STATE, newerValues: ['xmitHashPolicy=vlan+srcmac'] },
};

export const kernelSeries = /^\d+\.\d+/u.exec(release())?.[0] ?? release();

function facts(): DriverFacts {
  const known = KERNELS[kernelSeries];
  if (!known) throw new Error(`test/kernel/helpers/driver.ts has no facts for kernel ${release()}; add them from its sources`);
  return known;
}

export function driverHasOption(def: OptionDef, space: 'bond' | 'slave' = 'bond'): boolean {
  return def.attr <= (space === 'bond' ? facts().lastBondAttr : facts().lastSlaveAttr);
}

/** Whether the driver sends this IFLA_BOND_SLAVE_* attribute (state such as churn, not only options). */
export function driverHasSlaveAttr(attr: number): boolean {
  return attr <= facts().lastSlaveAttr;
}

export function driverHasValue(key: string, value: string): boolean {
  return facts().newerValues.includes(`${key}=${value}`);
}
