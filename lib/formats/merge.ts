// Puts each bond together from the facts of every file. Rules:
// - An interface is a bond when a file says so (a bond type, bond options, a modprobe alias) or
//   when something is enslaved to it. Facts about other interfaces are reported, not imported.
// - Files are read in the order given; when two files set a field differently the later one
//   wins and the conflict is a warning. "Weak" facts are a format's own defaults (ONBOOT absent
//   means up) and give way to any explicit fact without a warning.
// - Module parameters (`options bonding ...`) are the kernel's defaults for every bond it
//   creates (bond_setup copies bonding_defaults), so they fill in what no file set. They create
//   bond0 .. bond<max_bonds-1>, bond0 alone when max_bonds is not given, as the module does.
// - A bond whose mode no file states gets mode balance-rr: every one of these formats creates
//   the bond at boot, where the driver's default mode applies. Leaving it unset would let a bond
//   of another mode pass as matching the files.
// - Slaves, addresses and routes are unions in order of appearance.
import { BOND_MODES, BOND_OPTION_DEFS, type BondOptions } from '../option-table.js';
import type { BondAddressSpec, BondRouteSpec, BondSlaveSpec, BondSpec } from '../declarative/types.js';
import { normalizeOptions } from '../validate/options.js';
import { checkIfname } from './checks.js';
import { describeWhere, messageOf, type Fact, type FactSink, type FieldKey, type FieldValue, type Where } from './facts.js';
import { routeFamily } from './net.js';
import type { ImportResult } from './types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;
const DEFAULT_MODE = 'balance-rr';

interface Sourced<T> {
  value: T;
  where: Where;
}

interface FieldEntry extends Sourced<FieldValue> {
  weak: boolean;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const show = (value: unknown) => (typeof value === 'string' ? `'${value}'` : JSON.stringify(value));

/**
 * The most bonds one max_bonds option imports: the count sizes what is built, so a hostile file
 * (max_bonds=2147483647) must not decide how much memory the importer takes.
 */
const MAX_MODULE_BONDS = 1024;

export function mergeFacts(sink: FactSink): ImportResult {
  const warnings = [...sink.warnings];
  const groups = groupByInterface(sink, warnings);
  const bonds = new Set<string>();
  for (const [name, facts] of groups) {
    if (facts.some((f) => f.kind === 'declare' || f.kind === 'slave')) bonds.add(name);
  }
  if (sink.maxBonds) {
    const { count, where } = sink.maxBonds;
    if (count > MAX_MODULE_BONDS) {
      warnings.push(`${describeWhere(where)}: max_bonds=${count}: only bond0-bond${MAX_MODULE_BONDS - 1} imported (at most ${MAX_MODULE_BONDS} bonds from one module option)`);
    }
    for (let i = 0; i < Math.min(count, MAX_MODULE_BONDS); i++) bonds.add(`bond${i}`);
  } else if (sink.moduleDefaults.length > 0) {
    bonds.add('bond0');
  }
  for (const [name, facts] of groups) {
    if (bonds.has(name) || !facts.some((f) => f.kind !== 'declare')) continue;
    const places = [...new Set(facts.map((f) => f.where.path))].join(', ');
    warnings.push(`${places}: ${name} is not a bond and no bond in these files takes it as a slave; its settings were not imported`);
  }
  for (const name of bonds) {
    const checked = checkIfname('name', name);
    if (checked.ok) continue;
    const places = [...new Set((groups.get(name) ?? []).map((f) => f.where.path))].join(', ');
    warnings.push(`${places}: ${checked.error}; bond ${JSON.stringify(name)} not imported`);
    bonds.delete(name);
  }
  checkSlaveOwners(groups, bonds, warnings);
  const specs = [...bonds].map((name) => buildSpec(name, groups.get(name) ?? [], sink, warnings));
  return { specs, warnings };
}

function groupByInterface(sink: FactSink, warnings: string[]): Map<string, Fact[]> {
  const groups = new Map<string, Fact[]>();
  for (const fact of sink.facts) {
    let name = fact.bond;
    if (UUID.test(name)) {
      const resolved = sink.uuids.get(name.toLowerCase());
      if (resolved === undefined) {
        warnings.push(`${describeWhere(fact.where)}: no file here has the profile ${name} it refers to; not imported`);
        continue;
      }
      name = resolved;
    }
    const list = groups.get(name) ?? [];
    list.push(fact);
    groups.set(name, list);
  }
  return groups;
}

function checkSlaveOwners(groups: Map<string, Fact[]>, bonds: Set<string>, warnings: string[]): void {
  const owner = new Map<string, Sourced<string>>();
  for (const name of bonds) {
    for (const fact of groups.get(name) ?? []) {
      if (fact.kind !== 'slave') continue;
      const previous = owner.get(fact.slave.name);
      if (previous && previous.value !== name) {
        warnings.push(`${describeWhere(fact.where)}: ${fact.slave.name} is enslaved to ${name} here but to ${previous.value} at ${describeWhere(previous.where)}`);
      } else {
        owner.set(fact.slave.name, { value: name, where: fact.where });
      }
    }
  }
}

function buildSpec(name: string, facts: Fact[], sink: FactSink, warnings: string[]): BondSpec {
  const fields = new Map<FieldKey, FieldEntry>();
  const slaves = new Map<string, Sourced<BondSlaveSpec>>();
  const addresses = new Map<string, Sourced<BondAddressSpec>>();
  const routes = new Map<string, Sourced<BondRouteSpec>>();
  const conflict = (what: string, before: Sourced<unknown>, after: Sourced<unknown>) =>
    warnings.push(`${name}: ${what} is ${show(before.value)} at ${describeWhere(before.where)} but ${show(after.value)} at ${describeWhere(after.where)}; using ${describeWhere(after.where)}`);

  for (const fact of facts) {
    switch (fact.kind) {
      case 'declare':
        break;
      case 'field': {
        const before = fields.get(fact.field);
        const entry = { value: fact.value, where: fact.where, weak: fact.weak };
        if (!before || before.weak) fields.set(fact.field, entry);
        else if (!fact.weak) {
          if (!same(before.value, fact.value)) conflict(fact.field, before, entry);
          fields.set(fact.field, entry);
        }
        break;
      }
      case 'slave': {
        const before = slaves.get(fact.slave.name);
        if (before && !same({ ...before.value, ...fact.slave }, { ...fact.slave, ...before.value })) conflict(`slave ${fact.slave.name}`, before, { value: fact.slave, where: fact.where });
        slaves.set(fact.slave.name, { value: { ...before?.value, ...fact.slave }, where: fact.where });
        break;
      }
      case 'address': {
        const before = addresses.get(fact.address.address);
        const merged = { ...before?.value, ...fact.address };
        if (before?.value.broadcast !== undefined && fact.address.broadcast !== undefined && before.value.broadcast !== fact.address.broadcast) {
          conflict(`the broadcast of ${fact.address.address}`, { value: before.value.broadcast, where: before.where }, { value: fact.address.broadcast, where: fact.where });
        }
        addresses.set(fact.address.address, { value: merged, where: fact.where });
        break;
      }
      case 'route': {
        // The kernel tells routes of the main table apart by family, destination and metric.
        const key = `${routeFamily(fact.route.destination, fact.route.gateway)} ${fact.route.destination} ${fact.route.metric ?? ''}`;
        const before = routes.get(key);
        if (before && !same(before.value, fact.route)) conflict(`the route to ${fact.route.destination}`, before, { value: fact.route, where: fact.where });
        routes.set(key, { value: fact.route, where: fact.where });
        break;
      }
    }
  }
  for (const def of sink.moduleDefaults) {
    if (!fields.has(def.field)) fields.set(def.field, { value: def.value, where: def.where, weak: true });
  }
  if (!fields.has('mode')) fields.set('mode', { value: DEFAULT_MODE, where: { path: '(driver default)' }, weak: true });

  const spec = assemble(name, fields, slaves, addresses, routes);
  checkSpec(spec, warnings);
  return spec;
}

function assemble(
  name: string,
  fields: Map<FieldKey, FieldEntry>,
  slaves: Map<string, Sourced<BondSlaveSpec>>,
  addresses: Map<string, Sourced<BondAddressSpec>>,
  routes: Map<string, Sourced<BondRouteSpec>>,
): BondSpec {
  const spec: Record<string, unknown> = { name };
  for (const option of BOND_OPTION_DEFS) {
    const entry = fields.get(option.key);
    if (entry) spec[option.key] = entry.value;
  }
  if (slaves.size > 0) spec.slaves = [...slaves.values()].map(({ value }) => (Object.keys(value).length === 1 ? value.name : value));
  for (const key of ['activeSlave', 'up', 'mtu', 'mac'] as const) {
    const entry = fields.get(key);
    if (entry) spec[key] = entry.value;
  }
  if (addresses.size > 0) spec.addresses = [...addresses.values()].map(({ value }) => (value.broadcast === undefined ? value.address : value));
  if (routes.size > 0) spec.routes = [...routes.values()].map(({ value }) => value);
  return spec as unknown as BondSpec;
}

/** Warnings for what the kernel would refuse: options of another mode, monitor conflicts. */
function checkSpec(spec: BondSpec, warnings: string[]): void {
  const mode = BOND_MODES.indexOf(spec.mode as (typeof BOND_MODES)[number]);
  const kept: Record<string, unknown> = {};
  for (const option of BOND_OPTION_DEFS) {
    const value = (spec as unknown as Record<string, unknown>)[option.key];
    if (value === undefined) continue;
    if (option.modes && !option.modes.includes(mode)) {
      const modes = option.modes.map((m) => BOND_MODES[m]).join(', ');
      warnings.push(`${spec.name}: ${option.key} applies only in mode ${modes}, and the mode is ${String(spec.mode)}: the kernel will refuse it`);
    } else {
      kept[option.key] = value;
    }
  }
  try {
    normalizeOptions(kept as BondOptions, { bond: spec.name, mode, currentMiimon: 0 });
  } catch (error) {
    warnings.push(`${spec.name}: ${messageOf(error)}`);
  }
  const names = spec.slaves?.map((s) => (typeof s === 'string' ? s : s.name));
  for (const key of ['primary', 'activeSlave'] as const) {
    const value = spec[key];
    if (typeof value === 'string' && names !== undefined && !names.includes(value)) warnings.push(`${spec.name}: ${key} ${value} is not one of its slaves (${names.join(', ')})`);
  }
}
