// Run by watch.test.ts: opens a watcher, takes one event, closes it, and must then exit on its
// own (no handle, timer or fd of the watcher left to keep the loop alive).
const [dist, netns] = process.argv.slice(2);
const { watchBonds, createBond } = await import(dist);
const watcher = watchBonds({ netns, pollInterval: 100 });
const first = watcher.next();
await watcher.ready;
await createBond('bondx', { netns });
await first;
watcher.close();
console.log('closed');
