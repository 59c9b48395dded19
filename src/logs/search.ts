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

/** Other instances whose lines mention the id are looked at too, up to this many (each costs a query). */
const MAX_OTHER_INSTANCES = 5;

/**
 * One request's lines: those carrying its id (queried as a phrase, then matched as a whole id client-side), and the
 * plain lines its instance printed between its Start and End (queried by instance over that span). A line that
 * prints the id but was printed by another request (its own logging prefix, or printed while only that request
 * ran on a one-at-a-time instance) is kept as related: requestId is its owner, attributed "mentions".
 */
export async function findRequest(src: LogSource, win: { from: number; to: number }, scope: Scope, requestId: string, o: RequestOptions = {}): Promise<RequestFound> {
  const byId = await fetchRecords(src, win, scope, { requestId }, o);
  let calls = byId.calls;
  let complete = byId.complete;
  // A line that names another request by its own logging prefix and only mentions this id is that request's.
  const own = byId.records.map((r): LogRecord => (r.requestId && r.requestId !== requestId ? { ...r, attributed: 'mentions' } : { ...r, requestId, attributed: 'id' }));
  // An initializer run has its own id and the same framing (FC Initialize Start/End), so it is found the same way.
  const start = own.find((r) => r.frame === 'invoke-start' || r.frame === 'init-start');
  const end = own.find((r) => r.frame === 'invoke-end' || r.frame === 'init-end');
  const instanceId = (start ?? end ?? own.find((r) => r.attributed === 'id'))?.instanceId;
  const base = { instanceId, ended: Boolean(end), started: Boolean(start) };

  const lookbackFor = async (fn: string) => Math.max(0, Math.ceil((await o.instanceLookbackSec?.(fn)) ?? 0)) + 1;
  /** The lines of one instance over a span, attributed with this request as the focus. */
  const instanceStream = async (instance: string, fn: string, span: { from: number; to: number }, focus = true) => {
    const found = await fetchRecords(src, span, { ...scope, functionName: scope.functionName ?? (fn || undefined) }, { instanceId: instance }, o);
    calls += found.calls;
    complete &&= found.complete;
    return { records: attributeStream(found.records, focus ? { focusId: requestId } : {}), keys: new Set(keysOf(found.records)) };
  };

  let attributed: LogRecord[] = [];
  const judged = new Set<string>();
  if (start && instanceId) {
    const lookback = await lookbackFor(start.function);
    const stream = await instanceStream(instanceId, start.function, { from: Math.max(0, start.timeSec - lookback), to: end ? end.timeSec + 1 : win.to });
    attributed = linesOfRequest(stream.records, requestId);
    for (const k of stream.keys) judged.add(k);
  }

  // Plain lines with the id outside the request's instance span, judged on their own instance. A request runs on one instance, so
  // once its Start was seen, a line on another instance was printed by someone else: it is related ("mentions",
  // with its owner when the instance tells). Without the Start, only a line printed while one other request ran
  // alone on a one-at-a-time instance is known to be that request's.
  const ownKeys = keysOf(own);
  const requestInstance = start ? instanceId : undefined;
  // (Lines on the request's own instance outside its Start…End span are someone else's too.)
  const pending = own.filter((r, i) => !judged.has(ownKeys[i]) && r.instanceId && r.attributed === 'id' && !r.frame);
  const others = [...new Set(pending.map((r) => r.instanceId))].slice(0, MAX_OTHER_INSTANCES);
  const rejudged = new Map<string, LogRecord>();
  for (const inst of others) {
    const lines = pending.filter((r) => r.instanceId === inst);
    const fn = lines[0].function;
    const lookback = await lookbackFor(fn);
    const stream = await instanceStream(inst, fn, { from: Math.max(0, lines[0].timeSec - lookback), to: lines[lines.length - 1].timeSec + 1 }, !requestInstance);
    const streamKeys = keysOf(stream.records);
    stream.records.forEach((r, i) => {
      if (!containsId(r.message, requestId)) return;
      if (r.attributed === 'mentions') rejudged.set(streamKeys[i], r);
      else if (requestInstance) {
        const certain = r.attributed === 'inferred' || r.attributed === 'id';
        const candidates = certain ? undefined : (r.candidates ?? (r.requestId ? [r.requestId] : undefined));
        rejudged.set(streamKeys[i], { ...r, requestId: certain ? r.requestId : undefined, attributed: 'mentions', candidates });
      }
    });
  }

  // Lines found by id but not on the request's instance stream (another instance, or outside the span) still
  // belong, as their own instance judged them.
  const extra: LogRecord[] = [];
  own.forEach((r, i) => {
    if (!judged.has(ownKeys[i])) extra.push(rejudged.get(ownKeys[i]) ?? r);
  });
  const records = [...attributed, ...extra].sort((a, b) => a.timeSec - b.timeSec); // stable: instance order kept
  return { records, complete, calls, ...base };
}
