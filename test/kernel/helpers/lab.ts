// A throwaway network namespace per test, with veth pairs, and the independent oracles: `ip -d -j
// link show` and /proc/net/bonding/<bond> read inside the namespace. Test code only: it runs the
// iproute2 binary with argument arrays, never a shell.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const NS_PREFIX = `nbt-${process.pid}-`;
let counter = 0;

export async function run(command: string, args: readonly string[]): Promise<string> {
  const { stdout } = await execFileAsync(command, args, { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** `ip -d -j link show` output for one device, as iproute2 decodes it. */
export interface IpLink {
  ifindex: number;
  ifname: string;
  flags: string[];
  mtu: number;
  operstate: string;
  address: string;
  master?: string;
  linkinfo?: {
    info_kind?: string;
    info_data?: Record<string, unknown>;
    info_slave_kind?: string;
    info_slave_data?: Record<string, unknown>;
  };
}

export class Lab {
  private constructor(readonly ns: string) {}

  static async create(): Promise<Lab> {
    const lab = new Lab(`${NS_PREFIX}${++counter}`);
    await run('ip', ['netns', 'add', lab.ns]);
    await lab.ip(['link', 'set', 'lo', 'up']);
    return lab;
  }

  ip(args: readonly string[]): Promise<string> {
    return run('ip', ['-n', this.ns, ...args]);
  }

  exec(command: string, args: readonly string[]): Promise<string> {
    return run('ip', ['netns', 'exec', this.ns, command, ...args]);
  }

  /** A veth pair inside the namespace, or with its peer in `peerNs`; both ends down. */
  async veth(name: string, peer: string, peerNs?: Lab): Promise<void> {
    await this.ip(['link', 'add', name, 'type', 'veth', 'peer', 'name', peer, ...(peerNs ? ['netns', peerNs.ns] : [])]);
  }

  async setUp(dev: string, up = true): Promise<void> {
    await this.ip(['link', 'set', 'dev', dev, up ? 'up' : 'down']);
  }

  async link(dev: string): Promise<IpLink> {
    const [link] = JSON.parse(await this.ip(['-d', '-j', 'link', 'show', 'dev', dev])) as IpLink[];
    if (!link) throw new Error(`ip shows no ${dev} in ${this.ns}`);
    return link;
  }

  async links(): Promise<IpLink[]> {
    return JSON.parse(await this.ip(['-d', '-j', 'link', 'show'])) as IpLink[];
  }

  async hasLink(dev: string): Promise<boolean> {
    return (await this.links()).some((link) => link.ifname === dev);
  }

  procBonding(bond: string): Promise<string> {
    return this.exec('cat', [`/proc/net/bonding/${bond}`]);
  }

  async destroy(): Promise<void> {
    await run('ip', ['netns', 'del', this.ns]);
  }
}

/** Value of one labelled line of /proc/net/bonding/<bond>, from the bond section (before slaves). */
export function procField(proc: string, label: string): string | undefined {
  const head = proc.split('\nSlave Interface:')[0] ?? '';
  const line = head.split('\n').find((l) => l.startsWith(`${label}:`));
  return line?.slice(label.length + 1).trim();
}

/** Slave names in /proc/net/bonding/<bond>, in the bond's order. */
export function procSlaves(proc: string): string[] {
  return [...proc.matchAll(/^Slave Interface: (\S+)$/gmu)].map((m) => m[1] as string);
}

export async function leftoverNamespaces(): Promise<string[]> {
  const out = await run('ip', ['netns', 'list']);
  return out
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith('nbt-') || name.startsWith('nblab-'));
}

/** The kernel suite runs against both backends. */
export const BACKENDS = ['netlink', 'sysfs'] as const;
export type Backend = (typeof BACKENDS)[number];
