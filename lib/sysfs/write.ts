// The sysfs backend's changes: bonding_masters, bonding/<option>, bonding/slaves,
// bonding/active_slave, bonding/queue_id, and <dev>/flags for up and down. Writes follow the
// driver's rules: mode and fail_over_mac before any slave, arp_ip_target before arp_interval,
// miimon before the delays, primary after the slaves. Failures roll back what was written.
import { constants } from 'node:os';
import { BondError, ValidationError } from '../errors.js';
import { failedStepOf, runFileSteps, type FileStep } from '../netlink/batch.js';
import type { CreatePlan } from '../bond/create.js';
import type { ResolvedNetns } from '../call/netns.js';
import { OPTION_SPECS, type BondOptions, type OptionSpec, type SlaveOptions } from '../option-table.js';
import { displayValue, planOptionChanges, ruleHints, verifyApplied, type Change } from '../bond/option-plan.js';
import { activeSlaveHints, checkActiveSlave, findSlave } from '../bond/slave-checks.js';
import { runRollbackFiles } from './rollback.js';
import type { BondState } from '../bond/state.js';
import type { NormalizedOptions, NormalizedValue } from '../validate/options.js';
import { arpTargetWrites, sysfsText } from './format.js';
import { flagsStep, lookupLinksSysfs, type SysfsLink } from './links.js';
import { readBondSysfs } from './read.js';

/** The order sysfs writes go in: mode and fail_over_mac first, targets before the ARP interval. */
const SYSFS_ORDER: readonly string[] = (() => {
  const keys = OPTION_SPECS.map((spec) => spec.key as string).filter((k) => k !== 'mode' && k !== 'failOverMac' && k !== 'arpIpTarget');
  keys.splice(keys.indexOf('arpInterval'), 0, 'arpIpTarget');
  return ['mode', 'failOverMac', ...keys];
})();

const bySysfsOrder = (a: OptionSpec, b: OptionSpec) => SYSFS_ORDER.indexOf(a.key) - SYSFS_ORDER.indexOf(b.key);

const write = (path: string, value: string, action: string, extra: Partial<FileStep> = {}): FileStep => ({
  request: { op: 'write', base: 'sys', path, value },
  action,
  ...extra,
});

function refuseNetlinkOnly(bond: string, specs: Iterable<{ key: string; sysfs?: string }>): void {
  for (const spec of specs) {
    if (spec.sysfs !== undefined) continue;
    throw new ValidationError({
      option: spec.key,
      value: undefined,
      allowed: "backend 'netlink'",
      bond,
      message: `${spec.key} exists only over netlink (there is no sysfs file for it); use backend 'netlink' to set it on bond ${bond}`,
    });
  }
}

function optionSteps(bond: string, spec: OptionSpec, value: NormalizedValue | null, before: NormalizedValue | null | undefined, mode: string, action: string): FileStep[] {
  const extra = { bond, option: spec.key, hints: ruleHints(spec, bond, mode) };
  const path = `${bond}/bonding/${spec.sysfs}`;
  if (spec.key === 'arpIpTarget') {
    return arpTargetWrites((before as string[] | undefined) ?? [], (value as string[] | null) ?? []).map((line) => write(path, line, action, extra));
  }
  return [write(path, sysfsText(spec, value), action, extra)];
}

function checkFree(bond: string, links: Iterable<SysfsLink>): SysfsLink[] {
  const todo: SysfsLink[] = [];
  for (const link of links) {
    if (link.master === bond) continue;
    if (link.master !== null) {
      throw new BondError({
        errnum: constants.errno.EBUSY,
        syscall: 'validate',
        action: `enslave ${link.name} -> ${bond}`,
        bond,
        slave: link.name,
        hint: `${link.name} is already enslaved to ${link.master}; release it from ${link.master} first`,
      });
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

function ordered(options: NormalizedOptions): [OptionSpec, NormalizedValue][] {
  return [...options].sort(([a], [b]) => bySysfsOrder(a, b));
}

export async function createBondSysfs(plan: CreatePlan): Promise<BondState> {
  const { name, slaves, up, options } = plan;
  const netns = plan.call.netns;
  refuseNetlinkOnly(name, options.keys());
  const slaveLinks = checkFree(name, (await lookupLinksSysfs(netns, name, slaves)).values());
  const mode = displayValue(OPTION_SPECS[0] as OptionSpec, plan.mode);
  const entries = ordered(options);
  const steps: FileStep[] = [
    write('bonding_masters', `+${name}`, `create bond ${name} (${mode})`, { bond: name, hints: { EEXIST: `a link named ${name} already exists` } }),
    ...entries.filter(([spec]) => spec.key !== 'primary').flatMap(([spec, value]) => optionSteps(name, spec, value, undefined, mode, `set ${spec.key} ${displayValue(spec, value)} on ${name}`)),
    ...enslaveFileSteps(name, slaveLinks),
    ...entries.filter(([spec]) => spec.key === 'primary').flatMap(([spec, value]) => optionSteps(name, spec, value, undefined, mode, `set primary ${String(value)} on ${name}`)),
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
  if (!link || isBond === null) {
    throw new BondError({
      errnum: constants.errno.EINVAL,
      syscall: 'validate',
      action: `delete bond ${name}`,
      bond: name,
      hint: `${name} is not a bond; refusing to delete it`,
    });
  }
  await runFileSteps(netns, [write('bonding_masters', `-${name}`, `delete bond ${name}`, { bond: name })]);
}

export async function setBondOptionsSysfs(netns: ResolvedNetns, name: string, options: BondOptions, requestedMode: number | undefined): Promise<BondState> {
  const current = await readBondSysfs(netns, name);
  const { normalized, changes, modeName } = planOptionChanges(current, options, requestedMode);
  refuseNetlinkOnly(name, changes.map((c) => c.spec));
  if (changes.length === 0) return current;
  const sorted = [...changes].sort((a, b) => bySysfsOrder(a.spec, b.spec));
  // Which change each step belongs to, to know what to put back after a failure.
  const owner: Change[] = [];
  const steps = sorted.flatMap((change) => {
    const list = optionSteps(name, change.spec, change.value, change.before, modeName, `set ${change.spec.key} ${displayValue(change.spec, change.value)} on ${name}`);
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
      touched.reverse().flatMap((c) => optionSteps(name, c.spec, c.before ?? null, c.value, current.mode, `roll back ${c.spec.key} on ${name}`)),
    );
    throw error;
  }
}

export async function enslaveSysfs(netns: ResolvedNetns, bond: string, names: readonly string[]): Promise<BondState> {
  await readBondSysfs(netns, bond);
  const todo = checkFree(bond, (await lookupLinksSysfs(netns, bond, names)).values());
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
  const current = await readBondSysfs(netns, bond);
  const steps = names.map((name) => {
    const action = `release ${name} from ${bond}`;
    findSlave(current, name, action);
    return write(`${bond}/bonding/slaves`, `-${name}`, action, { bond, slave: name });
  });
  await runFileSteps(netns, steps);
  return readBondSysfs(netns, bond);
}

export async function setActiveSlaveSysfs(netns: ResolvedNetns, bond: string, slave: string | null): Promise<BondState> {
  const current = await readBondSysfs(netns, bond);
  checkActiveSlave(current, slave);
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
export function slaveOptionSteps(bond: string, slave: string, options: SlaveOptions): FileStep[] {
  refuseNetlinkOnly(
    bond,
    (['queueId', 'prio', 'actorPortPrio'] as const).filter((k) => options[k] !== undefined).map((k) => ({ key: k, sysfs: k === 'queueId' ? 'queue_id' : undefined })),
  );
  if (options.queueId === undefined) return [];
  return [write(`${bond}/bonding/queue_id`, `${slave}:${options.queueId}`, `set queueId ${options.queueId} on ${slave} in ${bond}`, { bond, slave, option: 'queueId' })];
}
