// coupledControl, by its behaviour (iproute2 6.1 cannot print it): against a fake partner that is
// in sync but not collecting, a port with coupled control off collects without distributing (the
// mux machine's separate COLLECTING state) and distributes once the partner collects; with it on,
// the port goes straight to collecting+distributing. Seen on the wire (the bond's LACPDUs), in
// /proc/net/bonding and through netbond's reader.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBond, getBond, parseProcBonding } from '../../lib/index.js';
import { OPTION_BY_KEY } from '../../lib/option-table.js';
import { driverHasOption } from './helpers/driver.js';
import { Lab } from './helpers/lab.js';
import { LACP_STATE, LacpPartner } from './helpers/lacp-partner.js';

const { activity, timeout, aggregation, sync, collecting, distributing } = LACP_STATE;
const IN_SYNC_NOT_COLLECTING = activity | timeout | aggregation | sync;
const COLLECTING_DISTRIBUTING = IN_SYNC_NOT_COLLECTING | collecting | distributing;

let lab: Lab;
let partner: LacpPartner | undefined;
beforeEach(async () => {
  lab = await Lab.create();
  await lab.veth('eth1', 'peer1');
  await lab.setUp('peer1');
});
afterEach(async () => {
  await partner?.stop();
  partner = undefined;
  await lab.destroy();
});

async function bondAgainstPartner(coupledControl: boolean): Promise<LacpPartner> {
  partner = LacpPartner.start(lab, 'peer1');
  partner.send(IN_SYNC_NOT_COLLECTING);
  await createBond('bond0', { mode: '802.3ad', lacpRate: 'fast', coupledControl, slaves: ['eth1'], up: true, netns: lab.ns });
  return partner;
}

/** The port's actor state as /proc prints it and as netbond reads it. */
async function actorStates(): Promise<{ proc: number | undefined; netbond: number | undefined }> {
  const proc = parseProcBonding(await lab.procBonding('bond0')).slaves.find((s) => s.name === 'eth1');
  const state = await getBond('bond0', { netns: lab.ns });
  return { proc: proc?.actorLacpPdu?.portState, netbond: state.slaves[0]?.adActorOperPortState?.value };
}

const driverHasIt = driverHasOption(OPTION_BY_KEY.get('coupledControl')!);

/** Where the driver has no coupled_control, the option is refused naming the attribute, and nothing is created. */
async function expectRefused(): Promise<void> {
  await expect(createBond('bond0', { mode: '802.3ad', coupledControl: false, netns: lab.ns })).rejects.toMatchObject({
    name: 'ValidationError',
    message: "this kernel's bonding driver has no coupledControl (IFLA_BOND_COUPLED_CONTROL)",
  });
  expect(await lab.hasLink('bond0')).toBe(false);
}

describe('coupledControl against a partner in sync but not collecting', () => {
  it('off: the port collects but does not distribute until the partner collects', async () => {
    if (!driverHasIt) return expectRefused();
    const fake = await bondAgainstPartner(false);
    const held = await fake.bondState((s) => (s & collecting) !== 0);
    expect(held! & (sync | collecting | distributing)).toBe(sync | collecting);
    expect(await actorStates()).toEqual({ proc: held, netbond: held });
    expect((await getBond('bond0', { netns: lab.ns })).coupledControl).toBe(false);

    fake.send(COLLECTING_DISTRIBUTING);
    const moved = await fake.bondState((s) => (s & distributing) !== 0);
    expect(moved! & (sync | collecting | distributing)).toBe(sync | collecting | distributing);
    expect(await actorStates()).toEqual({ proc: moved, netbond: moved });
  });

  it('on (the default): the port collects and distributes at once', async () => {
    if (!driverHasIt) return expectRefused();
    const fake = await bondAgainstPartner(true);
    const state = await fake.bondState((s) => (s & collecting) !== 0);
    expect(state! & (sync | collecting | distributing)).toBe(sync | collecting | distributing);
    expect(await actorStates()).toEqual({ proc: state, netbond: state });
  });
});
