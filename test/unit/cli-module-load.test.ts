// What the CLI says when its call loaded the bonding module and the load made bonds (max_bonds).
import { describe, expect, it } from 'vitest';
import { moduleLoadLines } from '../../lib/cli/module-load.js';

describe('moduleLoadLines', () => {
  it('says nothing when the call loaded no bonds', () => {
    expect(moduleLoadLines(undefined)).toEqual([]);
  });

  it('notes an adopted bond, and warns of the ones nobody asked for, naming max_bonds and the remedy', () => {
    expect(moduleLoadLines({ adoptedBonds: ['bond0'], unrequestedBonds: [], maxBonds: 1 })).toEqual([
      "note: bond0 was made by the bonding module's load, with its defaults; configured as asked",
    ]);
    const [line, ...rest] = moduleLoadLines({ adoptedBonds: [], unrequestedBonds: ['bond0', 'bond1'], maxBonds: 2 });
    expect(rest).toEqual([]);
    expect(line).toMatch(/^warning: loading the bonding module made 2 bonds \(the module's max_bonds=2\); bond0, bond1 were not asked for and stay: /u);
    expect(line).toContain('`netbond delete bond0`');
    expect(line).toContain('`options bonding max_bonds=0` in /etc/modprobe.d/');
  });
});
