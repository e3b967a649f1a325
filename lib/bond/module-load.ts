// The bonding module loaded by a call. On a distribution kernel bonding is a module that the kernel
// loads for the first RTM_NEWLINK of kind bond (its request_module does not check the caller's
// capabilities: a container gets it too, when the host has it). At load, the module's max_bonds
// option (1 by default; 0 in systemd's /lib/modprobe.d/systemd.conf) makes that many bonds, bond0 and
// up, in the initial network namespace. A call that saw the module absent when it began knows that
// every bond it then meets was made by the load: one it was asked to create is adopted (configured as
// asked: lib/backends/netlink/create.ts), the others stay (an administrator's modprobe options may
// want them) and are reported.
import { access } from 'node:fs/promises';
import { resolveNetns } from '../call/netns.js';
import { runSteps } from '../netlink/batch.js';

/** How to load the module without the bond0 its default max_bonds=1 would make: one remedy for every message. */
export const LOAD_BONDING = '`modprobe bonding max_bonds=0`';

/** What loading the bonding module during a call made besides what was asked. */
export interface ModuleLoadReport {
  /** Bonds the load made that nobody asked for; they are left as the module made them. */
  unrequestedBonds: string[];
  /** Bonds the load made of a name the call creates: configured as asked. */
  adoptedBonds: string[];
  /**
   * The bonds the load made in all, which is the module's max_bonds (the kernel does not show the
   * parameter). Counted in the caller's network namespace: the load's bonds are in the initial one.
   */
  maxBonds: number;
}

/** Whether the bonding driver is in the kernel (a module loaded, or built in: /sys/module has both). */
export async function bondingDriverLoaded(): Promise<boolean> {
  return access('/sys/module/bonding').then(
    () => true,
    () => false,
  );
}

/** Started before a call's first kernel request (feature detection can load the module too). */
export class ModuleLoadWatch {
  readonly adopted: string[] = [];

  private constructor(readonly driverAbsentAtStart: boolean) {}

  static async start(): Promise<ModuleLoadWatch> {
    return new ModuleLoadWatch(!(await bondingDriverLoaded()));
  }

  /**
   * The report once the call is done: undefined unless the call loaded the module and the load made
   * bonds. `requested` are the bonds the call made in the caller's own namespace. A bond another
   * process made during the call would be counted as the load's: the window is the call's length.
   */
  async report(requested: readonly string[]): Promise<ModuleLoadReport | undefined> {
    if (!this.driverAbsentAtStart || !(await bondingDriverLoaded())) return undefined;
    const [links = []] = await runSteps(resolveNetns(undefined), [{ request: { op: 'dumplinks' }, action: 'read the bonds the bonding module made when it was loaded' }]);
    const unrequestedBonds = links.filter((link) => link.kind === 'bond' && !requested.includes(link.ifname) && !this.adopted.includes(link.ifname)).map((link) => link.ifname);
    const maxBonds = unrequestedBonds.length + this.adopted.length;
    return maxBonds === 0 ? undefined : { unrequestedBonds, adoptedBonds: [...this.adopted], maxBonds };
  }
}
