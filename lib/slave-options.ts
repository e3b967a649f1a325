// Options of one slave: queueId, prio, actorPortPrio (IFLA_BOND_SLAVE_* in RTM_NEWLINK on the
// slave). Checked against the kernel's rules first (a queue id the bond has, not used by another
// slave), read back after.
import { constants } from 'node:os';
import { BondError, ValidationError } from './errors.js';
import { runSteps } from './batch.js';
import { validateIfname } from './names.js';
import { resolveNetns, type CallOptions } from './netns.js';
import { BOND_MODES, SLAVE_OPTION_SPECS, type SlaveOptions } from './options.js';
import { readBond, readSteps, runningKernel, stateFrom } from './read.js';
import type { BondState, SlaveState } from './state.js';
import { checkKeys, normalizeEntry } from './validate.js';

const SLAVE_KEYS = SLAVE_OPTION_SPECS.map((spec) => spec.key);

function slaveValue(slave: SlaveState, key: keyof SlaveOptions): number | undefined {
  return key === 'actorPortPrio' ? undefined : slave[key];
}

/** Changes options of one slave of `bond` and returns the bond's state after. */
export async function setSlaveOptions(bond: string, slave: string, options: SlaveOptions, opts: CallOptions = {}): Promise<BondState> {
  validateIfname('bond', bond);
  validateIfname('slave', slave, bond);
  checkKeys(opts, ['netns'], bond);
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError({ option: 'options', value: options, allowed: 'an object of slave options', bond });
  }
  checkKeys(options, SLAVE_KEYS, bond);
  const netns = resolveNetns(opts.netns);
  const current = await readBond(netns, bond);
  const target = current.slaves.find((s) => s.name === slave);
  if (!target) {
    throw new BondError({
      errnum: constants.errno.EINVAL,
      syscall: 'validate',
      action: `set options of ${slave} in ${bond}`,
      bond,
      slave,
      hint: `${slave} is not a slave of ${bond}`,
    });
  }
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

  const steps = [
    {
      request: { op: 'newlink' as const, link: target.ifindex, slaveData: changes.map(({ spec, value }) => ({ type: spec.attr, value })) },
      action: `set ${changes.map(({ spec, value }) => `${spec.key} ${value}`).join(', ')} on ${slave} in ${bond}`,
      bond,
      slave,
    },
    ...readSteps(bond, { link: current.ifindex }),
  ];
  const state = stateFrom(await runSteps(netns, steps), 1, bond);
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
  return state;
}

function checkQueueId(bond: BondState, slave: string, queueId: number): void {
  const fail = (message: string) =>
    new ValidationError({ option: 'queueId', value: queueId, allowed: `1-${bond.txQueues}, not used by another slave`, bond: bond.name, message });
  if (queueId > bond.txQueues) throw fail(`queueId ${queueId} of ${slave} is above the ${bond.txQueues} transmit queues of bond ${bond.name}`);
  const user = bond.slaves.find((s) => s.name !== slave && s.queueId === queueId);
  if (user) throw fail(`queueId ${queueId} is already used by ${user.name} in bond ${bond.name}`);
}
