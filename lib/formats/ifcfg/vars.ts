// The KEY=value lines of an ifcfg file (ifcfg-<dev>, and route-<dev> in its ADDRESSn= form), as
// the shell that sources them reads them: quotes, trailing comments, the last assignment wins.
import type { FileFacts } from '../shared/facts.js';
import { scanShell } from '../shared/shell.js';

export interface Variable {
  value: string;
  line: number;
}

export type Variables = ReadonlyMap<string, Variable>;

/** KEY=value lines as the shell reads them: quotes, trailing comments, last one wins. */
export function readVariables(text: string, out: FileFacts): Map<string, Variable> {
  const vars = new Map<string, Variable>();
  text.split(/\r?\n/u).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/u.exec(trimmed);
    const scan = match ? scanShell(match[2] as string) : { commands: [] };
    const words = scan.commands;
    // initscripts sources the file: an expansion or an open quote means another value than the text.
    if (match && scan.problem !== undefined) {
      out.warn(line, match[1], `${scan.problem === 'expansion' ? 'uses shell expansion ($ or `), which only the shell that sources the file can evaluate' : 'has a quote that is never closed'}; not imported`);
      return;
    }
    if (!match || words.length > 1 || (words[0]?.length ?? 0) > 1) {
      out.warn(line, undefined, `'${trimmed}' is not a KEY=value line; not imported`);
      return;
    }
    vars.set(match[1] as string, { value: words[0]?.[0] ?? '', line });
  });
  return vars;
}
