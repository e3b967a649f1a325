// Reading bonds through sysfs: /sys/class/net/<bond>/{ifindex,address,...}, bonding/*,
// and each slave's bonding_slave/*, with the slaves' speed and duplex from /proc/net/bonding/<bond>
// (lib/proc/read.ts says why). Produces the same BondState as the netlink reader, minus what
// sysfs does not show (netlink-only options, slave prio).
import { constants } from 'node:os';
import { BondError, notABondError } from '../../errors.js';
import { runFileSteps, type FileStep } from '../../sysfs/files.js';
import type { NativeFileResult } from '../../native.js';
import type { ResolvedNetns } from '../../call/netns.js';
import { BOND_MODES, BOND_OPTION_DEFS, type BondOptionDef } from '../../option-table.js';
import { decodeLacpPortState, withSlaveSpeeds, type BondState, type MiiStatus, type OperState, type SlaveState } from '../../bond/state.js';
import { procBondingStep, slaveSpeedsFrom } from '../../proc/read.js';
import { parseSysfsValue } from './format.js';
import { IFF_UP } from '../../netlink/constants.js';


export const read = (path: string, optional = false): FileStep => ({
  request: { op: 'read', base: 'sys', path, optional },
  action: `read /sys/class/net/${path}`,
});

const LINK_FILES = ['ifindex', 'address', 'mtu', 'operstate', 'flags', 'carrier'] as const;
const SYSFS_OPTIONS: readonly BondOptionDef[] = BOND_OPTION_DEFS.filter((def) => def.sysfs !== undefined);
const AD_FILES = ['ad_aggregator', 'ad_num_ports', 'ad_actor_key', 'ad_partner_key', 'ad_partner_mac'] as const;
const SLAVE_FILES = ['state', 'mii_status', 'link_failure_count', 'perm_hwaddr', 'queue_id', 'ad_aggregator_id', 'ad_actor_oper_port_state', 'ad_partner_oper_port_state'] as const;

function linkSteps(name: string): FileStep[] {
  // carrier cannot be read while the link is down (EINVAL): optional.
  return LINK_FILES.map((file) => read(`${name}/${file}`, file === 'carrier'));
}

function bondSteps(name: string): FileStep[] {
  return [
    ...linkSteps(name),
    { request: { op: 'list', base: 'sys', path: `${name}/queues` }, action: `list /sys/class/net/${name}/queues` },
    read(`${name}/bonding/slaves`),
    read(`${name}/bonding/active_slave`, true),
    ...SYSFS_OPTIONS.map((def) => read(`${name}/bonding/${def.sysfs}`, true)),
    ...AD_FILES.map((file) => read(`${name}/bonding/${file}`, true)),
  ];
}

function slaveSteps(name: string): FileStep[] {
  return [...linkSteps(name), ...SLAVE_FILES.map((file) => read(`${name}/bonding_slave/${file}`, true))];
}

const text = (result: NativeFileResult | undefined): string => (typeof result === 'string' ? result.trim() : '');
const number = (result: NativeFileResult | undefined): number | undefined => {
  const t = text(result);
  return t === '' || Number.isNaN(Number(t)) ? undefined : Number(t);
};

interface LinkPart {
  ifindex: number;
  mac: string;
  mtu: number;
  operstate: OperState;
  up: boolean;
  carrier: boolean;
}

function decodeLink(results: readonly NativeFileResult[]): LinkPart {
  const flags = parseInt(text(results[4]), 16);
  return {
    ifindex: number(results[0]) ?? 0,
    mac: text(results[1]),
    mtu: number(results[2]) ?? 0,
    operstate: text(results[3]) as OperState,
    up: (flags & IFF_UP) !== 0,
    carrier: text(results[5]) === '1',
  };
}

const MII: Record<string, MiiStatus> = { up: 'up', 'going down': 'going-down', down: 'down', 'going back': 'going-back' };

function decodeSlave(name: string, results: readonly NativeFileResult[]): SlaveState {
  const link = decodeLink(results);
  const files = results.slice(LINK_FILES.length);
  const slave: SlaveState = {
    name,
    ifindex: link.ifindex,
    mac: link.mac,
    mtu: link.mtu,
    up: link.up,
    carrier: link.carrier,
    state: text(files[0]) === 'backup' ? 'backup' : 'active',
    miiStatus: MII[text(files[1])] ?? 'up',
    linkFailureCount: number(files[2]) ?? 0,
    permHwaddr: text(files[3]),
    queueId: number(files[4]) ?? 0,
    speed: null,
    duplex: null,
  };
  // "N/A" outside 802.3ad or without an aggregator.
  const aggregator = number(files[5]);
  if (aggregator !== undefined) slave.adAggregatorId = aggregator;
  const actor = number(files[6]);
  if (actor !== undefined) slave.adActorOperPortState = decodeLacpPortState(actor);
  const partner = number(files[7]);
  if (partner !== undefined) slave.adPartnerOperPortState = decodeLacpPortState(partner);
  return slave;
}

function decodeBond(name: string, results: readonly NativeFileResult[], slaves: SlaveState[]): BondState {
  const link = decodeLink(results);
  let at = LINK_FILES.length;
  const queues = results[at++];
  at++; // slaves, already read
  const activeSlave = text(results[at++]);
  const state: BondState = {
    name,
    ifindex: link.ifindex,
    mac: link.mac,
    mtu: link.mtu,
    txQueues: Array.isArray(queues) ? queues.filter((q) => q.startsWith('tx-')).length : 0,
    up: link.up,
    carrier: link.carrier,
    operstate: link.operstate,
    mode: 'balance-rr',
    activeSlave: activeSlave === '' ? null : activeSlave,
    primary: null,
    slaves,
  };
  const values = state as unknown as Record<string, unknown>;
  for (const def of SYSFS_OPTIONS) {
    const raw = results[at++];
    if (raw === null || raw === undefined) continue;
    const value = parseSysfsValue(def, raw as string);
    if (value === undefined) continue;
    values[def.key] = def.value.kind === 'enum' ? def.value.names[value as number] : value;
  }
  state.mode = (values.mode as BondState['mode'] | undefined) ?? BOND_MODES[0];
  const ad = AD_FILES.map(() => results[at++]);
  const aggregator = number(ad[0]);
  if (aggregator) {
    state.adInfo = {
      aggregator,
      numPorts: number(ad[1]) ?? 0,
      actorKey: number(ad[2]) ?? 0,
      partnerKey: number(ad[3]) ?? 0,
      partnerMac: text(ad[4]),
    };
  }
  return state;
}

/** One bond through sysfs: two batches (the bond with its slave list, then the slaves and the bond's /proc file). */
export async function readBondSysfs(netns: ResolvedNetns, name: string): Promise<BondState> {
  let results: NativeFileResult[];
  try {
    results = await runFileSteps(netns, bondSteps(name).map((step) => ({ ...step, bond: name })));
  } catch (error) {
    throw await missingBondError(netns, name, error);
  }
  const slaveNames = text(results[LINK_FILES.length + 1]).split(/\s+/u).filter(Boolean);
  // The slaves' files, then the bond's /proc file for their speeds, in one batch.
  const steps: FileStep[] = slaveNames.flatMap((slave) => slaveSteps(slave).map((step) => ({ ...step, bond: name, slave })));
  if (steps.length > 0) steps.push(procBondingStep(name, true));
  const slaveResults = await runFileSteps(netns, steps);
  const per = LINK_FILES.length + SLAVE_FILES.length;
  const slaves = slaveNames.map((slave, i) => decodeSlave(slave, slaveResults.slice(i * per, (i + 1) * per)));
  return withSlaveSpeeds(decodeBond(name, results, slaves), slaveSpeedsFrom(slaveResults[slaveNames.length * per]));
}

/** ENOENT on a bond's files means no such device, or a device that is not a bond: say which, as netlink does. */
async function missingBondError(netns: ResolvedNetns, name: string, error: unknown): Promise<unknown> {
  if (!(error instanceof BondError) || error.code !== 'ENOENT') return error;
  const [ifindex] = await runFileSteps(netns, [read(`${name}/ifindex`, true)]);
  if (ifindex !== null) return notABondError({ bond: name, action: `read bond ${name}`, syscall: 'sysfs' });
  return new BondError({ errnum: constants.errno.ENODEV, syscall: 'sysfs', action: `read bond ${name}`, bond: name, hint: 'No such device' });
}

/**
 * Every bond of the namespace, from /sys/class/net/bonding_masters; none while the bonding module
 * is not loaded (the file is not there), as over netlink.
 */
export async function listBondsSysfs(netns: ResolvedNetns): Promise<BondState[]> {
  const [masters] = await runFileSteps(netns, [read('bonding_masters', true)]);
  if (masters === null || masters === undefined) return [];
  const names = text(masters).split(/\s+/u).filter(Boolean);
  const states: BondState[] = [];
  for (const name of names) states.push(await readBondSysfs(netns, name));
  return states;
}
