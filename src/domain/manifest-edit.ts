// Edits fcx.yaml for `fcx domain bind|unbind` the way a person would: only the lines that change are touched,
// so comments, key order, alignment and quoting elsewhere stay exactly as written. The yaml package's
// Document gives the positions; the edit itself is a text splice. (Re-printing the whole document would
// re-align comments and re-space flow lists.)
import YAML, { isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from 'yaml';

export type YamlPlain = string | number | boolean | string[] | { [k: string]: YamlPlain };

interface Located {
  map: YAMLMap; // the deepest block map on the path that exists
  parentKey?: Node; // the key whose value `map` is (undefined for the top level)
  depth: number; // how many path keys were found
  pair?: Pair<Node, Node | null>; // the pair for the full path, when it exists
}

function parse(text: string): Document.Parsed {
  const doc = YAML.parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length) throw new Error(`fcx.yaml is not valid YAML: ${doc.errors[0].message}`);
  return doc;
}

function findPair(map: YAMLMap, key: string): Pair<Node, Node | null> | undefined {
  return (map.items as Pair<Node, Node | null>[]).find((p) => isScalar(p.key) && String(p.key.value) === key);
}

function locate(doc: Document.Parsed, path: string[]): Located | undefined {
  if (!isMap(doc.contents)) return undefined;
  let map = doc.contents as YAMLMap;
  let parentKey: Node | undefined;
  for (let i = 0; i < path.length; i++) {
    const pair = findPair(map, path[i]);
    if (!pair) return { map, parentKey, depth: i };
    if (i === path.length - 1) return { map, parentKey, depth: i, pair };
    const next = pair.value;
    if (isMap(next)) {
      map = next as YAMLMap;
      parentKey = pair.key;
      continue;
    }
    // An empty value (`domains:` with nothing under it) is filled in place; anything else cannot be edited by splice.
    if (next === null || (isScalar(next) && (next.value === null || next.value === undefined))) return { map, parentKey, depth: i, pair };
    return undefined;
  }
  return { map, parentKey, depth: path.length };
}

const lineStart = (text: string, pos: number) => text.lastIndexOf('\n', pos - 1) + 1;
/** The offset just after the line that holds `pos - 1` (the start of the next line, or the end of the text). */
function afterLine(text: string, pos: number): number {
  if (pos > 0 && text[pos - 1] === '\n') return pos;
  const nl = text.indexOf('\n', pos);
  return nl === -1 ? text.length : nl + 1;
}
const columnOf = (text: string, pos: number) => pos - lineStart(text, pos);

/** The indent unit the file uses (the first nested key's column), 2 by default. */
function indentUnit(doc: Document.Parsed, text: string): number {
  const root = doc.contents;
  if (isMap(root)) {
    for (const p of root.items as Pair<Node, Node | null>[]) {
      if (isMap(p.value) && p.value.items.length && !p.value.flow) {
        const k = (p.value.items[0] as Pair<Node, Node>).key;
        const col = k?.range ? columnOf(text, k.range[0]) : 0;
        if (col > 0) return col;
      }
    }
  }
  return 2;
}

function scalarText(v: string | number | boolean): string {
  return YAML.stringify(v).trimEnd();
}

/** Lines for `key: value` at `indent` spaces; nested maps go on following lines, lists stay flow ([GET, POST]). */
function emitPair(key: string, value: YamlPlain, indent: number, unit: number, keyText?: string): string[] {
  const pad = ' '.repeat(indent);
  const k = keyText ?? scalarText(key);
  if (Array.isArray(value)) return [`${pad}${k}: [${value.map((x) => scalarText(x)).join(', ')}]`];
  if (value !== null && typeof value === 'object') {
    const lines = [`${pad}${k}:`];
    for (const [ck, cv] of Object.entries(value)) lines.push(...emitPair(ck, cv, indent + unit, unit));
    return lines;
  }
  return [`${pad}${k}: ${scalarText(value)}`];
}

function nest(path: string[], value: YamlPlain): { key: string; value: YamlPlain } {
  let v = value;
  for (let i = path.length - 1; i > 0; i--) v = { [path[i]]: v };
  return { key: path[0], value: v };
}

/** True when every line break in the text is CRLF (a file saved on Windows). */
function isCrlf(text: string): boolean {
  return text.includes('\r\n') && !/(^|[^\r])\n/.test(text);
}

/**
 * Runs an edit on the LF form of a CRLF file and gives the result CRLF line endings again, so the splices,
 * the blank-line rules and the yaml printer fallback all see one kind of line break and a Windows file stays CRLF.
 */
function keepingLineEndings(text: string, edit: (lf: string) => string): string {
  if (!isCrlf(text)) return edit(text);
  return edit(text.replace(/\r\n/g, '\n')).replace(/\r?\n/g, '\r\n');
}

/** The text with `path` set to `value`, touching only the lines that change (CRLF files stay CRLF). */
export function setInText(text: string, path: string[], value: YamlPlain): string {
  return keepingLineEndings(text, (lf) => setInLfText(lf, path, value));
}

function setInLfText(text: string, path: string[], value: YamlPlain): string {
  const doc = parse(text);
  let unit = indentUnit(doc, text);
  const loc = doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null) ? undefined : locate(doc, path);
  let out: string | undefined;

  if (!loc && (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null))) {
    const n = nest(path, value);
    out = text + (text.length && !text.endsWith('\n') ? '\n' : '') + emitPair(n.key, n.value, 0, unit).join('\n') + '\n';
  } else if (loc && !loc.map.flow) {
    const { map, depth, pair } = loc;
    const isRoot = (map as unknown) === doc.contents;
    const mapIndent = isRoot ? 0 : map.items.length ? columnOf(text, (map.items[0] as Pair<Node, Node>).key!.range![0]) : 0;
    // Nested lines follow the indentation this block already uses (a file may mix 2 and 4 spaces).
    if (!isRoot && loc.parentKey?.range) unit = Math.max(1, mapIndent - columnOf(text, loc.parentKey.range[0])) || unit;
    if (pair && depth === path.length - 1) {
      const keyPos = pair.key!.range![0];
      const v = pair.value;
      if (v && isScalar(v) && v.range && (typeof value !== 'object' || value === null)) {
        // scalar → scalar: only the value changes, a comment after it stays
        out = text.slice(0, v.range[0]) + scalarText(value as string) + text.slice(v.range[1]);
      } else {
        const start = lineStart(text, keyPos);
        const end = afterLine(text, v?.range ? v.range[1] : pair.key!.range![1]);
        const lines = emitPair(path[path.length - 1], value, columnOf(text, keyPos), unit, text.slice(keyPos, pair.key!.range![1])).join('\n') + '\n';
        out = text.slice(0, start) + lines + text.slice(end);
      }
    } else if (pair && depth < path.length - 1) {
      // `domains:` with an empty value: write the rest under it
      const keyPos = pair.key!.range![0];
      const start = lineStart(text, keyPos);
      const end = afterLine(text, pair.value?.range ? pair.value.range[1] : pair.key!.range![1]);
      const n = nest(path.slice(depth), value);
      out = text.slice(0, start) + emitPair(n.key, n.value, columnOf(text, keyPos), unit).join('\n') + '\n' + text.slice(end);
    } else {
      const rest = path.slice(depth);
      const n = nest(rest, value);
      const childIndent = isRoot ? 0 : map.items.length ? mapIndent : 0;
      const lines = emitPair(n.key, n.value, childIndent, unit).join('\n') + '\n';
      if (isRoot) {
        // A new top-level key goes at the end of the file, after a blank line.
        const base = text.length && !text.endsWith('\n') ? text + '\n' : text;
        out = base + (base.endsWith('\n\n') || !base.length ? '' : '\n') + lines;
      } else {
        const last = map.items[map.items.length - 1] as Pair<Node, Node | null>;
        const endNode = last.value?.range ? last.value.range[1] : last.key!.range![1];
        const at = afterLine(text, endNode);
        const sep = at === text.length && text.length && !text.endsWith('\n') ? '\n' : '';
        out = text.slice(0, at) + sep + lines + text.slice(at);
      }
    }
  }

  if (out !== undefined && valueAt(out, path) !== undefined && JSON.stringify(valueAt(out, path)) === JSON.stringify(value)) return out;
  // Flow-style maps or an unusual layout: fall back to the yaml printer (comments kept, spacing may change).
  const fallback = parse(text);
  const node = fallback.createNode(value);
  if (isSeq(node)) node.flow = true;
  fallback.setIn(path, node);
  return fallback.toString({ lineWidth: 0 });
}

/** The text without the pair at `path`; a map left empty by it is removed too (routes → domain → domains). */
export function deleteInText(text: string, path: string[], removeEmptyParents = true): string {
  return keepingLineEndings(text, (lf) => deleteInLfText(lf, path, removeEmptyParents));
}

function deleteInLfText(text: string, path: string[], removeEmptyParents: boolean): string {
  const doc = parse(text);
  const loc = locate(doc, path);
  if (!loc?.pair) return text;
  const { map, pair } = loc;
  if (removeEmptyParents && map.items.length === 1 && path.length > 1) return deleteInLfText(text, path.slice(0, -1), removeEmptyParents);
  let out: string;
  if (map.flow) {
    const d = parse(text);
    d.deleteIn(path);
    out = d.toString({ lineWidth: 0 });
  } else {
    let start = lineStart(text, pair.key!.range![0]);
    const end = afterLine(text, pair.value?.range ? pair.value.range[1] : pair.key!.range![1]);
    // The blank line that separated the block goes with it when nothing (or another blank line) follows,
    // so bind followed by unbind gives back the file as it was.
    const rest = text.slice(end);
    if (start >= 2 && text.slice(start - 2, start) === '\n\n' && (rest === '' || rest.startsWith('\n'))) start -= 1;
    out = text.slice(0, start) + rest;
  }
  return out;
}

export function valueAt(text: string, path: string[]): unknown {
  try {
    // yaml's default (100 alias uses) is below what a manifest with `<<: *defaults` per function reaches; past
    // it this check failed and the edit fell back to re-printing the whole file. fcx.yaml's own loader bounds
    // alias expansion (src/manifest/tree.ts), and bind/unbind load the file before editing it.
    const v = YAML.parse(text, { maxAliasCount: 100_000 }) as unknown;
    let cur: any = v;
    for (const k of path) {
      if (cur === null || typeof cur !== 'object') return undefined;
      cur = cur[k];
    }
    return cur;
  } catch {
    return undefined;
  }
}
