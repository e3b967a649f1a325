// The rtnetlink backend (the default): every verb as requests on one addon socket per call, with
// the kernel's own error messages.
import type { Backend } from '../../bond/backend.js';
import { createBond, deleteBond } from './create.js';
import { setBondOptions } from './options.js';
import { listBonds, readBond } from './read.js';
import { enslave, release, setActiveSlave, setSlaveOptions } from './slaves.js';

export const netlinkBackend: Backend = {
  checkSettable: () => {},
  readBond,
  listBonds,
  createBond,
  deleteBond,
  enslave,
  release,
  setActiveSlave,
  setBondOptions,
  setSlaveOptions,
};
