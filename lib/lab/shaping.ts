// tc commands that make a veth behave like a NIC of a given rate on a path with a given delay:
// tbf for the rate, and netem in front of it for the delay. Each is an argument array for
// `tc -n NS ...`.

/**
 * tbf's bucket: 4 ms worth of the rate (512 KB at 1 Gb/s, the figure that gave ~960 Mb/s on
 * one 1gbit link in the test bed), never below 16 KB so one GSO packet always fits.
 */
export function tbfBurstBytes(rateMbps: number): number {
  return Math.max(16 * 1024, Math.round(((rateMbps * 1e6) / 8) * 0.004));
}

export function shapingCommands(dev: string, rate: string, rateMbps: number, delayMs: number): string[][] {
  const tbf = ['tbf', 'rate', rate, 'burst', String(tbfBurstBytes(rateMbps)), 'latency', '20ms'];
  if (delayMs <= 0) return [['qdisc', 'add', 'dev', dev, 'root', 'handle', '10:', ...tbf]];
  return [
    // netem's default queue (1000 packets) would drop at high rates with a few ms of delay.
    ['qdisc', 'add', 'dev', dev, 'root', 'handle', '1:', 'netem', 'delay', `${Math.round(delayMs * 1000)}us`, 'limit', '100000'],
    ['qdisc', 'add', 'dev', dev, 'parent', '1:1', 'handle', '10:', ...tbf],
  ];
}
