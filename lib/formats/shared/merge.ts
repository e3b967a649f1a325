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
// - A VLAN belongs to the bond a file says it rides on (VLAN=yes with PHYSDEV or a DEV.ID name,
//   vlan-raw-device, link:, VLAN=, parent=); its id, protocol, state, MTU, addresses and routes
//   are facts about the VLAN's own name, from any file, merged by the same rules. A VLAN over a
//   link that is not a bond here is reported, not imported.
import { BOND_MODES, BOND_OPTION_DEFS, type BondOptions } from '../../option-table.js';
import type { BondAddressSpec, BondRouteSpec, BondSlaveSpec, BondSpec, BondVlanSpec } from '../../plan/types.js';
import { normalizeVlans } from '../../plan/normalize.js';
import type { VlanProtocol } from '../../link/info.js';
import { normalizeOptions } from '../../validate/options.js';
import { checkIfname, vlanIdOfName } from './checks.js';
import { describeWhere, messageOf, PROFILE_UUID, type Fact, type FactSink, type FieldKey, type FieldValue, type Where } from './facts.js';
import { routeFamily } from './net.js';
import type { ImportResult } from './types.js';

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
  const vlanParents = parentsOfVlans(groups, warnings);
  for (const [name, facts] of groups) {
    if (bonds.has(name) || !facts.some((f) => f.kind !== 'declare' && f.kind !== 'vlan')) continue;
    if (vlanParents.has(name)) continue;
    const places = placesOf(facts);
    if (facts.some((f) => f.kind === 'field' && f.field === 'vlanId')) warnings.push(`${places}: no file says which link VLAN ${name} rides on; not imported`);
    else warnings.push(`${places}: ${name} is not a bond and no bond in these files takes it as a slave; its settings were not imported`);
  }
  for (const [vlan, parent] of vlanParents) {
    if (!bonds.has(parent.value)) warnings.push(`${describeWhere(parent.where)}: VLAN ${vlan} rides on ${parent.value}, which is not a bond in these files; not imported`);
  }
  for (const name of bonds) {
    const checked = checkIfname('name', name);
    if (checked.ok) continue;
    warnings.push(`${placesOf(groups.get(name) ?? [])}: ${checked.error}; bond ${JSON.stringify(name)} not imported`);
    bonds.delete(name);
  }
  checkSlaveOwners(groups, bonds, warnings);
  const specs = [...bonds].map((name) => {
    const spec = buildSpec(name, groups.get(name) ?? [], sink, warnings);
    const vlans = [...vlanParents].filter(([vlan, parent]) => parent.value === name && !bonds.has(vlan)).map(([vlan]) => buildVlan(name, vlan, groups.get(vlan) ?? [], warnings));
    // Only VLANs that were read: an empty list would ask apply to delete every VLAN.
    const read = vlans.filter((v) => v !== undefined);
    if (read.length > 0) spec.vlans = read;
    checkSpec(spec, warnings);
    return spec;
  });
  return { specs, warnings };
}

const placesOf = (facts: readonly Fact[]) => [...new Set(facts.map((f) => f.where.path))].join(', ');

/** VLAN name -> the link it rides on; a VLAN said to ride on two links is warned about (the later file wins). */
function parentsOfVlans(groups: Map<string, Fact[]>, warnings: string[]): Map<string, Sourced<string>> {
  const parents = new Map<string, Sourced<string>>();
  for (const [parent, facts] of groups) {
    for (const fact of facts) {
      if (fact.kind !== 'vlan') continue;
      const before = parents.get(fact.vlan);
      if (before && before.value !== parent) warnings.push(`${describeWhere(fact.where)}: VLAN ${fact.vlan} rides on ${parent} here but on ${before.value} at ${describeWhere(before.where)}; using ${parent}`);
      parents.set(fact.vlan, { value: parent, where: fact.where });
    }
  }
  return parents;
}

function groupByInterface(sink: FactSink, warnings: string[]): Map<string, Fact[]> {
  const groups = new Map<string, Fact[]>();
  for (const fact of sink.facts) {
    let name = fact.bond;
    if (PROFILE_UUID.test(name)) {
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

/** What the files say about one interface, each field from the file that wins. */
interface Collected {
  fields: Map<FieldKey, FieldEntry>;
  slaves: Map<string, Sourced<BondSlaveSpec>>;
  addresses: Map<string, Sourced<BondAddressSpec>>;
  routes: Map<string, Sourced<BondRouteSpec>>;
}

function collect(name: string, facts: Fact[], warnings: string[]): Collected {
  const fields = new Map<FieldKey, FieldEntry>();
  const slaves = new Map<string, Sourced<BondSlaveSpec>>();
  const addresses = new Map<string, Sourced<BondAddressSpec>>();
  const routes = new Map<string, Sourced<BondRouteSpec>>();
  const conflict = (what: string, before: Sourced<unknown>, after: Sourced<unknown>) =>
    warnings.push(`${name}: ${what} is ${show(before.value)} at ${describeWhere(before.where)} but ${show(after.value)} at ${describeWhere(after.where)}; using ${describeWhere(after.where)}`);

  for (const fact of facts) {
    switch (fact.kind) {
      case 'declare':
      case 'vlan':
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
  return { fields, slaves, addresses, routes };
}

function buildSpec(name: string, facts: Fact[], sink: FactSink, warnings: string[]): BondSpec {
  const collected = collect(name, facts, warnings);
  const { fields } = collected;
  for (const def of sink.moduleDefaults) {
    if (!fields.has(def.field)) fields.set(def.field, { value: def.value, where: def.where, weak: true });
  }
  if (!fields.has('mode')) fields.set('mode', { value: DEFAULT_MODE, where: { path: '(driver default)' }, weak: true });
  for (const key of ['vlanId', 'vlanProtocol'] as const) {
    const entry = fields.get(key);
    if (entry) warnings.push(`${describeWhere(entry.where)}: ${name} is a bond, not a VLAN: its VLAN ${key === 'vlanId' ? 'id' : 'protocol'} is not imported`);
  }
  return assemble(name, collected);
}

/**
 * A VLAN of `bond` from what the files say about it: the id a file gives, else the one its name
 * carries (bond0.100, vlan100); undefined (after a warning) when neither says.
 */
function buildVlan(bond: string, name: string, facts: Fact[], warnings: string[]): BondVlanSpec | undefined {
  const { fields, slaves, addresses, routes } = collect(name, facts, warnings);
  const id = (fields.get('vlanId')?.value as number | undefined) ?? vlanIdOfName(name);
  if (id === undefined) {
    warnings.push(`${placesOf(facts)}: no file gives the id of VLAN ${name} (and its name carries none); not imported`);
    return undefined;
  }
  const ignored: string[] = [...fields.keys()].filter((key) => !['vlanId', 'vlanProtocol', 'up', 'mtu'].includes(key));
  if (slaves.size > 0) ignored.push('slaves');
  if (ignored.length > 0) warnings.push(`${placesOf(facts)}: ${name} is a VLAN of ${bond}: its ${ignored.join(', ')} not imported`);
  const vlan: BondVlanSpec = { id };
  if (name !== `${bond}.${id}`) vlan.name = name;
  const protocol = fields.get('vlanProtocol')?.value as VlanProtocol | undefined;
  if (protocol !== undefined) vlan.protocol = protocol;
  const up = fields.get('up')?.value as boolean | undefined;
  if (up !== undefined) vlan.up = up;
  const mtu = fields.get('mtu')?.value as number | undefined;
  if (mtu !== undefined) vlan.mtu = mtu;
  return { ...vlan, ...addressing(addresses, routes) };
}

function addressing(addresses: Collected['addresses'], routes: Collected['routes']): Pick<BondSpec, 'addresses' | 'routes'> {
  return {
    ...(addresses.size > 0 ? { addresses: [...addresses.values()].map(({ value }) => (value.broadcast === undefined ? value.address : value)) } : {}),
    ...(routes.size > 0 ? { routes: [...routes.values()].map(({ value }) => value) } : {}),
  };
}

function assemble(name: string, { fields, slaves, addresses, routes }: Collected): BondSpec {
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
  Object.assign(spec, addressing(addresses, routes));
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
  if (spec.vlans) {
    try {
      normalizeVlans({ name: spec.name, up: spec.up ?? true, present: true, options: {}, ...(spec.mtu === undefined ? {} : { mtu: spec.mtu }) }, spec.vlans);
    } catch (error) {
      warnings.push(`${spec.name}: ${messageOf(error)}`);
    }
  }
}
