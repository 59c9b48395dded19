// --tail: poll SLS politely for new lines. Each poll looks back a few seconds because rows can land late; the
// Deduper makes sure no line prints twice. Throttling doubles the interval (up to a bound) and a good answer
// resets it. Stops when the signal aborts (Ctrl-C), or — following one request — after its End line.
import { CloudError } from '../core/errors';
import type { LiveAttributor } from './attribution';
import type { Deduper } from './dedupe';
import type { LogSource } from './fetch';
import type { LogRecord } from './records';
import { fetchRecords, findRequest, type RequestOptions, type Scope } from './search';

export interface TailOptions {
  signal: AbortSignal;
  intervalMs?: number; // default 1500
  maxIntervalMs?: number; // default 30000
  lookbackSec?: number; // default 10
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Told when SLS throttles (or fails transiently) and the next poll waits longer. */
  onBackoff?: (err: CloudError, nextMs: number) => void;
  /** Attributes plain lines to the request running on their instance as they arrive (none with --search). */
  attributor?: LiveAttributor;
  /** Called after every poll (tests and --debug). */
  onPoll?: (info: { from: number; to: number; fresh: number }) => void;
}

export const sleepUnlessAborted = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

async function pollLoop(o: TailOptions, poll: (toSec: number) => Promise<boolean>): Promise<void> {
  const base = o.intervalMs ?? 1500;
  const max = o.maxIntervalMs ?? 30_000;
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? sleepUnlessAborted;
  let interval = base;
  while (!o.signal.aborted) {
    try {
      const done = await poll(Math.floor(now() / 1000) + 1);
      if (done) return;
      interval = base;
    } catch (err) {
      if (o.signal.aborted) return;
      if (!(err instanceof CloudError) || !err.retryable) throw err;
      interval = Math.min(max, interval * 2);
      o.onBackoff?.(err, interval);
    }
    await sleep(interval, o.signal);
  }
}

/** Follows new lines of a scope (and --search) from `startSec`, emitting each line once. */
export async function tailLines(src: LogSource, scope: Scope, search: string | undefined, startSec: number, dedupe: Deduper, emit: (r: LogRecord[]) => void, o: TailOptions): Promise<void> {
  const lookback = o.lookbackSec ?? 10;
  let nextTo = startSec + lookback;
  await pollLoop(o, async (to) => {
    const from = Math.max(startSec, Math.min(nextTo, to) - lookback);
    dedupe.prune(from);
    const found = await fetchRecords(src, { from, to }, scope, { search }, { signal: o.signal });
    if (o.signal.aborted) return true;
    let fresh = dedupe.fresh(found.records);
    if (o.attributor) fresh = o.attributor.attribute(fresh);
    if (fresh.length) emit(fresh);
    o.onPoll?.({ from, to, fresh: fresh.length });
    nextTo = to;
    return false;
  });
}

/** Follows one request until its `FC Invoke End` line has been shown. Resolves true when it ended. */
export async function tailRequest(
  src: LogSource,
  fromSec: number,
  scope: Scope,
  requestId: string,
  dedupe: Deduper,
  emit: (r: LogRecord[]) => void,
  o: TailOptions & RequestOptions,
): Promise<boolean> {
  let ended = false;
  let from = fromSec;
  await pollLoop(o, async (to) => {
    const found = await findRequest(src, { from, to }, scope, requestId, { ...o, signal: o.signal });
    if (o.signal.aborted) return true;
    const fresh = dedupe.fresh(found.records);
    if (fresh.length) emit(fresh);
    o.onPoll?.({ from, to, fresh: fresh.length });
    if (found.records.length) from = Math.max(from, found.records[0].timeSec - (o.lookbackSec ?? 10));
    ended = found.ended;
    return ended;
  });
  return ended;
}
