// After an apply: every field the spec gives must read back as given (verify), and the bond
// must be usable (health: carrier, enough slaves with link, an LACP partner in 802.3ad).
import { constants } from 'node:os';
import { BondError } from '../errors.js';
import type { NetnsOption } from '../call/netns.js';
import { getBond } from '../bond/read.js';
import type { BondState } from '../bond/state.js';
import { isConnectedRoute, routeMatches, type NormalizedSpec } from './plan.js';
import type { Health, LiveBond } from './types.js';
import { BOND_OPTION_DEFS, SLAVE_OPTION_DEFS } from '../option-table.js';

/** Every field the spec gives must read back as given. */
export function verify(spec: NormalizedSpec, live: LiveBond): void {
  const problems: string[] = [];
  const state = live.state;
  if (!spec.present) {
    if (live.exists) problems.push(`${spec.name} still exists`);
  } else if (!state) {
    problems.push(`${spec.name} does not exist`);
  } else {
    for (const option of BOND_OPTION_DEFS) {
      const wanted = (spec.options as Record<string, unknown>)[option.key];
      if (wanted === undefined) continue;
      const value = option.key === 'mode' ? state.mode : (state as unknown as Record<string, unknown>)[option.key];
      const wantedName = option.value.kind === 'enum' && typeof wanted === 'number' ? option.value.names[wanted] : wanted;
      const comparable = option.value.kind === 'mac' && typeof wantedName === 'string' ? wantedName.toLowerCase() : wantedName;
      if (value !== undefined && JSON.stringify(value) !== JSON.stringify(comparable)) problems.push(`${option.key} is ${JSON.stringify(value)}, wanted ${JSON.stringify(comparable)}`);
    }
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
    if (spec.addresses) {
      const have = live.addresses.filter((a) => !a.dynamic).map((a) => a.address).sort();
      const wanted = spec.addresses.map((a) => a.text).sort();
      if (JSON.stringify(have) !== JSON.stringify(wanted)) problems.push(`addresses are ${have.join(', ') || 'none'}, wanted ${wanted.join(', ')}`);
    }
    for (const route of spec.routes ?? []) {
      const present = live.routes.some((r) => routeMatches(r, route.parsed));
      const connected = isConnectedRoute(route.parsed, live.addresses.filter((a) => !a.dynamic).map((a) => a.address));
      if (!present && !(connected && !state.up)) problems.push(`route ${route.parsed.text} is missing`);
    }
  }
  if (problems.length > 0) {
    throw new BondError({ errnum: constants.errno.EIO, syscall: 'verify', action: `verify ${spec.name}`, bond: spec.name, hint: `the kernel does not report what was applied: ${problems.join('; ')}` });
  }
}

/** Waits up to timeoutMs for carrier, enough slaves with link and, in 802.3ad, a partner. */
export async function health(name: string, netns: NetnsOption | undefined, timeoutMs: number): Promise<Health> {
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
  for (;;) {
    const state = await getBond(name, { netns });
    const result = check(state);
    if (result.healthy || !state.up || Date.now() >= end) return result;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
