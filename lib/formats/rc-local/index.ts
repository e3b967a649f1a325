// rc.local and other boot scripts: the commands of shared/commands.ts, one per line (or separated
// by `;`, `&&`). Every other command is a warning: the script does more than configure bonds, and
// whoever imports it should see what was left behind. Import only.
import { runCommand } from '../shared/commands.js';
import { logicalLines, shellCommands } from '../shared/shell.js';
import type { FileFacts } from '../shared/facts.js';
import type { FormatDef } from '../shared/types.js';

export function parseRcLocal(file: { path: string; text: string }, out: FileFacts): void {
  for (const { text, line } of logicalLines(file.text)) {
    for (const words of shellCommands(text)) {
      if (!runCommand(words, line, out)) out.notImported(line, words[0] as string, `'${words.join(' ')}' does not configure a bond`);
    }
  }
}

/**
 * The registry's entry (lib/formats/registry.ts): rc.local, boot.local or rc.sysinit by name, else
 * a line that runs ifenslave, ifconfig, route or ip; import only.
 */
export const rcLocalFormat = {
  names: [/(^|\/)(rc\.local|boot\.local|rc\.sysinit)$/u],
  text: /^[ \t]*([^\s/]*\/)*(ifenslave|ifconfig|route|ip)[ \t]/mu,
  parse: parseRcLocal,
} satisfies FormatDef;
