// Creating and deleting bonds over rtnetlink. createBond applies every option in the create
// message (the kernel then applies them before the bond exists, so a refused option creates
// nothing), enslaves, brings the bond up, reads it back and verifies; any failure after creation
// deletes the bond and brings the slaves back as they were.
import { notABondError, type BondError } from '../../errors.js';
import type { NativeLink } from '../../native.js';
import type { ResolvedNetns } from '../../call/netns.js';
import { failedStepOf } from '../../call/run.js';
import { BOND_MODES, OPTION_BY_KEY } from '../../option-table.js';
import type { CreatePlan } from '../../bond/backend.js';
import { LOAD_BONDING } from '../../bond/module-load.js';
import { verifyApplied } from '../../bond/option-plan.js';
import type { BondState } from '../../bond/state.js';
import { failedExpectation, runRollback, runSteps, type Step } from '../../netlink/batch.js';
import { encodeOptions } from './encode.js';
import { linkUpStep } from '../../netlink/link-steps.js';
import { bondLinkFrom, readSteps, stateFrom, toState } from './read.js';
import { linkUp } from '../../netlink/decode.js';
import { enslaveSteps, lookupLinks, slaveToEnslave, slavesToEnslave } from './slave-steps.js';

function createHints(name: string, driverAbsent: boolean): Step['hints'] {
  return {
    EEXIST: `a link named ${name} already exists`,
    // The kernel loads the module itself for this request, whatever the caller's capabilities: it
    // failed when the host has no bonding module, or module loading is disabled there.
    EOPNOTSUPP: driverAbsent
      ? `the bonding module is not loaded and the kernel could not load it (no bonding module for this kernel, or module loading disabled); load it on the host: ${LOAD_BONDING}`
      : 'the running kernel has no bonding driver (load the bonding module, or use a kernel that has it)',
  };
}

export async function createBondNetlink(plan: CreatePlan): Promise<BondState> {
  try {
    return await createOrAdopt(plan, false);
  } catch (error) {
    // The module's load made a bond of this name (max_bonds): brand new, with defaults and no
    // slaves, since the driver was absent when the call began. Configure it as asked.
    if (!plan.moduleLoad?.driverAbsentAtStart || failedStepOf(error) !== 0 || (error as BondError).code !== 'EEXIST') throw error;
    const state = await createOrAdopt(plan, true);
    plan.moduleLoad.adopted.push(plan.name);
    return state;
  }
}

/**
 * One batch: the bond created with every option (or, adopting, the bond of that name checked to be a
 * bond and given every option in one message: bond_newlink applies them through bond_changelink too,
 * in the same order), its slaves enslaved, up, read back and verified.
 */
async function createOrAdopt(plan: CreatePlan, adopt: boolean): Promise<BondState> {
  const { name, slaves, up, mode, options: normalized } = plan;
  const netns = plan.call.netns;
  const primaryDef = OPTION_BY_KEY.get('primary');
  const primary = primaryDef ? (normalized.get(primaryDef) as string | undefined) : undefined;
  const lookups = [...slaves, ...(primary !== undefined && !slaves.includes(primary) ? [primary] : [])];
  const links = lookups.length > 0 ? await lookupLinks(netns, name, lookups) : new Map<string, NativeLink>();
  const slaveLinks = await slavesToEnslave(netns, name, undefined, new Map([...links].filter(([n]) => slaves.includes(n))));

  const infoData = encodeOptions(normalized, (ifname) => (ifname === null ? 0 : (links.get(ifname)?.ifindex ?? 0)));
  const action = `create bond ${name} (${BOND_MODES[mode]})`;
  const made: Step[] = adopt
    ? [
        { request: { op: 'getlink', ifname: name, expectKind: 'bond' }, action: `look up ${name}, made by the bonding module's load`, bond: name },
        { request: { op: 'newlink', link: { fromRequest: 0 }, kind: 'bond', infoData }, action: `configure ${name}, made by the bonding module's load (${BOND_MODES[mode]})`, bond: name },
      ]
    : [{ request: { op: 'newlink', create: true, ifname: name, kind: 'bond', infoData }, action, bond: name, hints: createHints(name, plan.moduleLoad?.driverAbsentAtStart ?? false) }];
  const bond = { fromRequest: made.length };
  const steps: Step[] = [...made, { request: { op: 'getlink', ifname: name }, action: `read bond ${name}`, bond: name }, ...enslaveSteps(name, bond, slaveLinks.map(slaveToEnslave))];
  if (up) steps.push(linkUpStep(bond, name, true, { bond: name }));
  // A bond just created with nothing enslaved and not brought up is fully described by the first
  // read; otherwise it is read again, with its slaves, after the last change.
  const readAgain = slaveLinks.length > 0 || up;
  const readAt = steps.length;
  if (readAgain) steps.push(...readSteps(name, { link: bond }));

  let state: BondState;
  try {
    const results = await runSteps(netns, steps);
    state = readAgain ? stateFrom(results, readAt, name) : toState(bondLinkFrom(results[bond.fromRequest], name), []);
    verifyApplied(name, normalized, state);
  } catch (error) {
    // Failed at step 0: nothing was created (and an existing link of that name is not ours).
    if (failedStepOf(error) !== 0) await undoCreate(netns, name, slaveLinks);
    throw error;
  }
  return state;
}

async function undoCreate(netns: ResolvedNetns, name: string, slaves: readonly NativeLink[]): Promise<void> {
  // Deleting the bond releases its slaves; those that were up are brought back up.
  const steps: Step[] = [{ request: { op: 'dellink', ifname: name }, action: `roll back: delete ${name}`, bond: name }];
  for (const slave of slaves) {
    if (linkUp(slave)) steps.push(linkUpStep(slave.ifindex, slave.ifname, true, { action: `roll back: set ${slave.ifname} up`, bond: name, slave: slave.ifname }));
  }
  await runRollback(netns, steps);
}

/**
 * Deletes a bond, after checking the link of that name is one, in the same batch: the addon stops
 * before the delete unless the link it read is a bond.
 */
export async function deleteBondNetlink(netns: ResolvedNetns, name: string): Promise<void> {
  const lookup: Step = { request: { op: 'getlink', ifname: name }, action: `look up bond ${name}`, bond: name };
  try {
    await runSteps(netns, [
      { ...lookup, request: { ...lookup.request, expectKind: 'bond' } },
      { request: { op: 'dellink', link: { fromRequest: 0 } }, action: `delete bond ${name}`, bond: name },
    ]);
  } catch (error) {
    if (!failedExpectation(error)) throw error;
    // Not a bond: read it again only to say what it is.
    const [[link] = []] = await runSteps(netns, [lookup]);
    throw notABondError({ bond: name, action: `delete bond ${name}`, syscall: 'validate', kind: link?.kind ?? null, refusing: 'delete it' });
  }
}
