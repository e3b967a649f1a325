// The link kinds' tables (lib/link/kinds.ts): what each kind's data encodes to for the addon, what
// the addon's decoded IFLA_INFO_DATA reads back as, and the checks of a create call's options.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.js';
import { decodeLinkInfo } from '../../lib/link/info.js';
import { decodeKindData, encodeKindData, REPORTED_KINDS, validateKindOption } from '../../lib/link/kinds.js';
import type { NativeLink } from '../../lib/native.js';

describe('encodeKindData', () => {
  it('gives each field its attribute number and kernel value, in table order', () => {
    expect(encodeKindData('vlan', { protocol: '802.1ad', id: 300 })).toEqual([
      { type: 1, value: 300 },
      { type: 5, value: 0x88a8 },
    ]);
    expect(encodeKindData('macvlan', { mode: 'bridge' })).toEqual([{ type: 1, value: 4 }]);
    expect(encodeKindData('macvlan', { mode: 'source' })).toEqual([{ type: 1, value: 16 }]);
    expect(encodeKindData('ipvlan', { mode: 'l2', flags: 'private' })).toEqual([
      { type: 1, value: 0 },
      { type: 2, value: 1 },
    ]);
    expect(encodeKindData('bridge', { stp: true })).toEqual([{ type: 5, value: 1 }]);
    expect(encodeKindData('bridge', { stp: false })).toEqual([{ type: 5, value: 0 }]);
  });

  it('leaves out what is not given (the kernel then applies its default)', () => {
    expect(encodeKindData('macvlan', {})).toEqual([]);
    expect(encodeKindData('ipvlan', { flags: 'vepa' })).toEqual([{ type: 2, value: 2 }]);
  });

  it("nests a veth's peer as a link message: IFLA_IFNAME, then IFLA_NET_NS_FD from the namespace path", () => {
    expect(encodeKindData('veth', { peer: { name: 'p1', netnsPath: '/run/netns/sw' } })).toEqual([
      { type: 1, value: { nested: [{ type: 3, value: 'p1' }, { type: 28, value: '/run/netns/sw' }] } },
    ]);
    expect(encodeKindData('veth', { peer: { name: 'p1' } })).toEqual([{ type: 1, value: { nested: [{ type: 3, value: 'p1' }] } }]);
  });
});

describe('decodeKindData', () => {
  it('reads every reported kind back from the attributes the addon decoded', () => {
    expect(decodeKindData('vlan', { 1: 300, 5: 0x88a8, 2: Buffer.alloc(8) })).toEqual({ id: 300, protocol: '802.1ad' });
    expect(decodeKindData('bridge', { 5: 2 })).toEqual({ stp: true });
    expect(decodeKindData('macvlan', { 1: 2 })).toEqual({ mode: 'vepa' });
    expect(decodeKindData('ipvlan', { 1: 2, 2: 0 })).toEqual({ mode: 'l3s', flags: 'bridge' });
  });

  it('reports nothing half-decoded: a missing field, an unknown value, a kind without a table', () => {
    expect(decodeKindData('ipvlan', { 1: 0 })).toBeUndefined();
    expect(decodeKindData('macvlan', { 1: 3 })).toBeUndefined();
    expect(decodeKindData('vlan', { 1: 5, 5: 0x1234 })).toBeUndefined();
    expect(decodeKindData('dummy', { 1: 1 })).toBeUndefined();
    expect(decodeKindData('bond', { 1: 1 })).toBeUndefined();
    expect(decodeKindData('veth', {})).toBeUndefined();
    expect(decodeKindData(undefined, undefined)).toBeUndefined();
  });

  it('lists the kinds the kernel reports data for (a veth reports none)', () => {
    expect([...REPORTED_KINDS].sort()).toEqual(['bridge', 'ipvlan', 'macvlan', 'vlan']);
  });

  it('puts the data under the kind in getLink and listLinks', () => {
    const link = (kind: string, infoData: NativeLink['infoData'], extra: Partial<NativeLink> = {}): NativeLink => ({ ifindex: 5, ifname: 'x0', flags: 0, mtu: 1500, operstate: 2, address: Buffer.alloc(6), master: 0, numTxQueues: 1, kind, infoData, ...extra });
    const names = (i: number) => (i === 3 ? 'bond0' : undefined);
    expect(decodeLinkInfo(link('macvlan', { 1: 4 }, { parent: 3 }), names)).toMatchObject({ kind: 'macvlan', parent: 'bond0', macvlan: { mode: 'bridge' } });
    expect(decodeLinkInfo(link('ipvlan', { 1: 0, 2: 1 }, { parent: 9, linkNetnsId: 0 }), names)).toMatchObject({ kind: 'ipvlan', parent: 9, parentNetnsId: 0, ipvlan: { mode: 'l2', flags: 'private' } });
    expect(decodeLinkInfo(link('vlan', { 1: 100, 5: 0x8100 }, { parent: 3 }), names)).toMatchObject({ vlan: { id: 100, protocol: '802.1Q' } });
    const veth = decodeLinkInfo(link('veth', {}), names);
    expect(Object.keys(veth)).not.toContain('veth');
  });
});

describe('validateKindOption', () => {
  it('takes the words and the range of the table', () => {
    expect(validateKindOption('macvlan', 'mode', 'passthru', 'mv0')).toBe('passthru');
    expect(validateKindOption('ipvlan', 'flags', 'vepa', 'iv0')).toBe('vepa');
    expect(validateKindOption('vlan', 'id', 4094, 'v0')).toBe(4094);
  });

  it('names the link, the option, the value and what is allowed', () => {
    const refused = (call: () => unknown) => {
      try {
        call();
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).message;
      }
      throw new Error('not refused');
    };
    expect(refused(() => validateKindOption('macvlan', 'mode', 'bridged', 'mv0'))).toBe(
      `Expected one of 'private', 'vepa', 'bridge', 'passthru' or 'source' for mode of macvlan mv0 but received "bridged"`,
    );
    expect(refused(() => validateKindOption('ipvlan', 'mode', 'l4', 'iv0'))).toBe(`Expected one of 'l2', 'l3' or 'l3s' for mode of ipvlan iv0 but received "l4"`);
    expect(refused(() => validateKindOption('ipvlan', 'flags', 4, 'iv0'))).toBe(`Expected one of 'bridge', 'private' or 'vepa' for flags of ipvlan iv0 but received 4`);
    expect(refused(() => validateKindOption('vlan', 'id', 0, 'v0'))).toBe('Expected integer between 1 and 4094 for id of vlan v0 but received 0');
    expect(refused(() => validateKindOption('macvlan', 'mode', 'toString', 'mv0'))).toContain('for mode of macvlan mv0');
  });
});
