// listBonds from one dump, against ip.
import { describe, expect, it } from 'vitest';
import { createBond, listBonds } from '../../lib/index.js';
import { BACKENDS, type Lab } from './helpers/lab.js';
import { labPerTest } from './helpers/lab-per-test.js';

let lab: Lab;
labPerTest((created) => (lab = created), [['eth1', 'peer1'], ['eth2', 'peer2'], ['eth3', 'peer3']]);

describe.each(BACKENDS)('%s backend', (backend) => {
  describe('listBonds', () => {
    it('lists every bond with its slaves, as ip does', async () => {
      const netns = lab.ns;
      const call = { netns, backend };
      await createBond('bond0', { mode: 'active-backup', slaves: ['eth1', 'eth2'], ...call });
      await createBond('bond1', { mode: 'balance-xor', slaves: ['eth3'], ...call });
      await createBond('bond2', { mode: '802.3ad', ...call });
      const bonds = (await listBonds(backend === 'netlink' ? { ...call, stats: true } : call)).sort((x, y) => x.name.localeCompare(y.name));
      expect(bonds.map((b) => [b.name, b.mode, b.slaves.map((s) => s.name).sort()])).toEqual([
        ['bond0', 'active-backup', ['eth1', 'eth2']],
        ['bond1', 'balance-xor', ['eth3']],
        ['bond2', '802.3ad', []],
      ]);
      const ipBonds = (await lab.links()).filter((l) => l.linkinfo?.info_kind === 'bond').map((l) => l.ifname);
      expect(bonds.map((b) => b.name)).toEqual(ipBonds);
      for (const ipLink of (await lab.links()).filter((l) => l.master)) {
        expect(bonds.find((b) => b.name === ipLink.master)?.slaves.some((s) => s.name === ipLink.ifname)).toBe(true);
      }
      if (backend === 'netlink') expect(bonds[0]?.stats?.txPackets).toBeTypeOf('number');
    });
  });
});
