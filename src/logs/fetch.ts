// All rows of a query over a window: SLS answers at most 100 rows per GetLogs (line=100&offset=k), and may answer
// `x-log-progress: Incomplete` when it has not scanned everything yet — then the same page is asked again (with a
// bound), as the SLS docs prescribe. Works against any LogSource so the paging is testable without a network.
import type { LogRow } from '../cloud/sls';

export interface LogQuery {
  from: number; // unix seconds, inclusive
  to: number; // unix seconds, exclusive
  query: string;
  topic?: string;
}

export interface LogPage {
  rows: LogRow[];
  /** false when SLS said `x-log-progress: Incomplete`. */
  complete: boolean;
}

export interface LogSource {
  getLogsPage(q: LogQuery & { line: number; offset: number; reverse?: boolean }): Promise<LogPage>;
}

export interface FetchOptions {
  pageSize?: number; // ≤ 100
  /** How many times one page is asked again while SLS says Incomplete. */
  incompleteRetries?: number;
  retryDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  signal?: AbortSignal;
  /** Newest first (SLS reverse=true). */
  reverse?: boolean;
  /** Stop paging early once this says the rows so far are enough (e.g. --limit reached). */
  enough?: (rows: LogRow[]) => boolean;
}

export interface FetchResult {
  rows: LogRow[];
  /** false if a page stayed Incomplete after every retry (the rows may then miss some lines). */
  complete: boolean;
  calls: number;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function fetchAll(source: LogSource, q: LogQuery, o: FetchOptions = {}): Promise<FetchResult> {
  const line = Math.min(o.pageSize ?? 100, 100);
  const retries = o.incompleteRetries ?? 5;
  const sleep = o.sleep ?? defaultSleep;
  const rows: LogRow[] = [];
  let complete = true;
  let calls = 0;
  for (let offset = 0; ; offset += line) {
    if (o.signal?.aborted) break;
    let page: LogPage;
    for (let attempt = 0; ; attempt++) {
      page = await source.getLogsPage({ ...q, line, offset, reverse: o.reverse });
      calls++;
      if (page.complete || attempt >= retries || o.signal?.aborted) break;
      await sleep((o.retryDelayMs ?? 200) * (attempt + 1));
    }
    if (!page.complete) complete = false;
    rows.push(...page.rows);
    if (page.rows.length < line || o.enough?.(rows)) break;
  }
  return { rows, complete, calls };
}
