// What every QEMU test file shares: the check that it runs inside a guest of
// scripts/test-bed/qemu-run.sh, and the wiring of NICs to a "host" and a "switch" namespace.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { beforeAll } from 'vitest';
import { setLink } from '../../../scripts/test-bed/qemu-link.mjs';
import { waitFor } from '../../kernel/helpers/wait.js';

export const exec = promisify(execFile);

export async function ip(args: string[]): Promise<void> {
  await exec('ip', args);
}

/** Fails the file loudly unless it runs inside a QEMU guest (never a skip). */
export function requireQemuGuest(): void {
  beforeAll(() => {
    if (process.env.NETBOND_IN_QEMU !== '1') {
      throw new Error('test/qemu runs inside the QEMU test bed: scripts/test-bed/qemu-run.sh -- npx vitest run --config test/qemu/vitest.config.ts');
    }
  });
}

/**
 * A host namespace holding `nics` and a switch namespace holding their peers (p-NAME), the peers
 * bridged on br0 (with `swAddress` on it) unless `bridge` is false. Undo with `unwire`.
 */
export async function wire(host: string, sw: string, nics: readonly string[], { bridge = true, swAddress }: { bridge?: boolean; swAddress?: string } = {}): Promise<void> {
  await ip(['netns', 'add', host]);
  await ip(['netns', 'add', sw]);
  if (bridge) await ip(['-n', sw, 'link', 'add', 'br0', 'type', 'bridge']);
  for (const nic of nics) {
    await ip(['link', 'set', nic, 'netns', host]);
    await ip(['link', 'set', `p-${nic}`, 'netns', sw]);
    await ip(['-n', sw, 'link', 'set', `p-${nic}`, ...(bridge ? ['master', 'br0'] : []), 'up']);
  }
  if (bridge && swAddress) await ip(['-n', sw, 'addr', 'add', swAddress, 'dev', 'br0']);
  if (bridge) await ip(['-n', sw, 'link', 'set', 'br0', 'up']);
}

/** Cables back in, namespaces gone, and every NIC and peer back in the root namespace. */
export async function unwire(host: string, sw: string, nics: readonly string[]): Promise<void> {
  for (const nic of nics) {
    await setLink(nic, true).catch(() => undefined);
    await setLink(`p-${nic}`, true).catch(() => undefined);
  }
  await ip(['netns', 'del', host]).catch(() => undefined);
  await ip(['netns', 'del', sw]).catch(() => undefined);
  // A namespace's physical NICs go back to the root namespace when it is gone, a moment later.
  await waitFor(async () => nics.every((n) => existsSync(`/sys/class/net/${n}`) && existsSync(`/sys/class/net/p-${n}`)), Boolean, 10_000);
}
