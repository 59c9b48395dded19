// The search part of an SLS query (what comes before `|`): parsing and matching rows against an index config.
//
// Grammar (keywords case-insensitive; precedence not > and > or; adjacency means and, as in SLS):
//   query   := '*' | or
//   or      := and ('or' and)*
//   and     := unary (('and')? unary | 'not' unary)*          ("a not b" = a and not b)
//   unary   := 'not' unary | primary
//   primary := '(' or ')' | key ':' value | word | "phrase"
//   value   := word | "phrase"                              (a word may end in '*': prefix match)
// Text is split into tokens by the index's `token` characters and compared case-insensitively unless the index says
// caseSensitive. A `key: value` query needs a field index for that key (except __topic__ / __source__), else SLS
// answers 400 ParameterInvalid "key (<key>) is not config as key value config,…" — reproduced here.

export interface TokenConfig {
  token?: string[];
  caseSensitive?: boolean;
  chn?: boolean;
}

export interface FieldIndexConfig extends TokenConfig {
  type?: 'text' | 'long' | 'double' | 'json';
  alias?: string;
  doc_value?: boolean;
}

export interface IndexConfig {
  line?: TokenConfig & { include_keys?: string[]; exclude_keys?: string[] };
  keys?: Record<string, FieldIndexConfig>;
  ttl?: number;
  [k: string]: unknown;
}

/** What FC's default log index uses (wire-protocol §5; fcx creates its index with these). */
export const DEFAULT_TOKENS = [',', ' ', "'", '"', ';', '=', '(', ')', '[', ']', '{', '}', '?', '@', '&', '<', '>', '/', ':', '\n', '\t', '\r'];

export type QueryNode =
  | { kind: 'all' }
  | { kind: 'term'; field?: string; text: string; prefix: boolean; quoted: boolean }
  | { kind: 'and'; left: QueryNode; right: QueryNode }
  | { kind: 'or'; left: QueryNode; right: QueryNode }
  | { kind: 'not'; inner: QueryNode };

export class QueryError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

type Lex = { t: 'word' | 'quoted' | '(' | ')' | ':'; v: string };

function lex(q: string): Lex[] {
  const out: Lex[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ':') {
      out.push({ t: c, v: c });
      i++;
    } else if (c === '"') {
      let v = '';
      i++;
      while (i < q.length && q[i] !== '"') {
        if (q[i] === '\\' && i + 1 < q.length) i++;
        v += q[i++];
      }
      if (i >= q.length) throw new QueryError('ParameterInvalid', `unterminated quotation mark in query: ${q}`);
      i++;
      out.push({ t: 'quoted', v });
    } else {
      let v = '';
      while (i < q.length && !/[\s():"]/.test(q[i])) v += q[i++];
      out.push({ t: 'word', v });
    }
  }
  return out;
}

const isKeyword = (l: Lex | undefined, k: string) => l?.t === 'word' && l.v.toLowerCase() === k;

/** Parses the search part of a query; an analytic part (after `|`) is refused: the emulator has no SQL engine. */
export function parseQuery(query: string): QueryNode {
  let search = query;
  const pipe = findUnquoted(query, '|');
  if (pipe >= 0) {
    if (query.slice(pipe + 1).trim()) throw new QueryError('ParameterInvalid', 'analytic (SQL) queries after "|" are not supported by the fcx emulator');
    search = query.slice(0, pipe);
  }
  const toks = lex(search);
  if (toks.length === 0 || (toks.length === 1 && toks[0].t === 'word' && toks[0].v === '*')) return { kind: 'all' };
  let pos = 0;
  const peek = () => toks[pos];
  const fail = (what: string): never => {
    throw new QueryError('ParameterInvalid', `syntax error in query "${query}": ${what}`);
  };

  const startsPrimary = (l: Lex | undefined) => !!l && (l.t === '(' || l.t === 'quoted' || (l.t === 'word' && !isKeyword(l, 'and') && !isKeyword(l, 'or')));

  function parseOr(): QueryNode {
    let left = parseAnd();
    while (isKeyword(peek(), 'or')) {
      pos++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  }
  function parseAnd(): QueryNode {
    let left = parseUnary();
    for (;;) {
      const l = peek();
      if (isKeyword(l, 'and')) {
        pos++;
        left = { kind: 'and', left, right: parseUnary() };
      } else if (isKeyword(l, 'not')) {
        pos++;
        left = { kind: 'and', left, right: { kind: 'not', inner: parseUnary() } };
      } else if (startsPrimary(l)) {
        left = { kind: 'and', left, right: parseUnary() };
      } else break;
    }
    return left;
  }
  function parseUnary(): QueryNode {
    if (isKeyword(peek(), 'not')) {
      pos++;
      return { kind: 'not', inner: parseUnary() };
    }
    return parsePrimary();
  }
  function parsePrimary(): QueryNode {
    const l = peek();
    if (!l) return fail('unexpected end of query');
    if (l.t === '(') {
      pos++;
      const inner = parseOr();
      if (peek()?.t !== ')') fail('missing ")"');
      pos++;
      return inner;
    }
    if (l.t === 'word' || l.t === 'quoted') {
      pos++;
      if (peek()?.t === ':') {
        pos++;
        const v = peek();
        if (!v || (v.t !== 'word' && v.t !== 'quoted')) return fail(`missing value after "${l.v}:"`);
        pos++;
        return termNode(v, l.v);
      }
      if (l.t === 'word' && l.v === '*') return { kind: 'all' };
      return termNode(l);
    }
    return fail(`unexpected "${l.v}"`);
  }
  const node = parseOr();
  if (pos < toks.length) fail(`unexpected "${toks[pos].v}"`);
  return node;
}

function termNode(l: Lex, field?: string): QueryNode {
  if (l.t === 'quoted') return { kind: 'term', field, text: l.v, prefix: false, quoted: true };
  const prefix = l.v.endsWith('*');
  return { kind: 'term', field, text: prefix ? l.v.slice(0, -1) : l.v, prefix, quoted: false };
}

function findUnquoted(s: string, ch: string): number {
  let inQ = false;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && inQ) i++;
    else if (s[i] === '"') inQ = !inQ;
    else if (s[i] === ch && !inQ) return i;
  }
  return -1;
}

/** A tokenizer for one token configuration, with its split characters precompiled. */
export interface Tokenizer {
  (text: string): string[];
  caseSensitive: boolean;
}

const tokenizerCache = new Map<string, Tokenizer>();

export function tokenizer(cfg: TokenConfig | undefined): Tokenizer {
  const tokens = cfg?.token && cfg.token.length ? cfg.token : DEFAULT_TOKENS;
  const cs = !!cfg?.caseSensitive;
  const key = JSON.stringify([tokens, cs]);
  let t = tokenizerCache.get(key);
  if (!t) {
    const set = new Set<number>();
    for (const tok of tokens) for (const ch of unescapeToken(tok)) set.add(ch.charCodeAt(0));
    const fn = ((text: string) => {
      const out: string[] = [];
      let start = -1;
      for (let i = 0; i <= text.length; i++) {
        const sep = i === text.length || set.has(text.charCodeAt(i));
        if (sep) {
          if (start >= 0) out.push(cs ? text.slice(start, i) : text.slice(start, i).toLowerCase());
          start = -1;
        } else if (start < 0) start = i;
      }
      return out;
    }) as Tokenizer;
    fn.caseSensitive = cs;
    t = fn;
    tokenizerCache.set(key, t);
  }
  return t;
}

/** Index configs written as JSON may carry "\\n" for a newline token. */
function unescapeToken(t: string): string {
  return t.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\r/g, '\r');
}

export interface LogRow {
  time: number; // unix seconds
  /** Nanoseconds within the second (SLS __time_ns_part__), when the writer knew them. */
  timeNs?: number;
  topic: string;
  source: string;
  fields: Record<string, string>;
}

/** Reserved fields that are always searchable as `key: value` without a field index. */
const RESERVED = new Set(['__topic__', '__source__']);

/** Checks a parsed query against an index config before running it (the SLS errors for unindexed keys). */
export function validateQuery(node: QueryNode, index: IndexConfig): void {
  switch (node.kind) {
    case 'term':
      if (node.field !== undefined && !RESERVED.has(node.field) && !index.keys?.[node.field] && !node.field.startsWith('__tag__:')) {
        throw new QueryError('ParameterInvalid', `key (${node.field}) is not config as key value config,if symbol : is  in your log,please wrap : with quotation mark "`);
      }
      if (node.field === undefined && !index.line) {
        // [unverified] SLS without a full-text index: a bare term cannot be searched.
        throw new QueryError('ParameterInvalid', 'full text search is not enabled: the logstore index has no "line" (full-text) configuration');
      }
      return;
    case 'and':
    case 'or':
      validateQuery(node.left, index);
      validateQuery(node.right, index);
      return;
    case 'not':
      validateQuery(node.inner, index);
      return;
    default:
      return;
  }
}

/** The fields a full-text search looks at: every value except the reserved ones (honouring include/exclude keys). */
export function fullTextValues(row: LogRow, line: IndexConfig['line']): string[] {
  const out: string[] = [];
  const inc = line?.include_keys?.length ? new Set(line.include_keys) : undefined;
  const exc = line?.exclude_keys?.length ? new Set(line.exclude_keys) : undefined;
  for (const [k, v] of Object.entries(row.fields)) {
    if (inc && !inc.has(k)) continue;
    if (exc && exc.has(k)) continue;
    out.push(v);
  }
  return out;
}

/** Does the token list contain the query tokens consecutively (the last one as a prefix when `prefix`)? */
export function containsSequence(hay: string[], needle: string[], prefix: boolean): boolean {
  if (needle.length === 0) return prefix; // "*"-only term matches anything that has tokens
  const n = needle.length;
  outer: for (let i = 0; i + n <= hay.length; i++) {
    for (let j = 0; j < n; j++) {
      const h = hay[i + j];
      const w = needle[j];
      if (j === n - 1 && prefix ? !h.startsWith(w) : h !== w) continue outer;
    }
    return true;
  }
  return false;
}

/** Row matcher for a parsed (and validated) query. Tokenised values are cached per row for this matcher. */
export function compileMatcher(node: QueryNode, index: IndexConfig): (row: LogRow) => boolean {
  const lineTok = tokenizer(index.line);
  function build(n: QueryNode): (row: LogRow) => boolean {
    switch (n.kind) {
      case 'all':
        return () => true;
      case 'and': {
        const a = build(n.left);
        const b = build(n.right);
        return (r) => a(r) && b(r);
      }
      case 'or': {
        const a = build(n.left);
        const b = build(n.right);
        return (r) => a(r) || b(r);
      }
      case 'not': {
        const a = build(n.inner);
        return (r) => !a(r);
      }
      case 'term': {
        if (n.field === undefined) {
          const needle = lineTok(n.text);
          return (r) => fullTextValues(r, index.line).some((v) => containsSequence(lineTok(v), needle, n.prefix));
        }
        const field = n.field;
        if (field === '__topic__' || field === '__source__') {
          const want = n.text.toLowerCase();
          return (r) => {
            const v = (field === '__topic__' ? r.topic : r.source).toLowerCase();
            return n.prefix ? v.startsWith(want) : v === want;
          };
        }
        const cfg = index.keys?.[field] ?? {};
        if (cfg.type === 'long' || cfg.type === 'double') {
          const num = Number(n.text);
          return (r) => r.fields[field] !== undefined && Number(r.fields[field]) === num;
        }
        const tok = tokenizer(cfg);
        const needle = tok(n.text);
        return (r) => {
          const v = r.fields[field];
          if (v === undefined) return false;
          if (n.prefix && needle.length === 0) return true; // key: *
          return containsSequence(tok(v), needle, n.prefix);
        };
      }
    }
  }
  return build(node);
}
