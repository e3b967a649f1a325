// The rtnetlink backend (the default): every verb as requests on one addon socket per call, with
// the kernel's own error messages.
import type { Backend } from '../../bond/backend.js';
import { createBondNetlink, deleteBondNetlink } from './create.js';
import { setBondOptionsNetlink } from './options.js';
import { listBondsNetlink, readBondNetlink } from './read.js';
import { enslaveNetlink, releaseNetlink, setActiveSlaveNetlink, setSlaveOptionsNetlink } from './slaves.js';

export const netlinkBackend: Backend = {
  checkSettable: () => {},
  readBond: readBondNetlink,
  listBonds: listBondsNetlink,
  createBond: createBondNetlink,
  deleteBond: deleteBondNetlink,
  enslave: enslaveNetlink,
  release: releaseNetlink,
  setActiveSlave: setActiveSlaveNetlink,
  setBondOptions: setBondOptionsNetlink,
  setSlaveOptions: setSlaveOptionsNetlink,
};
