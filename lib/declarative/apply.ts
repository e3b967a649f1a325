// planBond and applyBond: compute the steps from live state, run them in order, re-read and
// verify every field, report runtime health, and on any failure undo what was done, newest
// first, then put back addresses and routes that taking the bond down flushed.
import { constants } from 'node:os';
import { BondError, ValidationError } from '../errors.js';
import { checkKeys } from '../validate/keys.js';
import { MAX_TIMER_MS, validateInteger } from '../validate/values.js';
import { resolveCall } from '../call/options.js';
import { addAddress } from '../link/addresses.js';
import { addRoute, parseRoute } from '../link/routes.js';
import type { NetnsOption, ResolvedNetns } from '../call/netns.js';
import { getBond } from '../bond/read.js';
import { setLinkDown, setLinkUp } from '../link/link.js';
import type { BondState } from '../bond/state.js';
import { readLive } from './live.js';
import { buildPlan, isConnectedRoute, normalizeSpec, routeMatches, specNeeds, type ExecStep, type NormalizedSpec } from './plan.js';
import { checkDriverHas } from '../features/check.js';
import type { ApplyResult, BondSpec, Health, LiveBond, Plan, PlanStep } from './types.js';
import { BOND_OPTION_DEFS, SLAVE_OPTION_DEFS } from '../option-table.js';

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
}

/** applyBond failed; everything it changed was undone (see rollbackErrors if not all of it). */
export class ApplyError extends BondError {
  /** The step that failed, or undefined when verification failed. */
  readonly failedStep?: PlanStep;
  /** The undo steps that failed; empty when the bond is as it was. */
  readonly rollbackErrors: unknown[];
  override readonly cause: unknown;

  constructor(bond: string, failedStep: PlanStep | undefined, cause: unknown, rollbackErrors: unknown[]) {
    const inner = cause instanceof BondError ? cause : undefined;
    super({
      errnum: inner ? -inner.errno : constants.errno.EIO,
      syscall: inner?.syscall ?? 'apply',
      kernelMessage: inner?.kernelMessage,
      action: failedStep ? `apply ${bond}: ${failedStep.description}` : `apply ${bond}: verify`,
      bond,
      slave: inner?.slave,
      option: inner?.option,
      hint: `${cause instanceof Error ? cause.message : String(cause)}; ${rollbackErrors.length === 0 ? 'rolled back' : `rollback incomplete (${rollbackErrors.length} undo steps failed)`}`,
    });
    this.name = 'ApplyError';
    this.failedStep = failedStep;
    this.rollbackErrors = rollbackErrors;
    this.cause = cause;
  }
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

/** Makes the bond look like `spec`. Applying the same spec again changes nothing. */
const APPLY_KEYS = ['netns', 'dryRun', 'onStep', 'healthTimeout', 'signal'];

/** The apply options, checked before anything runs: a typo or a timer Node would clamp is refused. */
function checkApplyOptions(opts: ApplyOptions, bond: string): void {
  if (typeof opts !== 'object' || opts === null) throw new ValidationError({ option: 'options', value: opts, allowed: 'an object', bond });
  checkKeys(opts, APPLY_KEYS, bond);
  if (opts.dryRun !== undefined && typeof opts.dryRun !== 'boolean') throw new ValidationError({ option: 'dryRun', value: opts.dryRun, allowed: 'true or false', bond });
  if (opts.onStep !== undefined && typeof opts.onStep !== 'function') throw new ValidationError({ option: 'onStep', value: opts.onStep, allowed: 'a function', bond });
  if (opts.signal !== undefined && !(opts.signal instanceof AbortSignal)) throw new ValidationError({ option: 'signal', value: opts.signal, allowed: 'an AbortSignal', bond });
  if (opts.healthTimeout !== undefined) validateInteger('healthTimeout', opts.healthTimeout, 0, MAX_TIMER_MS, bond);
}

export async function applyBond(spec: BondSpec, opts: ApplyOptions = {}): Promise<ApplyResult> {
  const normalized = normalizeSpec(spec);
  checkApplyOptions(opts, normalized.name);
  const { netns } = resolveCall({ netns: opts.netns }, normalized.name);
  await checkDriverHas(netns, normalized.name, specNeeds(normalized));
  const before = await readLive(netns, normalized.name);
  const steps = buildPlan(normalized, before, opts.netns);
  if (opts.dryRun) return { bond: normalized.name, steps: steps.map(view), dryRun: true, state: before.state ?? null };

  const done: ExecStep[] = [];
  const stopIfAborted = () => {
    if (opts.signal?.aborted) throw opts.signal.reason instanceof Error ? opts.signal.reason : new Error('aborted');
  };
  for (const [index, step] of steps.entries()) {
    try {
      stopIfAborted();
      await opts.onStep?.(index, view(step));
      await step.run();
    } catch (error) {
      throw new ApplyError(normalized.name, view(step), error, await rollback(netns, opts.netns, before, done));
    }
    done.push(step);
  }
  let after: LiveBond;
  try {
    stopIfAborted();
    after = await readLive(netns, normalized.name);
    verify(normalized, after);
  } catch (error) {
    throw new ApplyError(normalized.name, undefined, error, await rollback(netns, opts.netns, before, done));
  }
  const result: ApplyResult = { bond: normalized.name, steps: steps.map(view), dryRun: false, state: after.state ?? null };
  if (after.state) result.health = await health(normalized.name, opts.netns, opts.healthTimeout ?? (after.state.mode === '802.3ad' ? 6000 : 3000));
  return result;
}

/** Undoes the steps that ran, newest first, then puts back what taking the bond down flushed. */
async function rollback(netns: ResolvedNetns, netnsOption: NetnsOption | undefined, before: LiveBond, done: ExecStep[]): Promise<unknown[]> {
  const errors: unknown[] = [];
  for (const step of [...done].reverse()) {
    try {
      await step.undo?.();
    } catch (error) {
      errors.push(error);
    }
  }
  if (!before.exists || !before.state) return errors;
  try {
    const now = await readLive(netns, before.state.name);
    const call = { netns: netnsOption };
    if (before.state.up !== now.state?.up) await (before.state.up ? setLinkUp : setLinkDown)(before.state.name, call);
    for (const a of before.addresses.filter((x) => !x.dynamic)) {
      if (!now.addresses.some((x) => x.address === a.address)) await addAddress(before.state.name, a.address, { ...call, ...(a.broadcast ? { broadcast: a.broadcast } : {}) });
    }
    for (const r of before.routes.filter((x) => x.protocol !== 'kernel')) {
      const spec = { destination: r.destination, dev: before.state.name, ...(r.gateway ? { gateway: r.gateway } : {}), ...(r.metric !== undefined ? { metric: r.metric } : {}) };
      if (!now.routes.some((x) => routeMatches(x, parseRoute(spec)))) await addRoute(spec, call);
    }
  } catch (error) {
    errors.push(error);
  }
  return errors;
}

/** Every field the spec gives must read back as given. */
function verify(spec: NormalizedSpec, live: LiveBond): void {
  const problems: string[] = [];
  const state = live.state;
  if (!spec.present) {
    if (live.exists) problems.push(`${spec.name} still exists`);
  } else if (!state) {
    problems.push(`${spec.name} does not exist`);
  } else {
    for (const option of BOND_OPTION_DEFS) {
      const wanted = (spec.options as Record<string, unknown>)[option.key];
      if (wanted === undefined) continue;
      const value = option.key === 'mode' ? state.mode : (state as unknown as Record<string, unknown>)[option.key];
      const wantedName = option.value.kind === 'enum' && typeof wanted === 'number' ? option.value.names[wanted] : wanted;
      const comparable = option.value.kind === 'mac' && typeof wantedName === 'string' ? wantedName.toLowerCase() : wantedName;
      if (value !== undefined && JSON.stringify(value) !== JSON.stringify(comparable)) problems.push(`${option.key} is ${JSON.stringify(value)}, wanted ${JSON.stringify(comparable)}`);
    }
    if (spec.slaves) {
      const names = state.slaves.map((s) => s.name).sort();
      const wanted = spec.slaves.map((s) => s.name).sort();
      if (JSON.stringify(names) !== JSON.stringify(wanted)) problems.push(`slaves are ${names.join(', ') || 'none'}, wanted ${wanted.join(', ')}`);
      for (const slave of spec.slaves) {
        const got = state.slaves.find((s) => s.name === slave.name);
        for (const { key } of SLAVE_OPTION_DEFS) {
          if (slave[key] !== undefined && got && got[key] !== slave[key]) problems.push(`${key} of ${slave.name} is ${got[key]}, wanted ${slave[key]}`);
        }
      }
    }
    if (state.up !== spec.up) problems.push(`${spec.name} is ${state.up ? 'up' : 'down'}, wanted ${spec.up ? 'up' : 'down'}`);
    if (spec.mtu !== undefined && state.mtu !== spec.mtu) problems.push(`mtu is ${state.mtu}, wanted ${spec.mtu}`);
    if (spec.mac !== undefined && state.mac !== spec.mac) problems.push(`mac is ${state.mac}, wanted ${spec.mac}`);
    if (spec.addresses) {
      const have = live.addresses.filter((a) => !a.dynamic).map((a) => a.address).sort();
      const wanted = spec.addresses.map((a) => a.text).sort();
      if (JSON.stringify(have) !== JSON.stringify(wanted)) problems.push(`addresses are ${have.join(', ') || 'none'}, wanted ${wanted.join(', ')}`);
    }
    for (const route of spec.routes ?? []) {
      const present = live.routes.some((r) => routeMatches(r, route.parsed));
      const connected = isConnectedRoute(route.parsed, live.addresses.filter((a) => !a.dynamic).map((a) => a.address));
      if (!present && !(connected && !state.up)) problems.push(`route ${route.parsed.text} is missing`);
    }
  }
  if (problems.length > 0) {
    throw new BondError({ errnum: constants.errno.EIO, syscall: 'verify', action: `verify ${spec.name}`, bond: spec.name, hint: `the kernel does not report what was applied: ${problems.join('; ')}` });
  }
}

/** Waits up to timeoutMs for carrier, enough slaves with link and, in 802.3ad, a partner. */
async function health(name: string, netns: NetnsOption | undefined, timeoutMs: number): Promise<Health> {
  const check = (state: BondState): Health => {
    const slavesUp = state.slaves.filter((s) => s.miiStatus === 'up').length;
    const minLinks = Math.max(state.minLinks ?? 0, 1);
    const problems: string[] = [];
    if (!state.carrier) problems.push(`${name} has no carrier`);
    if (slavesUp < minLinks) problems.push(`${slavesUp} slaves have link, at least ${minLinks} needed`);
    const out: Health = { healthy: false, carrier: state.carrier, slavesUp, minLinks, problems };
    if (state.mode === '802.3ad') {
      out.lacpPartner = state.adInfo !== undefined && state.adInfo.partnerMac !== '00:00:00:00:00:00';
      if (!out.lacpPartner) problems.push('802.3ad: no LACP partner answers (the switch needs LACP on these ports)');
    }
    out.healthy = problems.length === 0;
    return out;
  };
  const end = Date.now() + timeoutMs;
  for (;;) {
    const state = await getBond(name, { netns });
    const result = check(state);
    if (result.healthy || !state.up || Date.now() >= end) return result;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
