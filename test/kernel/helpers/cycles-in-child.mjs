// Run by sockets.test.ts under `ip netns exec`, so that module-level calls act in the caller's
// own namespace: COUNT create/enslave/read/release/delete cycles on eth1 and eth2, printing the
// process's open sockets after the first cycle and after the last, and each cycle's slaves.
import { readdirSync, readlinkSync } from 'node:fs';

const [dist, count] = process.argv.slice(2);
const { createBond, deleteBond, enslave, getBond, release } = await import(dist);

const sockets = () => readdirSync('/proc/self/fd').filter((fd) => {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:');
  } catch {
    return false; // the directory's own fd, closed by now
  }
}).length;

const seen = new Set();
let afterFirst = 0;
for (let i = 0; i < Number(count); i++) {
  await createBond('bond0', { mode: 'active-backup', miimon: 100 });
  const enslaved = await enslave('bond0', ['eth1', 'eth2']);
  const read = await getBond('bond0');
  seen.add(JSON.stringify([enslaved.slaves.map((s) => s.name).sort(), read.slaves.map((s) => s.name).sort()]));
  const released = await release('bond0', ['eth1', 'eth2']);
  seen.add(JSON.stringify(released.slaves.map((s) => s.name)));
  await deleteBond('bond0');
  if (i === 0) afterFirst = sockets();
}
console.log(JSON.stringify({ afterFirst, atEnd: sockets(), seen: [...seen] }));
