// After an apply: every field the spec gives must read back as given (verify; bond options by the
// verbs' own comparison, bond/option-plan.ts), and the bond
// must be usable (health: carrier, enough slaves with link, an LACP partner in 802.3ad).
import { constants } from 'node:os';
import { BondError } from '../errors.js';
import type { NetnsOption } from '../call/netns.js';
import { backendOf } from '../backends/backend-of.js';
import { resolveCall } from '../call/options.js';
import type { BondState } from '../bond/state.js';
import { configuredAddresses, isConnectedRoute, routeMatches, type LiveAddressing } from './addressing.js';
import type { NormalizedAddressing, NormalizedSpec } from './normalize.js';
import type { Health, LiveBond } from './types.js';
import { SLAVE_OPTION_DEFS } from '../option-table.js';
import { describeMismatch, optionMismatches } from '../bond/option-plan.js';

/** Every field the spec gives must read back as given. */
export function verify(spec: NormalizedSpec, live: LiveBond): void {
  const problems: string[] = [];
  const state = live.state;
  if (!spec.present) {
    if (live.exists) problems.push(`${spec.name} still exists`);
  } else if (!state) {
    problems.push(`${spec.name} does not exist`);
  } else {
    for (const mismatch of optionMismatches(spec.normalizedOptions, state)) problems.push(describeMismatch(mismatch));
    if (spec.slaves) {
      const names = state.slaves.map((s) => s.name).sort();
      const wanted = spec.slaves.map((s) => s.name).sort();
      if (JSON.stringify(names) !== JSON.stringify(wanted)) problems.push(`slaves are ${names.join(', ') || 'none'}, wanted ${wanted.join(', ')}`);
      for (const slave of spec.slaves) {
        const got = state.slaves.find((s) => s.name === slave.name);
        for (const { key } of SLAVE_OPTION_DEFS) {
          if (slave[key] !== undefined && got && got[key] !== slave[key]) problems.push(`${key} of ${slave.name} is ${got[key]}, wanted ${slave[key]}`);
        }
      }
    }
    if (state.up !== spec.up) problems.push(`${spec.name} is ${state.up ? 'up' : 'down'}, wanted ${spec.up ? 'up' : 'down'}`);
    if (spec.mtu !== undefined && state.mtu !== spec.mtu) problems.push(`mtu is ${state.mtu}, wanted ${spec.mtu}`);
    if (spec.mac !== undefined && state.mac !== spec.mac) problems.push(`mac is ${state.mac}, wanted ${spec.mac}`);
    problems.push(...addressingProblems(spec.name, spec, live, state.up));
    problems.push(...vlanProblems(spec, live));
  }
  if (problems.length > 0) {
    throw new BondError({ errnum: constants.errno.EIO, syscall: 'verify', action: `verify ${spec.name}`, bond: spec.name, hint: `the kernel does not report what was applied: ${problems.join('; ')}` });
  }
}

/** The addresses and routes of one link that differ from the spec's. */
function addressingProblems(link: string, wanted: NormalizedAddressing, live: LiveAddressing, up: boolean): string[] {
  const problems: string[] = [];
  const configured = configuredAddresses(live.addresses).map((a) => a.address);
  if (wanted.addresses) {
    const have = [...configured].sort();
    const want = wanted.addresses.map((a) => a.text).sort();
    if (JSON.stringify(have) !== JSON.stringify(want)) problems.push(`addresses of ${link} are ${have.join(', ') || 'none'}, wanted ${want.join(', ')}`);
  }
  for (const route of wanted.routes ?? []) {
    const present = live.routes.some((r) => routeMatches(r, route.parsed));
    // A down link has no connected routes; its addresses bring them back when it comes up.
    if (!present && !(isConnectedRoute(route.parsed, configured) && !up)) problems.push(`route ${route.parsed.text} is missing`);
  }
  return problems;
}

function vlanProblems(spec: NormalizedSpec, live: LiveBond): string[] {
  const problems: string[] = [];
  for (const vlan of spec.vlans ?? []) {
    const got = live.vlans.find((v) => v.name === vlan.name);
    if (!got) {
      problems.push(`VLAN ${vlan.name} over ${spec.name} does not exist`);
      continue;
    }
    if (got.id !== vlan.id || got.protocol !== vlan.protocol) problems.push(`${vlan.name} is VLAN ${got.protocol} ${got.id}, wanted ${vlan.protocol} ${vlan.id}`);
    if (got.up !== vlan.up) problems.push(`${vlan.name} is ${got.up ? 'up' : 'down'}, wanted ${vlan.up ? 'up' : 'down'}`);
    if (vlan.mtu !== undefined && got.mtu !== vlan.mtu) problems.push(`mtu of ${vlan.name} is ${got.mtu}, wanted ${vlan.mtu}`);
    problems.push(...addressingProblems(vlan.name, vlan, got, got.up));
  }
  const extra = spec.vlans ? live.vlans.filter((v) => !spec.vlans?.some((w) => w.name === v.name)) : [];
  if (extra.length > 0) problems.push(`VLANs ${extra.map((v) => v.name).join(', ')} over ${spec.name} are not in the spec`);
  return problems;
}

/**
 * Waits up to timeoutMs for carrier, enough slaves with link and, in 802.3ad, a partner; `first`
 * is the state just read, checked before reading again.
 */
export async function health(name: string, netns: NetnsOption | undefined, timeoutMs: number, first?: BondState): Promise<Health> {
  const check = (state: BondState): Health => {
    const slavesUp = state.slaves.filter((s) => s.miiStatus === 'up').length;
    const minLinks = Math.max(state.minLinks ?? 0, 1);
    const problems: string[] = [];
    if (!state.carrier) problems.push(`${name} has no carrier`);
    if (slavesUp < minLinks) problems.push(`${slavesUp} slaves have link, at least ${minLinks} needed`);
    const out: Health = { healthy: false, carrier: state.carrier, slavesUp, minLinks, problems };
    if (state.mode === '802.3ad') {
      out.lacpPartner = state.adInfo !== undefined && state.adInfo.partnerMac !== '00:00:00:00:00:00';
      if (!out.lacpPartner) problems.push('802.3ad: no LACP partner answers (the switch needs LACP on these ports)');
    }
    out.healthy = problems.length === 0;
    return out;
  };
  const end = Date.now() + timeoutMs;
  const resolved = resolveCall({ netns }, name).netns;
  let known = first;
  for (;;) {
    const state = known ?? (await backendOf('netlink').readBond(resolved, name, false));
    known = undefined;
    const result = check(state);
    if (result.healthy || !state.up || Date.now() >= end) return result;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
