// Random valid bond options for a mode, from a seeded generator so a failure can be replayed:
// MII or ARP monitoring (never both), delays in multiples of miimon, and the mode's own options.
import {
  AD_SELECT_VALUES,
  ARP_ALL_TARGETS_VALUES,
  ARP_VALIDATE_VALUES,
  BOND_MODES,
  FAIL_OVER_MAC_VALUES,
  LACP_RATES,
  PRIMARY_RESELECT_VALUES,
  XMIT_HASH_POLICIES,
  type BondOptions,
} from '../../../lib/option-table.js';

/** mulberry32: a small, well-known seeded PRNG. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomOptions(rng: () => number, mode: number): BondOptions {
  const int = (min: number, max: number) => min + Math.floor(rng() * (max - min + 1));
  const pick = <T>(values: readonly T[]): T => values[int(0, values.length - 1)] as T;
  const maybe = () => rng() < 0.5;
  const options: BondOptions = { mode: BOND_MODES[mode] };
  if (mode <= 3 && rng() < 0.4) {
    options.arpInterval = pick([100, 200, 500]);
    options.arpIpTarget = Array.from(new Set(Array.from({ length: int(1, 3) }, () => `10.${int(1, 250)}.${int(0, 255)}.${int(1, 254)}`)));
    options.arpValidate = pick(ARP_VALIDATE_VALUES);
    options.arpAllTargets = pick(ARP_ALL_TARGETS_VALUES);
    options.arpMissedMax = int(1, 10);
  } else {
    const miimon = pick([50, 100, 200]);
    options.miimon = miimon;
    options.updelay = miimon * int(0, 3);
    options.downdelay = miimon * int(0, 3);
    options.peerNotifDelay = miimon * int(0, 2);
  }
  if (maybe()) options.primaryReselect = pick(PRIMARY_RESELECT_VALUES);
  if (maybe()) options.failOverMac = pick(FAIL_OVER_MAC_VALUES);
  if (maybe()) options.xmitHashPolicy = pick(XMIT_HASH_POLICIES.slice(0, 5));
  if (maybe()) options.resendIgmp = int(0, 255);
  if (maybe()) options.numGratArp = int(0, 255);
  if (maybe()) options.allSlavesActive = maybe();
  if (maybe()) options.minLinks = int(0, 4);
  if (maybe()) options.lpInterval = int(1, 10);
  if (mode === 0 && maybe()) options.packetsPerSlave = int(0, 100);
  if (mode === 4) {
    options.lacpRate = pick(LACP_RATES);
    options.adSelect = pick(AD_SELECT_VALUES.slice(0, 3));
    options.adActorSysPrio = int(1, 65535);
    options.adUserPortKey = int(0, 1023);
    options.adActorSystem = `02:${Array.from({ length: 5 }, () => int(0, 255).toString(16).padStart(2, '0')).join(':')}`;
    options.lacpActive = maybe();
  }
  if ((mode === 5 || mode === 6) && maybe()) options.tlbDynamicLb = maybe();
  return options;
}
