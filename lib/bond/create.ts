// Creating and deleting bonds. createBond applies every option in the create message (the kernel
// then applies them before the bond exists, so a refused option creates nothing), enslaves, brings
// the bond up, reads it back and verifies; any failure after creation deletes the bond and brings
// the slaves back as they were.
import { constants } from 'node:os';
import { BondError, ValidationError } from '../errors.js';
import { failedStepOf, runSteps, type Step } from '../netlink/batch.js';
import { encodeOptions } from '../netlink/encode.js';
import type { NativeLink } from '../native.js';
import { linkUpStep } from '../link/link.js';
import { validateIfname } from '../validate/names.js';
import { resolveCall, type ResolvedCall } from '../call/options.js';
import type { CallOptions, ResolvedNetns } from '../call/netns.js';
import { createBondSysfs, deleteBondSysfs } from '../sysfs/write.js';
import { BOND_MODES, OPTION_BY_KEY, type BondOptions, type OptionSpec } from '../option-table.js';
import { verifyApplied } from './option-plan.js';
import { bondLinkFrom, readSteps, runningKernel, stateFrom, toState } from './read.js';
import { enslaveSteps, isUp, lookupLinks, runRollback, slavesToEnslave, validateSlaveNames } from '../netlink/slaves.js';
import type { BondState } from './state.js';
import { OPTION_KEYS, checkKeys, normalizeOptions, normalizeValue, type NormalizedOptions } from '../validate/options.js';

export interface CreateBondOptions extends BondOptions, CallOptions {
  /** Interfaces to enslave right after creation; each is taken down first, as the kernel requires. */
  slaves?: readonly string[];
  /** Bring the bond up once its slaves are enslaved. Default false, as `ip link add`. */
  up?: boolean;
}

// Keys other than options are taken out first; this list only makes the typo hint complete.
const OPTION_KEYS_WITH_CREATE = [...OPTION_KEYS, 'slaves', 'up', 'netns', 'backend'];

function createHints(name: string): Step['hints'] {
  return {
    EEXIST: `a link named ${name} already exists`,
    EOPNOTSUPP: 'the running kernel has no bonding driver (load the bonding module, or use a kernel that has it)',
  };
}

/** A validated createBond request. */
export interface CreatePlan {
  name: string;
  call: ResolvedCall;
  slaves: string[];
  up: boolean;
  mode: number;
  options: NormalizedOptions;
}

/** Validates a createBond request without touching the kernel. */
export function planCreate(name: string, options: CreateBondOptions): CreatePlan {
  validateIfname('name', name);
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError({ option: 'options', value: options, allowed: 'an object', bond: name });
  }
  const { slaves: slaveInput, up, netns, backend, ...bondOptions } = options;
  checkKeys(bondOptions, OPTION_KEYS_WITH_CREATE, name);
  const call = resolveCall({ netns, backend }, name);
  const slaves = slaveInput === undefined ? [] : validateSlaveNames(name, slaveInput);
  if (up !== undefined && typeof up !== 'boolean') throw new ValidationError({ option: 'up', value: up, allowed: 'true or false', bond: name });
  const modeSpec = OPTION_BY_KEY.get('mode') as OptionSpec;
  const mode = bondOptions.mode === undefined ? 0 : (normalizeValue(modeSpec, bondOptions.mode, runningKernel, name) as number);
  const normalized = normalizeOptions(bondOptions, { bond: name, kernel: runningKernel, mode, currentMiimon: 0 });
  return { name, call, slaves, up: up ?? false, mode, options: normalized };
}

/** Creates a bond, optionally with options, slaves and up, and returns its state. */
export async function createBond(name: string, options: CreateBondOptions = {}): Promise<BondState> {
  const plan = planCreate(name, options);
  return plan.call.backend === 'sysfs' ? createBondSysfs(plan) : createBondNetlink(plan);
}

async function createBondNetlink(plan: CreatePlan): Promise<BondState> {
  const { name, slaves, up, mode, options: normalized } = plan;
  const netns = plan.call.netns;
  const primarySpec = OPTION_BY_KEY.get('primary');
  const primary = primarySpec ? (normalized.get(primarySpec) as string | undefined) : undefined;
  const lookups = [...slaves, ...(primary !== undefined && !slaves.includes(primary) ? [primary] : [])];
  const links = lookups.length > 0 ? await lookupLinks(netns, name, lookups) : new Map();
  const slaveLinks = await slavesToEnslave(netns, name, undefined, new Map([...links].filter(([n]) => slaves.includes(n))));

  const infoData = encodeOptions(normalized, (ifname) => (ifname === null ? 0 : (links.get(ifname)?.ifindex ?? 0)));
  const steps: Step[] = [
    { request: { op: 'newlink', create: true, ifname: name, kind: 'bond', infoData }, action: `create bond ${name} (${BOND_MODES[mode]})`, bond: name, hints: createHints(name) },
    { request: { op: 'getlink', ifname: name }, action: `read bond ${name}`, bond: name },
    ...enslaveSteps(name, { fromRequest: 1 }, slaveLinks),
  ];
  if (up) steps.push(linkUpStep({ fromRequest: 1 }, name, true, { bond: name }));
  // A bond just created with nothing enslaved and not brought up is fully described by step 1's
  // read; otherwise it is read again, with its slaves, after the last change.
  const readAgain = slaveLinks.length > 0 || up;
  const readAt = steps.length;
  if (readAgain) steps.push(...readSteps(name, { link: { fromRequest: 1 } }));

  let state: BondState;
  try {
    const results = await runSteps(netns, steps);
    state = readAgain ? stateFrom(results, readAt, name) : toState(bondLinkFrom(results[1], name), []);
    verifyApplied(name, normalized, state);
  } catch (error) {
    const failed = failedStepOf(error);
    // Failed at step 0: nothing was created (and an existing link of that name is not ours).
    if (failed !== 0) await undoCreate(netns, name, slaveLinks);
    throw error;
  }
  return state;
}

async function undoCreate(netns: ResolvedNetns, name: string, slaves: readonly NativeLink[]): Promise<void> {
  // Deleting the bond releases its slaves; those that were up are brought back up.
  const steps: Step[] = [{ request: { op: 'dellink', ifname: name }, action: `roll back: delete ${name}`, bond: name }];
  for (const slave of slaves) {
    if (isUp(slave)) steps.push(linkUpStep(slave.ifindex, slave.ifname, true, { action: `roll back: set ${slave.ifname} up`, bond: name, slave: slave.ifname }));
  }
  await runRollback(netns, steps);
}

/** Deletes a bond; its slaves are released (and left down, as the kernel leaves them). */
export async function deleteBond(name: string, opts: CallOptions = {}): Promise<void> {
  validateIfname('name', name);
  const { netns, backend } = resolveCall(opts, name);
  if (backend === 'sysfs') return deleteBondSysfs(netns, name);
  const [[link] = []] = await runSteps(netns, [{ request: { op: 'getlink', ifname: name }, action: `look up bond ${name}`, bond: name }]);
  if (link?.kind !== 'bond') {
    throw new BondError({
      errnum: constants.errno.EINVAL,
      syscall: 'validate',
      action: `delete bond ${name}`,
      bond: name,
      hint: `${name} is not a bond (kind ${link?.kind ?? 'none'}); refusing to delete it`,
    });
  }
  await runSteps(netns, [{ request: { op: 'dellink', link: link.ifindex }, action: `delete bond ${name}`, bond: name }]);
}
