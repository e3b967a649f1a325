// Routes as commands write them: route(8) (`route add -net A netmask M gw G dev bond0`) and the
// arguments of `ip route add` (also the lines of ifcfg route-<dev> files). A route is imported
// whole or not at all: one with another table or source is a different route than a spec holds.
import { checkRoute, type RouteInput } from './checks.js';
import type { FileFacts } from './facts.js';
import { classfulPrefix, prefixOfNetmask } from './net.js';
import { familyOf } from '../../validate/net.js';

export interface ParsedRoute {
  input?: RouteInput;
  dev?: string;
  /** Why the route cannot be imported. */
  problems: string[];
  /** What was skipped while the route is still imported. */
  notes: string[];
}

/** Imports a parsed route through its device, or warns with every reason it cannot. */
export function recordRoute(parsed: ParsedRoute, line: number, key: string, out: FileFacts): void {
  const what = parsed.input ? `route ${parsed.input.destination}` : 'route';
  const problems = [...parsed.problems];
  if (parsed.input) {
    const checked = checkRoute(parsed.input);
    if (!checked.ok) problems.push(checked.error);
  } else {
    problems.push('no destination');
  }
  if (parsed.dev === undefined) problems.push('it names no device, so it is not known to go through a bond');
  if (problems.length > 0 || !parsed.input || parsed.dev === undefined) {
    out.warn(line, key, `${what}: ${problems.join('; ')}; not imported`);
    return;
  }
  if (parsed.notes.length > 0) out.warn(line, key, `${what}: ${parsed.notes.join('; ')}`);
  out.route(parsed.dev, parsed.input, line, key);
}

/** route(8) words that take a value or are flags, all of which make a route a spec cannot hold. */
const ROUTE8_WITH_VALUE = new Set(['mss', 'window', 'irtt']);
const ROUTE8_FLAGS = new Set(['reject', 'mod', 'dyn', 'reinstate']);

/** route(8): add [-net|-host] target [netmask M] [gw G] [metric N] [[dev] IF]. */
export function routeCommand(args: string[], line: number, out: FileFacts): boolean {
  const words = args.filter((a) => a !== '-n' && a !== '-v' && a !== '-4' && a !== '-6');
  const inet6 = args.includes('-6') || (words[0] === '-A' && words[1] === 'inet6');
  if (words[0] === '-A') words.splice(0, 2);
  if (words[0] !== 'add') return false;
  const parsed: ParsedRoute = { problems: [], notes: [] };
  let target: string | undefined;
  let netmask: string | undefined;
  let host = false;
  let gateway: string | undefined;
  let metric: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const word = words[i] as string;
    const next = () => words[++i];
    if (word === '-net') continue;
    else if (word === '-host') host = true;
    else if (word === 'netmask') netmask = next();
    else if (word === 'gw' || word === 'gateway') gateway = next();
    else if (word === 'metric') metric = next();
    else if (word === 'dev') parsed.dev = next();
    else if (ROUTE8_WITH_VALUE.has(word)) parsed.problems.push(`'${word} ${next() ?? ''}' is not expressible in a bond spec`);
    else if (ROUTE8_FLAGS.has(word)) parsed.problems.push(`'${word}' is not expressible in a bond spec`);
    else if (target === undefined) target = word;
    else if (parsed.dev === undefined) parsed.dev = word;
    else parsed.problems.push(`unexpected '${word}'`);
  }
  if (target !== undefined) {
    let destination = target;
    if (target !== 'default' && !target.includes('/')) {
      const family = inet6 ? 6 : (familyOf(target) ?? 4);
      const prefix = netmask !== undefined ? prefixOfNetmask(netmask) : host ? (family === 4 ? 32 : 128) : family === 4 ? classfulPrefix(target) : 128;
      if (prefix === undefined) parsed.problems.push(`netmask ${netmask} is not a netmask`);
      destination = `${target}/${prefix ?? 32}`;
    }
    parsed.input = { destination, ...(gateway === undefined ? {} : { gateway }), ...(metric === undefined ? {} : { metric }) };
  }
  recordRoute(parsed, line, 'route', out);
  return true;
}

/** ip-route(8) keywords that take a value; with any of them the route is not the spec's kind. */
const IP_ROUTE_WITH_VALUE = new Set(['table', 'src', 'from', 'scope', 'tos', 'dsfield', 'realm', 'realms', 'mtu', 'advmss', 'rtt', 'rttvar', 'reordering', 'window', 'cwnd', 'initcwnd', 'initrwnd', 'features', 'quickack', 'congctl', 'pref', 'expires', 'nhid', 'encap', 'ssthresh', 'hoplimit', 'fastopen_no_cookie', 'as']);

/**
 * The arguments of `ip route add` (and of ifcfg route-* lines): PREFIX [via ADDR] [dev IF]
 * [metric N]. `proto` does not change which route it is: it is skipped with a note. Any other
 * keyword (table, src, scope, onlink, ...) makes a different route, so the route is not
 * imported.
 */
export function parseIpRouteArgs(args: string[], defaultDev?: string): ParsedRoute {
  const parsed: ParsedRoute = { problems: [], notes: [], ...(defaultDev === undefined ? {} : { dev: defaultDev }) };
  let destination: string | undefined;
  let gateway: string | undefined;
  let metric: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const word = args[i] as string;
    const next = () => args[++i];
    if (word === 'via') {
      gateway = next();
      if (gateway === 'inet' || gateway === 'inet6') gateway = next();
    } else if (word === 'dev') parsed.dev = next();
    else if (word === 'metric' || word === 'priority' || word === 'preference') metric = next();
    else if (word === 'proto' || word === 'protocol') parsed.notes.push(`'${word} ${next() ?? ''}' skipped (a spec does not set a route's protocol)`);
    else if (word === 'unicast' && destination === undefined) continue;
    else if (destination === undefined && (word === 'default' || !/^[a-z]+$/u.test(word))) destination = word;
    else if (IP_ROUTE_WITH_VALUE.has(word)) parsed.problems.push(`'${word} ${next() ?? ''}' is not expressible in a bond spec`);
    else parsed.problems.push(`'${word}' is not expressible in a bond spec`);
  }
  if (destination !== undefined) parsed.input = { destination, ...(gateway === undefined ? {} : { gateway }), ...(metric === undefined ? {} : { metric }) };
  return parsed;
}
