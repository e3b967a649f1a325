// Decoding of what every link reports (RTM_NEWLINK): its flags, operational state and MAC. The
// bond's own attributes are decoded by the bond backend (lib/backends/netlink/decode.ts).
import type { NativeLink } from '../native.js';
import { IFF_LOWER_UP, IFF_UP } from './constants.js';

/** RFC 2863 operational state, as IFLA_OPERSTATE numbers it. */
export type OperState = 'unknown' | 'notpresent' | 'down' | 'lowerlayerdown' | 'testing' | 'dormant' | 'up';

export const OPERSTATES: readonly OperState[] = ['unknown', 'notpresent', 'down', 'lowerlayerdown', 'testing', 'dormant', 'up'];

export function formatMac(bytes: Uint8Array | undefined): string {
  return bytes ? Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(':') : '';
}

/** Administratively up (IFF_UP). */
export function linkUp(link: NativeLink): boolean {
  return (link.flags & IFF_UP) !== 0;
}

/** Carrier: the kernel's IFLA_CARRIER, else IFF_LOWER_UP. */
export function linkCarrier(link: NativeLink): boolean {
  return link.carrier ?? (link.flags & IFF_LOWER_UP) !== 0;
}
