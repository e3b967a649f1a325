// Bond and slave states for unit tests: a healthy active-backup bond of eth0 and eth1, with the
// fields a test cares about overridden.
import type { BondState, SlaveState } from '../../../lib/bond/state.js';

export const slave = (name: string, extra: Partial<SlaveState> = {}): SlaveState => ({
  name,
  ifindex: name === 'eth0' ? 2 : 3,
  mac: '02:00:00:00:00:01',
  mtu: 1500,
  up: true,
  carrier: true,
  state: 'active',
  miiStatus: 'up',
  linkFailureCount: 0,
  permHwaddr: '02:00:00:00:00:01',
  queueId: 0,
  speed: 1000,
  duplex: 'full',
  ...extra,
});

export const bond = (extra: Partial<BondState> = {}): BondState => ({
  name: 'bond0',
  ifindex: 7,
  mac: '02:00:00:00:00:01',
  mtu: 1500,
  txQueues: 16,
  up: true,
  carrier: true,
  operstate: 'up',
  mode: 'active-backup',
  miimon: 100,
  activeSlave: 'eth0',
  primary: null,
  slaves: [slave('eth0'), slave('eth1', { state: 'backup' })],
  ...extra,
});
