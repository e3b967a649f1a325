// The bonding module's state in a QEMU guest, for the tests of a modular kernel: whether it is
// loaded, taking it out, and systemd's max_bonds=0 line (which decides whether loading it makes a
// bond0 of its own). The guest's root is a throwaway overlay: changing /lib/modprobe.d touches
// nothing on the host.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { exec } from './guest.js';

const SYSTEMD_CONF = '/lib/modprobe.d/systemd.conf';
const MAX_BONDS_ZERO = 'options bonding max_bonds=0';

export const bondingLoaded = (): boolean => existsSync('/sys/module/bonding');

/** The bonds the kernel has in the guest's root namespace (none file when the module is out). */
export function rootBonds(): string[] {
  return existsSync('/sys/class/net/bonding_masters') ? readFileSync('/sys/class/net/bonding_masters', 'utf8').split(/\s+/u).filter(Boolean) : [];
}

/** Takes the module out: every bond deleted first (the module cannot go while one exists). */
export async function unloadBonding(): Promise<void> {
  if (!bondingLoaded()) return;
  for (const bond of rootBonds()) await exec('ip', ['link', 'del', bond]);
  await exec('modprobe', ['-r', 'bonding']);
}

/** systemd's `options bonding max_bonds=0` in the guest, or not (the module's default max_bonds=1). */
export function setMaxBondsZero(present: boolean): void {
  const lines = existsSync(SYSTEMD_CONF) ? readFileSync(SYSTEMD_CONF, 'utf8').split('\n').filter((line) => line.trim() !== MAX_BONDS_ZERO) : [];
  if (present) lines.push(MAX_BONDS_ZERO, '');
  writeFileSync(SYSTEMD_CONF, lines.join('\n'));
}
