// From a spec and the bond as it is to ordered steps, each with its reason, a way to run it and a
// way to undo it. The order is the driver's: fail_over_mac before any slave, arp_ip_target
// before arp_interval, miimon before the delays, mode and the other down-only options with the
// bond down, mode with no slaves (release, change, re-enslave), queue ids, primary and the
// active slave after enslaving. Taking the bond down flushes its routes and IPv6 addresses, so
// the plan puts them back after it is up again.
import ipaddr from 'ipaddr.js';
import { ValidationError } from '../errors.js';
import { createBond, deleteBond } from '../bond/create.js';
import { addAddress, addRoute, parseCidr, parseMac, parseRoute, removeAddress, removeRoute, setLinkDown, setLinkUp, setMac, setMtu, type InterfaceAddress, type ParsedRoute, type RouteInfo } from '../link/link.js';
import { validateIfname } from '../validate/names.js';
import type { NetnsOption } from '../call/netns.js';
import { BOND_MODES, OPTION_BY_KEY, OPTION_SPECS, SLAVE_OPTION_SPECS, type BondOptions, type OptionSpec } from '../option-table.js';
import { displayValue } from '../bond/option-plan.js';
import { reportedValue, sameValue } from '../netlink/encode.js';
import { runningKernel } from '../bond/read.js';
import { setBondOptions } from '../bond/set-options.js';
import { setSlaveOptions } from '../bond/slave-options.js';
import { enslave, release, setActiveSlave } from '../bond/enslave.js';
import type { BondState } from '../bond/state.js';
import { checkKeys, normalizeOptions, normalizeValue, OPTION_KEYS, type NormalizedValue } from '../validate/options.js';
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

const SPEC_KEYS = [...OPTION_KEYS, 'name', 'state', 'slaves', 'activeSlave', 'up', 'mtu', 'mac', 'addresses', 'routes'];

/** Checks a spec without touching the kernel: every field, every option, every address. */
export function normalizeSpec(spec: BondSpec): NormalizedSpec {
  if (typeof spec !== 'object' || spec === null) throw new ValidationError({ option: 'spec', value: spec, allowed: 'a BondSpec object' });
  const name = validateIfname('name', spec.name);
  checkKeys(spec, SPEC_KEYS, name);
  const { state, slaves, activeSlave, up, mtu, mac, addresses, routes, ...options } = spec;
  delete (options as { name?: string }).name;
  if (state !== undefined && state !== 'present' && state !== 'absent') throw new ValidationError({ option: 'state', value: state, allowed: "'present' or 'absent'", bond: name });
  const modeSpec = OPTION_BY_KEY.get('mode') as OptionSpec;
  const mode = options.mode === undefined ? 0 : (normalizeValue(modeSpec, options.mode, runningKernel, name) as number);
  normalizeOptions(options, { bond: name, kernel: runningKernel, mode, currentMiimon: 0, modeChecks: false });
  const out: NormalizedSpec = { name, present: state !== 'absent', options, up: up ?? true };
  if (up !== undefined && typeof up !== 'boolean') throw new ValidationError({ option: 'up', value: up, allowed: 'true or false', bond: name });
  if (slaves !== undefined) {
    if (!Array.isArray(slaves)) throw new ValidationError({ option: 'slaves', value: slaves, allowed: 'an array of names or { name, queueId?, prio? }', bond: name });
    out.slaves = slaves.map((s) => {
      const slave = typeof s === 'string' ? { name: s } : s;
      if (typeof slave !== 'object' || slave === null) throw new ValidationError({ option: 'slaves', value: s, allowed: 'a name or { name, queueId?, prio? }', bond: name });
      checkKeys(slave, ['name', 'queueId', 'prio'], name);
      validateIfname('slaves', slave.name, name);
      if (slave.name === name) throw new ValidationError({ option: 'slaves', value: slave.name, allowed: 'interfaces other than the bond itself', bond: name, message: `Cannot enslave bond ${name} to itself` });
      for (const key of ['queueId', 'prio'] as const) {
        const value = slave[key];
        const rule = SLAVE_OPTION_SPECS.find((r) => r.key === key);
        if (value !== undefined && rule) normalizeValue(rule, value, runningKernel, name);
      }
      return { ...slave };
    });
    const names = out.slaves.map((s) => s.name);
    if (new Set(names).size !== names.length) throw new ValidationError({ option: 'slaves', value: names, allowed: 'each interface at most once', bond: name });
  }
  if (activeSlave !== undefined) out.activeSlave = validateIfname('activeSlave', activeSlave, name);
  if (mtu !== undefined) {
    if (!Number.isInteger(mtu) || mtu < 68 || mtu > 65535) throw new ValidationError({ option: 'mtu', value: mtu, allowed: 'integer between 68 and 65535', bond: name });
    out.mtu = mtu;
  }
  if (mac !== undefined) {
    parseMac('mac', mac);
    out.mac = mac.toLowerCase();
  }
  if (addresses !== undefined) {
    if (!Array.isArray(addresses)) throw new ValidationError({ option: 'addresses', value: addresses, allowed: 'an array of CIDR strings or { address, broadcast? }', bond: name });
    out.addresses = addresses.map((a) => {
      const entry = typeof a === 'string' ? { address: a } : a;
      const parsed = parseCidr('addresses', entry?.address);
      const normalized: NormalizedAddress = { text: parsed.text, family: parsed.family };
      if (entry.broadcast !== undefined) {
        if (parsed.family !== 4) throw new ValidationError({ option: 'broadcast', value: entry.broadcast, allowed: 'a broadcast address only for IPv4', bond: name });
        normalized.broadcast = parseCidr('broadcast', `${entry.broadcast}/32`).text.replace(/\/32$/u, '');
      }
      return normalized;
    });
  }
  if (routes !== undefined) {
    if (!Array.isArray(routes)) throw new ValidationError({ option: 'routes', value: routes, allowed: 'an array of { destination, gateway?, metric? }', bond: name });
    out.routes = routes.map((r) => {
      checkKeys(r, ['destination', 'gateway', 'metric'], name);
      return { spec: r, parsed: parseRoute({ ...r, dev: name }) };
    });
  }
  return out;
}

/** A step with what it takes to run and undo it. */
export interface ExecStep extends PlanStep {
  run: () => Promise<void>;
  /** Absent when there is nothing to undo, or it cannot be undone (delete). */
  undo?: () => Promise<void>;
}

/** The order option writes go in: mode and fail_over_mac first, targets before the ARP interval. */
const ORDER: readonly string[] = (() => {
  const keys = OPTION_SPECS.map((s) => s.key as string).filter((k) => !['mode', 'failOverMac', 'arpIpTarget', 'primary'].includes(k));
  keys.splice(keys.indexOf('arpInterval'), 0, 'arpIpTarget');
  return ['mode', 'failOverMac', ...keys];
})();

const addressText = (a: NormalizedAddress) => a.text + (a.broadcast ? ` brd ${a.broadcast}` : '');
const isManagedAddress = (a: InterfaceAddress) => !a.dynamic;

/** The metric the kernel gives a route added without one: 0 for IPv4, 1024 for IPv6. */
const defaultMetric = (family: 4 | 6) => (family === 4 ? 0 : 1024);

export function routeMatches(live: RouteInfo, wanted: ParsedRoute): boolean {
  const gateway = wanted.gateway ? ipaddr.fromByteArray(Array.from(wanted.gateway)).toString() : undefined;
  const metric = wanted.metric ?? defaultMetric(wanted.dst.family);
  return live.destination === wanted.dst.text && (live.metric ?? 0) === metric && live.gateway === gateway;
}

/** Builds the ordered steps that take `live` to `spec`. */
export function buildPlan(spec: NormalizedSpec, live: LiveBond, netns: NetnsOption | undefined): ExecStep[] {
  const name = spec.name;
  const call = { netns };
  const steps: ExecStep[] = [];
  const step = (kind: PlanStepKind, description: string, reason: string, run: () => Promise<unknown>, undo?: () => Promise<unknown>) => {
    steps.push({ kind, description, reason, run: async () => void (await run()), ...(undo ? { undo: async () => void (await undo()) } : {}) });
  };

  if (!spec.present) {
    if (live.exists) step('delete-bond', `delete bond ${name}`, 'state is absent', () => deleteBond(name, call));
    return steps;
  }

  const current = live.state;
  const targetMode = spec.options.mode === undefined ? (current ? BOND_MODES.indexOf(current.mode) : 0) : (normalizeValue(OPTION_BY_KEY.get('mode') as OptionSpec, spec.options.mode, runningKernel, name) as number);
  const normalized = normalizeOptions(spec.options, { bond: name, kernel: runningKernel, mode: targetMode, currentMiimon: current?.miimon ?? 0 });
  const primarySpec = OPTION_BY_KEY.get('primary') as OptionSpec;
  const primary = normalized.get(primarySpec) as string | undefined;
  normalized.delete(primarySpec);

  let wentDown = false;
  const releasedForRule: string[] = [];
  const currentSlaves = current ? live.slaveOrder.filter((s) => current.slaves.some((x) => x.name === s)) : [];
  const wantedSlaves = spec.slaves?.map((s) => s.name);

  if (!current) {
    const createOptions: BondOptions = {};
    for (const [spec2, value] of normalized) (createOptions as Record<string, unknown>)[spec2.key] = spec2.value.kind === 'enum' ? spec2.value.names[value as number] : value;
    step('create-bond', `create bond ${name} (${BOND_MODES[targetMode]})`, `${name} does not exist`, () => createBond(name, { ...createOptions, ...call }), () => deleteBond(name, call));
  } else {
    const changes = [...normalized].filter(([s, v]) => !sameValue(reportedValue(s, current), v));
    changes.sort(([a], [b]) => ORDER.indexOf(a.key) - ORDER.indexOf(b.key));
    const needsNoSlaves = changes.filter(([s]) => s.needsNoSlaves);
    const needsDown = changes.filter(([s]) => s.needsDown);
    // Slaves not wanted go; all go while an option that needs no slaves changes (they come back).
    for (const slave of [...currentSlaves].reverse()) {
      const unwanted = wantedSlaves !== undefined && !wantedSlaves.includes(slave);
      if (!unwanted && needsNoSlaves.length === 0) continue;
      const old = current.slaves.find((s) => s.name === slave);
      const reason = unwanted ? `${slave} is not in the spec's slaves` : `${needsNoSlaves.map(([s]) => s.key).join(', ')} can only change without slaves; ${slave} is enslaved again afterwards`;
      if (!unwanted) releasedForRule.unshift(slave);
      step('release', `release ${slave} from ${name}`, reason, () => release(name, slave, call), async () => {
        await enslave(name, slave, call);
        if (old && (old.queueId !== 0 || (old.prio ?? 0) !== 0)) await setSlaveOptions(name, slave, { queueId: old.queueId, ...(old.prio ? { prio: old.prio } : {}) }, call);
      });
    }
    if (needsDown.length > 0 && current.up) {
      wentDown = true;
      step('set-down', `set ${name} down`, `${needsDown.map(([s]) => s.key).join(', ')} can only change while ${name} is down`, () => setLinkDown(name, call), () => setLinkUp(name, call));
    }
    for (const [optionSpec, value] of changes) {
      const before = reportedValue(optionSpec, current);
      const show = (v: NormalizedValue | null | undefined) => (v === undefined || v === null ? String(v) : displayValue(optionSpec, v));
      const asOption = (v: NormalizedValue | null | undefined): unknown => (optionSpec.value.kind === 'enum' && typeof v === 'number' ? optionSpec.value.names[v] : v);
      step(
        'set-option',
        `set ${optionSpec.key} ${show(value)} on ${name}`,
        `${optionSpec.key} is ${show(before)}, wanted ${show(value)}`,
        () => setBondOptions(name, { [optionSpec.key]: asOption(value) } as BondOptions, call),
        before === undefined ? undefined : () => setBondOptions(name, { [optionSpec.key]: asOption(before) } as BondOptions, call),
      );
    }
  }

  if (spec.mtu !== undefined && spec.mtu !== current?.mtu) {
    const old = current?.mtu;
    step('set-mtu', `set mtu ${spec.mtu} on ${name}`, `mtu is ${old ?? 'unset'}, wanted ${spec.mtu}`, () => setMtu(name, spec.mtu as number, call), old === undefined ? undefined : () => setMtu(name, old, call));
  }
  if (spec.mac !== undefined && spec.mac !== current?.mac) {
    const old = current?.mac;
    step('set-mac', `set mac ${spec.mac} on ${name}`, `mac is ${old ?? 'unset'}, wanted ${spec.mac}`, () => setMac(name, spec.mac as string, call), old === undefined ? undefined : () => setMac(name, old, call));
  }

  const stillEnslaved = currentSlaves.filter((s) => !releasedForRule.includes(s) && (wantedSlaves === undefined || wantedSlaves.includes(s)));
  const toEnslave = (spec.slaves ?? releasedForRule.map((n) => ({ name: n }))).filter((s) => !stillEnslaved.includes(s.name));
  for (const slave of toEnslave) {
    const reason = releasedForRule.includes(slave.name) ? `${slave.name} was released for the option change` : `${slave.name} is in the spec's slaves`;
    step('enslave', `enslave ${slave.name} -> ${name}`, reason, () => enslave(name, slave.name, call), () => release(name, slave.name, call));
  }
  for (const slave of spec.slaves ?? []) {
    const old = current?.slaves.find((s) => s.name === slave.name);
    const fresh = !old || releasedForRule.includes(slave.name);
    for (const key of ['queueId', 'prio'] as const) {
      const wanted = slave[key];
      const before = fresh ? 0 : (old?.[key] ?? 0);
      if (wanted === undefined || wanted === before) continue;
      step('set-slave-option', `set ${key} ${wanted} on ${slave.name}`, `${key} of ${slave.name} is ${before}, wanted ${wanted}`, () => setSlaveOptions(name, slave.name, { [key]: wanted }, call), () => setSlaveOptions(name, slave.name, { [key]: before }, call));
    }
  }
  if (primary !== undefined && primary !== current?.primary) {
    const old = current?.primary ?? null;
    step('set-option', `set primary ${primary} on ${name}`, `primary is ${old ?? 'none'}, wanted ${primary}`, () => setBondOptions(name, { primary }, call), old === null ? undefined : () => setBondOptions(name, { primary: old }, call));
  }
  const isUp = current?.up === true && !wentDown;
  if (spec.up && !isUp) {
    step('set-up', `set ${name} up`, wentDown ? `${name} was taken down for the option change` : `${name} is down, wanted up`, () => setLinkUp(name, call), () => setLinkDown(name, call));
  } else if (!spec.up && isUp) {
    step('set-down', `set ${name} down`, `${name} is up, wanted down`, () => setLinkDown(name, call), () => setLinkUp(name, call));
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
      step('remove-address', `remove address ${a.address} from ${name}`, keep ? `broadcast of ${a.address} differs` : `${a.address} is not in the spec's addresses`, () => removeAddress(name, a.address, call), () => addAddress(name, a.address, { ...call, ...(a.broadcast ? { broadcast: a.broadcast } : {}) }));
    }
    for (const a of spec.addresses) {
      const have = liveAddresses.find((l) => l.address === a.text);
      if (have && (a.broadcast ?? have.broadcast) === have.broadcast) continue;
      step('add-address', `add address ${addressText(a)} to ${name}`, `${a.text} is missing`, () => addAddress(name, a.text, { ...call, ...(a.broadcast ? { broadcast: a.broadcast } : {}) }), () => removeAddress(name, a.text, call));
    }
  }
  const liveRoutes = wentDown ? [] : live.routes;
  if (spec.routes) {
    for (const r of liveRoutes) {
      if (r.protocol === 'kernel' || spec.routes.some((w) => routeMatches(r, w.parsed))) continue;
      const routeSpec = { destination: r.destination, dev: name, ...(r.gateway ? { gateway: r.gateway } : {}), ...(r.metric !== undefined ? { metric: r.metric } : {}) };
      step('remove-route', `remove route ${r.destination}${r.gateway ? ` via ${r.gateway}` : ''} dev ${name}`, 'not in the spec\'s routes', () => removeRoute(routeSpec, call), () => addRoute(routeSpec, call));
    }
    for (const { spec: r, parsed } of spec.routes) {
      const connected = (wentDown ? [] : live.routes).some((l) => routeMatches(l, parsed));
      // A route equal to the connected route of an address (the seed's `route add -net ... dev
      // bond0`) exists as soon as the address does.
      const coveredByAddress = !parsed.gateway && (parsed.metric ?? 0) === 0 && (spec.addresses ?? liveAddresses.map((a) => ({ text: a.address }))).some((a) => networkOf(a.text) === parsed.dst.text);
      if (connected || coveredByAddress) continue;
      const routeSpec = { ...r, dev: name };
      step('add-route', `add route ${parsed.text}`, `${parsed.dst.text} is missing`, () => addRoute(routeSpec, call), () => removeRoute(routeSpec, call));
    }
  }
  return steps;
}

/** The network of a CIDR: 10.65.69.171/24 -> 10.65.69.0/24. */
export function networkOf(cidr: string): string {
  const parsed = parseCidr('address', cidr);
  const bytes = Array.from(parsed.bytes);
  for (let bit = parsed.prefixLen; bit < bytes.length * 8; bit++) bytes[bit >> 3] = (bytes[bit >> 3] as number) & ~(0x80 >> (bit & 7));
  return `${ipaddr.fromByteArray(bytes).toString()}/${parsed.prefixLen}`;
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
