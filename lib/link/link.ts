// Link helpers for any link: up/down, MTU and MAC (RTM_NEWLINK), with the same error model and
// netns option as the bond API. Addresses and routes are beside this file.
import { resolveCall, type CallOptions } from '../call/options.js';
import { runSteps } from '../netlink/batch.js';
import { linkUpStep } from '../netlink/link-steps.js';
import { validateIfname } from '../validate/names.js';
import { checkSlavesTakeMtu, macBytes, validateMac, validateMtu } from '../validate/net.js';

/** Brings a link up. */
export async function setLinkUp(name: string, opts: CallOptions = {}): Promise<void> {
  validateIfname('name', name);
  const { netns } = resolveCall(opts, name);
  await runSteps(netns, [linkUpStep(0, name, true, { request: { op: 'newlink', ifname: name, up: true } })]);
}

/** Takes a link down. */
export async function setLinkDown(name: string, opts: CallOptions = {}): Promise<void> {
  validateIfname('name', name);
  const { netns } = resolveCall(opts, name);
  await runSteps(netns, [linkUpStep(0, name, false, { request: { op: 'newlink', ifname: name, up: false } })]);
}

/**
 * Sets the MTU (68-65535; the driver may allow less). A bond gives its MTU to its slaves, so one
 * with a slave whose driver does not take it is refused before any change (checkSlavesTakeMtu).
 */
export async function setMtu(name: string, mtu: number, opts: CallOptions = {}): Promise<void> {
  validateIfname('name', name);
  const { netns } = resolveCall(opts, name);
  validateMtu(mtu);
  const [[link] = [], ports = []] = await runSteps(netns, [
    { request: { op: 'getlink', ifname: name }, action: `look up ${name}`, hints: { ENODEV: `${name} does not exist` } },
    { request: { op: 'dumplinks', master: { fromRequest: 0 } }, action: `read the ports of ${name}` },
  ]);
  if (link?.kind === 'bond') checkSlavesTakeMtu(name, mtu, ports);
  await runSteps(netns, [{ request: { op: 'newlink', ifname: name, mtu }, action: `set mtu ${mtu} on ${name}` }]);
}

/** Sets the MAC address (unicast, not all-zero, as the kernel requires). */
export async function setMac(name: string, mac: string, opts: CallOptions = {}): Promise<void> {
  validateIfname('name', name);
  const { netns } = resolveCall(opts, name);
  const address = validateMac('mac', mac);
  await runSteps(netns, [{ request: { op: 'newlink', ifname: name, address: macBytes(address) }, action: `set mac ${address} on ${name}` }]);
}
