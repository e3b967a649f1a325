// A tidy text view of a bond, laid out like /proc/net/bonding/<bond>, with the LACP partner and
// port states spelled out.
import { LACP_FLAGS, type BondState, type LacpPortState, type SlaveState } from '../bond/state.js';
import { BOND_MODES, MODES_WITH_ACTIVE_SLAVE } from '../option-table.js';

function portState(state: LacpPortState | undefined): string {
  if (!state) return 'none';
  const set = LACP_FLAGS.filter((flag) => state[flag]);
  return `${state.value} (${set.join(', ') || 'no flags'})`;
}

/** As ethtool prints them ("1000Mb/s full"); "speed unknown" while the kernel does not say or the link is down. */
function linkSpeedText({ speed, duplex }: Pick<SlaveState, 'speed' | 'duplex'>): string {
  return speed === null ? 'speed unknown' : `${speed}Mb/s ${duplex ?? 'duplex unknown'}`;
}

export function formatBond(state: BondState): string {
  const lines = [
    `${state.name}: ${state.mode}, ${state.up ? 'up' : 'down'}, carrier ${state.carrier ? 'up' : 'down'}, mac ${state.mac}, mtu ${state.mtu}`,
  ];
  const field = (label: string, value: unknown) => {
    if (value !== undefined) lines.push(`  ${label}: ${Array.isArray(value) ? value.join(', ') || 'none' : String(value)}`);
  };
  if ((MODES_WITH_ACTIVE_SLAVE as readonly number[]).includes(BOND_MODES.indexOf(state.mode))) {
    field('Currently Active Slave', state.activeSlave ?? 'None');
    field('Primary Slave', state.primary ?? 'None');
  }
  field('MII Polling Interval (ms)', state.miimon);
  field('Up Delay (ms)', state.updelay);
  field('Down Delay (ms)', state.downdelay);
  if (state.arpInterval) {
    field('ARP Polling Interval (ms)', state.arpInterval);
    field('ARP IP target/s', state.arpIpTarget);
    field('ARP validate', state.arpValidate);
  }
  if (['balance-xor', '802.3ad', 'balance-tlb', 'balance-alb'].includes(state.mode)) field('Transmit Hash Policy', state.xmitHashPolicy);
  if (state.mode === '802.3ad') {
    field('LACP rate', state.lacpRate);
    field('LACP active', state.lacpActive === undefined ? undefined : state.lacpActive ? 'on' : 'off');
    field('Aggregator selection policy', state.adSelect);
    field('Min links', state.minLinks);
    if (state.adInfo) {
      field('Active Aggregator', state.adInfo.aggregator);
      field('Number of ports', state.adInfo.numPorts);
      field('Actor Key', state.adInfo.actorKey);
      field('Partner Key', state.adInfo.partnerKey);
      field('Partner Mac Address', state.adInfo.partnerMac);
    } else {
      lines.push('  no active aggregator');
    }
  }
  for (const slave of state.slaves) {
    const prios = [slave.prio === undefined ? '' : `, prio ${slave.prio}`, slave.actorPortPrio === undefined ? '' : `, actor port prio ${slave.actorPortPrio}`].join('');
    lines.push(`  slave ${slave.name}: ${slave.state}, MII ${slave.miiStatus}, ${linkSpeedText(slave)}, link failures ${slave.linkFailureCount}, perm ${slave.permHwaddr}, queue ${slave.queueId}${prios}`);
    if (slave.adAggregatorId !== undefined) {
      const churn = slave.adChurnActorState === undefined ? '' : `; churn actor ${slave.adChurnActorState}, partner ${slave.adChurnPartnerState ?? 'unknown'}`;
      lines.push(`    aggregator ${slave.adAggregatorId}; actor ${portState(slave.adActorOperPortState)}; partner ${portState(slave.adPartnerOperPortState)}${churn}`);
    }
  }
  return lines.join('\n');
}
