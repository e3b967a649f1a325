// Per-slave options: queueId (both backends) and prio (netlink only), set and read back, compared
// with ip and /proc/net/bonding.
import { SLAVE_OPTION_DEFS } from '../../lib/option-table.js';
import { driverHasOption } from './helpers/driver.js';
import { describe, expect, it } from 'vitest';
import { createBond, parseProcBonding, setSlaveOptions } from '../../lib/index.js';
import { BACKENDS, type Lab } from './helpers/lab.js';
import { labPerTest } from './helpers/lab-per-test.js';
import { waitFor } from './helpers/wait.js';

let lab: Lab;
labPerTest((created) => (lab = created), [['eth1', 'peer1'], ['eth2', 'peer2']]);

describe.each(BACKENDS)('setSlaveOptions over %s', (backend) => {
  it('sets queueId, as ip and /proc report it', async () => {
    const call = { netns: lab.ns, backend };
    await createBond('bond0', { mode: 'active-backup', miimon: 100, slaves: ['eth1', 'eth2'], ...call });
    const state = await setSlaveOptions('bond0', 'eth1', { queueId: 3 }, call);
    expect(state.slaves.find((s) => s.name === 'eth1')?.queueId).toBe(3);
    expect((await lab.link('eth1')).linkinfo?.info_slave_data?.queue_id).toBe(3);
    expect(await lab.procBonding('bond0')).toMatch(/Slave Interface: eth1\n(?:.*\n)*?Slave queue ID: 3/);
  });

  it('refuses a queue id used by another slave, or above the bond queues, before sending', async () => {
    const call = { netns: lab.ns, backend };
    await createBond('bond0', { mode: 'active-backup', slaves: ['eth1', 'eth2'], ...call });
    await setSlaveOptions('bond0', 'eth1', { queueId: 2 }, call);
    await expect(setSlaveOptions('bond0', 'eth2', { queueId: 2 }, call)).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'queueId 2 is already used by eth1 in bond bond0',
    });
    await expect(setSlaveOptions('bond0', 'eth2', { queueId: 17 }, call)).rejects.toMatchObject({
      message: 'queueId 17 of eth2 is above the 16 transmit queues of bond bond0',
    });
    expect((await lab.link('eth2')).linkinfo?.info_slave_data?.queue_id).toBe(0);
  });
});

describe('slave prio', () => {
  it('is set over netlink, as ip reports it', async () => {
    const netns = lab.ns;
    await createBond('bond0', { mode: 'active-backup', miimon: 100, slaves: ['eth1', 'eth2'], netns });
    const state = await setSlaveOptions('bond0', 'eth1', { prio: 10 }, { netns });
    expect(state.slaves.find((s) => s.name === 'eth1')?.prio).toBe(10);
    expect((await lab.link('eth1')).linkinfo?.info_slave_data?.prio).toBe(10);
  });

  it('is refused over sysfs, which has no file for it', async () => {
    const netns = lab.ns;
    await createBond('bond0', { mode: 'active-backup', slaves: ['eth1'], netns });
    await expect(setSlaveOptions('bond0', 'eth1', { prio: 10 }, { netns, backend: 'sysfs' })).rejects.toMatchObject({
      message: "prio exists only over netlink (there is no sysfs file for it); use backend 'netlink' to set it on bond bond0",
    });
  });

  it('is refused outside active-backup/tlb/alb', async () => {
    const netns = lab.ns;
    await createBond('bond0', { mode: 'balance-xor', slaves: ['eth1'], netns });
    await expect(setSlaveOptions('bond0', 'eth1', { prio: 5 }, { netns })).rejects.toMatchObject({
      message: 'prio is only supported in mode active-backup, balance-tlb, balance-alb; bond bond0 is balance-xor',
    });
  });

  it('actorPortPrio is set and read back (netlink and /proc) where the driver has it, refused naming the attribute where not', async () => {
    const netns = lab.ns;
    // Up, with its peer up: /proc prints a port's LACPDU details only once it has an aggregator.
    await lab.setUp('peer1');
    await createBond('bond0', { mode: '802.3ad', slaves: ['eth1'], up: true, netns });
    const before = await lab.link('eth1');
    const def = SLAVE_OPTION_DEFS.find((d) => d.key === 'actorPortPrio')!;
    const change = setSlaveOptions('bond0', 'eth1', { actorPortPrio: 5 }, { netns });
    if (driverHasOption(def, 'slave')) {
      const state = await change;
      expect(state.slaves.find((s) => s.name === 'eth1')?.actorPortPrio).toBe(5);
      // /proc prints it as the actor's port priority in the LACPDU details.
      const port = async () => parseProcBonding(await lab.procBonding('bond0')).slaves.find((s) => s.name === 'eth1');
      expect((await waitFor(port, (p) => p?.actorLacpPdu !== undefined))?.actorLacpPdu?.portPriority).toBe(5);
    } else {
      await expect(change).rejects.toMatchObject({
        name: 'ValidationError',
        message: "this kernel's bonding driver has no actorPortPrio (IFLA_BOND_SLAVE_ACTOR_PORT_PRIO)",
      });
      expect(await lab.link('eth1')).toEqual(before);
    }
  });
});
