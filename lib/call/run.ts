// Runs a batch of addon requests (rtnetlink or file operations) and turns a native failure into a
// BondError that names the step that failed, with the caller's stack kept across the async hop.
// Every kernel request runs through here; lib/netlink/batch.ts and lib/sysfs/files.ts bind it to their
// addon call.
import { readFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { BondError, errnoCode, errnoText } from '../errors.js';
import { isNativeError } from '../native.js';
import type { ResolvedNetns } from './netns.js';

/** One addon request and the words that describe it if it fails. */
export interface Step<Request> {
  request: Request;
  /** What netbond was doing: 'create bond0', 'enslave eth0 -> bond0'. */
  action: string;
  bond?: string;
  slave?: string;
  option?: string;
  /** The rule and remedy to add when the kernel refuses with this errno. */
  hints?: Partial<Record<string, string>>;
}

const failedSteps = new WeakMap<BondError, number>();
const resultsBefore = new WeakMap<BondError, unknown[]>();

/** Index of the step that failed, for rollback: steps before it were applied. */
export function failedStepOf(error: unknown): number | undefined {
  return error instanceof BondError ? failedSteps.get(error) : undefined;
}

/** What the steps before the failed one returned (rtnetlink batches): the links as they were. */
export function resultsBeforeFailure(error: unknown): unknown[] | undefined {
  return error instanceof BondError ? resultsBefore.get(error) : undefined;
}

const CAP_NET_ADMIN = 12n;

async function hasNetAdmin(): Promise<boolean> {
  try {
    const status = await readFile('/proc/self/status', 'utf8');
    const match = /^CapEff:\s*([0-9a-f]+)$/mu.exec(status);
    return match ? ((BigInt(`0x${match[1]}`) >> CAP_NET_ADMIN) & 1n) === 1n : true;
  } catch {
    return true;
  }
}

async function toBondError(error: unknown, steps: readonly Step<unknown>[], netns: ResolvedNetns, viaSysfs: boolean): Promise<BondError> {
  if (!isNativeError(error)) throw error;
  const { errno } = constants;
  if (error.requestIndex < 0) {
    // The socket could not be opened in the namespace.
    const missing = error.errnum === errno.ENOENT && error.syscall === 'open netns';
    const denied = error.errnum === errno.EPERM && error.syscall === 'setns';
    return new BondError({
      errnum: error.errnum,
      syscall: error.syscall,
      action: `open ${netns.label}`,
      bond: steps[0]?.bond,
      hint: missing
        ? `${netns.label} does not exist (${netns.path})`
        : denied
          ? `entering ${netns.label} needs CAP_SYS_ADMIN`
          : undefined,
    });
  }
  const step = steps[error.requestIndex] as Step<unknown>;
  let hint = step.hints?.[errnoCode(error.errnum)];
  // sysfs returns a bare errno; the kernel writes its reason to the kernel log only.
  if (viaSysfs) hint = `${hint ?? errnoText(error.errnum)} (sysfs gives no reason; the kernel logs it: see dmesg)`;
  if (error.errnum === errno.EPERM && !error.kernelMessage && !(await hasNetAdmin())) {
    hint = 'Operation not permitted: changing network links needs CAP_NET_ADMIN (run as root or grant the capability)';
  }
  // File operations report "write /sys/class/net/..."; split it into Node's syscall and path.
  const [syscall = error.syscall, path] = viaSysfs ? error.syscall.split(/ (.*)/su) : [error.syscall];
  const bondError = new BondError({
    errnum: error.errnum,
    syscall,
    path,
    kernelMessage: error.kernelMessage,
    action: step.action,
    bond: step.bond,
    slave: step.slave,
    option: step.option,
    hint,
  });
  failedSteps.set(bondError, error.requestIndex);
  if (error.results) resultsBefore.set(bondError, error.results);
  return bondError;
}

/**
 * Runs `steps` through `call` (one addon batch) in the namespace; a native failure becomes a
 * BondError naming the step, and with `viaSysfs` says that sysfs gives no reason.
 */
export async function runAddonSteps<Request, Result>(
  netns: ResolvedNetns,
  steps: readonly Step<Request>[],
  call: (netns: ResolvedNetns, requests: Request[]) => Promise<Result[]>,
  viaSysfs: boolean,
): Promise<Result[]> {
  if (steps.length === 0) return [];
  const callerStack: { stack?: string } = {};
  Error.captureStackTrace(callerStack, runAddonSteps);
  try {
    return await call(
      netns,
      steps.map((step) => step.request),
    );
  } catch (error) {
    const bondError = await toBondError(error, steps, netns, viaSysfs);
    bondError.stack = `${bondError.name}: ${bondError.message}\n${callerStack.stack?.split('\n').slice(2).join('\n') ?? ''}`;
    throw bondError;
  }
}

/**
 * Runs undo steps one at a time, so that one failing does not stop the rest; returns the
 * failures. Used for netlink and sysfs steps alike.
 */
export async function runEachUndo<Request>(steps: readonly Step<Request>[], runOne: (step: Step<Request>) => Promise<unknown>): Promise<BondError[]> {
  const failures: BondError[] = [];
  for (const step of steps) {
    try {
      await runOne(step);
    } catch (error) {
      if (error instanceof BondError) failures.push(error);
      else throw error;
    }
  }
  return failures;
}
