// Options of one slave: queueId, prio, actorPortPrio (IFLA_BOND_SLAVE_* in RTM_NEWLINK on the
// slave). Checked against the kernel's rules first (a queue id the bond has, not used by another
// slave), read back after.
import { constants } from 'node:os';
import { BondError, ValidationError } from '../errors.js';
import { runFileSteps, runSteps, type FileStep } from '../netlink/batch.js';
import { resolveCall } from '../call/options.js';
import { findSlave } from './slave-checks.js';
import { readBondSysfs } from '../sysfs/read.js';
import { slaveOptionSteps } from '../sysfs/write.js';
import { validateIfname } from '../validate/names.js';
import type { CallOptions, ResolvedNetns } from '../call/netns.js';
import { BOND_MODES, SLAVE_OPTION_SPECS, type SlaveOptionSpec, type SlaveOptions } from '../option-table.js';
import { readBond, readSteps, runningKernel, stateFrom } from './read.js';
import type { BondState, SlaveState } from './state.js';
import { checkKeys, normalizeEntry } from '../validate/options.js';

const SLAVE_KEYS = SLAVE_OPTION_SPECS.map((spec) => spec.key);

type SlaveChange = { spec: SlaveOptionSpec; value: number };

function slaveValue(slave: SlaveState, key: keyof SlaveOptions): number | undefined {
  return key === 'actorPortPrio' ? undefined : slave[key];
}

/** Changes options of one slave of `bond` and returns the bond's state after. */
export async function setSlaveOptions(bond: string, slave: string, options: SlaveOptions, opts: CallOptions = {}): Promise<BondState> {
  validateIfname('bond', bond);
  validateIfname('slave', slave, bond);
  const { netns, backend } = resolveCall(opts, bond);
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError({ option: 'options', value: options, allowed: 'an object of slave options', bond });
  }
  checkKeys(options, SLAVE_KEYS, bond);
  const sysfsSteps = backend === 'sysfs' ? slaveOptionSteps(bond, slave, options) : [];
  const current = backend === 'sysfs' ? await readBondSysfs(netns, bond) : await readBond(netns, bond);
  const target = findSlave(current, slave, `set options of ${slave} in ${bond}`);
  const ctx = { bond, kernel: runningKernel, mode: BOND_MODES.indexOf(current.mode), currentMiimon: current.miimon ?? 0 };
  const changes = SLAVE_OPTION_SPECS.flatMap((spec) => {
    const raw = options[spec.key];
    if (raw === undefined) return [];
    const value = normalizeEntry(spec, raw, ctx) as number;
    return slaveValue(target, spec.key) === value ? [] : [{ spec, value }];
  });
  const queueId = changes.find((c) => c.spec.key === 'queueId')?.value;
  if (queueId !== undefined && queueId > 0) checkQueueId(current, slave, queueId);
  if (changes.length === 0) return current;
  const state = backend === 'sysfs' ? await applySysfs(netns, bond, sysfsSteps) : await applyNetlink(netns, current, target, changes);
  verifySlave(state, slave, changes);
  return state;
}

async function applySysfs(netns: ResolvedNetns, bond: string, steps: FileStep[]): Promise<BondState> {
  await runFileSteps(netns, steps);
  return readBondSysfs(netns, bond);
}

async function applyNetlink(netns: ResolvedNetns, current: BondState, target: SlaveState, changes: SlaveChange[]): Promise<BondState> {
  const bond = current.name;
  const slave = target.name;
  const steps = [
    {
      request: { op: 'newlink' as const, link: target.ifindex, slaveData: changes.map(({ spec, value }) => ({ type: spec.attr, value })) },
      action: `set ${changes.map(({ spec, value }) => `${spec.key} ${value}`).join(', ')} on ${slave} in ${bond}`,
      bond,
      slave,
    },
    ...readSteps(bond, { link: current.ifindex }),
  ];
  return stateFrom(await runSteps(netns, steps), 1, bond);
}

function verifySlave(state: BondState, slave: string, changes: SlaveChange[]): void {
  const bond = state.name;
  const after = state.slaves.find((s) => s.name === slave);
  for (const { spec, value } of changes) {
    const reported = after ? slaveValue(after, spec.key) : undefined;
    if (reported !== undefined && reported !== value) {
      throw new BondError({
        errnum: constants.errno.EIO,
        syscall: 'verify',
        action: `verify ${spec.key} of ${slave}`,
        bond,
        slave,
        option: spec.key,
        hint: `the kernel accepted ${spec.key} ${value} but reports ${reported}`,
      });
    }
  }
}

function checkQueueId(bond: BondState, slave: string, queueId: number): void {
  const fail = (message: string) =>
    new ValidationError({ option: 'queueId', value: queueId, allowed: `1-${bond.txQueues}, not used by another slave`, bond: bond.name, message });
  if (queueId > bond.txQueues) throw fail(`queueId ${queueId} of ${slave} is above the ${bond.txQueues} transmit queues of bond ${bond.name}`);
  const user = bond.slaves.find((s) => s.name !== slave && s.queueId === queueId);
  if (user) throw fail(`queueId ${queueId} is already used by ${user.name} in bond ${bond.name}`);
}
