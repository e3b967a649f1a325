// The sysfs backend: /sys/class/net/.../bonding files, as ifenslave scripts write them. The same
// verbs as rtnetlink with errno only (sysfs gives no reason), and no netlink-only options.
import type { Backend } from '../../bond/backend.js';
import { listBondsSysfs, readBondSysfs } from './read.js';
import {
  createBondSysfs,
  deleteBondSysfs,
  enslaveSysfs,
  refuseNetlinkOnly,
  releaseSysfs,
  setActiveSlaveSysfs,
  setBondOptionsSysfs,
  setSlaveOptionsSysfs,
} from './write.js';

export const sysfsBackend: Backend = {
  checkSettable: refuseNetlinkOnly,
  // sysfs has no counters for bonds: `stats` is a netlink-only reading.
  readBond: (netns, name) => readBondSysfs(netns, name),
  listBonds: (netns) => listBondsSysfs(netns),
  createBond: createBondSysfs,
  deleteBond: deleteBondSysfs,
  enslave: enslaveSysfs,
  release: releaseSysfs,
  setActiveSlave: setActiveSlaveSysfs,
  setBondOptions: setBondOptionsSysfs,
  setSlaveOptions: setSlaveOptionsSysfs,
};
