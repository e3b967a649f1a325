// A small reader and writer for the INI-like files of systemd-networkd and NetworkManager.
// Our own rather than an INI library because these files repeat sections ([Address], [Route]
// may each appear many times and every one matters) and repeat keys (Address= twice adds two
// addresses), which generic INI libraries merge or overwrite; and because every entry must keep
// its line number for warnings. Rules followed: systemd.syntax(7) (comments with # or ;,
// whitespace around '=', a trailing backslash continues the line) and GLib's key files as
// NetworkManager writes them (# comments; \s \n \t \\ escapes).

export interface IniEntry {
  key: string;
  value: string;
  line: number;
}

export interface IniSection {
  name: string;
  line: number;
  entries: IniEntry[];
}

export interface IniProblem {
  line: number;
  text: string;
}

export interface ParsedIni {
  sections: IniSection[];
  /** Lines that are neither a section, a key=value nor a comment, or precede every section. */
  problems: IniProblem[];
}

export interface IniDialect {
  /** systemd: a trailing backslash joins the next line. */
  continuation?: boolean;
  /** NetworkManager (GLib): unescape \s \n \t \r \\ in values. */
  escapes?: boolean;
}

const ESCAPES: Readonly<Record<string, string>> = { s: ' ', n: '\n', t: '\t', r: '\r', '\\': '\\' };

function unescape(value: string): string {
  return value.replace(/\\(.)/gu, (whole, c: string) => ESCAPES[c] ?? whole);
}

export function parseIni(text: string, dialect: IniDialect = {}): ParsedIni {
  const lines = text.split(/\r?\n/u);
  const sections: IniSection[] = [];
  const problems: IniProblem[] = [];
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = (lines[i] as string).trim();
    while (dialect.continuation && line.endsWith('\\') && i + 1 < lines.length) {
      i++;
      line = `${line.slice(0, -1)} ${(lines[i] as string).trim()}`;
    }
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([^\]]+)\]$/u.exec(line);
    if (header) {
      sections.push({ name: (header[1] as string).trim(), line: lineNo, entries: [] });
      continue;
    }
    const eq = line.indexOf('=');
    const current = sections[sections.length - 1];
    if (eq <= 0 || !current) {
      problems.push({ line: lineNo, text: line });
      continue;
    }
    const raw = line.slice(eq + 1).trim();
    current.entries.push({ key: line.slice(0, eq).trim(), value: dialect.escapes ? unescape(raw) : raw, line: lineNo });
  }
  return { sections, problems };
}

export interface IniOut {
  name: string;
  entries: (readonly [key: string, value: string])[];
}

/** Writes sections in order; `comments` go first, each line prefixed with '# '. */
/** GLib's escape of a value: a backslash doubled, so that \s, \n and the rest are read as written. */
const escapeValue = (value: string) => value.replace(/\\/gu, '\\\\');

export function writeIni(sections: IniOut[], comments: string[] = [], dialect: { escapes?: boolean } = {}): string {
  const head = comments.map((c) => `# ${c}`.trimEnd());
  const value = (v: string) => (dialect.escapes ? escapeValue(v) : v);
  const body = sections.map((s) => [`[${s.name}]`, ...s.entries.map(([k, v]) => `${k}=${value(v)}`)].join('\n'));
  return `${[...(head.length > 0 ? [head.join('\n')] : []), ...body].join('\n\n')}\n`;
}
