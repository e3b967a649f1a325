// modules.conf (Linux 2.4), modprobe.conf and modprobe.d/*.conf (modprobe.d(5)): the bonding
// module's aliases and parameters. `alias bond0 bonding` makes bond0 a bond; `options bond0 ...`
// (the RHEL idiom with that alias) sets bond0's options; `options bonding ...` sets module
// parameters, which are defaults for every bond (see shared/merge.ts), with max_bonds the number
// of bonds created on load. Lines about other modules are not about bonds and are skipped; lines
// about bonding that are not understood are warnings. Import only: a spec is written as ifcfg,
// interfaces, netplan, networkd or nm, which all create the bond themselves.
import { applyModuleParams } from '../shared/commands.js';
import { logicalLines } from '../shared/shell.js';
import type { FileFacts } from '../shared/facts.js';
import type { FormatDef } from '../shared/types.js';

const BOND_WORD = /bond/iu;

export function parseModprobe(file: { path: string; text: string }, out: FileFacts): void {
  const lines = logicalLines(file.text)
    .map(({ text, line }) => ({ words: text.replace(/#.*$/u, '').trim().split(/\s+/u).filter((w) => w !== ''), line }))
    .filter(({ words }) => words.length > 0);
  // modprobe resolves `options NAME` through aliases, so find the bonding aliases first.
  const bondAliases = new Set<string>();
  for (const { words } of lines) {
    if (words[0] === 'alias' && words[2] === 'bonding' && words[1] !== undefined) bondAliases.add(words[1]);
  }
  for (const { words, line } of lines) {
    const [directive, name, ...rest] = words;
    if (directive === 'alias' && name !== undefined && bondAliases.has(name)) {
      if (rest.length !== 1) out.notImported(line, 'alias', 'expected alias NAME bonding');
      // modprobe.d's "alias netdev-bond0 bonding" names the device with a netdev- prefix.
      else out.declare(name.replace(/^netdev-/u, ''), line);
    } else if (directive === 'options' && name === 'bonding') {
      applyModuleParams(withoutInstanceName(rest, line, out), line, out, 'options');
    } else if (directive === 'options' && name !== undefined && bondAliases.has(name)) {
      const bond = name.replace(/^netdev-/u, '');
      out.declare(bond, line);
      applyModuleParams(withoutInstanceName(rest, line, out), line, out, 'options', bond);
    } else if (BOND_WORD.test(words.join(' ')) && directive !== 'alias' && directive !== 'options') {
      out.notImported(line, directive ?? '', `'${words.join(' ')}' is not understood as bond configuration`);
    } else if (BOND_WORD.test(name ?? '') && directive === 'options') {
      out.notImported(line, 'options', `${name} is not an alias of the bonding module in this file`);
    }
  }
}

/** Kernel 2.4's `-o bond1` loaded a second instance under another name; that has no analogue. */
function withoutInstanceName(params: string[], line: number, out: FileFacts): string[] {
  const kept: string[] = [];
  for (let i = 0; i < params.length; i++) {
    if (params[i] === '-o') {
      out.notImported(line, '-o', `module instance name ${params[i + 1] ?? ''} (2.4-era multiple bonds) has no analogue; the other parameters are imported`);
      i++;
    } else {
      kept.push(params[i] as string);
    }
  }
  return kept;
}

/**
 * The registry's entry (lib/formats/registry.ts): modules.conf, modprobe.conf or conf.modules by
 * name, a .conf file in modprobe.d/, else an alias or options line.
 */
export const modprobeFormat = {
  names: [/(^|\/)(modules\.conf|modprobe\.conf|conf\.modules)$/u],
  folders: [/(^|\/)modprobe\.d\/[^/]+\.conf$/u],
  text: /^[ \t]*(alias|options)[ \t]+\S+[ \t]+\S/mu,
  parse: parseModprobe,
} satisfies FormatDef;
