// A slave's speed and duplex: what the driver or the bond reports, null while the kernel does not
// know it or the link is down or without carrier; over netlink, from the addon's portSpeeds answer
// (SIOCETHTOOL), none in a notification (a watcher).
import { describe, expect, it } from 'vitest';
import { slaveLinkSpeed, withSlaveSpeeds } from '../../lib/bond/state.js';
import { toState } from '../../lib/backends/netlink/read.js';
import type { NativeLink } from '../../lib/native.js';
import { IFF_LOWER_UP, IFF_UP } from '../../lib/netlink/constants.js';
import { bond, slave } from './helpers/states.js';

const KNOWN = { speed: 1000, duplex: 'full' } as const;
const NONE = { speed: null, duplex: null };

describe('slaveLinkSpeed', () => {
  it('is what the bond reports while the link is up with carrier', () => {
    expect(slaveLinkSpeed(KNOWN, { up: true, carrier: true })).toEqual(KNOWN);
    expect(slaveLinkSpeed({ speed: 100, duplex: 'half' }, { up: true, carrier: true })).toEqual({ speed: 100, duplex: 'half' });
  });

  it('is null while the kernel does not know it, or says nothing', () => {
    expect(slaveLinkSpeed({ speed: null, duplex: null }, { up: true, carrier: true })).toEqual(NONE);
    expect(slaveLinkSpeed({}, { up: true, carrier: true })).toEqual(NONE);
    expect(slaveLinkSpeed(undefined, { up: true, carrier: true })).toEqual(NONE);
  });

  it('is null while the link is down or has no carrier, whatever the driver still says (a veth says 10000/full)', () => {
    expect(slaveLinkSpeed({ speed: 10000, duplex: 'full' }, { up: true, carrier: false })).toEqual(NONE);
    expect(slaveLinkSpeed({ speed: 10000, duplex: 'full' }, { up: false, carrier: true })).toEqual(NONE);
  });
});

describe('withSlaveSpeeds', () => {
  it('gives each slave its own by name, and null to a slave the file did not list (enslaved after it was read)', () => {
    const state = bond({ slaves: [slave('eth0', NONE), slave('eth1', { ...NONE, carrier: false }), slave('eth2', NONE)] });
    const speeds = new Map([
      ['eth0', KNOWN],
      ['eth1', { speed: 10000, duplex: 'full' as const }],
    ]);
    expect(withSlaveSpeeds(state, speeds).slaves.map((s) => [s.name, s.speed, s.duplex])).toEqual([
      ['eth0', 1000, 'full'],
      ['eth1', null, null],
      ['eth2', null, null],
    ]);
    expect(withSlaveSpeeds(state, undefined).slaves.every((s) => s.speed === null && s.duplex === null)).toBe(true);
    expect(state.slaves[0]?.speed).toBeNull();
  });
});

describe('toState over rtnetlink', () => {
  const link = (ifname: string, ifindex: number, more: Partial<NativeLink>): NativeLink =>
    ({ ifname, ifindex, address: Buffer.alloc(6), mtu: 1500, flags: IFF_UP | IFF_LOWER_UP, operstate: 6, master: 0, numTxQueues: 16, ...more }) as NativeLink;

  const port = (name: string, ifindex: number, more: Partial<NativeLink> = {}) => link(name, ifindex, { master: 7, slaveKind: 'bond', slaveData: {}, ...more });
  const bondLink = link('bond0', 7, { kind: 'bond', infoData: {} });

  it('decodes the driver\'s answer: Mb/s, and DUPLEX_HALF 0 / DUPLEX_FULL 1', () => {
    const state = toState(bondLink, [port('eth0', 2, { speed: 1000, duplex: 1 }), port('eth1', 3, { speed: 100, duplex: 0 })]);
    expect(state.slaves.map((s) => [s.name, s.speed, s.duplex])).toEqual([
      ['eth0', 1000, 'full'],
      ['eth1', 100, 'half'],
    ]);
  });

  it('has none without the answer (a watcher\'s notices), or while the port has no carrier', () => {
    const state = toState(bondLink, [port('eth0', 2), port('eth1', 3, { speed: 10000, duplex: 1, carrier: false }), port('eth2', 4, { speed: 10000, duplex: 7 })]);
    expect(state.slaves.map((s) => [s.name, s.speed, s.duplex])).toEqual([
      ['eth0', null, null],
      ['eth1', null, null],
      ['eth2', 10000, null],
    ]);
  });
});
