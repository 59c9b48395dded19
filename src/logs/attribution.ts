// Which request printed a line that does not name one (a plain `print`)? FC writes `FC Invoke Start/End
// RequestId:` around every invocation, per instance. A plain line on an instance belongs to the request that was
// running there at that moment — for certain only if that instance served one request at a time. So:
//   - one request open on the instance, and no other request overlapped it at any point → "inferred";
//   - one request open now, but another overlapped it during its span (instanceConcurrency > 1) → "uncertain";
//   - several open now → "uncertain", with the candidates listed; none open → "none" (init, background output).
// Evidence of another request also includes a line carrying another id while no Start of it was seen.
// With --request-id X, a line that prints X's id is X's, unless the line is certainly another request's (its own
// logging prefix, or printed while only that request ran on a one-at-a-time instance): then it is "mentions".
import { containsId, type LogRecord } from './records';

export interface AttributeOptions {
  /** The request the user asked about: a plain line that mentions it by id is its own ("id"). */
  focusId?: string;
}

interface TrackState {
  open: Map<string, Set<string>>; // instance → requests running now
  overlapped: Set<string>;
}

const newState = (): TrackState => ({ open: new Map(), overlapped: new Set() });

/** Advances the per-instance state by one line; answers the requests open then for a plain line, else undefined. */
function track(st: TrackState, r: LogRecord): string[] | undefined {
  let set = st.open.get(r.instanceId);
  if (!set) st.open.set(r.instanceId, (set = new Set()));
  const markOverlap = () => {
    if (set!.size > 1) for (const id of set!) st.overlapped.add(id);
  };
  // Initializer runs are framed the same way (with their own id) and hold the instance the same way.
  if ((r.frame === 'invoke-start' || r.frame === 'init-start') && r.requestId) {
    set.add(r.requestId);
    markOverlap();
    return undefined;
  }
  if ((r.frame === 'invoke-end' || r.frame === 'init-end') && r.requestId) {
    markOverlap();
    set.delete(r.requestId);
    return undefined;
  }
  if (r.requestId) {
    // A line naming a request we did not see start: that request was running too.
    if (!set.has(r.requestId) && set.size > 0) {
      st.overlapped.add(r.requestId);
      for (const id of set) st.overlapped.add(id);
    }
    return undefined;
  }
  return [...set];
}

function decide(r: LogRecord, snap: string[] | undefined, overlapped: Set<string>, focusId?: string, focusFramedHere = false): LogRecord {
  if (!snap) {
    // A line that names its own request (logging prefix) and also prints the asked-for id is that request's.
    if (focusId && r.requestId && r.requestId !== focusId && containsId(r.message, focusId)) return { ...r, attributed: 'mentions' };
    return { ...r, attributed: r.requestId ? 'id' : r.attributed };
  }
  if (focusId && containsId(r.message, focusId)) {
    // Printed while exactly one other request ran on an instance that served one request at a time: that
    // request printed it (it logs the asked-for id, e.g. a caller logging the callee's id).
    if (snap.length === 1 && snap[0] !== focusId && !overlapped.has(snap[0])) return { ...r, requestId: snap[0], attributed: 'mentions' };
    // The asked-for request ran on this instance (its Start is in the stream) but not at this moment: not its line.
    if (focusFramedHere && !snap.includes(focusId)) {
      return { ...r, requestId: undefined, attributed: 'mentions', ...(snap.length ? { candidates: snap } : {}) };
    }
    return { ...r, requestId: focusId, attributed: 'id' };
  }
  if (snap.length === 0) return { ...r, requestId: undefined, attributed: 'none' };
  if (snap.length === 1) return { ...r, requestId: snap[0], attributed: overlapped.has(snap[0]) ? 'uncertain' : 'inferred' };
  return { ...r, requestId: undefined, attributed: 'uncertain', candidates: snap };
}

/** Fills requestId/attributed/candidates on records (sorted by time, SLS order within a second). Pure. */
export function attributeStream(records: LogRecord[], opts: AttributeOptions = {}): LogRecord[] {
  // Two passes: whether a request was ever overlapped is known only after its End.
  const st = newState();
  const snapshots = records.map((r) => track(st, r));
  const focus = opts.focusId;
  const framed = new Set(focus ? records.filter((r) => r.requestId === focus && (r.frame === 'invoke-start' || r.frame === 'init-start')).map((r) => r.instanceId) : []);
  return records.map((r, i) => decide(r, snapshots[i], st.overlapped, focus, framed.has(r.instanceId)));
}

/**
 * The same rules for --tail, where lines are printed as they come: a line is judged on what is known when it
 * arrives (a request that starts overlapping later cannot turn an already printed "inferred" into "uncertain").
 */
export class LiveAttributor {
  private readonly st = newState();

  /** Feeds lines already shown (history), to know which requests are running. */
  seed(records: LogRecord[]): void {
    for (const r of records) track(this.st, r);
  }

  attribute(records: LogRecord[]): LogRecord[] {
    return records.map((r) => decide(r, track(this.st, r), this.st.overlapped));
  }
}

/**
 * The lines of one request out of a stream attributed with `focusId: requestId`: its own, inferred and possible
 * ones, and (as `mentions`, keeping their owner in requestId) other requests' lines that print its id.
 */
export function linesOfRequest(records: LogRecord[], requestId: string): LogRecord[] {
  const out: LogRecord[] = [];
  for (const r of records) {
    if (r.requestId === requestId) out.push(r);
    else if (r.attributed === 'mentions' && containsId(r.message, requestId)) out.push(r);
    else if (r.candidates?.includes(requestId)) out.push({ ...r, requestId, attributed: 'uncertain' });
    else if (containsId(r.message, requestId)) out.push(r.requestId && r.requestId !== requestId ? { ...r, attributed: 'mentions' } : { ...r, requestId, attributed: 'id' });
  }
  return out;
}
