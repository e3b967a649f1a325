// The independent view of a namespace for rollback tests: `ip -d -j` dumps of links, addresses
// and routes, with what changes by itself removed (IPv6 link-local and autoconfigured
// addresses, their DAD flags, the kernel's own IPv6 link-local and multicast routes, counters, the
// LACP state machines' port states).
import type { Lab } from './lab.js';
import { waitFor } from './wait.js';

type Json = Record<string, unknown>;

/** A port's LACP state machines move by themselves (timers, a partner or none): not configuration. */
const LACP_RUNTIME = ['ad_actor_oper_port_state', 'ad_actor_oper_port_state_str', 'ad_partner_oper_port_state', 'ad_partner_oper_port_state_str'];

function scrubLink(link: Json): Json {
  const { linkinfo, ...rest } = link as { linkinfo?: { info_slave_data?: Json } };
  const copy: Json = { ...rest };
  if (linkinfo) {
    const info: Json = { ...(linkinfo as Json) };
    if (linkinfo.info_slave_data) info.info_slave_data = Object.fromEntries(Object.entries(linkinfo.info_slave_data).filter(([key]) => !LACP_RUNTIME.includes(key)));
    copy.linkinfo = info;
  }
  return copy;
}

export async function snapshot(lab: Lab, skip: readonly string[] = []): Promise<string> {
  const links = (JSON.parse(await lab.ip(['-d', '-j', 'link', 'show'])) as Json[]).filter((l) => !skip.includes(String(l.ifname))).map(scrubLink);
  const addrs = (JSON.parse(await lab.ip(['-j', 'addr', 'show'])) as Json[])
    .filter((l) => !skip.includes(String(l.ifname)))
    .map((l) => ({
      ifname: l.ifname,
      addr: ((l.addr_info as Json[]) ?? [])
        .filter((a) => !(a.family === 'inet6' && a.scope === 'link'))
        .map(({ local, prefixlen, broadcast, scope, family }) => ({ local, prefixlen, broadcast, scope, family })),
    }));
  const routes = JSON.parse(await lab.ip(['-j', 'route', 'show', 'table', 'main'])) as Json[];
  // Link-local and the per-link multicast routes (ff00::/8) are the kernel's own, made when IPv6
  // comes up on a link; their order follows the order links came up in, not the configuration.
  const routes6 = (JSON.parse(await lab.ip(['-6', '-j', 'route', 'show', 'table', 'main'])) as Json[]).filter(
    (r) => !String(r.dst).startsWith('fe80') && !(r.type === 'multicast' && r.protocol === 'kernel'),
  );
  return JSON.stringify({ links, addrs, routes, routes6 }, null, 1);
}

/**
 * A snapshot once link monitors, operstate and DAD have stopped changing: the same for 1.25 s.
 * The kernel's linkwatch applies operstate changes up to a second late, so two reads a quarter of
 * a second apart can both come before one lands (an UNKNOWN that turns UP after the snapshot).
 */
export async function settledSnapshot(lab: Lab, skip: readonly string[] = []): Promise<string> {
  const STABLE_READS = 5;
  let previous = '';
  let same = 0;
  const result = await waitFor(
    async () => {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const now = await snapshot(lab, skip);
      same = now === previous ? same + 1 : 0;
      previous = now;
      return now;
    },
    () => same >= STABLE_READS,
    20_000,
    0,
  );
  return result;
}
