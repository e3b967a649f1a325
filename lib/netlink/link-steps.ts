// rtnetlink steps for any link: up/down, an address, a route. The link helpers, the bond
// backend and the declarative engine all build their requests here.
import type { NativeLinkRef } from '../native.js';
import { ipBytes, type Cidr, type Family } from '../validate/net.js';
import type { Step } from './batch.js';
import { AF_INET, AF_INET6, RT_TABLE_MAIN } from './constants.js';

const afOf = (family: Family) => (family === 4 ? AF_INET : AF_INET6);

export function linkUpStep(link: NativeLinkRef, name: string, up: boolean, extra: Partial<Step> = {}): Step {
  return { request: { op: 'newlink', link, up }, action: `set ${name} ${up ? 'up' : 'down'}`, ...extra };
}

export function addressStep(link: NativeLinkRef, name: string, cidr: Cidr, add: boolean, broadcast?: string): Step {
  return {
    request: {
      op: add ? 'newaddr' : 'deladdr',
      link,
      addr: { family: afOf(cidr.family), prefixLen: cidr.prefix, local: ipBytes(cidr.address), ...(broadcast ? { broadcast: ipBytes(broadcast) } : {}) },
    },
    action: `${add ? 'add' : 'remove'} address ${cidr.text} ${add ? 'to' : 'from'} ${name}`,
    hints: { EEXIST: `${name} already has ${cidr.text}`, EADDRNOTAVAIL: `${name} has no address ${cidr.text}` },
  };
}

/** A validated route through one device (see lib/link/routes.ts parseRoute). */
export interface ParsedRoute {
  /** 'default' or the network's CIDR. */
  destination: string;
  family: Family;
  /** The destination network; prefix 0 for the default route. */
  cidr: Cidr;
  gateway?: string;
  metric?: number;
  dev: string;
  /** As `ip route` writes it: "10.0.0.0/24 via 10.1.0.1 dev bond0 metric 5". */
  text: string;
}

export function routeStep(link: NativeLinkRef, route: ParsedRoute, add: boolean): Step {
  const { cidr } = route;
  return {
    request: {
      op: add ? 'newroute' : 'delroute',
      link,
      route: {
        family: afOf(route.family),
        dstLen: cidr.prefix,
        ...(cidr.prefix > 0 ? { dst: ipBytes(cidr.address) } : {}),
        ...(route.gateway ? { gateway: ipBytes(route.gateway) } : {}),
        ...(route.metric !== undefined ? { metric: route.metric } : {}),
        table: RT_TABLE_MAIN,
      },
    },
    action: `${add ? 'add' : 'remove'} route ${route.text}`,
    hints: { EEXIST: `the route ${route.text} exists already`, ESRCH: `no route ${route.text}` },
  };
}
