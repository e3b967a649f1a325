// Running probes in a namespace: each target found anew from the live routes and addresses (a
// change may move them), each attempt one native probe bounded by its timeout, a failed attempt
// retried one timeout after it started.
import { lookup } from 'node:dns/promises';
import { BondError, errnoCode } from '../errors.js';
import type { ResolvedNetns } from '../call/netns.js';
import { isNativeError, native, type NativeProbeRequest } from '../native.js';
import { readAddresses } from '../link/addresses.js';
import { lookupLink } from '../link/lookup.js';
import { readRoutes, type RouteInfo } from '../link/routes.js';
import { familyOf, ipBytes, networkOf, parseCidr } from '../validate/net.js';
import type { Probe, ProbeResult } from './types.js';

export const DEFAULT_PROBE_TIMEOUT_MS = 1000;
export const DEFAULT_PROBE_RETRIES = 3;

/** The native request of one attempt and the probe's name, or what stopped it from being made. */
type Target = { request: NativeProbeRequest; name: string } | { name: string; missing: string };

/** The default route the gateway probe pings through: the lowest metric of the family. */
export function defaultRoute(routes: readonly RouteInfo[], family: 4 | 6 = 4): RouteInfo | undefined {
  return routes
    .filter((r) => r.destination === 'default' && r.gateway !== undefined && familyOf(r.gateway) === family)
    .sort((a, b) => (a.metric ?? 0) - (b.metric ?? 0))[0];
}

/** The address of `dev` on the subnet of `target`, for an ARP request's sender field. */
async function senderOn(netns: ResolvedNetns, dev: string, target: string): Promise<string | undefined> {
  const { ifindex } = await lookupLink(netns, dev);
  for (const { address } of await readAddresses(netns, ifindex)) {
    const own = parseCidr(address);
    if (own?.family === 4 && networkOf(own) === networkOf({ ...own, address: target })) return own.address;
  }
  return undefined;
}

async function targetOf(netns: ResolvedNetns, probe: Probe, bonds: readonly string[], timeoutMs: number): Promise<Target> {
  switch (probe.kind) {
    case 'gateway': {
      const route = defaultRoute(await readRoutes(netns), probe.family);
      const family = probe.family ?? 4;
      if (!route?.gateway) return { name: 'gateway', missing: `there is no IPv${family} default route with a gateway` };
      return { name: `gateway (${route.gateway} via ${route.dev})`, request: { kind: 'echo', address: ipBytes(route.gateway), ifname: route.dev, timeoutMs } };
    }
    case 'ping':
      return { name: `ping ${probe.address}`, request: { kind: 'echo', address: ipBytes(probe.address), timeoutMs } };
    case 'arp': {
      const dev = probe.dev ?? bonds[0] ?? '';
      const name = `arp ${probe.address} on ${dev}`;
      const sender = await senderOn(netns, dev, probe.address).catch((error: unknown) => {
        if (error instanceof BondError && error.code === 'ENODEV') return null;
        throw error;
      });
      if (sender === null) return { name, missing: `${dev} does not exist` };
      return { name, request: { kind: 'arp', address: ipBytes(probe.address), ifname: dev, senderAddress: ipBytes(sender ?? '0.0.0.0'), timeoutMs } };
    }
    case 'tcp': {
      const literal = familyOf(probe.host) !== undefined;
      const name = `tcp ${literal && familyOf(probe.host) === 6 ? `[${probe.host}]` : probe.host}:${probe.port}`;
      let address = probe.host;
      if (!literal) {
        try {
          address = (await lookup(probe.host)).address;
        } catch (error) {
          return { name, missing: `${probe.host} does not resolve (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
        }
      }
      return { name, request: { kind: 'tcp', address: ipBytes(address), port: probe.port, timeoutMs } };
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one probe with its retries; resolves with its name and result (never rejects for a probe that got no answer). */
export async function runProbe(netns: ResolvedNetns, probe: Probe, bonds: readonly string[]): Promise<{ name: string; result: ProbeResult }> {
  const timeoutMs = probe.timeout ?? DEFAULT_PROBE_TIMEOUT_MS;
  const attempts = 1 + (probe.retries ?? DEFAULT_PROBE_RETRIES);
  let name = probe.kind as string;
  let result: ProbeResult = { ok: false, attempts: 0, seen: 'not run' };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const started = Date.now();
    const target = await targetOf(netns, probe, bonds, timeoutMs);
    name = target.name;
    if ('missing' in target) {
      result = { ok: false, attempts: attempt, seen: target.missing, code: 'ENOENT' };
    } else {
      try {
        const outcome = await native().probe(netns.path, target.request);
        result = outcome.ok
          ? { ok: true, attempts: attempt, seen: outcome.seen, rttMs: outcome.micros / 1000 }
          : { ok: false, attempts: attempt, seen: outcome.seen, code: errnoCode(outcome.errnum) };
      } catch (error) {
        if (!isNativeError(error)) throw error;
        throw new BondError({ errnum: error.errnum, syscall: error.syscall, action: `probe ${target.name} in ${netns.label}`, hint: error.errnum === 1 ? 'probes need CAP_NET_RAW' : undefined });
      }
    }
    if (result.ok) break;
    if (attempt < attempts) await sleep(Math.max(0, timeoutMs - (Date.now() - started)));
  }
  return { name, result };
}
