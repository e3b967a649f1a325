// setSlaveOptions: queueId, prio, actorPortPrio of one slave (IFLA_BOND_SLAVE_*, or queue_id
// over sysfs). Checked against the kernel's rules first (a queue id the bond has, not used by
// another slave), read back after.
import { constants } from 'node:os';
import { BondError, ValidationError } from '../errors.js';
import { resolveCall, type CallOptions } from '../call/options.js';
import { BOND_MODES, SLAVE_OPTION_DEFS, type SlaveOptions } from '../option-table.js';
import { checkKeys } from '../validate/keys.js';
import { validateIfname } from '../validate/names.js';
import { normalizeEntry } from '../validate/options.js';
import { checkDriverHas, slaveOptionNeeds } from '../features/check.js';
import type { SlaveChange } from '../bond/backend.js';
import { backendOf } from '../backends/backend-of.js';
import { checkQueueId, findSlave } from '../bond/slave-checks.js';
import type { BondState, SlaveState } from '../bond/state.js';

const SLAVE_KEYS = SLAVE_OPTION_DEFS.map((def) => def.key);

/** The value the kernel reports for a slave option; actorPortPrio is not in SlaveState. */
function slaveValue(slave: SlaveState, key: keyof SlaveOptions): number | undefined {
  return slave[key];
}

/** Changes options of one slave of `bond` and returns the bond's state after. */
export async function setSlaveOptions(bond: string, slave: string, options: SlaveOptions, opts: CallOptions = {}): Promise<BondState> {
  validateIfname('bond', bond);
  validateIfname('slave', slave, bond);
  const { netns, backend: name } = resolveCall(opts, bond);
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError({ option: 'options', value: options, allowed: 'an object of slave options', bond });
  }
  checkKeys(options, SLAVE_KEYS, bond);
  const backend = backendOf(name);
  backend.checkSettable(bond, SLAVE_OPTION_DEFS.filter((def) => options[def.key] !== undefined));
  const current = await backend.readBond(netns, bond, false);
  const target = findSlave(current, slave, `set options of ${slave} in ${bond}`);
  const ctx = { bond, mode: BOND_MODES.indexOf(current.mode), currentMiimon: current.miimon ?? 0 };
  const changes: SlaveChange[] = SLAVE_OPTION_DEFS.flatMap((def) => {
    const raw = options[def.key];
    if (raw === undefined) return [];
    const value = normalizeEntry(def, raw, ctx) as number;
    return slaveValue(target, def.key) === value ? [] : [{ def, value }];
  });
  const queueId = changes.find((c) => c.def.key === 'queueId')?.value;
  if (queueId !== undefined && queueId > 0) checkQueueId(current, slave, queueId);
  if (changes.length === 0) return current;
  await checkDriverHas(netns, bond, slaveOptionNeeds(changes));
  const state = await backend.setSlaveOptions(netns, current, target, changes);
  verifySlave(state, slave, changes);
  return state;
}

function verifySlave(state: BondState, slave: string, changes: readonly SlaveChange[]): void {
  const bond = state.name;
  const after = state.slaves.find((s) => s.name === slave);
  for (const { def, value } of changes) {
    const reported = after ? slaveValue(after, def.key) : undefined;
    if (reported !== undefined && reported !== value) {
      throw new BondError({
        errnum: constants.errno.EIO,
        syscall: 'verify',
        action: `verify ${def.key} of ${slave}`,
        bond,
        slave,
        option: def.key,
        hint: `the kernel accepted ${def.key} ${value} but reports ${reported}`,
      });
    }
  }
}
