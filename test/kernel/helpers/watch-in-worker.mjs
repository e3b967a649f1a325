// Run by addon-safety.test.ts: a worker thread opens a watcher and then ends with it still open,
// either by process.exit() inside the worker ('exit') or by the parent's worker.terminate()
// ('terminate'). The process must survive the worker's teardown and print "survived".
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

if (isMainThread) {
  const [dist, netns, how] = process.argv.slice(2);
  const worker = new Worker(new URL(import.meta.url), { workerData: { dist, netns, how } });
  worker.on('message', (message) => {
    if (message === 'ready' && how === 'terminate') void worker.terminate();
  });
  worker.on('error', (error) => {
    console.error(error);
    process.exitCode = 1;
  });
  worker.on('exit', () => console.log('survived'));
} else {
  const { dist, netns, how } = workerData;
  const { watchBonds } = await import(dist);
  const watcher = watchBonds({ netns, pollInterval: 0 });
  await watcher.ready;
  parentPort.postMessage('ready');
  if (how === 'exit') process.exit(0);
}
