// Shell-like text as configuration files hold it: backslash-continued lines, and lines split
// into commands and words. Enough for configuration lines, not a shell.

/**
 * Splits a shell line into commands and words: quotes are honoured, `#` starts a comment, and
 * `;`, `&&` and `||` separate commands. Enough for configuration lines, not a shell.
 */
export function shellCommands(line: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: string | undefined;
  const endWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote) {
      if (c === quote) quote = undefined;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '#' && !inWord) {
      break;
    } else if (/\s/u.test(c)) {
      endWord();
    } else if (c === ';') {
      endCommand();
    } else if ((c === '&' || c === '|') && line[i + 1] === c) {
      endCommand();
      i++;
    } else {
      word += c;
      inWord = true;
    }
  }
  endCommand();
  return commands;
}

/** Joins backslash-continued lines, keeping the number of the first. */
export function logicalLines(text: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split(/\r?\n/u).forEach((raw, index) => {
    const continued = raw.endsWith('\\');
    const piece = continued ? raw.slice(0, -1) : raw;
    pending = pending ? { text: `${pending.text} ${piece}`, line: pending.line } : { text: piece, line: index + 1 };
    if (!continued) {
      out.push(pending);
      pending = undefined;
    }
  });
  if (pending) out.push(pending);
  return out;
}
