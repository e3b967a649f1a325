// Each of the seven modes: create with two veth slaves, read back, compare with `ip -d -j link
// show` and /proc/net/bonding, release, delete.
import { describe, expect, it } from 'vitest';
import { BOND_MODES, createBond, deleteBond, getBond, release } from '../../lib/index.js';
import { BACKENDS, procField, procSlaves, type Lab } from './helpers/lab.js';
import { labPerTest } from './helpers/lab-per-test.js';
import { PROC_MODE_NAMES } from '../../lib/proc/parse.js';
import { ipValue } from './helpers/oracle.js';

let lab: Lab;
labPerTest((created) => (lab = created), [['eth1', 'peer1'], ['eth2', 'peer2']], { peersUp: true });

describe.each(BACKENDS)('%s backend', (backend) => {
  describe.each(BOND_MODES.map((mode) => [mode]))('createBond in mode %s', (mode) => {
    it('creates, enslaves, reads back, releases and deletes, as ip and /proc see it', async () => {
      const netns = lab.ns;
      const call = { netns, backend };
      const created = await createBond('bond0', { mode, miimon: 100, slaves: ['eth1', 'eth2'], up: true, ...call });
      expect(created.mode).toBe(mode);
      expect(created.up).toBe(true);
      expect(created.slaves.map((s) => s.name).sort()).toEqual(['eth1', 'eth2']);

      const state = await getBond('bond0', call);
      const ipBond = await lab.link('bond0');
      expect(ipBond.linkinfo?.info_kind).toBe('bond');
      expect(state.mode).toBe(ipValue(ipBond, 'mode'));
      expect(state.miimon).toBe(100);
      expect(ipValue(ipBond, 'miimon')).toBe(100);
      expect(state.ifindex).toBe(ipBond.ifindex);
      expect(state.mac).toBe(ipBond.address);
      expect(state.mtu).toBe(ipBond.mtu);
      expect(state.activeSlave).toBe(ipValue(ipBond, 'activeSlave'));

      for (const slave of state.slaves) {
        const ipSlave = await lab.link(slave.name);
        expect(ipSlave.master).toBe('bond0');
        expect(ipSlave.linkinfo?.info_slave_kind).toBe('bond');
        const data = ipSlave.linkinfo?.info_slave_data ?? {};
        expect(slave.state.toUpperCase()).toBe(data.state);
        expect(slave.miiStatus.toUpperCase().replace('-', '_')).toBe(data.mii_status);
        expect(slave.linkFailureCount).toBe(data.link_failure_count);
        expect(slave.permHwaddr).toBe(data.perm_hwaddr);
        expect(slave.queueId).toBe(data.queue_id);
        expect(slave.up).toBe(true);
      }

      const proc = await lab.procBonding('bond0');
      // The names are the parser's table, itself checked against /proc text captured from the kernel.
      expect(procField(proc, 'Bonding Mode')?.startsWith(PROC_MODE_NAMES[mode])).toBe(true);
      expect(procField(proc, 'MII Polling Interval (ms)')).toBe('100');
      expect(procSlaves(proc).sort()).toEqual(['eth1', 'eth2']);

      const released = await release('bond0', ['eth1', 'eth2'], call);
      expect(released.slaves).toEqual([]);
      expect((await lab.link('eth1')).master).toBeUndefined();
      expect((await lab.link('eth2')).master).toBeUndefined();

      await deleteBond('bond0', call);
      expect(await lab.hasLink('bond0')).toBe(false);
      await expect(getBond('bond0', call)).rejects.toMatchObject({ code: 'ENODEV' });
    });
  });

  describe('createBond', () => {
    it('uses the kernel defaults when given no options', async () => {
      const state = await createBond('bond1', { netns: lab.ns, backend });
      const ipBond = await lab.link('bond1');
      expect(state.mode).toBe('balance-rr');
      expect(state.up).toBe(false);
      expect(state.slaves).toEqual([]);
      for (const key of ['miimon', 'updelay', 'arpInterval', 'xmitHashPolicy', 'resendIgmp', 'numGratArp', 'lpInterval', 'packetsPerSlave'] as const) {
        expect(state[key], key).toEqual(ipValue(ipBond, key));
      }
    });

    it('enslaves a slave that is up by taking it down first; the kernel brings it back up', async () => {
      await lab.setUp('eth1');
      const state = await createBond('bond2', { mode: 'active-backup', miimon: 100, slaves: ['eth1'], netns: lab.ns, backend });
      expect(state.slaves[0]?.up).toBe(true);
      expect((await lab.link('eth1')).flags).toContain('UP');
    });
  });
});
