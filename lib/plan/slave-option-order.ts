// The order in which a plan writes slave options. Most are independent, but the kernel refuses a
// queue id another slave of the bond holds (option table: distinctUnlessZero), one write at a
// time: swapping two slaves' ids must free one first. The kernel's rule is checked on every
// intermediate state here, before any change, so a spec it cannot reach is refused up front.
import { ValidationError } from '../errors.js';
import type { SlaveOptionDef } from '../option-table.js';

/** One slave option that differs from what the slave will have once it is in the bond. */
export interface SlaveOptionChange {
  slave: string;
  def: SlaveOptionDef;
  before: number;
  wanted: number;
}

/** A write in plan order: the wanted value, or 0 to free a value another slave needs first. */
export interface SlaveOptionWrite extends SlaveOptionChange {
  value: number;
  reason: string;
}

const write = (change: SlaveOptionChange, value: number, reason?: string): SlaveOptionWrite => ({
  ...change,
  value,
  reason: reason ?? `${change.def.key} of ${change.slave} is ${change.before}, wanted ${change.wanted}`,
});

/**
 * Orders `changes` (in spec order) so that the kernel takes every write. `valuesOf(def)` gives each
 * slave the bond will have, with its value before the writes (a slave just enslaved has the
 * default). Throws before any change when the end state itself breaks the rule.
 */
export function orderSlaveOptionWrites(bond: string, changes: readonly SlaveOptionChange[], valuesOf: (def: SlaveOptionDef) => Map<string, number>): SlaveOptionWrite[] {
  const writes = changes.filter((c) => !c.def.distinctUnlessZero).map((c) => write(c, c.wanted));
  const distinctDefs = [...new Set(changes.filter((c) => c.def.distinctUnlessZero).map((c) => c.def))];
  for (const def of distinctDefs) writes.push(...orderDistinct(bond, def, changes.filter((c) => c.def === def), valuesOf(def)));
  return writes;
}

function orderDistinct(bond: string, def: SlaveOptionDef, changes: readonly SlaveOptionChange[], now: Map<string, number>): SlaveOptionWrite[] {
  const out: SlaveOptionWrite[] = [];
  const pending = [...changes];
  const holder = (value: number, except: string) => [...now].find(([name, held]) => name !== except && held === value && value !== 0)?.[0];
  while (pending.length > 0) {
    const ready = pending.findIndex((c) => holder(c.wanted, c.slave) === undefined);
    if (ready >= 0) {
      const [change] = pending.splice(ready, 1) as [SlaveOptionChange];
      out.push(write(change, change.wanted));
      now.set(change.slave, change.wanted);
      continue;
    }
    // Every pending value is held. By a slave that keeps it: the end state breaks the rule.
    const blocked = pending.find((c) => !pending.some((p) => p.slave === holder(c.wanted, c.slave)));
    if (blocked) {
      const other = holder(blocked.wanted, blocked.slave);
      throw new ValidationError({
        option: 'slaves',
        value: blocked.wanted,
        allowed: `a ${def.key} no other slave of ${bond} keeps (0 may repeat)`,
        bond,
        message: `${def.key} ${blocked.wanted} of ${blocked.slave} is held by ${other}, which the spec leaves as it is; give ${other} another ${def.key} too`,
      });
    }
    // A cycle (a swap among slaves): the first that holds a value another wants goes through 0.
    const freeing = pending.find((c) => pending.some((p) => p !== c && holder(p.wanted, p.slave) === c.slave)) as SlaveOptionChange;
    const wantedBy = pending.find((p) => p !== freeing && holder(p.wanted, p.slave) === freeing.slave) as SlaveOptionChange;
    const held = now.get(freeing.slave) as number;
    out.push(write(freeing, 0, `${wantedBy.slave} needs ${def.key} ${held} of ${freeing.slave}, which takes ${freeing.wanted} once ${held} is free`));
    now.set(freeing.slave, 0);
    pending[pending.indexOf(freeing)] = { ...freeing, before: 0 };
  }
  return out;
}
