// The one place a verb's backend is chosen.
import type { BackendName } from '../call/options.js';
import { netlinkBackend } from './netlink/backend.js';
import { sysfsBackend } from './sysfs/backend.js';
import type { Backend } from '../bond/backend.js';

const BACKENDS: Readonly<Record<BackendName, Backend>> = { netlink: netlinkBackend, sysfs: sysfsBackend };

export function backendOf(name: BackendName): Backend {
  return BACKENDS[name];
}
