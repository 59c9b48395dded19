// The queries of `fcx logs`: a window of history, and one request's whole story. Both run against a LogSource,
// so tests can use the emulator or a scripted source, and the bench can count calls.
import { attributeStream, linesOfRequest } from './attribution';
import { fetchAll, type FetchOptions, type LogSource } from './fetch';
import { buildQuery, type QueryParts } from './query';
import { containsId, keysOf, rowToRecord, sortRecords, type LogRecord } from './records';

export interface Scope {
  service: string;
  /** Only this function's lines (client-side filter always; a field clause too when indexed). */
  functionName?: string;
  indexedFields: ReadonlySet<string>;
  /** The logstore has a full-text index (default true); without one, text is searched via `message:` or client-side. */
  fullText?: boolean;
}

export interface Found {
  records: LogRecord[];
  complete: boolean;
  calls: number;
}

/**
 * Rows of one query, filtered client-side to the service/function (and id/instance when asked), time-sorted.
 * With `newest`, pages newest-first and stops once that many rows passed the filters (then keeps only those).
 */
export async function fetchRecords(
  src: LogSource,
  win: { from: number; to: number },
  scope: Scope,
  parts: Omit<QueryParts, 'functionName'> = {},
  o: FetchOptions & { newest?: number } = {},
): Promise<Found> {
  const query = buildQuery({ ...parts, functionName: scope.functionName }, { fields: scope.indexedFields, fullText: scope.fullText });
  // Text SLS cannot search here (no full-text index, no message field) is matched client-side instead.
  const textServerSide = scope.fullText !== false || scope.indexedFields.has('message');
  const searchText = !textServerSide && parts.search ? parts.search.toLowerCase() : undefined;
  const keep = (r: LogRecord) =>
    (!r.service || r.service === scope.service) &&
    (!scope.functionName || r.function === scope.functionName) &&
    r.timeSec >= win.from &&
    r.timeSec < win.to &&
    (!parts.requestId || containsId(r.message, parts.requestId)) &&
    (!parts.instanceId || r.instanceId === parts.instanceId) &&
    (!searchText || r.message.toLowerCase().includes(searchText));
  const newest = o.newest;
  const fetchOpts: FetchOptions = newest ? { ...o, reverse: true, enough: (rows) => rows.filter((row, i) => keep(rowToRecord(row, i))).length >= newest } : o;
  const res = await fetchAll(src, { from: win.from, to: win.to, query, topic: scope.service }, fetchOpts);
  // Newest-first pages are turned back into SLS's forward order, so equal seconds keep their order.
  const rows = newest ? res.rows.reverse() : res.rows;
  let records = sortRecords(rows.map((row, i) => rowToRecord(row, i)).filter(keep));
  if (newest && records.length > newest) records = records.slice(-newest);
  return { records, complete: res.complete, calls: res.calls };
}

/**
 * History: every line in the window (or the newest `newest`); plain lines attributed from the framing when
 * nothing filtered the framing out.
 */
export async function history(src: LogSource, win: { from: number; to: number }, scope: Scope, search: string | undefined, o: FetchOptions & { newest?: number } = {}): Promise<Found> {
  const found = await fetchRecords(src, win, scope, { search }, o);
  // With --search the framing lines are filtered away, so attribution would only guess: leave lines as they are.
  if (!search) found.records = attributeStream(found.records);
  return found;
}

export interface RequestOptions extends FetchOptions {
  /**
   * Seconds before the request's start to look at its instance: a request that overlaps it started at most one
   * function timeout earlier. Called with the function name once the request is found.
   */
  instanceLookbackSec?: (functionName: string) => Promise<number>;
}

export interface RequestFound extends Found {
  instanceId?: string;
  /** Its `FC Invoke End` line was seen. */
  ended: boolean;
  started: boolean;
}

/**
 * One request's lines: those carrying its id (queried as a phrase, then matched as a whole id client-side), and the
 * plain lines its instance printed between its Start and End (queried by instance over that span).
 */
export async function findRequest(src: LogSource, win: { from: number; to: number }, scope: Scope, requestId: string, o: RequestOptions = {}): Promise<RequestFound> {
  const byId = await fetchRecords(src, win, scope, { requestId }, o);
  let calls = byId.calls;
  let complete = byId.complete;
  const own = byId.records.map((r) => ({ ...r, requestId, attributed: 'id' as const }));
  // An initializer run has its own id and the same framing (FC Initialize Start/End), so it is found the same way.
  const start = own.find((r) => r.frame === 'invoke-start' || r.frame === 'init-start');
  const end = own.find((r) => r.frame === 'invoke-end' || r.frame === 'init-end');
  const instanceId = (start ?? end ?? own[0])?.instanceId;
  const base = { instanceId, ended: Boolean(end), started: Boolean(start) };
  if (!start || !instanceId) return { records: own, complete, calls, ...base };

  const lookback = Math.max(0, Math.ceil((await o.instanceLookbackSec?.(start.function)) ?? 0)) + 1;
  const span = { from: Math.max(0, start.timeSec - lookback), to: end ? end.timeSec + 1 : win.to };
  const onInstance = await fetchRecords(src, span, { ...scope, functionName: scope.functionName ?? (start.function || undefined) }, { instanceId }, o);
  calls += onInstance.calls;
  complete &&= onInstance.complete;
  const attributed = linesOfRequest(attributeStream(onInstance.records, { focusId: requestId }), requestId);

  // Lines found by id but not on the instance stream (another instance, or outside the span) still belong.
  const have = new Set(keysOf(attributed));
  const ownKeys = keysOf(own);
  const extra = own.filter((_, i) => !have.has(ownKeys[i]));
  const records = [...attributed, ...extra].sort((a, b) => a.timeSec - b.timeSec); // stable: instance order kept
  return { records, complete, calls, ...base };
}
