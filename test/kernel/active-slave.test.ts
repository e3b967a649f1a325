// setActiveSlave in active-backup, checked against ip and /proc/net/bonding.
import { describe, expect, it } from 'vitest';
import { createBond, getBond, setActiveSlave } from '../../lib/index.js';
import { BACKENDS, procField, type Lab } from './helpers/lab.js';
import { labPerTest } from './helpers/lab-per-test.js';
import { waitFor } from './helpers/wait.js';
import { ipValue } from './helpers/oracle.js';

let lab: Lab;
labPerTest((created) => (lab = created), [['eth1', 'peer1'], ['eth2', 'peer2']], { peersUp: true });

describe.each(BACKENDS)('%s backend', (backend) => {
  describe('setActiveSlave', () => {
    it('switches the active slave of an active-backup bond', async () => {
      const netns = lab.ns;
      const call = { netns, backend };
      await createBond('bond0', { mode: 'active-backup', miimon: 100, slaves: ['eth1', 'eth2'], up: true, ...call });
      const ready = await waitFor(
        () => getBond('bond0', call),
        (s) => s.activeSlave !== null && s.slaves.every((x) => x.miiStatus === 'up'),
      );
      const other = ready.activeSlave === 'eth1' ? 'eth2' : 'eth1';
      const state = await setActiveSlave('bond0', other, call);
      expect(state.activeSlave).toBe(other);
      expect(state.slaves.find((s) => s.name === other)?.state).toBe('active');
      expect(ipValue(await lab.link('bond0'), 'activeSlave')).toBe(other);
      expect(procField(await lab.procBonding('bond0'), 'Currently Active Slave')).toBe(other);
    });

    it('refuses a slave of another bond or none', async () => {
      const netns = lab.ns;
      const call = { netns, backend };
      await createBond('bond0', { mode: 'active-backup', miimon: 100, slaves: ['eth1'], up: true, ...call });
      await expect(setActiveSlave('bond0', 'eth2', call)).rejects.toMatchObject({
        code: 'EINVAL',
        message: 'EINVAL: eth2 is not a slave of bond0 (slaves: eth1) (set active slave of bond0 to eth2)',
      });
    });
  });
});
