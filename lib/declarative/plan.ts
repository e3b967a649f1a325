// From a spec and the bond as it is to ordered steps, each with its reason and a way to run it
// (a rollback is a plan too: to the saved state, lib/declarative/transaction/restore.ts). VLANs not wanted go
// first, the wanted ones come after the bond (plan-vlans.ts). The order is the driver's:
// fail_over_mac before any slave, arp_ip_target before arp_interval, miimon before the delays,
// mode and the other down-only options with the bond down, mode with no slaves (release, change,
// the bond's MAC set again, re-enslave), per-slave options in an order the kernel takes
// (slave-option-order.ts), primary and the active slave after enslaving. Taking the bond down
// flushes its routes and IPv6 addresses, so the plan puts them back after it is up again.
import { setActiveSlave } from '../verbs/active-slave.js';
import { createBond } from '../verbs/create.js';
import { deleteBond } from '../verbs/delete.js';
import { enslave, release } from '../verbs/enslave.js';
import { displayValue, reportedValue, sameValue } from '../bond/option-plan.js';
import { setBondOptions } from '../verbs/set-options.js';
import { setSlaveOptions } from '../verbs/slave-options.js';
import type { BondState } from '../bond/state.js';
import type { NetnsOption } from '../call/netns.js';
import { setLinkDown, setLinkUp, setMac, setMtu } from '../link/link.js';
import { BOND_MODES, OPTION_BY_KEY, SLAVE_OPTION_DEFS, byWriteOrder, type BondOptionDef, type BondOptions, type SlaveOptionDef } from '../option-table.js';
import { normalizeBondOptions, type NormalizedOptions } from '../validate/options.js';
import type { NormalizedValue } from '../validate/values.js';
import { addressingSteps } from './addressing.js';
import type { NormalizedSpec } from './normalize.js';
import { vlanRemovalSteps, vlanSteps } from './plan-vlans.js';
import { orderSlaveOptionWrites, type SlaveOptionChange } from './slave-option-order.js';
import { StepList, type ExecStep } from './step.js';
import type { LiveBond } from './types.js';

/** The MTU a new link gets. */
const DEFAULT_MTU = 1500;

export interface PlanOptions {
  /**
   * The spec is a saved state (lib/declarative/transaction/restore.ts): it may hold options that only the
   * bond's current mode takes (lacp_rate of a bond that was active-backup before it became
   * 802.3ad), set while the bond is still in that mode, before the mode goes back.
   */
  restore?: boolean;
}

/** Builds the ordered steps that take `live` to `spec`. */
export function buildPlan(spec: NormalizedSpec, live: LiveBond, netns: NetnsOption | undefined, { restore = false }: PlanOptions = {}): ExecStep[] {
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
  const currentMode = current ? BOND_MODES.indexOf(current.mode) : undefined;
  const context = { bond: name, currentMode, currentMiimon: current?.miimon ?? 0 };
  const { forTarget, forCurrentMode } = restore ? splitByMode(spec.options, currentMode, name) : { forTarget: spec.options, forCurrentMode: {} };
  const { mode: targetMode, options: normalized } = normalizeBondOptions(forTarget, context);
  const earlier = normalizeBondOptions(forCurrentMode, context).options;
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
    const differ = (options: NormalizedOptions) => [...options].filter(([s, v]) => !sameValue(reportedValue(s, current), v)).sort(([a], [b]) => byWriteOrder(a, b));
    // Options only the current mode takes go first, before the mode changes.
    const changes = [...differ(earlier), ...differ(normalized)];
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
  const stillEnslaved = currentSlaves.filter((s) => !releasedForRule.includes(s) && (wantedSlaves === undefined || wantedSlaves.includes(s)));
  const mac = keptMac(spec, current, currentSlaves, stillEnslaved);
  if (mac) step('set-mac', `set mac ${mac.value} on ${name}`, mac.reason, () => setMac(name, mac.value, call));
  const toEnslave = (spec.slaves ?? releasedForRule.map((n) => ({ name: n }))).filter((s) => !stillEnslaved.includes(s.name));
  for (const slave of toEnslave) {
    const reason = releasedForRule.includes(slave.name) ? `${slave.name} was released for the option change` : `${slave.name} is in the spec's slaves`;
    step('enslave', `enslave ${slave.name} -> ${name}`, reason, () => enslave(name, slave.name, call));
  }
  // Each slave of the bond once enslaved: a slave enslaved by this plan has the defaults.
  const fresh = (slave: string) => !stillEnslaved.includes(slave);
  const slaveValue = (slave: string, def: SlaveOptionDef): number => (fresh(slave) ? undefined : current?.slaves.find((s) => s.name === slave)?.[def.key]) ?? (def.default as number);
  const inBond = [...stillEnslaved, ...toEnslave.map((s) => s.name)];
  const slaveChanges: SlaveOptionChange[] = (spec.slaves ?? []).flatMap((slave) =>
    SLAVE_OPTION_DEFS.flatMap((def) => {
      const wanted = slave[def.key];
      const before = slaveValue(slave.name, def);
      return wanted === undefined || wanted === before ? [] : [{ slave: slave.name, def, before, wanted }];
    }),
  );
  const valuesOf = (def: SlaveOptionDef) => new Map(inBond.map((slave) => [slave, slaveValue(slave, def)]));
  for (const { slave, def, value, reason } of orderSlaveOptionWrites(name, slaveChanges, valuesOf)) {
    step('set-slave-option', `set ${def.key} ${value} on ${slave}`, reason, () => setSlaveOptions(name, slave, { [def.key]: value }, call));
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

/**
 * A saved state's options split by the mode they need: those the saved mode takes, and those only
 * the bond's current mode takes (set before the mode goes back). An option neither mode takes
 * cannot have changed since the state was saved: the bond has been in no other mode.
 */
function splitByMode(options: BondOptions, currentMode: number | undefined, bond: string): { forTarget: BondOptions; forCurrentMode: BondOptions } {
  const { mode: targetMode } = normalizeBondOptions({ mode: options.mode }, { bond, currentMode, modeChecks: false });
  const forTarget: Record<string, unknown> = {};
  const forCurrentMode: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    const modes = OPTION_BY_KEY.get(key)?.modes;
    if (!modes || modes.includes(targetMode)) forTarget[key] = value;
    else if (currentMode !== undefined && modes.includes(currentMode)) forCurrentMode[key] = value;
  }
  return { forTarget: forTarget as BondOptions, forCurrentMode: forCurrentMode as BondOptions };
}

/**
 * The MAC the bond must have before its slaves are enslaved: the spec's, and also the one it has
 * when the plan releases every slave (a mode change). The kernel gives a bond whose last slave
 * leaves a random MAC, and the first slave enslaved then lends it its own, so without this step a
 * mode change would change the bond's MAC. Not kept when it is the permanent MAC of a slave that
 * leaves the bond: that NIC gets its MAC back, and two links would share it.
 */
function keptMac(spec: NormalizedSpec, current: BondState | undefined, currentSlaves: readonly string[], stillEnslaved: readonly string[]): { value: string; reason: string } | undefined {
  const releasedAll = current !== undefined && currentSlaves.length > 0 && stillEnslaved.length === 0;
  if (spec.mac !== undefined) {
    if (spec.mac !== current?.mac) return { value: spec.mac, reason: `mac is ${current?.mac ?? 'unset'}, wanted ${spec.mac}` };
    if (releasedAll) return { value: spec.mac, reason: `releasing every slave gives ${spec.name} a random MAC; it keeps ${spec.mac}` };
    return undefined;
  }
  if (!releasedAll) return undefined;
  const leaving = current.slaves.filter((s) => spec.slaves !== undefined && !spec.slaves.some((w) => w.name === s.name));
  if (leaving.some((s) => s.permHwaddr === current.mac)) return undefined;
  return { value: current.mac, reason: `releasing every slave gives ${spec.name} a random MAC; it keeps ${current.mac}` };
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
