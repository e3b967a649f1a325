// The order of several bonds in one transaction (lib/plan/order.ts): a bond that takes
// another's slave goes after it; bonds that take each other's slaves (issue 33 case 2: a swap was
// refused as "apply them in two transactions") have the contested slaves released first.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.js';
import { applyBonds } from '../../lib/declarative/apply.js';
import { normalizeSpec } from '../../lib/plan/normalize.js';
import { applyOrder } from '../../lib/plan/order.js';
import type { NativeLink } from '../../lib/native.js';

/** Links as a dump gives them: bonds first, then each slave with its master's ifindex. */
function links(masters: Record<string, string[]>): NativeLink[] {
  const out: NativeLink[] = [];
  for (const bond of Object.keys(masters)) out.push({ ifindex: out.length + 1, ifname: bond, master: 0 } as NativeLink);
  for (const [bond, slaves] of Object.entries(masters)) {
    const master = out.find((l) => l.ifname === bond)!.ifindex;
    for (const slave of slaves) out.push({ ifindex: out.length + 1, ifname: slave, master } as NativeLink);
  }
  return out;
}
const spec = (name: string, slaves: string[]) => normalizeSpec({ name, slaves });
const order = (specs: ReturnType<typeof spec>[], now: Record<string, string[]>) => {
  const { ordered, releasedFirst } = applyOrder(specs, links(now));
  return { ordered: ordered.map((s) => s.name), releasedFirst };
};

describe('applyOrder', () => {
  it('puts a bond that takes a slave after the bond that has it, and releases nothing first', () => {
    expect(order([spec('b1', ['e2', 'e3']), spec('b0', ['e1'])], { b0: ['e1', 'e2'], b1: [] })).toEqual({ ordered: ['b0', 'b1'], releasedFirst: [] });
  });
  it('a swap: both contested slaves released first, then the order given', () => {
    expect(order([spec('b8', ['e2']), spec('b9', ['e1'])], { b8: ['e1'], b9: ['e2'] })).toEqual({
      ordered: ['b8', 'b9'],
      releasedFirst: [{ bond: 'b9', slave: 'e2', takenBy: 'b8' }, { bond: 'b8', slave: 'e1', takenBy: 'b9' }],
    });
  });
  it('a rotation of three bonds', () => {
    const result = order([spec('b1', ['e2']), spec('b2', ['e3']), spec('b3', ['e1'])], { b1: ['e1'], b2: ['e2'], b3: ['e3'] });
    expect(result.ordered).toEqual(['b1', 'b2', 'b3']);
    expect(result.releasedFirst.map((c) => c.slave).sort()).toEqual(['e1', 'e2', 'e3']);
  });
  it('a slave named in two bonds of one transaction is refused before anything runs', async () => {
    await expect(applyBonds([{ name: 'b8', slaves: ['e1'] }, { name: 'b9', slaves: ['e1'] }])).rejects.toThrow(ValidationError);
    await expect(applyBonds([{ name: 'b8', slaves: ['e1'] }, { name: 'b9', slaves: ['e1'] }])).rejects.toThrow('e1 is a slave of both b8 and b9 in one transaction');
  });
});
