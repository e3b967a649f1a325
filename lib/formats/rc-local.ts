// rc.local and other boot scripts: the commands of commands.ts, one per line (or separated by
// `;`, `&&`). Every other command is a warning: the script does more than configure bonds, and
// whoever imports it should see what was left behind. Import only.
import { runCommand } from './commands.js';
import { logicalLines, shellCommands } from './shell.js';
import type { FileFacts } from './facts.js';

export function parseRcLocal(file: { path: string; text: string }, out: FileFacts): void {
  for (const { text, line } of logicalLines(file.text)) {
    for (const words of shellCommands(text)) {
      if (!runCommand(words, line, out)) out.notImported(line, words[0] as string, `'${words.join(' ')}' does not configure a bond`);
    }
  }
}
