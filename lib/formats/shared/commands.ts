// Shell commands that configure bonds, as boot scripts (rc.local) and ifupdown's up/post-up
// lines write them: ifenslave, route(8), ip(8) route/addr/link, ifconfig(8), echo into bonding
// sysfs files, and modprobe/insmod of the bonding module. Each command either becomes facts or
// says why not.
import type { FileFacts } from './facts.js';
import { classfulPrefix, prefixOfNetmask } from './net.js';
import { familyOf } from '../../validate/net.js';
import { parseIpRouteArgs, recordRoute, routeCommand } from './route-commands.js';
import { optionByIpKeyword, optionBySysfs } from '../../validate/words.js';

const basename = (word: string) => word.slice(word.lastIndexOf('/') + 1);

/** Records what a command says about bonds; false when it is not a command this file knows. */
export function runCommand(words: string[], line: number, out: FileFacts): boolean {
  const [first, ...rest] = words;
  if (first === undefined) return true;
  const command = basename(first);
  switch (command) {
    case 'ifenslave':
      return ifenslave(rest, line, out);
    case 'route':
      return routeCommand(rest, line, out);
    case 'ip':
      return ip(rest, line, out);
    case 'ifconfig':
      return ifconfig(rest, line, out);
    case 'echo':
      return echoToSysfs(rest, line, out);
    case 'modprobe':
    case 'insmod':
      return loadModule(command, rest, line, out);
    case 'ifup':
      if (rest.length !== 1) return false;
      out.up(rest[0] as string, true, line);
      return true;
    default:
      return false;
  }
}

function ifenslave(args: string[], line: number, out: FileFacts): boolean {
  let change = false;
  const names: string[] = [];
  for (const arg of args) {
    if (arg === '-f' || arg === '--force') continue;
    if (arg === '-c' || arg === '--change-active') change = true;
    else if (arg === '-d' || arg === '--detach') {
      out.notImported(line, 'ifenslave', `${arg} releases slaves, which a spec does not record`);
      return true;
    } else if (arg.startsWith('-')) {
      out.notImported(line, 'ifenslave', `option ${arg} is not understood`);
      return true;
    } else names.push(arg);
  }
  const [bond, ...slaves] = names;
  if (bond === undefined || slaves.length === 0) {
    out.notImported(line, 'ifenslave', 'expected a master and at least one slave');
    return true;
  }
  out.declare(bond, line);
  if (change) {
    if (slaves.length !== 1) out.notImported(line, 'ifenslave', '-c takes exactly one slave');
    else out.activeSlave(bond, slaves[0] as string, line, 'ifenslave -c');
    return true;
  }
  for (const slave of slaves) out.slave(bond, slave, line, 'ifenslave');
  return true;
}

const isVerb = (word: string | undefined, full: string, shortest: number) => word !== undefined && word.length >= shortest && full.startsWith(word);

function ip(args: string[], line: number, out: FileFacts): boolean {
  const words = args.filter((a) => !/^-(4|6|f(amily)?)$/u.test(a) && a !== 'inet' && a !== 'inet6');
  const [object, verb, ...rest] = words;
  if (isVerb(object, 'route', 1)) {
    if (!['add', 'a', 'append', 'replace'].includes(verb ?? '')) return false;
    recordRoute(parseIpRouteArgs(rest), line, 'ip route', out);
    return true;
  }
  if (isVerb(object, 'address', 1)) {
    if (!['add', 'a', 'replace'].includes(verb ?? '')) return false;
    ipAddressAdd(rest, line, out);
    return true;
  }
  if (isVerb(object, 'link', 1)) {
    if (verb === 'set') return ipLinkSet(rest, line, out);
    if (verb === 'add' || verb === 'a') return ipLinkAdd(rest, line, out);
  }
  return false;
}

function ipAddressAdd(args: string[], line: number, out: FileFacts): void {
  let cidr: string | undefined;
  let broadcast: string | undefined;
  let dev: string | undefined;
  const ignored: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i] as string;
    if (word === 'dev') dev = args[++i];
    else if (word === 'brd' || word === 'broadcast') broadcast = args[++i];
    else if (word === 'local') cidr = args[++i];
    else if (cidr === undefined && !/^[a-z]+$/u.test(word)) cidr = word;
    else ignored.push(word);
  }
  if (dev === undefined || cidr === undefined) {
    out.notImported(line, 'ip address', 'expected ADDRESS/PREFIX dev DEVICE');
    return;
  }
  if (ignored.length > 0) out.warn(line, 'ip address', `'${ignored.join(' ')}' is not expressible in a bond spec; ignored`);
  const full = cidr.includes('/') ? cidr : `${cidr}/${familyOf(cidr) === 6 ? 128 : 32}`;
  // '+' asks the kernel to compute the broadcast, which is what leaving it out means.
  out.address(dev, full, broadcast === '+' ? undefined : broadcast, line, 'ip address');
}

function ipLinkSet(args: string[], line: number, out: FileFacts): boolean {
  const words = [...args];
  if (words[0] === 'dev') words.shift();
  const dev = words.shift();
  if (dev === undefined) return false;
  const ignored: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (word === 'up' || word === 'down') out.up(dev, word === 'up', line);
    else if (word === 'mtu') out.mtu(dev, words[++i] ?? '', line, 'ip link mtu');
    else if (word === 'address') out.mac(dev, words[++i] ?? '', line, 'ip link address');
    else if (word === 'master') out.slave(words[++i] ?? '', dev, line, 'ip link master');
    else ignored.push(word);
  }
  if (ignored.length > 0) out.warn(line, 'ip link', `'${ignored.join(' ')}' is not expressible in a bond spec; ignored`);
  return true;
}

/** `ip link add [name] NAME type bond [OPTION VALUE]...`, options by their ip(8) keywords. */
function ipLinkAdd(args: string[], line: number, out: FileFacts): boolean {
  const words = [...args];
  if (words[0] === 'name' || words[0] === 'dev') words.shift();
  const dev = words.shift();
  const typeAt = words.indexOf('type');
  if (dev === undefined || words[typeAt + 1] !== 'bond') return false;
  out.declare(dev, line);
  const before = words.slice(0, typeAt);
  for (let i = 0; i < before.length; i++) {
    const word = before[i] as string;
    if (word === 'mtu') out.mtu(dev, before[++i] ?? '', line, 'ip link mtu');
    else if (word === 'address') out.mac(dev, before[++i] ?? '', line, 'ip link address');
    else out.notImported(line, `ip link ${word}`, 'not expressible in a bond spec');
  }
  const options = words.slice(typeAt + 2);
  for (let i = 0; i < options.length; i += 2) {
    const keyword = options[i] as string;
    const value = options[i + 1];
    const spec = optionByIpKeyword(keyword);
    if (keyword === 'active_slave' && value !== undefined) out.activeSlave(dev, value, line, keyword);
    else if (spec === undefined || value === undefined) out.unknownKey(line, `ip link ${keyword}`);
    else out.option(dev, spec, value, line, keyword);
  }
  return true;
}

function ifconfig(args: string[], line: number, out: FileFacts): boolean {
  const [dev, ...words] = args;
  if (dev === undefined || dev.startsWith('-') || words.length === 0) return false;
  let address: string | undefined;
  let netmask: string | undefined;
  let broadcast: string | undefined;
  let inet6 = false;
  const ignored: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (word === 'up' || word === 'down') out.up(dev, word === 'up', line);
    else if (word === 'netmask') netmask = words[++i];
    else if (word === 'broadcast') broadcast = words[++i];
    else if (word === 'mtu') out.mtu(dev, words[++i] ?? '', line, 'ifconfig mtu');
    else if (word === 'hw') {
      if (words[i + 1] === 'ether') i++;
      out.mac(dev, words[++i] ?? '', line, 'ifconfig hw');
    } else if (word === 'inet') continue;
    else if (word === 'inet6' || word === 'add') inet6 = inet6 || word === 'inet6';
    else if (address === undefined && familyOf(word.split('/')[0] as string) !== undefined) address = word;
    else ignored.push(word);
  }
  if (ignored.length > 0) out.warn(line, 'ifconfig', `'${ignored.join(' ')}' is not expressible in a bond spec; ignored`);
  if (address === undefined) return true;
  let cidr = address;
  if (!address.includes('/')) {
    const prefix = netmask === undefined ? undefined : prefixOfNetmask(netmask);
    if (netmask !== undefined && prefix === undefined) {
      out.notImported(line, 'ifconfig netmask', `${netmask} is not a netmask`);
      return true;
    }
    const family = inet6 ? 6 : familyOf(address);
    const implied = family === 6 ? 128 : classfulPrefix(address);
    if (prefix === undefined) out.warn(line, 'ifconfig', `no netmask for ${address}: ifconfig gives it the classful /${implied}, and so does this import`);
    cidr = `${address}/${prefix ?? implied}`;
  }
  out.address(dev, cidr, broadcast, line, 'ifconfig');
  return true;
}

const SYSFS_MASTERS = /^\/sys\/class\/net\/bonding_masters$/u;
const SYSFS_OPTION = /^\/sys\/class\/net\/([^/]+)\/bonding\/([a-z_0-9]+)$/u;

/** echo VALUE > /sys/class/net/BOND/bonding/OPTION, and the bonding_masters/slaves files. */
function echoToSysfs(args: string[], line: number, out: FileFacts): boolean {
  const words = args.filter((a) => a !== '-n' && a !== '-e');
  let target: string | undefined;
  const values: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (word === '>' || word === '>>') target = words[++i];
    else if (word.startsWith('>')) target = word.replace(/^>+/u, '');
    else values.push(word);
  }
  if (target === undefined) return false;
  const value = values.join(' ');
  if (SYSFS_MASTERS.test(target)) {
    if (value.startsWith('+')) out.declare(value.slice(1), line);
    else out.notImported(line, 'bonding_masters', `'${value}' does not create a bond`);
    return true;
  }
  const match = SYSFS_OPTION.exec(target);
  if (!match) return false;
  const [, bond, file] = match as unknown as [string, string, string];
  out.declare(bond, line);
  if (file === 'slaves') {
    if (value.startsWith('+')) out.slave(bond, value.slice(1), line, 'slaves');
    else out.notImported(line, 'slaves', `'${value}' releases a slave, which a spec does not record`);
  } else {
    out.sysfsSetting(bond, file, value, line, file);
  }
  return true;
}

/** modprobe bonding [PARAM=VALUE]... (insmod takes a path): parameters are module defaults. */
function loadModule(command: string, args: string[], line: number, out: FileFacts): boolean {
  const words = args.filter((a) => !a.startsWith('-'));
  const module = words[0] === undefined ? undefined : basename(words[0]).replace(/\.k?o$/u, '');
  if (module !== 'bonding') return false;
  const params = words.slice(1);
  applyModuleParams(params, line, out, command);
  // Loading the module creates bond0 unless max_bonds says otherwise.
  if (!params.some((p) => p.startsWith('max_bonds='))) out.declare('bond0', line);
  return true;
}

/**
 * Parameters of the bonding module, from a modprobe line or a modprobe.conf `options` line:
 * defaults for every bond, max_bonds the number of bonds it creates on load.
 */
export function applyModuleParams(params: string[], line: number, out: FileFacts, where: string, bond?: string): void {
  for (const param of params) {
    const eq = param.indexOf('=');
    const key = eq < 0 ? param : param.slice(0, eq);
    const value = eq < 0 ? '' : param.slice(eq + 1);
    if (key === 'max_bonds') {
      if (!/^\d+$/u.test(value)) out.notImported(line, key, `${JSON.stringify(value)} is not a count`);
      else if (bond === undefined) out.maxBonds(Number(value), line);
      else out.notImported(line, key, `the number of bonds the module creates; it has no meaning for ${bond} alone`);
      continue;
    }
    const spec = optionBySysfs(key);
    if (spec === undefined || eq < 0) {
      out.warn(line, key, `${spec === undefined ? 'unknown bonding parameter' : 'no value'} in ${where}; not imported`);
      continue;
    }
    if (bond === undefined) out.moduleDefault(spec, value, line, key);
    else out.option(bond, spec, value, line, key);
  }
}
