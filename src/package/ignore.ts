// gitignore semantics for .fcignore, written to follow git's dir.c + wildmatch.c closely:
// - blank lines and `#` comments are skipped; `\#` and `\!` escape; unescaped trailing spaces are trimmed; CRLF ok;
// - `!` re-includes; a trailing `/` matches directories only;
// - a pattern with a `/` at the start or in the middle is anchored to its file's folder, otherwise it matches the
//   basename at any depth;
// - `**/` (leading or middle) is zero or more folders, a trailing `/**` is everything inside, other `**` act as `*`;
// - `*`, `?` never match `/`; `[...]` with `!`/`^` negation, ranges and [:class:];
// - the last matching line of the deepest ignore file wins; a path under an excluded folder is never walked, so
//   it cannot be re-included (the walker enforces that by not descending).

export interface IgnoreRule {
  /** The line as written, for messages. */
  source: string;
  negated: boolean;
  dirOnly: boolean;
  /** Matched against the basename only (pattern had no slash except a trailing one). */
  basename: boolean;
  regex: RegExp | null; // null: a pattern git can never match (e.g. an unclosed `[`)
}

export type IgnoreVerdict = 'ignored' | 'included' | undefined;

const CLASSES: Record<string, string> = {
  alnum: 'a-zA-Z0-9',
  alpha: 'a-zA-Z',
  blank: ' \\t',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '\\x21-\\x7e',
  lower: 'a-z',
  print: '\\x20-\\x7e',
  punct: '!-\\/:-@\\[-`{-~',
  space: ' \\t\\n\\r\\f\\v',
  upper: 'A-Z',
  xdigit: '0-9A-Fa-f',
};

function escapeRe(ch: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? '\\' + ch : ch;
}

/** Parses `[...]` starting at pattern[i] === '['. Returns the regex class and the index after `]`, or null if unclosed. */
function parseBracket(p: string, i: number): { re: string; end: number } | null {
  let j = i + 1;
  let negate = false;
  if (p[j] === '!' || p[j] === '^') {
    negate = true;
    j++;
  }
  let body = '';
  let first = true;
  while (j < p.length) {
    let ch = p[j];
    if (ch === ']' && !first) {
      // In pathname mode a class never matches '/'.
      const re = negate ? `[^/${body}]` : `(?!/)[${body}]`;
      return { re: body === '' && !negate ? '(?!)' : re, end: j + 1 };
    }
    first = false;
    if (ch === '[' && p[j + 1] === ':') {
      const close = p.indexOf(':]', j + 2);
      if (close !== -1) {
        const name = p.slice(j + 2, close);
        const cls = CLASSES[name];
        if (cls === undefined) return null; // git: unknown class aborts the match
        body += cls;
        j = close + 2;
        continue;
      }
    }
    if (ch === '\\') {
      j++;
      if (j >= p.length) return null;
      ch = p[j];
    }
    // A range a-z (the `-` is literal at the end of the class).
    if (p[j + 1] === '-' && j + 2 < p.length && p[j + 2] !== ']') {
      let hi = p[j + 2];
      let k = j + 3;
      if (hi === '\\') {
        hi = p[j + 3];
        k = j + 4;
        if (hi === undefined) return null;
      }
      if (hi.charCodeAt(0) >= ch.charCodeAt(0)) body += `${escapeRe(ch)}-${escapeRe(hi)}`;
      j = k;
      continue;
    }
    body += escapeRe(ch);
    j++;
  }
  return null;
}

/** Converts a wildmatch pattern (WM_PATHNAME) into an anchored regex source, or null if it can never match. */
export function wildmatchToRegex(p: string): string | null {
  let re = '';
  let i = 0;
  while (i < p.length) {
    const ch = p[i];
    if (ch === '*') {
      let j = i;
      while (p[j] === '*') j++;
      const starCount = j - i;
      const atSegmentStart = i === 0 || p[i - 1] === '/';
      const atSegmentEnd = j === p.length || p[j] === '/';
      if (starCount >= 2 && atSegmentStart && atSegmentEnd) {
        if (j === p.length) {
          re += '.*';
          i = j;
        } else {
          re += '(?:.*/)?'; // `**/`: zero or more folders
          i = j + 1;
        }
      } else {
        re += '[^/]*';
        i = j;
      }
      continue;
    }
    if (ch === '?') {
      re += '[^/]';
      i++;
      continue;
    }
    if (ch === '[') {
      const b = parseBracket(p, i);
      if (!b) return null;
      re += b.re;
      i = b.end;
      continue;
    }
    if (ch === '\\') {
      if (i + 1 >= p.length) return null; // a trailing backslash matches nothing in git
      re += escapeRe(p[i + 1]);
      i += 2;
      continue;
    }
    re += escapeRe(ch);
    i++;
  }
  return `^${re}$`;
}

/** Removes trailing spaces unless escaped with a backslash (git's trim_trailing_spaces). */
function trimTrailingSpaces(line: string): string {
  let end = line.length;
  while (end > 0 && line[end - 1] === ' ') {
    // count backslashes before this space
    let k = end - 2;
    let bs = 0;
    while (k >= 0 && line[k] === '\\') {
      bs++;
      k--;
    }
    if (bs % 2 === 1) break; // escaped space: keep it
    end--;
  }
  return line.slice(0, end);
}

export function parseIgnoreLine(raw: string): IgnoreRule | null {
  if (raw === '' || raw[0] === '#') return null;
  let line = trimTrailingSpaces(raw);
  if (line === '') return null;
  const source = line;
  let negated = false;
  if (line[0] === '!') {
    negated = true;
    line = line.slice(1);
  } else if (line.startsWith('\\!') || line.startsWith('\\#')) {
    line = line.slice(1);
  }
  let dirOnly = false;
  if (line.endsWith('/') && !line.endsWith('\\/')) {
    dirOnly = true;
    line = line.replace(/\/+$/, '');
  }
  if (line === '') return null;
  const basename = !line.includes('/');
  if (line.startsWith('/')) line = line.slice(1);
  const src = wildmatchToRegex(line);
  return { source, negated, dirOnly, basename, regex: src === null ? null : new RegExp(src, 's') };
}

/** The rules of one ignore file; `base` is its folder relative to the package root ('' for the root). */
export class IgnoreFile {
  readonly rules: IgnoreRule[];
  constructor(
    text: string,
    readonly base: string,
  ) {
    const lines = text.replace(/^\uFEFF/, '').split('\n');
    this.rules = [];
    for (let l of lines) {
      if (l.endsWith('\r')) l = l.slice(0, -1);
      const r = parseIgnoreLine(l);
      if (r) this.rules.push(r);
    }
  }

  /** Verdict for relPath (relative to the package root, posix), or undefined when no line matches. */
  match(relPath: string, isDir: boolean): IgnoreVerdict {
    let rel = relPath;
    if (this.base) {
      if (!relPath.startsWith(this.base + '/')) return undefined;
      rel = relPath.slice(this.base.length + 1);
    }
    const slash = rel.lastIndexOf('/');
    const name = slash === -1 ? rel : rel.slice(slash + 1);
    for (let i = this.rules.length - 1; i >= 0; i--) {
      const r = this.rules[i];
      if (r.dirOnly && !isDir) continue;
      if (!r.regex) continue;
      if (r.regex.test(r.basename ? name : rel)) return r.negated ? 'included' : 'ignored';
    }
    return undefined;
  }
}

/** Ignore files from the lowest priority (built-ins) to the deepest folder; deepest match wins. */
export class IgnoreStack {
  constructor(readonly files: IgnoreFile[] = []) {}

  with(file: IgnoreFile): IgnoreStack {
    return new IgnoreStack([...this.files, file]);
  }

  isIgnored(relPath: string, isDir: boolean): boolean {
    for (let i = this.files.length - 1; i >= 0; i--) {
      const v = this.files[i].match(relPath, isDir);
      if (v !== undefined) return v === 'ignored';
    }
    return false;
  }
}

/** Always left out, whatever .fcignore says: fcx's own state and version-control internals. */
export const HARD_EXCLUDES = ['.git', '.svn', '.hg', '.fcx'];

/** Left out by default; a `!pattern` line in .fcignore can bring one back (e.g. `!.env.example`). */
export function builtinExcludes(runtime: string): IgnoreFile {
  const lines = [
    '.env',
    '.env.*',
    '/fcx.yaml',
    '/fcx.yml',
    '.fcignore',
    '.DS_Store',
    'Thumbs.db',
    '*.swp',
    '*~',
    '.idea/',
    '.vscode/',
    '__pycache__/',
    '*.pyc',
  ];
  // A local virtualenv holds host binaries and links to the system Python (outside the project): never shippable.
  if (runtime.startsWith('python')) lines.push('node_modules/', '/.venv/');
  return new IgnoreFile(lines.join('\n'), '');
}
