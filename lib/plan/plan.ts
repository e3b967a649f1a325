// From a spec and the bond as it is to ordered steps, each with its reason and a way to run it (a
// rollback is a plan too: to the saved state, lib/declarative/transaction/restore.ts). VLANs not
// wanted go first, the wanted ones come after the bond (plan-vlans.ts). The order is the driver's:
// fail_over_mac before any slave, arp_ip_target before arp_interval, miimon before the delays,
// mode and the other down-only options with the bond down, mode with no slaves (release, change,
// the bond's MAC set again, re-enslave), per-slave options in an order the kernel takes
// (slave-option-order.ts), primary and the active slave after enslaving. Taking the bond down
// flushes its routes and IPv6 addresses, so the plan puts them back after it is up again.
import { backendOf } from '../backends/backend-of.js';
import { displayValue, reportedValue, sameValue, valueAfterModeChange } from '../bond/option-plan.js';
import { checkActiveSlave, checkQueueId, findSlave } from '../bond/slave-checks.js';
import type { BondState } from '../bond/state.js';
import type { NetnsOption, ResolvedNetns } from '../call/netns.js';
import { resolveCall } from '../call/options.js';
import { setLinkDown, setLinkUp, setMac, setMtu } from '../link/link.js';
import { BOND_MODES, OPTION_BY_KEY, SLAVE_OPTION_DEFS, byWriteOrder, type BondOptionDef, type SlaveOptionDef } from '../option-table.js';
import { MTU_DEFAULT } from '../validate/net.js';
import { checkOptionRules, type NormalizedOptions } from '../validate/options.js';
import type { NormalizedValue } from '../validate/values.js';
import { addressingSteps } from './addressing.js';
import type { NormalizedSpec } from './normalize.js';
import { vlanRemovalSteps, vlanSteps } from './plan-vlans.js';
import { orderSlaveOptionWrites, type SlaveOptionChange } from './slave-option-order.js';
import { StepList, type ExecStep } from './step.js';
import type { LiveBond } from './types.js';
import type { ModuleLoadWatch } from '../bond/module-load.js';

export interface PlanOptions {
  /**
   * The spec is a saved state (lib/declarative/transaction/restore.ts): it may hold options that
   * only the bond's current mode takes (lacp_rate of a bond that was active-backup before it
   * became 802.3ad), set while the bond is still in that mode, before the mode goes back.
   */
  restore?: boolean;
  /** The call's watch on the bonding module: a create finding the module's own bond of its name adopts it. */
  moduleLoad?: ModuleLoadWatch;
}

/**
 * applyBond works over rtnetlink (addresses, routes and VLANs have no sysfs). Its bond steps run
 * the backend with the values the spec was normalized to once, never the public verbs: nothing is
 * validated, read or normalized again between steps.
 */
const backend = backendOf('netlink');

/**
 * The bond as the last bond step left it (each backend call returns the state it read back), so
 * the next step starts from it instead of reading again.
 */
class BondAtStep {
  constructor(
    private state: BondState | undefined,
    readonly netns: ResolvedNetns,
  ) {}

  now(): BondState {
    if (!this.state) throw new Error('a plan step ran before the bond it acts on was created');
    return this.state;
  }

  async run(step: Promise<BondState>): Promise<void> {
    this.state = await step;
  }
}

/** Builds the ordered steps that take `live` to `spec`. */
export function buildPlan(spec: NormalizedSpec, live: LiveBond, netns: NetnsOption | undefined, { restore = false, moduleLoad }: PlanOptions = {}): ExecStep[] {
  const name = spec.name;
  const call = { netns };
  const list = new StepList();
  const step = list.add.bind(list);
  const resolved = resolveCall(call, name);

  if (!spec.present) {
    if (live.exists) step('delete-bond', `delete bond ${name}`, 'state is absent', () => backend.deleteBond(resolved.netns, name));
    return list.steps;
  }
  vlanRemovalSteps(list, spec, live, netns);

  const current = live.state;
  const bond = new BondAtStep(current, resolved.netns);
  const currentMode = current ? BOND_MODES.indexOf(current.mode) : undefined;
  const currentMiimon = current?.miimon ?? 0;
  const { forTarget, forCurrentMode } = restore ? splitByMode(spec.normalizedOptions, currentMode) : { forTarget: spec.normalizedOptions, forCurrentMode: new Map() as NormalizedOptions };
  const modeDef = OPTION_BY_KEY.get('mode') as BondOptionDef;
  const targetMode = (forTarget.get(modeDef) as number | undefined) ?? currentMode ?? 0;
  checkOptionRules(forTarget, { bond: name, mode: targetMode, currentMiimon });
  checkOptionRules(forCurrentMode, { bond: name, mode: currentMode ?? 0, currentMiimon });
  const normalized: NormalizedOptions = new Map(forTarget);
  const earlier = forCurrentMode;
  const primaryDef = OPTION_BY_KEY.get('primary') as BondOptionDef;
  const primary = normalized.get(primaryDef) as string | null | undefined;
  normalized.delete(primaryDef);
  const modeName = BOND_MODES[targetMode] ?? String(targetMode);
  /** One option set on the bond as the last step left it; verified by the backend's read-back. */
  const setOption = (def: BondOptionDef, value: NormalizedValue | null) => {
    const state = bond.now();
    const change = { def, value: value as NormalizedValue, before: reportedValue(def, state) };
    return bond.run(backend.setBondOptions(resolved.netns, state, { normalized: new Map([[def, value as NormalizedValue]]), changes: [change], modeName }));
  };

  let wentDown = false;
  const releasedForRule: string[] = [];
  const currentSlaves = current ? live.slaveOrder.filter((s) => current.slaves.some((x) => x.name === s)) : [];
  const wantedSlaves = spec.slaves?.map((s) => s.name);

  if (!current) {
    const create = { name, call: resolved, slaves: [], up: false, mode: targetMode, options: normalized, ...(moduleLoad ? { moduleLoad } : {}) };
    step('create-bond', `create bond ${name} (${modeName})`, `${name} does not exist`, () => bond.run(backend.createBond(create)));
  } else {
    // After a mode change some options read as the kernel set them (modeChangeSets), not as before.
    const modeChanges = normalized.has(modeDef) && normalized.get(modeDef) !== currentMode;
    const beforeWrite = (def: BondOptionDef) => (modeChanges ? valueAfterModeChange(def, reportedValue(def, current), targetMode) : reportedValue(def, current));
    const differ = (options: NormalizedOptions, after = beforeWrite) => [...options].filter(([s, v]) => !sameValue(after(s), v)).sort(([a], [b]) => byWriteOrder(a, b));
    // Options only the current mode takes go first, before the mode changes.
    const changes = [...differ(earlier, (def) => reportedValue(def, current)), ...differ(normalized)];
    const needsNoSlaves = changes.filter(([s]) => s.needsNoSlaves);
    const needsDown = changes.filter(([s]) => s.needsDown);
    // Slaves not wanted go; all go while an option that needs no slaves changes (they come back).
    for (const slave of [...currentSlaves].reverse()) {
      const unwanted = wantedSlaves !== undefined && !wantedSlaves.includes(slave);
      if (!unwanted && needsNoSlaves.length === 0) continue;
      const reason = unwanted ? `${slave} is not in the spec's slaves` : `${needsNoSlaves.map(([s]) => s.key).join(', ')} can only change without slaves; ${slave} is enslaved again afterwards`;
      if (!unwanted) releasedForRule.unshift(slave);
      step('release', `release ${slave} from ${name}`, reason, () => bond.run(backend.release(resolved.netns, name, [slave])));
    }
    if (needsDown.length > 0 && current.up) {
      wentDown = true;
      step('set-down', `set ${name} down`, `${needsDown.map(([s]) => s.key).join(', ')} can only change while ${name} is down`, () => setLinkDown(name, call));
    }
    for (const [def, value] of changes) {
      const before = reportedValue(def, current);
      const afterMode = earlier.has(def) ? before : beforeWrite(def);
      const show = (v: NormalizedValue | null | undefined) => (v === undefined || v === null ? String(v) : displayValue(def, v));
      const was = sameValue(afterMode, before) ? show(before) : `${show(before)} and the change of mode sets it to ${show(afterMode)}`;
      step('set-option', `set ${def.key} ${show(value)} on ${name}`, `${def.key} is ${was}, wanted ${show(value)}`, () => setOption(def, value));
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
    step('enslave', `enslave ${slave.name} -> ${name}`, reason, () => bond.run(backend.enslave(resolved.netns, name, [slave.name])));
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
    step('set-slave-option', `set ${def.key} ${value} on ${slave}`, reason, () => {
      const state = bond.now();
      if (def.key === 'queueId' && value > 0) checkQueueId(state, slave, value);
      return bond.run(backend.setSlaveOptions(resolved.netns, state, findSlave(state, slave, `set ${def.key} of ${slave} in ${name}`), [{ def, value }]));
    });
  }
  if (primary !== undefined && primary !== (current?.primary ?? null)) {
    const old = current?.primary ?? null;
    step('set-option', `set primary ${primary ?? 'none'} on ${name}`, `primary is ${old ?? 'none'}, wanted ${primary ?? 'none'}`, () => setOption(primaryDef, primary));
  }
  const isUp = current?.up === true && !wentDown;
  if (spec.up && !isUp) {
    step('set-up', `set ${name} up`, wentDown ? `${name} was taken down for the option change` : `${name} is down, wanted up`, () => setLinkUp(name, call));
  } else if (!spec.up && isUp) {
    step('set-down', `set ${name} down`, `${name} is up, wanted down`, () => setLinkDown(name, call));
  }
  if (spec.activeSlave !== undefined && (spec.activeSlave !== current?.activeSlave || wentDown || releasedForRule.length > 0)) {
    const wanted = spec.activeSlave;
    step('set-active-slave', `set active slave ${wanted} on ${name}`, `active slave is ${current?.activeSlave ?? 'none'}, wanted ${wanted}`, () => setActiveSlaveWhenUp(bond, wanted));
  }

  addressingSteps(list, name, spec, live, wentDown, netns);
  const upChanged = spec.up !== (current?.up === true) || wentDown;
  vlanSteps(list, spec, live, { takenDown: wentDown || (upChanged && !spec.up), upChanged, mtu: mtuAfter(spec, current) }, netns);
  return list.steps;
}

/** The bond's MTU once the plan has run: the spec's, else the one it has (a new bond's default). */
export function mtuAfter(spec: NormalizedSpec, current: BondState | undefined): number {
  return spec.mtu ?? current?.mtu ?? MTU_DEFAULT;
}

/**
 * A saved state's options split by the mode they need: those the saved mode takes, and those only
 * the bond's current mode takes (set before the mode goes back). An option neither mode takes
 * cannot have changed since the state was saved: the bond has been in no other mode.
 */
function splitByMode(options: NormalizedOptions, currentMode: number | undefined): { forTarget: NormalizedOptions; forCurrentMode: NormalizedOptions } {
  const targetMode = (options.get(OPTION_BY_KEY.get('mode') as BondOptionDef) as number | undefined) ?? currentMode ?? 0;
  const forTarget: NormalizedOptions = new Map();
  const forCurrentMode: NormalizedOptions = new Map();
  for (const [def, value] of options) {
    if (!def.modes || def.modes.includes(targetMode)) forTarget.set(def, value);
    else if (currentMode !== undefined && def.modes.includes(currentMode)) forCurrentMode.set(def, value);
  }
  return { forTarget, forCurrentMode };
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

/**
 * The active slave needs link, which the MII monitor reports a moment after up: the bond is read
 * again until the kernel takes it (5 s at most).
 */
async function setActiveSlaveWhenUp(bond: BondAtStep, slave: string): Promise<void> {
  const end = Date.now() + 5000;
  for (;;) {
    try {
      const state = await backend.readBond(bond.netns, bond.now().name, false);
      await bond.run(backend.setActiveSlave(bond.netns, state, checkActiveSlave(state, slave)));
      return;
    } catch (error) {
      if (Date.now() > end) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
