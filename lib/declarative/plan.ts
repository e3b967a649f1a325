// From a spec and the bond as it is to ordered steps, each with its reason and a way to run it
// (a rollback is a plan too: to the saved state, lib/transaction/restore.ts). The order is the driver's: fail_over_mac before any slave, arp_ip_target
// before arp_interval, miimon before the delays, mode and the other down-only options with the
// bond down, mode with no slaves (release, change, re-enslave), queue ids, primary and the
// active slave after enslaving. Taking the bond down flushes its routes and IPv6 addresses, so
// the plan puts them back after it is up again.
import { ValidationError } from '../errors.js';
import { setActiveSlave } from '../bond/active-slave.js';
import { createBond } from '../bond/create.js';
import { deleteBond } from '../bond/delete.js';
import { enslave, release } from '../bond/enslave.js';
import { displayValue, reportedValue, sameValue } from '../bond/option-plan.js';
import { setBondOptions } from '../bond/set-options.js';
import { setSlaveOptions } from '../bond/slave-options.js';
import type { BondState } from '../bond/state.js';
import type { NetnsOption } from '../call/netns.js';
import { addAddress, removeAddress, type InterfaceAddress } from '../link/addresses.js';
import { setLinkDown, setLinkUp, setMac, setMtu } from '../link/link.js';
import { addRoute, parseRoute, removeRoute, type RouteInfo } from '../link/routes.js';
import type { ParsedRoute } from '../netlink/link-steps.js';
import { BOND_MODES, OPTION_BY_KEY, SLAVE_OPTION_DEFS, byWriteOrder, type BondOptionDef, type BondOptions } from '../option-table.js';
import { checkKeys } from '../validate/keys.js';
import { checkSlaveList, validateIfname } from '../validate/names.js';
import { networkOf, parseCidr, validateCidr, validateIp, validateMac, validateMtu } from '../validate/net.js';
import { OPTION_KEYS, normalizeBondOptions } from '../validate/options.js';
import { optionNeeds, slaveOptionNeeds } from '../features/check.js';
import type { DriverNeed } from '../features/model.js';
import { normalizeValue, type NormalizedValue } from '../validate/values.js';
import type { BondSlaveSpec, BondSpec, LiveBond, PlanStep, PlanStepKind } from './types.js';

export interface NormalizedAddress {
  text: string;
  family: 4 | 6;
  broadcast?: string;
}

export interface NormalizedSpec {
  name: string;
  present: boolean;
  options: BondOptions;
  slaves?: BondSlaveSpec[];
  activeSlave?: string;
  up: boolean;
  mtu?: number;
  mac?: string;
  addresses?: NormalizedAddress[];
  routes?: { spec: { destination: string; gateway?: string; metric?: number }; parsed: ParsedRoute }[];
}

const SLAVE_KEYS_TEXT = SLAVE_OPTION_DEFS.map((def) => `${def.key}?`).join(', ');

/** What a present spec asks of the bonding driver: its options and its slaves' options. */
export function specNeeds(spec: NormalizedSpec): DriverNeed[] {
  if (!spec.present) return [];
  const { options } = normalizeBondOptions(spec.options, { bond: spec.name, modeChecks: false });
  const slaveOptions = (spec.slaves ?? []).flatMap((slave) =>
    SLAVE_OPTION_DEFS.flatMap((def) => {
      const value = slave[def.key as keyof BondSlaveSpec];
      return value === undefined || typeof value === 'string' ? [] : [{ def, value }];
    }),
  );
  return [...optionNeeds(options), ...slaveOptionNeeds(slaveOptions)];
}

const SPEC_KEYS = [...OPTION_KEYS, 'name', 'state', 'slaves', 'activeSlave', 'up', 'mtu', 'mac', 'addresses', 'routes'];

/** Checks a spec without touching the kernel: every field, every option, every address. */
export function normalizeSpec(spec: BondSpec): NormalizedSpec {
  if (typeof spec !== 'object' || spec === null) throw new ValidationError({ option: 'spec', value: spec, allowed: 'a BondSpec object' });
  const name = validateIfname('name', spec.name);
  checkKeys(spec, SPEC_KEYS, name);
  const { state, slaves, activeSlave, up, mtu, mac, addresses, routes, ...options } = spec;
  delete (options as { name?: string }).name;
  if (state !== undefined && state !== 'present' && state !== 'absent') throw new ValidationError({ option: 'state', value: state, allowed: "'present' or 'absent'", bond: name });
  normalizeBondOptions(options, { bond: name, modeChecks: false });
  const out: NormalizedSpec = { name, present: state !== 'absent', options, up: up ?? true };
  if (up !== undefined && typeof up !== 'boolean') throw new ValidationError({ option: 'up', value: up, allowed: 'true or false', bond: name });
  if (slaves !== undefined) {
    if (!Array.isArray(slaves)) throw new ValidationError({ option: 'slaves', value: slaves, allowed: `an array of names or { name, ${SLAVE_KEYS_TEXT} }`, bond: name });
    out.slaves = slaves.map((s) => {
      const slave = typeof s === 'string' ? { name: s } : s;
      if (typeof slave !== 'object' || slave === null) throw new ValidationError({ option: 'slaves', value: s, allowed: `a name or { name, ${SLAVE_KEYS_TEXT} }`, bond: name });
      checkKeys(slave, ['name', ...SLAVE_OPTION_DEFS.map((def) => def.key)], name);
      validateIfname('slaves', slave.name, name);
      for (const def of SLAVE_OPTION_DEFS) {
        const value = slave[def.key];
        if (value !== undefined) normalizeValue(def, value, name);
      }
      return { ...slave };
    });
    const names = out.slaves.map((s) => s.name);
    checkSlaveList(name, names, names);
  }
  if (activeSlave !== undefined) out.activeSlave = validateIfname('activeSlave', activeSlave, name);
  if (mtu !== undefined) out.mtu = validateMtu(mtu, name);
  if (mac !== undefined) out.mac = validateMac('mac', mac, name);
  if (addresses !== undefined) {
    if (!Array.isArray(addresses)) throw new ValidationError({ option: 'addresses', value: addresses, allowed: 'an array of CIDR strings or { address, broadcast? }', bond: name });
    out.addresses = addresses.map((a) => {
      const entry = typeof a === 'string' ? { address: a } : a;
      const parsed = validateCidr('addresses', entry?.address, name);
      const normalized: NormalizedAddress = { text: parsed.text, family: parsed.family };
      if (entry.broadcast !== undefined) {
        if (parsed.family !== 4) throw new ValidationError({ option: 'broadcast', value: entry.broadcast, allowed: 'a broadcast address only for IPv4', bond: name });
        normalized.broadcast = validateIp('broadcast', entry.broadcast, 4, name);
      }
      return normalized;
    });
  }
  if (routes !== undefined) {
    if (!Array.isArray(routes)) throw new ValidationError({ option: 'routes', value: routes, allowed: 'an array of { destination, gateway?, metric? }', bond: name });
    out.routes = routes.map((r) => {
      if (typeof r !== 'object' || r === null) throw new ValidationError({ option: 'routes', value: r, allowed: 'a { destination, gateway?, metric? } object', bond: name });
      checkKeys(r, ['destination', 'gateway', 'metric'], name);
      return { spec: r, parsed: parseRoute({ ...r, dev: name }, name) };
    });
  }
  return out;
}

/** A step with what it takes to run it. Undoing is not a step's job: a rollback applies the saved state. */
export interface ExecStep extends PlanStep {
  run: () => Promise<void>;
}

const addressText = (a: NormalizedAddress) => a.text + (a.broadcast ? ` brd ${a.broadcast}` : '');
const isManagedAddress = (a: InterfaceAddress) => !a.dynamic;

/** The metric the kernel gives a route added without one: 0 for IPv4, 1024 for IPv6. */
const defaultMetric = (family: 4 | 6) => (family === 4 ? 0 : 1024);

export function routeMatches(live: RouteInfo, wanted: ParsedRoute): boolean {
  const metric = wanted.metric ?? defaultMetric(wanted.family);
  return live.destination === wanted.destination && (live.metric ?? 0) === metric && live.gateway === wanted.gateway;
}

/**
 * A route the kernel adds by itself with an address: no gateway, metric 0, the address's network
 * (the seed's `route add -net ... dev bond0`).
 */
export function isConnectedRoute(route: ParsedRoute, addresses: readonly string[]): boolean {
  if (route.gateway !== undefined || (route.metric ?? 0) !== 0) return false;
  return addresses.some((address) => {
    const cidr = parseCidr(address);
    return cidr !== undefined && networkOf(cidr) === route.destination;
  });
}

/** Builds the ordered steps that take `live` to `spec`. */
export function buildPlan(spec: NormalizedSpec, live: LiveBond, netns: NetnsOption | undefined): ExecStep[] {
  const name = spec.name;
  const call = { netns };
  const steps: ExecStep[] = [];
  const step = (kind: PlanStepKind, description: string, reason: string, run: () => Promise<unknown>) => {
    steps.push({ kind, description, reason, run: async () => void (await run()) });
  };

  if (!spec.present) {
    if (live.exists) step('delete-bond', `delete bond ${name}`, 'state is absent', () => deleteBond(name, call));
    return steps;
  }

  const current = live.state;
  const { mode: targetMode, options: normalized } = normalizeBondOptions(spec.options, {
    bond: name,
    currentMode: current ? BOND_MODES.indexOf(current.mode) : undefined,
    currentMiimon: current?.miimon ?? 0,
  });
  const primaryDef = OPTION_BY_KEY.get('primary') as BondOptionDef;
  const primary = normalized.get(primaryDef) as string | null | undefined;
  normalized.delete(primaryDef);

  let wentDown = false;
  const releasedForRule: string[] = [];
  const currentSlaves = current ? live.slaveOrder.filter((s) => current.slaves.some((x) => x.name === s)) : [];
  const wantedSlaves = spec.slaves?.map((s) => s.name);

  if (!current) {
    const createOptions: BondOptions = {};
    for (const [def, value] of normalized) (createOptions as Record<string, unknown>)[def.key] = def.value.kind === 'enum' ? def.value.names[value as number] : value;
    step('create-bond', `create bond ${name} (${BOND_MODES[targetMode]})`, `${name} does not exist`, () => createBond(name, { ...createOptions, ...call }));
  } else {
    const changes = [...normalized].filter(([s, v]) => !sameValue(reportedValue(s, current), v));
    changes.sort(([a], [b]) => byWriteOrder(a, b));
    const needsNoSlaves = changes.filter(([s]) => s.needsNoSlaves);
    const needsDown = changes.filter(([s]) => s.needsDown);
    // Slaves not wanted go; all go while an option that needs no slaves changes (they come back).
    for (const slave of [...currentSlaves].reverse()) {
      const unwanted = wantedSlaves !== undefined && !wantedSlaves.includes(slave);
      if (!unwanted && needsNoSlaves.length === 0) continue;
      const reason = unwanted ? `${slave} is not in the spec's slaves` : `${needsNoSlaves.map(([s]) => s.key).join(', ')} can only change without slaves; ${slave} is enslaved again afterwards`;
      if (!unwanted) releasedForRule.unshift(slave);
      step('release', `release ${slave} from ${name}`, reason, () => release(name, slave, call));
    }
    if (needsDown.length > 0 && current.up) {
      wentDown = true;
      step('set-down', `set ${name} down`, `${needsDown.map(([s]) => s.key).join(', ')} can only change while ${name} is down`, () => setLinkDown(name, call));
    }
    for (const [def, value] of changes) {
      const before = reportedValue(def, current);
      const show = (v: NormalizedValue | null | undefined) => (v === undefined || v === null ? String(v) : displayValue(def, v));
      const asOption = (v: NormalizedValue | null | undefined): unknown => (def.value.kind === 'enum' && typeof v === 'number' ? def.value.names[v] : v);
      step(
        'set-option',
        `set ${def.key} ${show(value)} on ${name}`,
        `${def.key} is ${show(before)}, wanted ${show(value)}`,
        () => setBondOptions(name, { [def.key]: asOption(value) } as BondOptions, call),
      );
    }
  }

  if (spec.mtu !== undefined && spec.mtu !== current?.mtu) {
    step('set-mtu', `set mtu ${spec.mtu} on ${name}`, `mtu is ${current?.mtu ?? 'unset'}, wanted ${spec.mtu}`, () => setMtu(name, spec.mtu as number, call));
  }
  if (spec.mac !== undefined && spec.mac !== current?.mac) {
    step('set-mac', `set mac ${spec.mac} on ${name}`, `mac is ${current?.mac ?? 'unset'}, wanted ${spec.mac}`, () => setMac(name, spec.mac as string, call));
  }

  const stillEnslaved = currentSlaves.filter((s) => !releasedForRule.includes(s) && (wantedSlaves === undefined || wantedSlaves.includes(s)));
  const toEnslave = (spec.slaves ?? releasedForRule.map((n) => ({ name: n }))).filter((s) => !stillEnslaved.includes(s.name));
  for (const slave of toEnslave) {
    const reason = releasedForRule.includes(slave.name) ? `${slave.name} was released for the option change` : `${slave.name} is in the spec's slaves`;
    step('enslave', `enslave ${slave.name} -> ${name}`, reason, () => enslave(name, slave.name, call));
  }
  for (const slave of spec.slaves ?? []) {
    const old = current?.slaves.find((s) => s.name === slave.name);
    const fresh = !old || releasedForRule.includes(slave.name);
    for (const { key, default: initial } of SLAVE_OPTION_DEFS) {
      const wanted = slave[key];
      const before = fresh ? initial : (old?.[key] ?? initial);
      if (wanted === undefined || wanted === before) continue;
      step('set-slave-option', `set ${key} ${wanted} on ${slave.name}`, `${key} of ${slave.name} is ${before}, wanted ${wanted}`, () => setSlaveOptions(name, slave.name, { [key]: wanted }, call));
    }
  }
  if (primary !== undefined && primary !== (current?.primary ?? null)) {
    const old = current?.primary ?? null;
    step('set-option', `set primary ${primary ?? 'none'} on ${name}`, `primary is ${old ?? 'none'}, wanted ${primary ?? 'none'}`, () => setBondOptions(name, { primary }, call));
  }
  const isUp = current?.up === true && !wentDown;
  if (spec.up && !isUp) {
    step('set-up', `set ${name} up`, wentDown ? `${name} was taken down for the option change` : `${name} is down, wanted up`, () => setLinkUp(name, call));
  } else if (!spec.up && isUp) {
    step('set-down', `set ${name} down`, `${name} is up, wanted down`, () => setLinkDown(name, call));
  }
  if (spec.activeSlave !== undefined && (spec.activeSlave !== current?.activeSlave || wentDown || releasedForRule.length > 0)) {
    const wanted = spec.activeSlave;
    step('set-active-slave', `set active slave ${wanted} on ${name}`, `active slave is ${current?.activeSlave ?? 'none'}, wanted ${wanted}`, () => setActiveSlaveWhenUp(name, wanted, netns));
  }

  // Taking the bond down flushes its routes and IPv6 addresses: count them as gone.
  const liveAddresses = live.addresses.filter(isManagedAddress).filter((a) => !(wentDown && a.family === 6));
  if (spec.addresses) {
    const wanted = new Map(spec.addresses.map((a) => [a.text, a]));
    for (const a of liveAddresses) {
      const keep = wanted.get(a.address);
      if (keep && (keep.broadcast ?? a.broadcast) === a.broadcast) continue;
      step('remove-address', `remove address ${a.address} from ${name}`, keep ? `broadcast of ${a.address} differs` : `${a.address} is not in the spec's addresses`, () => removeAddress(name, a.address, call));
    }
    for (const a of spec.addresses) {
      const have = liveAddresses.find((l) => l.address === a.text);
      if (have && (a.broadcast ?? have.broadcast) === have.broadcast) continue;
      step('add-address', `add address ${addressText(a)} to ${name}`, `${a.text} is missing`, () => addAddress(name, a.text, { ...call, ...(a.broadcast ? { broadcast: a.broadcast } : {}) }));
    }
  }
  const liveRoutes = wentDown ? [] : live.routes;
  if (spec.routes) {
    for (const r of liveRoutes) {
      if (r.protocol === 'kernel' || spec.routes.some((w) => routeMatches(r, w.parsed))) continue;
      const routeSpec = { destination: r.destination, dev: name, ...(r.gateway ? { gateway: r.gateway } : {}), ...(r.metric !== undefined ? { metric: r.metric } : {}) };
      step('remove-route', `remove route ${r.destination}${r.gateway ? ` via ${r.gateway}` : ''} dev ${name}`, 'not in the spec\'s routes', () => removeRoute(routeSpec, call));
    }
    for (const { spec: r, parsed } of spec.routes) {
      const connected = (wentDown ? [] : live.routes).some((l) => routeMatches(l, parsed));
      // A route equal to the connected route of an address (the seed's `route add -net ... dev
      // bond0`) exists as soon as the address does.
      const coveredByAddress = isConnectedRoute(parsed, spec.addresses?.map((a) => a.text) ?? liveAddresses.map((a) => a.address));
      if (connected || coveredByAddress) continue;
      const routeSpec = { ...r, dev: name };
      step('add-route', `add route ${parsed.text}`, `${parsed.destination} is missing`, () => addRoute(routeSpec, call));
    }
  }
  return steps;
}

/** setActiveSlave needs the slave to have link, which the MII monitor reports a moment after up. */
async function setActiveSlaveWhenUp(name: string, slave: string, netns: NetnsOption | undefined): Promise<BondState> {
  const end = Date.now() + 5000;
  for (;;) {
    try {
      return await setActiveSlave(name, slave, { netns });
    } catch (error) {
      if (Date.now() > end) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
