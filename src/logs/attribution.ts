// Which request printed a line that does not name one (a plain `print`)? FC writes `FC Invoke Start/End
// RequestId:` around every invocation, per instance. A plain line on an instance belongs to the request that was
// running there at that moment — for certain only if that instance served one request at a time. So:
//   - one request open on the instance, and no other request overlapped it at any point → "inferred";
//   - one request open now, but another overlapped it during its span (instanceConcurrency > 1) → "uncertain";
//   - several open now → "uncertain", with the candidates listed; none open → "none" (init, background output).
// Evidence of another request also includes a line carrying another id while no Start of it was seen.
import { containsId, type LogRecord } from './records';

export interface AttributeOptions {
  /** The request the user asked about: a plain line that mentions it by id is its own ("id"). */
  focusId?: string;
}

/** Fills requestId/attributed/candidates on records (sorted by time, SLS order within a second). Pure. */
export function attributeStream(records: LogRecord[], opts: AttributeOptions = {}): LogRecord[] {
  const open = new Map<string, Set<string>>(); // instance → requests running now
  const overlapped = new Set<string>();
  const snapshots: Array<string[] | undefined> = [];

  const markOverlap = (set: Set<string>) => {
    if (set.size > 1) for (const id of set) overlapped.add(id);
  };

  for (const r of records) {
    const inst = r.instanceId;
    let set = open.get(inst);
    if (!set) open.set(inst, (set = new Set()));
    if (r.frame === 'invoke-start' && r.requestId) {
      set.add(r.requestId);
      markOverlap(set);
      snapshots.push(undefined);
    } else if (r.frame === 'invoke-end' && r.requestId) {
      markOverlap(set);
      set.delete(r.requestId);
      snapshots.push(undefined);
    } else if (r.requestId) {
      // A line naming a request we did not see start: that request was running too.
      if (!set.has(r.requestId) && !r.frame && set.size > 0) {
        overlapped.add(r.requestId);
        for (const id of set) overlapped.add(id);
      }
      snapshots.push(undefined);
    } else {
      snapshots.push([...set]);
    }
  }

  return records.map((r, i) => {
    const snap = snapshots[i];
    if (!snap) return { ...r, attributed: r.requestId ? 'id' : r.attributed };
    if (opts.focusId && containsId(r.message, opts.focusId)) return { ...r, requestId: opts.focusId, attributed: 'id' };
    if (snap.length === 0) return { ...r, requestId: undefined, attributed: 'none' };
    if (snap.length === 1) return { ...r, requestId: snap[0], attributed: overlapped.has(snap[0]) ? 'uncertain' : 'inferred' };
    return { ...r, requestId: undefined, attributed: 'uncertain', candidates: snap };
  });
}

/** The lines of one request out of an attributed instance stream (its own, inferred and possible ones). */
export function linesOfRequest(records: LogRecord[], requestId: string): LogRecord[] {
  const out: LogRecord[] = [];
  for (const r of records) {
    if (r.requestId === requestId) out.push(r);
    else if (r.candidates?.includes(requestId)) out.push({ ...r, requestId, attributed: 'uncertain' });
    else if (containsId(r.message, requestId)) out.push({ ...r, requestId, attributed: 'id' });
  }
  return out;
}
