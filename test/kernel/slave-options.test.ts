// Per-slave options: queueId and prio, set and read back, compared with ip.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBond, setSlaveOptions } from '../../lib/index.js';
import { runningKernel } from '../../lib/read.js';
import { Lab } from './helpers/lab.js';

let lab: Lab;
beforeEach(async () => {
  lab = await Lab.create();
  await lab.veth('eth1', 'peer1');
  await lab.veth('eth2', 'peer2');
});
afterEach(async () => {
  await lab.destroy();
});

describe('setSlaveOptions', () => {
  it('sets queueId and prio, as ip reports them', async () => {
    const netns = lab.ns;
    await createBond('bond0', { mode: 'active-backup', miimon: 100, slaves: ['eth1', 'eth2'], netns });
    const state = await setSlaveOptions('bond0', 'eth1', { queueId: 3, prio: 10 }, { netns });
    const slave = state.slaves.find((s) => s.name === 'eth1');
    expect(slave).toMatchObject({ queueId: 3, prio: 10 });
    const ip = (await lab.link('eth1')).linkinfo?.info_slave_data ?? {};
    expect([ip.queue_id, ip.prio]).toEqual([3, 10]);
    const proc = await lab.procBonding('bond0');
    expect(proc).toMatch(/Slave Interface: eth1\n(?:.*\n)*?Slave queue ID: 3/);
  });

  it('refuses a queue id used by another slave, or above the bond queues, before sending', async () => {
    const netns = lab.ns;
    await createBond('bond0', { mode: 'active-backup', slaves: ['eth1', 'eth2'], netns });
    await setSlaveOptions('bond0', 'eth1', { queueId: 2 }, { netns });
    await expect(setSlaveOptions('bond0', 'eth2', { queueId: 2 }, { netns })).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'queueId 2 is already used by eth1 in bond bond0',
    });
    await expect(setSlaveOptions('bond0', 'eth2', { queueId: 17 }, { netns })).rejects.toMatchObject({
      message: 'queueId 17 of eth2 is above the 16 transmit queues of bond bond0',
    });
    expect((await lab.link('eth2')).linkinfo?.info_slave_data?.queue_id).toBe(0);
  });

  it('refuses prio outside active-backup/tlb/alb, and actorPortPrio on this kernel', async () => {
    const netns = lab.ns;
    await createBond('bond0', { mode: 'balance-xor', slaves: ['eth1'], netns });
    await expect(setSlaveOptions('bond0', 'eth1', { prio: 5 }, { netns })).rejects.toMatchObject({
      message: 'prio is only supported in mode active-backup, balance-tlb, balance-alb; bond bond0 is balance-xor',
    });
    await expect(setSlaveOptions('bond0', 'eth1', { actorPortPrio: 5 }, { netns })).rejects.toMatchObject({
      message: `actorPortPrio needs Linux >= 6.18; this kernel is ${runningKernel.join('.')}`,
    });
  });
});
