// From a spec and the bond as it is to ordered steps, each with its reason and a way to run it
// (a rollback is a plan too: to the saved state, lib/transaction/restore.ts). VLANs not wanted go
// first, the wanted ones come after the bond (plan-vlans.ts). The order is the driver's:
// fail_over_mac before any slave, arp_ip_target
// before arp_interval, miimon before the delays, mode and the other down-only options with the
// bond down, mode with no slaves (release, change, re-enslave), queue ids, primary and the
// active slave after enslaving. Taking the bond down flushes its routes and IPv6 addresses, so
// the plan puts them back after it is up again.
import { setActiveSlave } from '../bond/active-slave.js';
import { createBond } from '../bond/create.js';
import { deleteBond } from '../bond/delete.js';
import { enslave, release } from '../bond/enslave.js';
import { displayValue, reportedValue, sameValue } from '../bond/option-plan.js';
import { setBondOptions } from '../bond/set-options.js';
import { setSlaveOptions } from '../bond/slave-options.js';
import type { BondState } from '../bond/state.js';
import type { NetnsOption } from '../call/netns.js';
import { setLinkDown, setLinkUp, setMac, setMtu } from '../link/link.js';
import { BOND_MODES, OPTION_BY_KEY, SLAVE_OPTION_DEFS, byWriteOrder, type BondOptionDef, type BondOptions } from '../option-table.js';
import { normalizeBondOptions } from '../validate/options.js';
import type { NormalizedValue } from '../validate/values.js';
import { addressingSteps } from './addressing.js';
import type { NormalizedSpec } from './normalize.js';
import { vlanRemovalSteps, vlanSteps } from './plan-vlans.js';
import { StepList, type ExecStep } from './step.js';
import type { LiveBond } from './types.js';

/** The MTU a new link gets. */
const DEFAULT_MTU = 1500;

/** Builds the ordered steps that take `live` to `spec`. */
export function buildPlan(spec: NormalizedSpec, live: LiveBond, netns: NetnsOption | undefined): ExecStep[] {
  const name = spec.name;
  const call = { netns };
  const list = new StepList();
  const step = list.add.bind(list);

  if (!spec.present) {
    if (live.exists) step('delete-bond', `delete bond ${name}`, 'state is absent', () => deleteBond(name, call));
    return list.steps;
  }
  vlanRemovalSteps(list, spec, live, netns);

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

  addressingSteps(list, name, spec, live, wentDown, netns);
  const upChanged = spec.up !== (current?.up === true) || wentDown;
  vlanSteps(list, spec, live, { takenDown: wentDown || (upChanged && !spec.up), upChanged, mtu: spec.mtu ?? current?.mtu ?? DEFAULT_MTU }, netns);
  return list.steps;
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
