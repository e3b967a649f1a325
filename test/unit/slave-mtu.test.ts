// The one rule of a bond's MTU against its slaves' drivers (lib/validate/net.ts checkSlavesTakeMtu)
// and where applyBond applies it, before any change (lib/plan/preflight.ts). The kernel's side, on
// real e1000 and e100 drivers: test/qemu/mtu.test.ts.
import { describe, expect, it } from 'vitest';
import { failureOf } from '../../lib/cli/exit.js';
import type { NativeLink } from '../../lib/native.js';
import { normalizeSpec } from '../../lib/plan/normalize.js';
import { refuseImpossible } from '../../lib/plan/preflight.js';
import type { LiveBond } from '../../lib/plan/types.js';
import { checkSlavesTakeMtu } from '../../lib/validate/net.js';
import { validationError } from './helpers/errors.js';
import { bond, slave } from './helpers/states.js';

// The ranges the drivers report under QEMU (ip -d -j link show: min_mtu, max_mtu).
const E1000 = { minMtu: 46, maxMtu: 16110 };
const E100 = { minMtu: 68, maxMtu: 1500 };

describe('checkSlavesTakeMtu', () => {
  it('takes an MTU within every slave’s range, the ends included', () => {
    expect(() => checkSlavesTakeMtu('bond0', 9000, [{ ifname: 'e1k0', ...E1000 }, { ifname: 'e1k1', ...E1000 }])).not.toThrow();
    expect(() => checkSlavesTakeMtu('bond0', 1500, [{ ifname: 'e1k0', ...E1000 }, { ifname: 'e100a', ...E100 }])).not.toThrow();
    expect(() => checkSlavesTakeMtu('bond0', 16110, [{ ifname: 'e1k0', ...E1000 }])).not.toThrow();
    expect(() => checkSlavesTakeMtu('bond0', 68, [{ ifname: 'e100a', ...E100 }])).not.toThrow();
    expect(() => checkSlavesTakeMtu('bond0', 9000, [])).not.toThrow();
  });

  it('refuses an MTU above a slave’s maximum, naming the bond, the slave, the value and the limit', () => {
    const error = validationError(() => checkSlavesTakeMtu('bond0', 9000, [{ ifname: 'e1k0', ...E1000 }, { ifname: 'e100a', ...E100 }]));
    expect(error.message).toBe("bond0: mtu 9000 is above e100a's maximum 1500 (its driver's limit; a bond's slaves take its MTU)");
    expect(error).toMatchObject({ code: 'EINVAL', errno: -22, syscall: 'validate', bond: 'bond0', slave: 'e100a', option: 'mtu', value: 9000, allowed: "68-1500, what e100a's driver takes" });
    expect(validationError(() => checkSlavesTakeMtu('bond0', 1501, [{ ifname: 'e100a', ...E100 }])).slave).toBe('e100a');
  });

  it('refuses an MTU below a slave’s minimum', () => {
    const error = validationError(() => checkSlavesTakeMtu('bond1', 1000, [{ ifname: 'fddi0', minMtu: 1280, maxMtu: 4352 }]));
    expect(error.message).toBe("bond1: mtu 1000 is below fddi0's minimum 1280 (its driver's limit; a bond's slaves take its MTU)");
    expect(error).toMatchObject({ bond: 'bond1', slave: 'fddi0', value: 1000, allowed: "1280-4352, what fddi0's driver takes" });
  });

  it('names the first slave that does not take it', () => {
    expect(validationError(() => checkSlavesTakeMtu('bond0', 9000, [{ ifname: 'e100b', ...E100 }, { ifname: 'e100a', ...E100 }])).slave).toBe('e100b');
  });

  it('reads a maximum of 0 as no limit, and checks nothing a kernel did not report', () => {
    expect(() => checkSlavesTakeMtu('bond0', 65535, [{ ifname: 'lo', minMtu: 0, maxMtu: 0 }])).not.toThrow();
    expect(() => checkSlavesTakeMtu('bond0', 9000, [{ ifname: 'eth0' }])).not.toThrow();
    expect(validationError(() => checkSlavesTakeMtu('bond0', 9000, [{ ifname: 'eth0', maxMtu: 1500 }])).allowed).toBe("68-1500, what eth0's driver takes");
  });

  it('is a usage error on the command line, with the slave in its JSON', () => {
    const failure = failureOf(validationError(() => checkSlavesTakeMtu('bond0', 9000, [{ ifname: 'e100a', ...E100 }])));
    expect(failure.exitCode).toBe(2);
    expect(failure.report).toMatchObject({ name: 'ValidationError', code: 'EINVAL', bond: 'bond0', slave: 'e100a', option: 'mtu' });
  });
});

/** A link as the addon returns it, with its driver's MTU range. */
function link(ifindex: number, ifname: string, range: { minMtu?: number; maxMtu?: number }, extra: Partial<NativeLink> = {}): NativeLink {
  return { ifindex, ifname, flags: 0, mtu: 1500, operstate: 0, address: Buffer.alloc(6), master: 0, numTxQueues: 1, ...range, ...extra };
}

const BOND_LINK = link(7, 'bond0', { minMtu: 68, maxMtu: 65535 }, { kind: 'bond' });
const absent = (links: NativeLink[]): LiveBond => ({ exists: false, slaveOrder: [], addresses: [], routes: [], vlans: [], links });
const present = (state: ReturnType<typeof bond>, links: NativeLink[]): LiveBond => ({ ...absent(links), exists: true, state, slaveOrder: state.slaves.map((s) => s.name) });
const refuse = (spec: Parameters<typeof normalizeSpec>[0], live: LiveBond) => () => refuseImpossible([normalizeSpec(spec)], new Map([[spec.name, live]]));

describe('applyBond refuses, before any change, a bond MTU a slave’s driver does not take', () => {
  const free = [link(2, 'e1k0', E1000), link(3, 'e1k1', E1000), link(4, 'e100a', E100)];

  it('a new bond: the spec’s MTU against the slaves it lists', () => {
    expect(refuse({ name: 'bond0', mode: 'active-backup', mtu: 9000, slaves: ['e1k0', 'e1k1'] }, absent(free))).not.toThrow();
    const error = validationError(refuse({ name: 'bond0', mode: 'active-backup', mtu: 9000, slaves: ['e1k0', 'e100a'] }, absent(free)));
    expect(error).toMatchObject({ bond: 'bond0', slave: 'e100a', value: 9000 });
    // Without an MTU a new bond has 1500, which the e100 takes.
    expect(refuse({ name: 'bond0', mode: 'active-backup', slaves: ['e1k0', 'e100a'] }, absent(free))).not.toThrow();
  });

  it('an existing bond: the MTU it keeps against a slave the spec adds', () => {
    const at9000 = bond({ mtu: 9000, slaves: [slave('e1k0', { ifindex: 2, mtu: 9000 })] });
    const links = [{ ...BOND_LINK, mtu: 9000 }, link(2, 'e1k0', E1000, { master: 7, mtu: 9000 }), link(4, 'e100a', E100)];
    expect(validationError(refuse({ name: 'bond0', slaves: ['e1k0', 'e100a'] }, present(at9000, links)))).toMatchObject({ slave: 'e100a', value: 9000 });
    expect(refuse({ name: 'bond0', mtu: 1500, slaves: ['e1k0', 'e100a'] }, present(at9000, links))).not.toThrow();
  });

  it('an existing bond: a new MTU against the slaves it keeps when the spec lists none', () => {
    const mixed = bond({ slaves: [slave('e1k0', { ifindex: 2 }), slave('e100a', { ifindex: 4, state: 'backup' })] });
    const links = [BOND_LINK, link(2, 'e1k0', E1000, { master: 7 }), link(4, 'e100a', E100, { master: 7 })];
    expect(validationError(refuse({ name: 'bond0', mtu: 9000 }, present(mixed, links)))).toMatchObject({ slave: 'e100a', value: 9000 });
    // The e100 is left out: only the e1000 carries the new MTU.
    expect(refuse({ name: 'bond0', mtu: 9000, slaves: ['e1k0'] }, present(mixed, links))).not.toThrow();
  });

  it('a bond to delete is not checked', () => {
    expect(refuse({ name: 'bond0', state: 'absent', mtu: 9000 }, present(bond({ slaves: [slave('e100a', { ifindex: 4 })] }), [BOND_LINK, link(4, 'e100a', E100, { master: 7 })]))).not.toThrow();
  });
});
