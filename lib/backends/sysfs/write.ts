// The sysfs backend's changes: bonding_masters, bonding/<option>, bonding/slaves,
// bonding/active_slave, bonding/queue_id, and <dev>/flags for up and down. Writes follow the
// driver's rules: mode and fail_over_mac before any slave, arp_ip_target before arp_interval,
// miimon before the delays, primary after the slaves. Failures roll back what was written.
import { notABondError, ValidationError } from '../../errors.js';
import { failedStepOf } from '../../call/run.js';
import type { ResolvedNetns } from '../../call/netns.js';
import { byWriteOrder, OPTION_BY_KEY, type BondOptionDef, type OptionDef } from '../../option-table.js';
import type { CreatePlan, SlaveChange } from '../../bond/backend.js';
import { displayValue, ruleHints, verifyApplied, type Change, type OptionChanges } from '../../bond/option-plan.js';
import { activeSlaveHints, slaveOfAnotherBondError, slavesToRelease } from '../../bond/slave-checks.js';
import type { BondState, SlaveState } from '../../bond/state.js';
import { checkSlavesTakeMtu } from '../../validate/net.js';
import type { NormalizedOptions } from '../../validate/options.js';
import type { NormalizedValue } from '../../validate/values.js';
import { runFileSteps, runRollbackFiles, type FileStep } from '../../sysfs/files.js';
import { arpTargetWrites, sysfsText } from './format.js';
import { flagsStep, lookupLinksSysfs, type SysfsLink } from './links.js';
import { readBondSysfs } from './read.js';
import { LOAD_BONDING } from '../../bond/module-load.js';

const write = (path: string, value: string, action: string, extra: Partial<FileStep> = {}): FileStep => ({
  request: { op: 'write', base: 'sys', path, value },
  action,
  ...extra,
});

/** Refuses options that have no sysfs file (the netlink-only ones). */
export function refuseNetlinkOnly(bond: string, defs: Iterable<OptionDef>): void {
  for (const def of defs) {
    if (def.sysfs !== undefined) continue;
    throw new ValidationError({
      option: def.key,
      value: undefined,
      allowed: "backend 'netlink'",
      bond,
      message: `${def.key} exists only over netlink (there is no sysfs file for it); use backend 'netlink' to set it on bond ${bond}`,
    });
  }
}

function optionSteps(bond: string, def: BondOptionDef, value: NormalizedValue | null, before: NormalizedValue | null | undefined, mode: string, action: string): FileStep[] {
  const extra = { bond, option: def.key, hints: ruleHints(def, bond, mode) };
  const path = `${bond}/bonding/${def.sysfs}`;
  if (def.key === 'arpIpTarget') {
    return arpTargetWrites((before as string[] | undefined) ?? [], (value as string[] | null) ?? []).map((line) => write(path, line, action, extra));
  }
  return [write(path, sysfsText(def, value), action, extra)];
}

function checkFree(bond: string, links: Iterable<SysfsLink>): SysfsLink[] {
  const todo: SysfsLink[] = [];
  for (const link of links) {
    if (link.master === bond) continue;
    if (link.master !== null) {
      throw slaveOfAnotherBondError(bond, link.name, link.master);
    }
    todo.push(link);
  }
  return todo;
}

function enslaveFileSteps(bond: string, slaves: readonly SysfsLink[]): FileStep[] {
  return slaves.flatMap((slave) => [
    ...(slave.up ? [flagsStep(slave, false, `set ${slave.name} down to enslave it`, bond)] : []),
    write(`${bond}/bonding/slaves`, `+${slave.name}`, `enslave ${slave.name} -> ${bond}`, { bond, slave: slave.name }),
  ]);
}

async function setUp(netns: ResolvedNetns, name: string, up: boolean): Promise<void> {
  const [link] = (await lookupLinksSysfs(netns, name, [name])).values();
  if (link && link.up !== up) await runFileSteps(netns, [flagsStep(link, up, `set ${name} ${up ? 'up' : 'down'}`, name)]);
}

function ordered(options: NormalizedOptions): [BondOptionDef, NormalizedValue][] {
  return [...options].sort(([a], [b]) => byWriteOrder(a, b));
}

/**
 * What ENOENT on /sys/class/net/bonding_masters means. The sysfs backend does not load the module
 * itself: it writes files as ifenslave scripts do, and a module loaded with its default max_bonds=1
 * would make a bond0 nobody asked for; over rtnetlink the kernel loads it for the create.
 */
const DRIVER_NOT_LOADED = `the bonding driver is not loaded (there is no /sys/class/net/bonding_masters): load it with ${LOAD_BONDING}, or create the bond over netlink (the default backend), for which the kernel loads it`;

export async function createBondSysfs(plan: CreatePlan): Promise<BondState> {
  const { name, slaves, up, options } = plan;
  const netns = plan.call.netns;
  const slaveLinks = checkFree(name, (await lookupLinksSysfs(netns, name, slaves)).values());
  const mode = displayValue(OPTION_BY_KEY.get('mode') as BondOptionDef, plan.mode);
  const entries = ordered(options);
  const steps: FileStep[] = [
    write('bonding_masters', `+${name}`, `create bond ${name} (${mode})`, { bond: name, hints: { EEXIST: `a link named ${name} already exists`, ENOENT: DRIVER_NOT_LOADED } }),
    ...entries.filter(([def]) => def.key !== 'primary').flatMap(([def, value]) => optionSteps(name, def, value, undefined, mode, `set ${def.key} ${displayValue(def, value)} on ${name}`)),
    ...enslaveFileSteps(name, slaveLinks),
    ...entries.filter(([def]) => def.key === 'primary').flatMap(([def, value]) => optionSteps(name, def, value, undefined, mode, `set primary ${String(value)} on ${name}`)),
  ];
  try {
    await runFileSteps(netns, steps);
    if (up) await setUp(netns, name, true);
    const state = await readBondSysfs(netns, name);
    verifyApplied(name, options, state);
    return state;
  } catch (error) {
    // Failed at step 0: nothing was created (and an existing bond of that name is not ours).
    if (failedStepOf(error) !== 0) {
      await runRollbackFiles(netns, [
        write('bonding_masters', `-${name}`, `roll back: delete ${name}`, { bond: name }),
        ...slaveLinks.filter((s) => s.up).map((s) => flagsStep(s, true, `roll back: set ${s.name} up`, name)),
      ]);
    }
    throw error;
  }
}

export async function deleteBondSysfs(netns: ResolvedNetns, name: string): Promise<void> {
  const [link] = (await lookupLinksSysfs(netns, name, [name])).values();
  const [isBond] = await runFileSteps(netns, [{ request: { op: 'list', base: 'sys', path: `${name}/bonding`, optional: true }, action: `look up bond ${name}`, bond: name }]);
  if (!link || isBond === null) throw notABondError({ bond: name, action: `delete bond ${name}`, syscall: 'validate', refusing: 'delete it' });
  await runFileSteps(netns, [write('bonding_masters', `-${name}`, `delete bond ${name}`, { bond: name, hints: { ENOENT: DRIVER_NOT_LOADED } })]);
}

export async function setBondOptionsSysfs(netns: ResolvedNetns, current: BondState, plan: OptionChanges): Promise<BondState> {
  const { normalized, changes, modeName } = plan;
  const name = current.name;
  const sorted = [...changes].sort((a, b) => byWriteOrder(a.def, b.def));
  // Which change each step belongs to, to know what to put back after a failure.
  const owner: Change[] = [];
  const steps = sorted.flatMap((change) => {
    const list = optionSteps(name, change.def, change.value, change.before, modeName, `set ${change.def.key} ${displayValue(change.def, change.value)} on ${name}`);
    owner.push(...list.map(() => change));
    return list;
  });
  try {
    await runFileSteps(netns, steps);
    const state = await readBondSysfs(netns, name);
    verifyApplied(name, normalized, state);
    return state;
  } catch (error) {
    const failed = failedStepOf(error) ?? steps.length;
    const touched = [...new Set(owner.slice(0, failed + 1))].filter((c) => c.before !== undefined);
    await runRollbackFiles(
      netns,
      touched.reverse().flatMap((c) => optionSteps(name, c.def, c.before ?? null, c.value, current.mode, `roll back ${c.def.key} on ${name}`)),
    );
    throw error;
  }
}

export async function enslaveSysfs(netns: ResolvedNetns, bond: string, names: readonly string[]): Promise<BondState> {
  const { mtu } = await readBondSysfs(netns, bond);
  const todo = checkFree(bond, (await lookupLinksSysfs(netns, bond, names)).values());
  checkSlavesTakeMtu(bond, mtu, todo.map(({ name, minMtu, maxMtu }) => ({ ifname: name, minMtu, maxMtu })));
  try {
    await runFileSteps(netns, enslaveFileSteps(bond, todo));
  } catch (error) {
    const now = await lookupLinksSysfs(netns, bond, todo.map((s) => s.name)).catch(() => new Map<string, SysfsLink>());
    await runRollbackFiles(netns, [
      ...todo.filter((s) => now.get(s.name)?.master === bond).map((s) => write(`${bond}/bonding/slaves`, `-${s.name}`, `roll back: release ${s.name}`, { bond })),
      ...todo.filter((s) => s.up).map((s) => flagsStep(s, true, `roll back: set ${s.name} up`, bond)),
    ]);
    throw error;
  }
  return readBondSysfs(netns, bond);
}

export async function releaseSysfs(netns: ResolvedNetns, bond: string, names: readonly string[]): Promise<BondState> {
  const slaves = slavesToRelease(await readBondSysfs(netns, bond), names);
  await runFileSteps(
    netns,
    slaves.map(({ name }) => write(`${bond}/bonding/slaves`, `-${name}`, `release ${name} from ${bond}`, { bond, slave: name })),
  );
  return readBondSysfs(netns, bond);
}

export async function setActiveSlaveSysfs(netns: ResolvedNetns, current: BondState, target: SlaveState | null): Promise<BondState> {
  const bond = current.name;
  const slave = target?.name ?? null;
  await runFileSteps(netns, [
    write(`${bond}/bonding/active_slave`, slave ?? '\n', `set active slave of ${bond} to ${slave ?? 'none'}`, {
      bond,
      slave: slave ?? undefined,
      option: 'activeSlave',
      hints: activeSlaveHints(bond, slave),
    }),
  ]);
  return readBondSysfs(netns, bond);
}

/** Slave options over sysfs: only queue_id has a file (written on the bond as "slave:id"). */
export async function setSlaveOptionsSysfs(netns: ResolvedNetns, current: BondState, slave: SlaveState, changes: readonly SlaveChange[]): Promise<BondState> {
  const bond = current.name;
  await runFileSteps(
    netns,
    changes.map(({ def, value }) => write(`${bond}/bonding/${def.sysfs}`, `${slave.name}:${value}`, `set ${def.key} ${value} on ${slave.name} in ${bond}`, { bond, slave: slave.name, option: def.key })),
  );
  return readBondSysfs(netns, bond);
}
