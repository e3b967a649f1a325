// Run by addon-safety.test.ts: the addon's LinkMonitor with a callback that throws. The
// exception must reach 'uncaughtException' like any other (it printed "caught"), not kill the
// process from inside the addon.
import { execFileSync } from 'node:child_process';

const [nativeModule, netns] = process.argv.slice(2);
const { native } = await import(nativeModule);
const addon = native();
const fd = await addon.openLinkSubscription(`/run/netns/${netns}`, 0);
const monitor = new addon.LinkMonitor(fd, () => {
  throw new Error('thrown from the monitor callback');
});
process.on('uncaughtException', (error) => {
  monitor.close();
  console.log(error.message === 'thrown from the monitor callback' ? 'caught' : `other: ${error.message}`);
});
execFileSync('ip', ['-n', netns, 'link', 'add', 'dummy-ev', 'type', 'veth', 'peer', 'name', 'dummy-peer']);
