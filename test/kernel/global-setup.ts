// Kernel suite guard: fail loudly (never skip) when this kernel cannot make a bond, and fail when
// a test left a namespace behind.
import { leftoverNamespaces, run } from './helpers/lab.js';

export async function setup(): Promise<void> {
  const ns = `nbt-probe-${process.pid}`;
  try {
    await run('ip', ['netns', 'add', ns]);
    await run('ip', ['-n', ns, 'link', 'add', 'nbprobe0', 'type', 'bond']);
  } catch (error) {
    throw new Error(
      'The kernel suite needs a kernel with the bonding driver and this one has none. ' +
        'Run it through `npm test`, which boots User-Mode Linux (apt-get install user-mode-linux) when the host kernel lacks bonding. ' +
        `Cause: ${(error as Error).message}`,
    );
  } finally {
    await run('ip', ['netns', 'del', ns]).catch(() => undefined);
  }
}

export async function teardown(): Promise<void> {
  const left = await leftoverNamespaces();
  if (left.length > 0) {
    for (const ns of left) await run('ip', ['netns', 'del', ns]).catch(() => undefined);
    throw new Error(`kernel tests left network namespaces behind: ${left.join(', ')}`);
  }
}
