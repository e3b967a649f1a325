// Shell-like text as configuration files hold it: backslash-continued lines, and lines split
// into commands and words. Enough for configuration lines, not a shell.

/** What a shell line does that a configuration reader cannot follow. */
export type ShellProblem = 'expansion' | 'unterminated quote';

export interface ShellScan {
  commands: string[][];
  /** Set when a word would be expanded ($VAR, $(...), `...`) or a quote is never closed. */
  problem?: ShellProblem;
}

/**
 * Splits a shell line into commands and words as sh does for plain words: single quotes keep
 * everything, double quotes and backslashes as in sh, `#` starts a comment, and `;`, `&&` and
 * `||` separate commands. A `$` or a backtick outside single quotes would expand, which a reader
 * of files cannot do: it is reported, as is a quote never closed. Enough for configuration
 * lines, not a shell.
 */
export function scanShell(line: string): ShellScan {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: string | undefined;
  let problem: ShellProblem | undefined;
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
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (c === '\\' && i + 1 < line.length && (quote === undefined || '$`"\\'.includes(line[i + 1] as string))) {
      word += line[++i];
      inWord = true;
    } else if (c === '$' || c === '`') {
      problem ??= 'expansion';
      word += c;
      inWord = true;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
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
  if (quote !== undefined) problem = 'unterminated quote';
  endCommand();
  return problem === undefined ? { commands } : { commands, problem };
}

/** The commands of a line (see scanShell), for readers that take what they can. */
export function shellCommands(line: string): string[][] {
  return scanShell(line).commands;
}

/**
 * One word quoted for sh and bash so that it stays one literal word: plain words as they are,
 * anything else in single quotes (a single quote inside written as '\'').
 */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_./:+=@,-]+$/u.test(word)) return word;
  return `'${word.replace(/'/gu, "'\\''")}'`;
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
