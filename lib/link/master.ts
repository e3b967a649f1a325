// Moving links around: into a master (a bridge or a bond: `ip link set LINK master M`, or out of
// one with null) and into another namespace (`ip link set LINK netns NS`).
import { ValidationError } from '../errors.js';
import { resolveNetns, type NetnsOption } from '../call/netns.js';
import { resolveCall, type CallOptions } from '../call/options.js';
import { runSteps } from '../netlink/batch.js';
import { validateIfname } from '../validate/names.js';
import { lookupLink } from './lookup.js';

/**
 * Makes `link` a port of `master` (a bridge or a bond), or of none with null. For a bond, prefer
 * enslave(): it takes the slave down first and checks the bonding driver's rules.
 */
export async function setMaster(link: string, master: string | null, opts: Pick<CallOptions, 'netns'> = {}): Promise<void> {
  validateIfname('link', link);
  if (master !== null) validateIfname('master', master, link);
  const { netns } = resolveCall(opts, link);
  const masterIndex = master === null ? 0 : (await lookupLink(netns, master)).ifindex;
  await runSteps(netns, [{ request: { op: 'newlink', ifname: link, master: masterIndex }, action: master === null ? `release ${link} from its master` : `set master of ${link} to ${master}`, hints: { ENODEV: `${link} does not exist` } }]);
}

/** Moves a link into another namespace (it goes down there, and loses its addresses). */
export async function moveLink(name: string, target: NetnsOption, opts: Pick<CallOptions, 'netns'> = {}): Promise<void> {
  validateIfname('name', name);
  if (target === undefined) throw new ValidationError({ option: 'netns', value: target, allowed: 'the namespace to move the link to', bond: name });
  const to = resolveNetns(target);
  const { netns } = resolveCall(opts, name);
  const { ifindex } = await lookupLink(netns, name);
  // The caller's own namespace has no path of its own: name it through this process.
  const path = to.path || `/proc/${process.pid}/ns/net`;
  await runSteps(netns, [{ request: { op: 'newlink', link: ifindex, netnsPath: path }, action: `move ${name} to ${to.label}`, hints: { EEXIST: `${to.label} has a link named ${name} already` } }]);
}
