// Slave option writes in an order the kernel takes: it refuses, write by write, a queue id that
// another slave of the bond holds (issue 33 case 1: a swap of two ids failed and was rolled back).
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.js';
import { SLAVE_OPTION_DEFS } from '../../lib/option-table.js';
import { orderSlaveOptionWrites, type SlaveOptionChange } from '../../lib/plan/slave-option-order.js';

const QUEUE = SLAVE_OPTION_DEFS.find((def) => def.key === 'queueId')!;
const PRIO = SLAVE_OPTION_DEFS.find((def) => def.key === 'prio')!;

/** The writes for `wanted` queue ids over `now` (every slave of the bond), as [slave, value]. */
function queueWrites(now: Record<string, number>, wanted: Record<string, number>): [string, number][] {
  const changes: SlaveOptionChange[] = Object.entries(wanted)
    .filter(([slave, value]) => now[slave] !== value)
    .map(([slave, value]) => ({ slave, def: QUEUE, before: now[slave] ?? 0, wanted: value }));
  const writes = orderSlaveOptionWrites('bond0', changes, () => new Map(Object.entries(now)));
  // Replay them under the kernel's rule: no write may take a nonzero id another slave holds.
  const state = { ...now };
  for (const { slave, value } of writes) {
    const holder = Object.entries(state).find(([other, held]) => other !== slave && held === value && value !== 0);
    expect(holder, `${slave} -> ${value}`).toBeUndefined();
    state[slave] = value;
  }
  expect(state).toEqual({ ...now, ...wanted });
  return writes.map((w) => [w.slave, w.value]);
}

describe('queue ids', () => {
  it('a swap frees the id first: e2 -> 0, then e1 -> 1', () => {
    expect(queueWrites({ e1: 0, e2: 1 }, { e1: 1, e2: 0 })).toEqual([['e2', 0], ['e1', 1]]);
  });
  it('a swap of two nonzero ids goes through 0 once', () => {
    expect(queueWrites({ e1: 1, e2: 2 }, { e1: 2, e2: 1 })).toEqual([['e1', 0], ['e2', 1], ['e1', 2]]);
  });
  it('a rotation of three', () => {
    expect(queueWrites({ e1: 1, e2: 2, e3: 3 }, { e1: 2, e2: 3, e3: 1 })).toHaveLength(4);
  });
  it('a chain needs no detour: each id is freed before it is taken', () => {
    expect(queueWrites({ e1: 1, e2: 2, e3: 0 }, { e1: 2, e2: 3, e3: 1 })).toEqual([['e2', 3], ['e1', 2], ['e3', 1]]);
  });
  it('an id a slave keeps is refused before any change, naming both slaves', () => {
    expect(() => queueWrites({ e1: 0, e2: 1 }, { e1: 1 })).toThrow(ValidationError);
    expect(() => queueWrites({ e1: 0, e2: 1 }, { e1: 1 })).toThrow(/queueId 1 of e1 is held by e2, which the spec leaves as it is/u);
  });
  it('options without the rule keep the spec order', () => {
    const changes: SlaveOptionChange[] = [
      { slave: 'e1', def: PRIO, before: 0, wanted: 5 },
      { slave: 'e2', def: PRIO, before: 0, wanted: 5 },
    ];
    expect(orderSlaveOptionWrites('bond0', changes, () => new Map()).map((w) => [w.slave, w.value])).toEqual([['e1', 5], ['e2', 5]]);
  });
});
