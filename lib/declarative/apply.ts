// planBond, applyBond and applyBonds: compute the steps from live state, run them in order as one
// transaction (locked, written down before the first change, rolled back from what was written
// down on any failure), re-read and verify every field, report runtime health; with
// confirmTimeout, keep the state before as a checkpoint that a guard process restores unless
// confirmed in time.
import { BondError, ValidationError } from '../errors.js';
import { checkKeys } from '../validate/keys.js';
import { MAX_TIMER_MS, validateInteger, validateOptionalBoolean } from '../validate/values.js';
import { resolveCall } from '../call/options.js';
import type { NetnsOption } from '../call/netns.js';
import { runSteps } from '../netlink/batch.js';
import { readLive } from '../plan/live.js';
import { applyOrder, releaseFirstSteps, type ContestedSlave } from '../plan/order.js';
import { normalizeSpec, specNeeds, type NormalizedSpec } from '../plan/normalize.js';
import { buildPlan } from '../plan/plan.js';
import { refuseImpossible } from '../plan/preflight.js';
import type { ExecStep } from '../plan/step.js';
import { health, verify } from '../plan/verify.js';
import { checkDriverHas } from '../features/check.js';
import { plannedProbes, probeAfter, probeBefore } from '../probe/check.js';
import type { Probe, ProbeReport } from '../probe/types.js';
import { validateProbes } from '../probe/validate.js';
import { refuseOpen } from './transaction/checkpoints.js';
import { startGuard } from './transaction/guard.js';
import { lockBonds, type LockWait } from './transaction/lock.js';
import { processIdentity } from './transaction/owner.js';
import { restoreSaved } from './transaction/restore.js';
import { savedState } from './transaction/saved.js';
import { namespaceDir, newId, removeRecord, writeRecord, type TransactionRecord } from './transaction/store.js';
import { ApplyError } from './apply-error.js';
import type { ApplyBondsResult, ApplyResult, CheckpointInfo } from './results.js';
import { ModuleLoadWatch } from '../bond/module-load.js';
import type { BondSpec, Health, LiveBond, Plan, PlanStep } from '../plan/types.js';

export { ApplyError } from './apply-error.js';

export interface PlanOptions {
  netns?: NetnsOption;
}

export interface ApplyOptions extends PlanOptions {
  /** Compute and return the plan; change nothing. */
  dryRun?: boolean;
  /** Called before each step runs; a rejection fails the apply at that step (and rolls back). */
  onStep?: (index: number, step: PlanStep) => void | Promise<void>;
  /** ms to wait for the bond to become healthy before reporting. Default 3000 (6000 in 802.3ad). */
  healthTimeout?: number;
  /**
   * Aborting it lets the running step finish, then rolls back everything applied so far (also
   * when the last step has run but the result is not verified yet) and rejects with ApplyError.
   */
  signal?: AbortSignal;
  /**
   * Seconds: keep the state before as a checkpoint, restored by a guard process at the deadline
   * unless confirmCheckpoint(id) arrives first (also when this process dies). 1 to 86400.
   */
  confirmTimeout?: number;
  /** ms to wait for another process's change of the same bonds to finish. Default 30000. */
  lockTimeout?: number;
  /** Called once per bond whose lock another process holds, before waiting for it. */
  onLockWait?: (wait: LockWait) => void;
  /**
   * Connectivity checks run before the change and again after it is verified: one that answered
   * before and fails after rolls everything back at once (ProbeError as the cause). One that fails
   * before is dropped (result.probes says so) rather than blamed on the change.
   */
  probes?: Probe[];
  /**
   * With confirmTimeout, add the gateway probe when the default route goes through one of the
   * bonds. Default true.
   */
  defaultProbes?: boolean;
}


const view = ({ kind, description, reason }: ExecStep): PlanStep => ({ kind, description, reason });

/** The steps applyBond would run now, with their reasons. Changes nothing. */
export async function planBond(spec: BondSpec, opts: PlanOptions = {}): Promise<Plan> {
  const normalized = normalizeSpec(spec);
  const { netns } = resolveCall({ netns: opts.netns }, normalized.name);
  await checkDriverHas(netns, normalized.name, specNeeds(normalized));
  const live = await readLive(netns, normalized.name);
  return { bond: normalized.name, steps: buildPlan(normalized, live, opts.netns).map(view) };
}

const APPLY_KEYS = ['netns', 'dryRun', 'onStep', 'healthTimeout', 'signal', 'confirmTimeout', 'lockTimeout', 'onLockWait', 'probes', 'defaultProbes'];
const MAX_CONFIRM_SECONDS = 86_400;
const DEFAULT_LOCK_MS = 30_000;

/**
 * The apply options, checked before anything runs: a typo or a timer Node would clamp is refused.
 * Returns the probes in canonical form.
 */
function checkApplyOptions(opts: ApplyOptions, bond: string): Probe[] {
  if (typeof opts !== 'object' || opts === null) throw new ValidationError({ option: 'options', value: opts, allowed: 'an object', bond });
  checkKeys(opts, APPLY_KEYS, bond);
  for (const key of ['dryRun', 'defaultProbes'] as const) validateOptionalBoolean(key, opts[key], bond);
  for (const key of ['onStep', 'onLockWait'] as const) {
    if (opts[key] !== undefined && typeof opts[key] !== 'function') throw new ValidationError({ option: key, value: opts[key], allowed: 'a function', bond });
  }
  if (opts.signal !== undefined && !(opts.signal instanceof AbortSignal)) throw new ValidationError({ option: 'signal', value: opts.signal, allowed: 'an AbortSignal', bond });
  if (opts.healthTimeout !== undefined) validateInteger('healthTimeout', opts.healthTimeout, 0, MAX_TIMER_MS, bond);
  if (opts.lockTimeout !== undefined) validateInteger('lockTimeout', opts.lockTimeout, 0, MAX_TIMER_MS, bond);
  if (opts.confirmTimeout !== undefined) validateInteger('confirmTimeout', opts.confirmTimeout, 1, MAX_CONFIRM_SECONDS, bond);
  return opts.probes === undefined ? [] : validateProbes(opts.probes, bond);
}

/** Makes the bond look like `spec`. Applying the same spec again changes nothing. */
export async function applyBond(spec: BondSpec, opts: ApplyOptions = {}): Promise<ApplyResult> {
  const { bonds, checkpoint, probes, moduleLoad } = await applyBonds([spec], opts);
  const [result] = bonds as [ApplyResult];
  return { ...result, ...(checkpoint ? { checkpoint } : {}), ...(probes ? { probes } : {}), ...(moduleLoad ? { moduleLoad } : {}) };
}

function normalizeSpecs(specs: readonly BondSpec[]): NormalizedSpec[] {
  if (!Array.isArray(specs) || specs.length === 0) throw new ValidationError({ option: 'bonds', value: specs, allowed: 'a non-empty array of BondSpec' });
  const normalized = specs.map(normalizeSpec);
  const names = normalized.map((s) => s.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice) throw new ValidationError({ option: 'bonds', value: twice, allowed: 'each bond once', bond: twice, message: `bond ${twice} is given twice in one transaction` });
  const slaveOf = new Map<string, string>();
  for (const spec of normalized) {
    for (const { name: slave } of spec.slaves ?? []) {
      const other = slaveOf.get(slave);
      if (other !== undefined) throw new ValidationError({ option: 'slaves', value: slave, allowed: 'each slave in one bond', bond: spec.name, message: `${slave} is a slave of both ${other} and ${spec.name} in one transaction` });
      slaveOf.set(slave, spec.name);
    }
  }
  return normalized;
}

/**
 * Makes several bonds look like their specs in one transaction: applied in dependency order (a
 * bond taking another's slave after it), verified together, rolled back together.
 */
export async function applyBonds(specs: readonly BondSpec[], opts: ApplyOptions = {}): Promise<ApplyBondsResult> {
  const normalized = normalizeSpecs(specs);
  const names = normalized.map((s) => s.name);
  const label = names.join(', ');
  const probes = checkApplyOptions(opts, label);
  const { netns } = resolveCall({ netns: opts.netns }, label);
  // Before the first request: feature detection's trial bond can load the module too.
  const moduleLoad = await ModuleLoadWatch.start();
  for (const spec of normalized) await checkDriverHas(netns, spec.name, specNeeds(spec));
  const [links = []] = await runSteps(netns, [{ request: { op: 'dumplinks' }, action: `read links to order ${label}` }]);
  const { ordered, releasedFirst } = applyOrder(normalized, links);
  if (opts.dryRun) {
    const bonds = await Promise.all(ordered.map(async (spec) => {
      const live = await readLive(netns, spec.name);
      // A contested slave is released before every plan: the bond's own plan starts from the bond
      // without it, as the real run's plan does (it reads the bond after those releases).
      const contested = releasedFirst.filter((c) => c.bond === spec.name);
      const first = releaseFirstSteps(contested, opts.netns).map(view);
      const rest = buildPlan(spec, withoutSlaves(live, contested.map((c) => c.slave)), opts.netns).map(view);
      return { bond: spec.name, steps: [...first, ...rest], dryRun: true, state: live.state ?? null };
    }));
    return { bonds, dryRun: true };
  }

  const dir = await namespaceDir(netns);
  const unlock = await lockBonds(dir, names, opts.lockTimeout ?? DEFAULT_LOCK_MS, opts.onLockWait);
  let results: TransactionResult[];
  let checkpoint: CheckpointInfo | undefined;
  let probeReports: ProbeReport[];
  try {
    await refuseOpen(dir, names);
    const planned = await plannedProbes(netns, probes, names, opts.confirmTimeout !== undefined && opts.defaultProbes !== false);
    probeReports = await probeBefore(netns, planned, names);
    // Read once under the lock: the state to go back to, the step count, and the first plan.
    const lives = new Map<string, LiveBond>();
    for (const spec of ordered) lives.set(spec.name, await readLive(netns, spec.name));
    const saved = savedState(ordered, lives);
    const plans = new Map(ordered.map((spec) => [spec.name, buildPlan(spec, lives.get(spec.name) as LiveBond, opts.netns, { moduleLoad })]));
    const total = releasedFirst.length + [...plans.values()].reduce((sum, steps) => sum + steps.length, 0);
    const record: TransactionRecord = {
      version: 1,
      id: newId(),
      owner: { ...(await processIdentity()), command: process.argv.slice(1).join(' ') },
      ...(opts.netns !== undefined ? { netns: typeof opts.netns === 'object' && 'pid' in opts.netns ? { path: netns.path } : opts.netns } : {}),
      startedAt: new Date().toISOString(),
      phase: 'applying',
      ...saved,
      step: { done: 0, total },
    };
    await writeRecord(dir, record);
    if (opts.confirmTimeout !== undefined) {
      // Before the first change: a process killed half way through a try is rolled back too.
      record.checkpoint = { expiresAt: new Date(Date.now() + opts.confirmTimeout * 1000).toISOString(), guard: await startGuard(dir, record.id) };
      await writeRecord(dir, record);
    }
    results = await runTransaction(record, dir, { ordered, releasedFirst }, { lives, plans, moduleLoad }, opts, probeReports);
    if (record.checkpoint && opts.confirmTimeout !== undefined) {
      record.phase = 'pending';
      record.checkpoint.expiresAt = new Date(Date.now() + opts.confirmTimeout * 1000).toISOString();
      await writeRecord(dir, record);
      checkpoint = { id: record.id, expiresAt: record.checkpoint.expiresAt };
    } else {
      await removeRecord(dir, record.id);
    }
  } finally {
    await unlock();
  }
  const bonds: ApplyResult[] = [];
  for (const { spec, live, steps, health: waited } of results) {
    const result: ApplyResult = { bond: spec.name, steps, dryRun: false, state: live.state ?? null };
    const healthNow = waited ?? (await healthOf(spec, live, opts));
    if (healthNow) result.health = healthNow;
    bonds.push(result);
  }
  const loaded = await moduleLoad.report(opts.netns === undefined ? names : []);
  return { bonds, dryRun: false, ...(checkpoint ? { checkpoint } : {}), ...(probeReports.length > 0 ? { probes: probeReports } : {}), ...(loaded ? { moduleLoad: loaded } : {}) };
}

/** The live bond as it will be once `slaves` are released. */
function withoutSlaves(live: LiveBond, slaves: readonly string[]): LiveBond {
  if (!live.state || slaves.length === 0) return live;
  const state = { ...live.state, slaves: live.state.slaves.filter((s) => !slaves.includes(s.name)) };
  return { ...live, state, slaveOrder: live.slaveOrder.filter((s) => !slaves.includes(s)) };
}

/** A bond applied and verified; health when the probes waited for it. */
interface TransactionResult {
  spec: NormalizedSpec;
  live: LiveBond;
  steps: PlanStep[];
  health?: Health;
}

/**
 * Waits for the bond to be healthy (healthTimeout, longer in 802.3ad), starting from the state
 * just read; undefined for an absent bond.
 */
async function healthOf(spec: NormalizedSpec, live: LiveBond, opts: ApplyOptions): Promise<Health | undefined> {
  if (!live.state) return undefined;
  return health(spec.name, opts.netns, opts.healthTimeout ?? (live.state.mode === '802.3ad' ? 6000 : 3000), live.state);
}

/**
 * Runs every bond's plan, verifies them all, then runs the probes; on any failure restores the
 * recorded state. `before` holds each bond as read under the lock and the plan built from it:
 * until a step has run, that is what is there, so the plan is run as built and verification uses
 * the read instead of reading again. A bond planned after steps have run is read and planned anew.
 */
async function runTransaction(
  record: TransactionRecord,
  dir: string,
  order: { ordered: readonly NormalizedSpec[]; releasedFirst: readonly ContestedSlave[] },
  before: { lives: ReadonlyMap<string, LiveBond>; plans: ReadonlyMap<string, ExecStep[]>; moduleLoad: ModuleLoadWatch },
  opts: ApplyOptions,
  probes: ProbeReport[],
) {
  const { ordered, releasedFirst } = order;
  const { netns } = resolveCall({ netns: opts.netns });
  const stopIfAborted = () => {
    if (opts.signal?.aborted) throw opts.signal.reason instanceof Error ? opts.signal.reason : new Error('aborted');
  };
  const fail = async (bond: string, step: PlanStep | undefined, error: unknown, stage: 'plan' | 'verify' | 'probe' = 'verify'): Promise<never> => {
    const failedAt = Date.now();
    record.phase = 'restoring';
    await writeRecord(dir, record);
    const errors = await restoreSaved(netns, opts.netns, record.before, record.freeLinks);
    if (errors.length === 0) await removeRecord(dir, record.id);
    else {
      record.phase = 'failed';
      await writeRecord(dir, record);
    }
    throw new ApplyError(bond, step, error, errors, Date.now() - failedAt, stage);
  };
  const ran: { spec: NormalizedSpec; steps: PlanStep[] }[] = [];
  let index = 0;
  // What was read under the lock is what is there until the first step runs.
  const liveNow = async (name: string): Promise<LiveBond> => (index === 0 ? (before.lives.get(name) as LiveBond) : readLive(netns, name));
  const runStep = async (bond: string, step: ExecStep) => {
    try {
      stopIfAborted();
      record.step = { done: index, total: Math.max(record.step.total, index + 1), description: step.description };
      await writeRecord(dir, record);
      await opts.onStep?.(index, view(step));
      await step.run();
    } catch (error) {
      await fail(bond, view(step), error);
    }
    index += 1;
  };
  try {
    refuseImpossible(ordered, before.lives);
  } catch (error) {
    await fail(error instanceof BondError && error.bond ? error.bond : (ordered[0]?.name ?? ''), undefined, error, 'plan');
  }
  const first = releaseFirstSteps(releasedFirst, opts.netns).map((step, i) => ({ bond: releasedFirst[i]?.bond ?? '', step }));
  for (const { bond, step } of first) await runStep(bond, step);
  for (const spec of ordered) {
    let steps: ExecStep[] = [];
    try {
      stopIfAborted();
      steps = index === 0 ? (before.plans.get(spec.name) as ExecStep[]) : buildPlan(spec, await readLive(netns, spec.name), opts.netns, { moduleLoad: before.moduleLoad });
    } catch (error) {
      await fail(spec.name, undefined, error, 'plan');
    }
    for (const step of steps) await runStep(spec.name, step);
    const freed = first.filter((f) => f.bond === spec.name).map((f) => view(f.step));
    ran.push({ spec, steps: [...freed, ...steps.map(view)] });
  }
  record.step = { ...record.step, done: index };
  await writeRecord(dir, record);
  const results: TransactionResult[] = [];
  for (const { spec, steps } of ran) {
    try {
      stopIfAborted();
      const live = await liveNow(spec.name);
      verify(spec, live);
      results.push({ spec, live, steps });
    } catch (error) {
      await fail(spec.name, undefined, error);
    }
  }
  if (probes.some((p) => !p.dropped)) {
    try {
      stopIfAborted();
      // Carrier and LACP take a moment after a change; the probes' retries cover the rest. The
      // health read here is the one reported.
      for (const result of results) result.health = await healthOf(result.spec, result.live, opts);
      await probeAfter(netns, probes, ordered.map((s) => s.name));
    } catch (error) {
      await fail(error instanceof BondError && error.bond ? error.bond : (ordered[0]?.name ?? ''), undefined, error, 'probe');
    }
  }
  return results;
}
