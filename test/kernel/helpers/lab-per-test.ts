// A fresh lab namespace per test, for test files (not for the global setup, which runs outside
// vitest's runner and must not register hooks).
import { afterEach, beforeEach } from 'vitest';
import { Lab } from './lab.js';

/**
 * Gives every test of the calling file a fresh namespace with veth NICs (`nic` <-> `peer`, the
 * peers brought up when `peersUp`): handed to `use` before each test, deleted after it.
 */
export function labPerTest(use: (lab: Lab) => void, nics: readonly (readonly [string, string])[] = [], { peersUp = false } = {}): void {
  let current: Lab | undefined;
  beforeEach(async () => {
    current = await Lab.create();
    for (const [nic, peer] of nics) {
      await current.veth(nic, peer);
      if (peersUp) await current.setUp(peer);
    }
    use(current);
  });
  afterEach(async () => {
    await current?.destroy();
    current = undefined;
  });
}
