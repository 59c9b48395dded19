// Log rows of one logstore: an append-only JSON-lines file (fsync'd per batch) plus in-memory structures that
// keep GetLogs fast over 100k+ rows: rows in arrival order, a "sorted by time" flag for binary-searching the
// window, and a full-text inverted index (token → ascending row ids) built lazily for the current index config.
// A torn last line after a crash is skipped on load (it was never acknowledged).
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { compileMatcher, fullTextValues, tokenizer, type IndexConfig, type LogRow, type QueryNode, type Tokenizer } from './sls-query';

interface StoredRow {
  t: number;
  ns?: number;
  tp: string;
  s: string;
  f: Record<string, string>;
}

export interface QueryOptions {
  from: number; // seconds, inclusive
  to: number; // seconds, exclusive
  topic?: string;
  node: QueryNode;
  index: IndexConfig;
}

export class LogStorage {
  readonly rows: LogRow[] = [];
  private sortedByTime = true;
  private fd = -1;
  private postings?: Map<string, number[]>;
  private postingsKey = '';

  constructor(private readonly file: string) {
    if (existsSync(file)) this.load();
  }

  private load(): void {
    const text = readFileSync(this.file, 'utf8');
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const line = text.slice(start, end);
      start = end + 1;
      if (!line) continue;
      try {
        const r = JSON.parse(line) as StoredRow;
        this.push({ time: r.t, timeNs: r.ns, topic: r.tp, source: r.s, fields: r.f });
      } catch {
        // torn write from a crash
      }
    }
  }

  private push(row: LogRow): void {
    const n = this.rows.length;
    if (n > 0 && row.time < this.rows[n - 1].time) this.sortedByTime = false;
    this.rows.push(row);
  }

  /**
   * Appends rows durably (one write + fsync for the batch), then makes them searchable. With the logstore's
   * full-text config the inverted index is kept up to date right away, so the first query after a burst of
   * writes does not pay for indexing everything.
   */
  append(batch: LogRow[], line?: IndexConfig['line']): void {
    if (batch.length === 0) return;
    if (this.fd < 0) this.fd = openSync(this.file, 'a');
    const text = batch.map((r) => JSON.stringify({ t: r.time, ns: r.timeNs, tp: r.topic, s: r.source, f: r.fields } satisfies StoredRow)).join('\n') + '\n';
    const buf = Buffer.from(text);
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
    fsyncSync(this.fd);
    const first = this.rows.length;
    for (const r of batch) this.push(r);
    if (line && (!this.postings || this.postingsKey !== JSON.stringify(line))) {
      this.fullTextPostings(line);
    } else if (this.postings) {
      const tok = tokenizer(this.postingsKeyCfg);
      for (let id = first; id < this.rows.length; id++) this.indexRow(this.postings, id, this.postingsKeyCfg, tok);
    }
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  private postingsKeyCfg?: IndexConfig['line'];

  private indexRow(p: Map<string, number[]>, id: number, line: IndexConfig['line'], tok: Tokenizer): void {
    for (const v of fullTextValues(this.rows[id], line)) {
      for (const t of tok(v)) {
        const list = p.get(t);
        if (!list) p.set(t, [id]);
        else if (list[list.length - 1] !== id) list.push(id); // ids arrive ascending: this dedups within a row
      }
    }
  }

  private fullTextPostings(line: IndexConfig['line']): Map<string, number[]> {
    const key = JSON.stringify(line ?? null);
    if (!this.postings || this.postingsKey !== key) {
      const p = new Map<string, number[]>();
      const tok = tokenizer(line);
      for (let id = 0; id < this.rows.length; id++) this.indexRow(p, id, line, tok);
      this.postings = p;
      this.postingsKey = key;
      this.postingsKeyCfg = line;
    }
    return this.postings;
  }

  /**
   * Row ids that may match (a superset), ascending, or undefined when the query cannot narrow the rows.
   * Only full-text terms use the inverted index; the matcher then checks every candidate exactly.
   */
  private candidates(node: QueryNode, index: IndexConfig): number[] | undefined {
    switch (node.kind) {
      case 'term': {
        if (node.field !== undefined || !index.line) return undefined;
        const p = this.fullTextPostings(index.line);
        const toks = tokenizer(index.line)(node.text);
        if (toks.length === 0) return undefined;
        let result: number[] | undefined;
        toks.forEach((t, i) => {
          let list: number[];
          if (node.prefix && i === toks.length - 1) {
            const lists: number[][] = [];
            for (const [k, ids] of p) if (k.startsWith(t)) lists.push(ids);
            list = unionAll(lists);
          } else list = p.get(t) ?? [];
          result = result ? intersect(result, list) : list;
        });
        return result;
      }
      case 'and': {
        const a = this.candidates(node.left, index);
        const b = this.candidates(node.right, index);
        if (!a) return b;
        if (!b) return a;
        return intersect(a, b);
      }
      case 'or': {
        const a = this.candidates(node.left, index);
        const b = this.candidates(node.right, index);
        return a && b ? unionAll([a, b]) : undefined;
      }
      default:
        return undefined;
    }
  }

  /** Matching rows in the window, oldest first (ties in arrival order), and how many rows were examined. */
  search(opts: QueryOptions): { rows: LogRow[]; processed: number } {
    const { from, to, topic } = opts;
    const match = compileMatcher(opts.node, opts.index);
    const cand = this.candidates(opts.node, opts.index);
    const ids: number[] = [];
    let processed = 0;
    const consider = (id: number) => {
      const r = this.rows[id];
      if (r.time < from || r.time >= to) return;
      processed++;
      if (topic !== undefined && r.topic !== topic) return;
      if (match(r)) ids.push(id);
    };
    if (cand) {
      for (const id of cand) consider(id);
    } else if (this.sortedByTime) {
      const lo = lowerBound(this.rows, from);
      const hi = lowerBound(this.rows, to);
      for (let id = lo; id < hi; id++) consider(id);
    } else {
      for (let id = 0; id < this.rows.length; id++) consider(id);
    }
    if (!this.sortedByTime) ids.sort((a, b) => this.rows[a].time - this.rows[b].time || a - b);
    return { rows: ids.map((id) => this.rows[id]), processed };
  }
}

function lowerBound(rows: LogRow[], t: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid].time < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function intersect(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push(a[i]);
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return out;
}

function unionAll(lists: number[][]): number[] {
  if (lists.length === 0) return [];
  if (lists.length === 1) return lists[0];
  const set = new Set<number>();
  for (const l of lists) for (const id of l) set.add(id);
  return [...set].sort((x, y) => x - y);
}
