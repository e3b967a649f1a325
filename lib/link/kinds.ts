// The link kinds netbond makes and reads besides bonds, one table entry each: every field of the
// kind's IFLA_INFO_DATA with its attribute number, its name in <linux/if_link.h>, the wire format
// the addon sends and reads it in (native/netlink_attrs.cc has one width table per kind; the two
// are tied by test/unit/native-widths.test.ts), and how its value becomes a NativeAttr and comes
// back from one. A bond's IFLA_INFO_DATA is its option table (option-table.ts), encoded the same
// way. Adding a kind: a table in netlink_attrs.cc with its kKinds row, an entry here, its type.
import { ValidationError, formatValue } from '../errors.js';
import type { NativeAttr, NativeAttrs, NativeAttrValue } from '../native.js';

/** The C++ AttrFormat of a field (netlink_attrs.h). */
export type WireFormat = 'U8' | 'U16' | 'U32' | 'Be16' | 'String' | 'NetnsFd' | 'LinkMessage';

type Raw = NativeAttrs[number] | undefined;

export interface KindField<T> {
  /** The attribute number (IFLA_VLAN_ID is 1). */
  attr: number;
  /** Its name without the kind's prefix, as the C++ table's comment spells it ('ID'). */
  name: string;
  wire: WireFormat;
  /** Integers: the range the kernel takes, checked before any syscall. */
  range?: readonly [number, number];
  /** Words: each word's kernel value; the words are what the API takes and reports. */
  words?: Readonly<Record<string, number>>;
  encode(value: T): NativeAttrValue;
  /** Absent for a field the kernel does not report (a veth's peer). */
  decode?(raw: Raw): T | undefined;
}

type Fields<D> = { readonly [K in keyof D]-?: KindField<Exclude<D[K], undefined>> };

const integer = (attr: number, name: string, wire: 'U8' | 'U16' | 'U32', range: readonly [number, number]): KindField<number> => ({
  attr,
  name,
  wire,
  range,
  encode: (value) => value,
  decode: (raw) => (typeof raw === 'number' ? raw : undefined),
});

const flag = (attr: number, name: string, wire: 'U8' | 'U32'): KindField<boolean> => ({
  attr,
  name,
  wire,
  encode: (value) => (value ? 1 : 0),
  decode: (raw) => (typeof raw === 'number' ? raw !== 0 : undefined),
});

function word<W extends string>(attr: number, name: string, wire: 'U16' | 'U32' | 'Be16', words: Readonly<Record<W, number>>): KindField<W> {
  const names = Object.keys(words) as W[];
  return { attr, name, wire, words, encode: (value) => words[value], decode: (raw) => names.find((w) => words[w] === raw) };
}

export type VlanProtocol = '802.1Q' | '802.1ad';
/** ETH_P_8021Q and ETH_P_8021AD, host order (the addon sends them in network order). */
export const VLAN_PROTOCOLS: Readonly<Record<VlanProtocol, number>> = { '802.1Q': 0x8100, '802.1ad': 0x88a8 };

/**
 * MACVLAN_MODE_*: `private` (no traffic between macvlans of the link), `vepa` (between them only
 * through the switch outside), `bridge` (directly between them), `passthru` (one macvlan takes the
 * link over), `source` (frames picked by source MAC).
 */
export type MacvlanMode = 'private' | 'vepa' | 'bridge' | 'passthru' | 'source';
export const MACVLAN_MODES: Readonly<Record<MacvlanMode, number>> = { private: 1, vepa: 2, bridge: 4, passthru: 8, source: 16 };

/** IPVLAN_MODE_*: l2 (the ipvlans do ARP/ND themselves), l3 (routed, no ARP), l3s (l3 with netfilter). */
export type IpvlanMode = 'l2' | 'l3' | 'l3s';
export const IPVLAN_MODES: Readonly<Record<IpvlanMode, number>> = { l2: 0, l3: 1, l3s: 2 };

/** IPVLAN_F_*: `bridge` (none: the ipvlans talk directly), `private` (not at all), `vepa` (through the switch). */
export type IpvlanFlags = 'bridge' | 'private' | 'vepa';
export const IPVLAN_FLAGS: Readonly<Record<IpvlanFlags, number>> = { bridge: 0, private: 1, vepa: 2 };

export interface VlanData {
  id: number;
  protocol: VlanProtocol;
}
export interface BridgeData {
  /** IFLA_BR_STP_STATE not 0. */
  stp: boolean;
}
export interface MacvlanData {
  mode: MacvlanMode;
}
export interface IpvlanData {
  /** The lower link's, shared by every ipvlan on it: the last one made or changed sets it. */
  mode: IpvlanMode;
  flags: IpvlanFlags;
}
/** The other end of a veth pair: its name, and the path of the namespace file it goes into. */
export interface VethPeer {
  name: string;
  netnsPath?: string;
}
export interface VethData {
  peer: VethPeer;
}

/** IFLA_* of the link message inside VETH_INFO_PEER (native/netlink_attrs.cc kPeerLink). */
export const PEER_LINK_FIELDS: Fields<VethPeer> = {
  name: { attr: 3, name: 'IFNAME', wire: 'String', encode: (value) => value },
  netnsPath: { attr: 28, name: 'NET_NS_FD', wire: 'NetnsFd', encode: (value) => value },
};

export interface KindData {
  vlan: VlanData;
  bridge: BridgeData;
  macvlan: MacvlanData;
  ipvlan: IpvlanData;
  veth: VethData;
}
export type LinkKind = keyof KindData;

export const LINK_KINDS: { readonly [K in LinkKind]: Fields<KindData[K]> } = {
  vlan: {
    id: integer(1, 'ID', 'U16', [1, 4094]),
    protocol: word(5, 'PROTOCOL', 'Be16', VLAN_PROTOCOLS),
  },
  bridge: {
    stp: flag(5, 'STP_STATE', 'U32'),
  },
  macvlan: {
    mode: word(1, 'MODE', 'U32', MACVLAN_MODES),
  },
  ipvlan: {
    mode: word(1, 'MODE', 'U16', IPVLAN_MODES),
    flags: word(2, 'FLAGS', 'U16', IPVLAN_FLAGS),
  },
  veth: {
    peer: { attr: 1, name: 'PEER', wire: 'LinkMessage', encode: (peer) => ({ nested: encodeFields(PEER_LINK_FIELDS, peer) }) },
  },
};

function encodeFields<D extends object>(fields: Fields<D>, data: Partial<D>): NativeAttr[] {
  const out: NativeAttr[] = [];
  for (const key of Object.keys(fields) as (keyof D)[]) {
    const value = data[key];
    if (value !== undefined) out.push({ type: fields[key].attr, value: fields[key].encode(value as Exclude<D[keyof D], undefined>) });
  }
  return out;
}

/** A kind's IFLA_INFO_DATA for the addon (NativeRtnlRequest.infoData): the fields given, in table order. */
export function encodeKindData<K extends LinkKind>(kind: K, data: Partial<KindData[K]>): NativeAttr[] {
  return encodeFields(LINK_KINDS[kind] as Fields<KindData[K]>, data);
}

/** The kinds whose data the kernel reports (a veth reports none). */
export const REPORTED_KINDS = (Object.keys(LINK_KINDS) as LinkKind[]).filter((kind) => Object.values(LINK_KINDS[kind]).every((field: KindField<unknown>) => field.decode));

/**
 * A link's reported IFLA_INFO_DATA (NativeLink.infoData) as its kind's type; undefined for a kind
 * without a table, or when the kernel left out a field (then nothing half-decoded is reported).
 */
export function decodeKindData(kind: string | undefined, attrs: NativeAttrs | undefined): KindData[LinkKind] | undefined {
  if (kind === undefined || !REPORTED_KINDS.includes(kind as LinkKind) || !attrs) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(LINK_KINDS[kind as LinkKind]) as [string, KindField<unknown>][]) {
    const value = field.decode?.(attrs[field.attr]);
    if (value === undefined) return undefined;
    out[key] = value;
  }
  return out as unknown as KindData[LinkKind];
}

/** What a field takes, in words, for its error message. */
function allowedOf(field: KindField<unknown>): string {
  if (field.range) return `integer between ${field.range[0]} and ${field.range[1]}`;
  const words = Object.keys(field.words ?? {}).map((w) => `'${w}'`);
  return words.length > 1 ? `one of ${words.slice(0, -1).join(', ')} or ${words.at(-1)}` : (words[0] ?? 'a value');
}

/**
 * Checks one option of a kind's create call against its table field (a word of its list, an
 * integer in its range); the ValidationError names the link, the option, the value and what is
 * allowed: `Expected one of 'l2', 'l3' or 'l3s' for mode of ipvlan ipvl0 but received "l4"`.
 */
export function validateKindOption<K extends LinkKind, F extends keyof KindData[K]>(kind: K, option: F & string, value: unknown, link: string): KindData[K][F] {
  const field = (LINK_KINDS[kind] as Fields<KindData[K]>)[option] as KindField<unknown>;
  const ok = field.range
    ? typeof value === 'number' && Number.isInteger(value) && value >= field.range[0] && value <= field.range[1]
    : typeof value === 'string' && field.words !== undefined && Object.hasOwn(field.words, value);
  if (!ok) {
    const allowed = allowedOf(field);
    throw new ValidationError({ option, value, allowed, bond: link, message: `Expected ${allowed} for ${option} of ${kind} ${link} but received ${formatValue(value)}` });
  }
  return value as KindData[K][F];
}
