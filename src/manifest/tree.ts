// YAML text → a small tree where every node knows its line and column, with ${env:…} substituted.
// Scalars keep the exact text the user wrote (`0.10`, `007`, `1e3`, `true` stay as written) so
// environment variables are sent exactly; typed fields re-read plain text with the YAML 1.2 core rules.
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Scalar, visit, type Document, type Node as YNode } from 'yaml';
import { interpolate } from './interpolate';

export interface Pos {
  line: number; // 1-based
  col: number; // 1-based
}

export type ScalarValue = string | number | boolean | null;

export interface TScalar {
  kind: 'scalar';
  pos: Pos;
  /** Exactly what the user wrote (after ${env:} substitution); for quoted and block scalars, their string. */
  text: string;
  /** Plain (unquoted) scalars are typed by the core schema; quoted and block scalars are always strings. */
  plain: boolean;
  value: ScalarValue;
  /** ${env:} substitution failed here (already reported): validators skip the node. */
  broken?: boolean;
}
export interface TEntry {
  key: string;
  keyPos: Pos;
  value: TNode;
}
export interface TMap {
  kind: 'map';
  pos: Pos;
  entries: TEntry[];
}
export interface TSeq {
  kind: 'seq';
  pos: Pos;
  items: TNode[];
}
export type TNode = TScalar | TMap | TSeq;

/** A problem found while reading; turned into a ManifestProblem by the loader. */
export interface RawProblem {
  pos: Pos;
  path: string;
  message: string;
}

export interface ParsedTree {
  root?: TNode;
  problems: RawProblem[];
  doc: Document;
  lineCounter: LineCounter;
}

/** YAML 1.2 core schema for plain scalars, used again after ${env:} substitution. */
export function resolvePlain(s: string): ScalarValue {
  if (/^(?:~|null|Null|NULL)?$/.test(s)) return null;
  if (/^(?:true|True|TRUE)$/.test(s)) return true;
  if (/^(?:false|False|FALSE)$/.test(s)) return false;
  if (/^[-+]?[0-9]+$/.test(s)) return Number.parseInt(s, 10);
  if (/^0o[0-7]+$/.test(s)) return Number.parseInt(s.slice(2), 8);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return Number.parseInt(s.slice(2), 16);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(s)) return Number.parseFloat(s);
  if (/^[-+]?\.(?:inf|Inf|INF)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(?:nan|NaN|NAN)$/.test(s)) return NaN;
  return s;
}

export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  // Keys that are not simple names (domains, route paths) are quoted so the path stays unambiguous.
  if (!/^[A-Za-z0-9_-]+$/.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent ? `${parent}.${key}` : key;
}

function cleanYamlMessage(message: string): string {
  const first = message.split('\n')[0];
  return first.replace(/ at line \d+, column \d+:?$/, '').trim();
}

/** Alias uses read in one manifest before fcx stops (a real fcx.yaml has a handful). */
export const MAX_ALIASES = 10_000;
/** Nodes produced by expanding aliases before fcx stops. */
export const MAX_NODES_FROM_ALIASES = 100_000;

export function parseTree(source: string, env: NodeJS.ProcessEnv): ParsedTree {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: false });
  const problems: RawProblem[] = [];
  const posAt = (offset: number): Pos => {
    const lp = lineCounter.linePos(offset);
    return { line: lp.line, col: lp.col };
  };
  const linesWithError = new Set<number>();
  const sourceLines = source.split(/\r?\n/);
  for (const e of doc.errors) {
    const pos = posAt(e.pos[0]);
    // One message per line: the first is the cause, the rest are echoes of it.
    if (linesWithError.has(pos.line)) continue;
    linesWithError.add(pos.line);
    let message = `YAML syntax: ${cleanYamlMessage(e.message)}`;
    const text = sourceLines[pos.line - 1] ?? '';
    if (text.includes('${') && /[{[]/.test(text.replace(/\$\{[^}]*\}/g, ''))) {
      message += ' (inside { } or [ ], put a value that uses ${env:…} in quotes)';
    }
    problems.push({ pos, path: '', message });
  }
  if (problems.length) return { problems, doc, lineCounter };

  const nodePos = (n: YNode | null | undefined, fallback: Pos): Pos => (n?.range ? posAt(n.range[0]) : fallback);

  // Aliases are expanded into the tree, so a few lines of nested aliases (`&a2 [*a1, *a1, …]`, an "alias bomb")
  // would grow into billions of nodes. Both counts are far above any real fcx.yaml; past them the walk stops
  // and the outermost alias being expanded is reported.
  // Each alias's anchor, found in one pass in document order (an alias names the closest anchor before it);
  // Alias.resolve() scans the whole document on every call, which is quadratic in the number of aliases.
  const aliasTargets = new Map<YNode, YNode>();
  const anchors = new Map<string, YNode>();
  visit(doc, {
    Node: (_key, node) => {
      if (isAlias(node)) {
        const target = anchors.get(node.source);
        if (target) aliasTargets.set(node, target);
      } else if (node.anchor) anchors.set(node.anchor, node);
    },
  });
  let aliasesResolved = 0;
  let nodesFromAliases = 0;
  let outerAlias: { name: string; pos: Pos; path: string } | undefined;
  let expansionStopped = false;
  const stopped = (pos: Pos): TScalar => ({ kind: 'scalar', pos, text: '', plain: true, value: null, broken: true });

  const convert = (n: YNode | null | undefined, path: string, fallback: Pos, depth: number): TNode => {
    if (expansionStopped) return stopped(fallback);
    if (outerAlias && ++nodesFromAliases > MAX_NODES_FROM_ALIASES) return stopExpansion(fallback);
    if (depth > 64) {
      problems.push({ pos: fallback, path, message: 'nesting too deep (an alias that refers to itself?)' });
      return { kind: 'scalar', pos: fallback, text: '', plain: true, value: null };
    }
    if (n && isAlias(n)) {
      const target = aliasTargets.get(n);
      if (!target) {
        const pos = nodePos(n, fallback);
        problems.push({ pos, path, message: `*${n.source} refers to no anchor; define &${n.source} earlier in the file` });
        return { kind: 'scalar', pos, text: '', plain: true, value: null, broken: true };
      }
      const pos = nodePos(n, fallback);
      if (++aliasesResolved > MAX_ALIASES) return stopExpansion(pos, { name: n.source, pos, path });
      if (outerAlias) return convert(target as YNode | undefined, path, pos, depth + 1);
      outerAlias = { name: n.source, pos, path };
      try {
        return convert(target as YNode | undefined, path, pos, depth + 1);
      } finally {
        outerAlias = undefined;
      }
    }
    if (n && isMap(n)) {
      const out: TMap = { kind: 'map', pos: nodePos(n, fallback), entries: [] };
      const merged: TEntry[] = [];
      for (const pair of n.items) {
        if (!isPair(pair)) continue;
        const k = pair.key as YNode | null;
        const keyPos = nodePos(k, out.pos);
        if (!k || !isScalar(k)) {
          problems.push({ pos: keyPos, path, message: 'keys must be plain names, not lists or mappings' });
          continue;
        }
        const key = scalarText(k);
        // A value-less entry (`memory:`) has an empty range: point at its key instead.
        const v = pair.value as YNode | null;
        const valueFallback = keyPos;
        if (key === '<<' && k.type === Scalar.PLAIN) {
          // YAML merge keys: `<<: *defaults` copies the entries the map does not set itself.
          const src = convert(v, path, valueFallback, depth + 1);
          const sources = src.kind === 'seq' ? src.items : [src];
          for (const s of sources) {
            if (s.kind === 'map') merged.push(...s.entries);
            else if (!(s.kind === 'scalar' && s.broken)) problems.push({ pos: s.pos, path, message: '<< (merge) needs a mapping or an alias to one' });
          }
          continue;
        }
        const child = childPath(path, key);
        const value = convert(v, child, valueFallback, depth + 1);
        if (value.kind === 'scalar' && v && isScalar(v) && v.range && v.range[0] === v.range[1]) value.pos = keyPos;
        out.entries.push({ key, keyPos, value });
      }
      for (const m of merged) if (!out.entries.some((e) => e.key === m.key)) out.entries.push(m);
      return out;
    }
    if (n && isSeq(n)) {
      const out: TSeq = { kind: 'seq', pos: nodePos(n, fallback), items: [] };
      n.items.forEach((item, i) => out.items.push(convert(item as YNode, childPath(path, i), out.pos, depth + 1)));
      return out;
    }
    if (n && isScalar(n)) {
      const pos = nodePos(n, fallback);
      const plain = n.type === Scalar.PLAIN || n.type === undefined;
      let text = scalarText(n);
      if (text.includes('${')) {
        const r = interpolate(text, env);
        for (const err of r.errors) problems.push({ pos, path, message: err });
        text = r.value;
        // A variable that expands to nothing gives an empty string, not YAML null.
        const value = plain && text !== '' ? resolvePlain(text) : text;
        return { kind: 'scalar', pos, text, plain, value, broken: r.errors.length > 0 || undefined };
      }
      const value: ScalarValue = plain ? normalizeValue(n.value) : text;
      return { kind: 'scalar', pos, text, plain, value };
    }
    return { kind: 'scalar', pos: fallback, text: '', plain: true, value: null };
  };

  function stopExpansion(fallback: Pos, current?: { name: string; pos: Pos; path: string }): TScalar {
    expansionStopped = true;
    const at = outerAlias ?? current ?? { name: '', pos: fallback, path: '' };
    problems.push({
      pos: at.pos,
      path: at.path,
      message:
        `${at.name ? `*${at.name}` : 'this alias'} expands to too much: more than ${MAX_ALIASES.toLocaleString('en-US')} alias uses or ` +
        `${MAX_NODES_FROM_ALIASES.toLocaleString('en-US')} values once aliases are expanded (aliases nested in aliases multiply); ` +
        'write the values out or use fewer nested aliases',
    });
    return stopped(fallback);
  }

  if (doc.contents === null || doc.contents === undefined) {
    problems.push({ pos: { line: 1, col: 1 }, path: '', message: 'the file is empty; expected at least `name:` and `functions:` (run `fcx init` for an example)' });
    return { problems, doc, lineCounter };
  }
  const root = convert(doc.contents as YNode, '', { line: 1, col: 1 }, 0);
  // A cut-short tree would only add noise (missing keys that were never reached): report the alias alone.
  if (expansionStopped) return { problems, doc, lineCounter };
  return { root, problems, doc, lineCounter };
}

/** The exact text of a scalar: its source for plain scalars (`0.10`, `007`), its string value otherwise. */
function scalarText(n: Scalar): string {
  const plain = n.type === Scalar.PLAIN || n.type === undefined;
  if (plain && typeof n.source === 'string') return n.source;
  if (typeof n.value === 'string') return n.value;
  return n.value === null || n.value === undefined ? '' : String(n.value);
}

function normalizeValue(v: unknown): ScalarValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  return String(v);
}
