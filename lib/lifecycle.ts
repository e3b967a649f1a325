// Creating and deleting bonds. createBond applies every option in the create message (the kernel
// then applies them before the bond exists, so a refused option creates nothing), enslaves, brings
// the bond up, reads it back and verifies; any failure after creation deletes the bond and brings
// the slaves back as they were.
import { constants } from 'node:os';
import { BondError, ValidationError } from './errors.js';
import { failedStepOf, runSteps, type Step } from './batch.js';
import { encodeOptions, reportedValue, sameValue } from './encode.js';
import type { NativeLink } from './native.js';
import { validateIfname } from './names.js';
import { resolveNetns, type CallOptions, type ResolvedNetns } from './netns.js';
import { BOND_MODES, OPTION_BY_KEY, type BondOptions } from './options.js';
import { readSteps, runningKernel, stateFrom } from './read.js';
import { enslaveSteps, isUp, lookupLinks, runRollback, slavesToEnslave, validateSlaveNames } from './slave-steps.js';
import type { BondState } from './state.js';
import { OPTION_KEYS, checkKeys, normalizeOptions, normalizeValue, type NormalizedOptions } from './validate.js';

export interface CreateBondOptions extends BondOptions, CallOptions {
  /** Interfaces to enslave right after creation; each is taken down first, as the kernel requires. */
  slaves?: readonly string[];
  /** Bring the bond up once its slaves are enslaved. Default false, as `ip link add`. */
  up?: boolean;
}

const CREATE_KEYS = [...OPTION_KEYS, 'slaves', 'up', 'netns'];

/** Throws when the kernel reports a value other than the one asked for. */
export function verifyApplied(bond: string, asked: NormalizedOptions, state: BondState): void {
  for (const [spec, value] of asked) {
    const reported = reportedValue(spec, state);
    if (reported === undefined || sameValue(reported, value)) continue;
    throw new BondError({
      errnum: constants.errno.EIO,
      syscall: 'verify',
      action: `verify ${spec.key} of ${bond}`,
      bond,
      option: spec.key,
      hint: `the kernel accepted ${spec.key} ${JSON.stringify(value)} but reports ${JSON.stringify(reported)}`,
    });
  }
}

function createHints(name: string): Step['hints'] {
  return {
    EEXIST: `a link named ${name} already exists`,
    EOPNOTSUPP: 'the running kernel has no bonding driver (load the bonding module, or use a kernel that has it)',
  };
}

/** Creates a bond, optionally with options, slaves and up, and returns its state. */
export async function createBond(name: string, options: CreateBondOptions = {}): Promise<BondState> {
  validateIfname('name', name);
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError({ option: 'options', value: options, allowed: 'an object', bond: name });
  }
  checkKeys(options, CREATE_KEYS, name);
  const { slaves: slaveInput, up, netns: netnsOption, ...bondOptions } = options;
  const netns = resolveNetns(netnsOption);
  const slaves = slaveInput === undefined ? [] : validateSlaveNames(name, slaveInput);
  if (up !== undefined && typeof up !== 'boolean') throw new ValidationError({ option: 'up', value: up, allowed: 'true or false', bond: name });
  const modeSpec = OPTION_BY_KEY.get('mode');
  const mode = bondOptions.mode === undefined || !modeSpec ? 0 : (normalizeValue(modeSpec, bondOptions.mode, runningKernel, name) as number);
  const normalized = normalizeOptions(bondOptions, { bond: name, kernel: runningKernel, mode, currentMiimon: 0 });

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
  if (up) steps.push({ request: { op: 'newlink', link: { fromRequest: 1 }, up: true }, action: `set ${name} up`, bond: name });
  const readAt = steps.length;
  steps.push(...readSteps(name, { link: { fromRequest: 1 } }));

  let state: BondState;
  try {
    state = stateFrom(await runSteps(netns, steps), readAt, name);
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
    if (isUp(slave)) steps.push({ request: { op: 'newlink', link: slave.ifindex, up: true }, action: `roll back: set ${slave.ifname} up`, bond: name, slave: slave.ifname });
  }
  await runRollback(netns, steps);
}

/** Deletes a bond; its slaves are released (and left down, as the kernel leaves them). */
export async function deleteBond(name: string, opts: CallOptions = {}): Promise<void> {
  validateIfname('name', name);
  checkKeys(opts, ['netns'], name);
  const netns = resolveNetns(opts.netns);
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
