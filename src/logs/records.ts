// One SLS row → one LogRecord, the single shape both the human and the JSON views render.
// FC 2.0 rows carry no requestId field (wire-protocol §5.1): the id lives in the message, in the platform's
// framing lines (`FC Invoke Start RequestId: <id>`) or in the runtime's logging prefix (`<ISO time> <id> [INFO] …`).

/**
 * How a line's requestId was found: `id` it names the request (framing, logging prefix, or the asked-for id);
 * `inferred` printed on the instance while only that request ran there; `uncertain` the instance was serving
 * several; `none` no request ran; `mentions` it belongs to requestId (another request) and only mentions the
 * id asked for with --request-id (shown as related, never as that request's own).
 */
export type Attribution = 'id' | 'inferred' | 'uncertain' | 'none' | 'mentions';

export interface LogRecord {
  /** __time__ in seconds (SLS resolution). */
  timeSec: number;
  /** Best known time in ms: __time_ns_part__ or the message's own ISO prefix when it falls in the same second. */
  timeMs: number;
  service: string;
  function: string;
  qualifier: string;
  instanceId: string;
  message: string;
  /** The request this line belongs to, when known. */
  requestId?: string;
  attributed: Attribution;
  /** When attribution is uncertain: the requests that were running on the instance at that moment. */
  candidates?: string[];
  /** Framing line kind, if this is one. */
  frame?: 'invoke-start' | 'invoke-end' | 'init-start' | 'init-end';
  /** Position in the order SLS returned rows (kept within equal seconds). */
  seq: number;
}

const FRAME_RE = /^FC (Invoke|Initialize) (Start|End) RequestId: ?(\S+)/;
// Python logging: 2024-01-01T00:00:00.000Z <rid> [INFO] msg; Node console: <ISO-ms-Z> <rid> [silly] msg
const LOGGING_RE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z?)\s+([0-9A-Za-z][0-9A-Za-z-]{7,})\s+\[/;

export function parseFrame(message: string): { kind: NonNullable<LogRecord['frame']>; requestId: string } | undefined {
  const m = FRAME_RE.exec(message);
  if (!m) return undefined;
  const kind = m[1] === 'Invoke' ? (m[2] === 'Start' ? 'invoke-start' : 'invoke-end') : m[2] === 'Start' ? 'init-start' : 'init-end';
  return { kind, requestId: m[3].replace(/[,.;]+$/, '') };
}

/** The request id a line names by itself (framing or logging prefix), if any. */
export function requestIdInLine(message: string): string | undefined {
  const f = parseFrame(message);
  if (f) return f.requestId;
  const m = LOGGING_RE.exec(message);
  return m ? m[2] : undefined;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `message` contains `id` as a whole id, not as part of a longer one (`abc-1` vs `abc-12`). */
export function containsId(message: string, id: string): boolean {
  return new RegExp(`(?<![0-9A-Za-z_-])${escapeRe(id)}(?![0-9A-Za-z_-])`).test(message);
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

export function rowToRecord(row: Record<string, unknown>, seq: number): LogRecord {
  const timeSec = Number(row.__time__);
  let timeMs = timeSec * 1000;
  const ns = Number(row.__time_ns_part__);
  if (Number.isFinite(ns) && ns > 0) timeMs += Math.floor(ns / 1e6);
  const message = str(row.message ?? row.content).replace(/\r?\n$/, '');
  const lm = LOGGING_RE.exec(message);
  if (lm && !(ns > 0)) {
    const t = Date.parse(lm[1].endsWith('Z') ? lm[1] : lm[1] + 'Z');
    if (Math.floor(t / 1000) === timeSec) timeMs = t;
  }
  const frame = parseFrame(message);
  const requestId = frame?.requestId ?? lm?.[2];
  return {
    timeSec,
    timeMs,
    service: str(row.serviceName ?? row.__topic__),
    function: str(row.functionName),
    qualifier: str(row.qualifier) || 'LATEST',
    instanceId: str(row.instanceID ?? row.instanceId),
    message,
    requestId,
    attributed: requestId ? 'id' : 'none',
    frame: frame?.kind,
    seq,
  };
}

/** Time order; rows of the same second keep the order SLS gave them (seq). */
export function sortRecords(records: LogRecord[]): LogRecord[] {
  return [...records].sort((a, b) => a.timeSec - b.timeSec || a.seq - b.seq);
}

/** Identity of a row for dedupe: time + instance + message, plus the occurrence number among identical rows. */
export function rowKey(r: Pick<LogRecord, 'timeSec' | 'instanceId' | 'message'>, occurrence: number): string {
  return `${r.timeSec}\u0000${r.instanceId}\u0000${occurrence}\u0000${r.message}`;
}

/** Keys for a batch, counting occurrences of identical rows within it (in order). */
export function keysOf(records: LogRecord[]): string[] {
  const seen = new Map<string, number>();
  return records.map((r) => {
    const base = `${r.timeSec}\u0000${r.instanceId}\u0000${r.message}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return rowKey(r, n);
  });
}
