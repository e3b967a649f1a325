// TCP counters from /proc/net/netstat and /proc/net/snmp, which come as pairs of lines per
// group: "TcpExt: Name1 Name2 ..." then "TcpExt: 1 2 ...". Read inside a namespace they are
// that namespace's counters.
import type { TcpCounters } from './types.js';

/** Every counter of the given files' text, as 'Group.Name' -> value. */
export function parseNetstat(text: string): Map<string, number> {
  const counters = new Map<string, number>();
  const lines = text.split('\n').filter((line) => line.includes(':'));
  for (let i = 0; i + 1 < lines.length; i++) {
    const [group, names = ''] = (lines[i] as string).split(/:\s*/u, 2);
    const [valueGroup, values = ''] = (lines[i + 1] as string).split(/:\s*/u, 2);
    if (group !== valueGroup) continue;
    const nameList = names.trim().split(/\s+/u);
    const valueList = values.trim().split(/\s+/u);
    // A header's names are words; its values line is numbers.
    if (nameList.length !== valueList.length || !valueList.every((v) => /^-?\d+$/u.test(v))) continue;
    nameList.forEach((name, k) => counters.set(`${group}.${name}`, Number(valueList[k])));
    i++;
  }
  return counters;
}

const delta = (after: Map<string, number>, before: Map<string, number>, key: string): number => (after.get(key) ?? 0) - (before.get(key) ?? 0);

/** The counters the seed's table compares, from the sender's and the receiver's snapshots. */
export function tcpCounters(
  sender: { before: Map<string, number>; after: Map<string, number> },
  receiver: { before: Map<string, number>; after: Map<string, number> },
): TcpCounters {
  return {
    sackReorder: delta(sender.after, sender.before, 'TcpExt.TCPSACKReorder'),
    ofoQueue: delta(receiver.after, receiver.before, 'TcpExt.TCPOFOQueue'),
    retransSegs: delta(sender.after, sender.before, 'Tcp.RetransSegs'),
    dsacks: delta(sender.after, sender.before, 'TcpExt.TCPDSACKRecv'),
  };
}

export const ZERO_COUNTERS: TcpCounters = { sackReorder: 0, ofoQueue: 0, retransSegs: 0, dsacks: 0 };

export function addCounters(a: TcpCounters, b: TcpCounters): TcpCounters {
  return { sackReorder: a.sackReorder + b.sackReorder, ofoQueue: a.ofoQueue + b.ofoQueue, retransSegs: a.retransSegs + b.retransSegs, dsacks: a.dsacks + b.dsacks };
}
