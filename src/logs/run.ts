// `fcx logs`: flags → window → where the logs are → history, one request, or a live tail → rendered lines.
// The logic lives in the pure modules beside this file; this one wires them to the cloud and the terminal.
import type { Context } from '../core/context';
import { ExitCode, FcxError, UsageError } from '../core/errors';
import { LiveAttributor } from './attribution';
import { Deduper } from './dedupe';
import { locateLogs } from './locate';
import type { LogRecord } from './records';
import { spansDays, toHumanLine, toJsonLine } from './render';
import { findRequest, history, type Scope } from './search';
import { SlsLogSource } from './source';
import { tailLines, tailRequest } from './tail';
import { describeWindow, resolveWindow, toSlsSeconds } from './time-window';

export interface LogsFlags {
  requestId?: string;
  tail?: boolean;
  since?: string;
  until?: string;
  search?: string;
  limit?: string | number;
}

/** History defaults to the last 15 minutes; a request id to the last 24 hours (ids are usually pasted soon after). */
export const DEFAULT_SINCE_MS = 15 * 60_000;
export const DEFAULT_REQUEST_SINCE_MS = 24 * 3_600_000;
const TAIL_LOOKBACK_SEC = 10;

function parseLimit(raw: LogsFlags['limit']): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--limit "${raw}" is not a positive whole number.`, 'Pass how many of the newest lines to show, e.g. --limit 100.');
  return n;
}

export async function runLogs(ctx: Context, fnArg: string | undefined, flags: LogsFlags): Promise<number> {
  // Everything the user typed is checked before any cloud call (exit 2, nothing called).
  const limit = parseLimit(flags.limit);
  const requestId = flags.requestId?.trim() || undefined;
  if (flags.requestId !== undefined && !requestId) throw new UsageError('--request-id is empty.', 'Pass the id fcx invoke printed (x-fc-request-id), e.g. --request-id 1f6b…');
  if (flags.tail && flags.until !== undefined) throw new UsageError('--tail follows new lines from now on, so it cannot take --until.', 'Drop --until, or drop --tail to read a closed window.');
  const win = resolveWindow({ since: flags.since, until: flags.until, defaultSinceMs: requestId ? DEFAULT_REQUEST_SINCE_MS : DEFAULT_SINCE_MS }, { now: Date.now() });

  const { findManifestPath, loadManifest } = await import('../manifest/load.js');
  const manifest = await loadManifest(findManifestPath(ctx.cwd, ctx.global.config), { env: ctx.env, region: ctx.global.region, cwd: ctx.cwd, warn: (m) => ctx.ui.warn(m) });
  if (fnArg && !manifest.functions.some((f) => f.name === fnArg)) {
    const names = manifest.functions.map((f) => f.name);
    throw new UsageError(`There is no function "${fnArg}" in ${manifest.file}.`, names.length ? `Functions: ${names.join(', ')}. Or leave the name out for every function's lines.` : 'Add one under functions: in fcx.yaml.');
  }

  const { resolveTarget } = await import('../cloud/target.js');
  const { FcApi } = await import('../cloud/fc.js');
  const { SlsApi } = await import('../cloud/sls.js');
  const target = await resolveTarget(ctx, { region: manifest.region });
  const fc = new FcApi(target, ctx);
  const sls = new SlsApi(target, ctx);
  const loc = await locateLogs(ctx, fc, sls, target, manifest.service.name);
  const src = new SlsLogSource(sls, loc.project, loc.logstore);
  const scope: Scope = { service: loc.service, functionName: fnArg, indexedFields: loc.indexedFields, fullText: loc.fullText };

  // Ctrl-C while tailing is the normal way to stop: exit 0.
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const onSigint = () => stop.abort();
  if (flags.tail) process.on('SIGINT', onSigint);
  // `fcx logs --tail | head` closes the pipe: stop quietly instead of dying on EPIPE.
  let pipeClosed = false;
  const onOutError = (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    pipeClosed = true;
    stop.abort();
  };
  ctx.ui.out.on?.('error', onOutError);

  const fnWidth = Math.max(4, ...(fnArg ? [fnArg] : manifest.functions.map((f) => f.name)).map((n) => n.length));
  // Dates are shown only when the lines can cross local midnight: the window for history and tail; the request's
  // own lines (known before printing) for --request-id, whose 24-hour window almost always crosses it.
  let withDate = spansDays(win.fromMs, win.toMs);
  let printed = 0;
  const emit = (records: LogRecord[]) => {
    for (const r of records) {
      if (pipeClosed) return;
      if (ctx.global.json) ctx.ui.jsonLine(toJsonLine(r));
      else ctx.ui.data(toHumanLine(r, { c: ctx.ui.cOut, withDate, functionWidth: fnWidth }));
      printed++;
    }
  };
  const instanceLookbackSec = async (fnName: string) => {
    // A request overlapping this one on the instance started at most one function timeout before it.
    const f = await fc.getFunction(loc.service, fnName).catch(() => undefined);
    return Math.min(Number(f?.timeout) || 60, 900);
  };
  const incompleteWarning = () =>
    ctx.ui.warn('SLS had not finished scanning part of the window even after retries; some lines may be missing. Run the command again in a moment.');

  const what = `service ${loc.service}${fnArg ? ` (function ${fnArg})` : ''}, SLS ${loc.project}/${loc.logstore}`;
  try {
    const sec = toSlsSeconds(win);
    if (requestId) {
      ctx.ui.info(`Looking for request ${requestId} in ${what}, window ${describeWindow(win)}`);
      const found = await findRequest(src, sec, scope, requestId, { instanceLookbackSec, signal: stop.signal });
      if (!found.complete) incompleteWarning();
      const dedupe = new Deduper();
      const shown = limit ? found.records.slice(-limit) : found.records;
      if (shown.length) withDate = spansDays(shown[0].timeMs, flags.tail ? Date.now() : shown[shown.length - 1].timeMs);
      emit(dedupe.fresh(shown));
      if (found.records.some((r) => r.attributed === 'uncertain') && !ctx.global.json) {
        ctx.ui.info('Lines marked ? were printed without a request id while the instance also served other requests; they may not be this request\'s.');
      }
      if (found.records.some((r) => r.attributed === 'mentions') && !ctx.global.json) {
        ctx.ui.info(`Lines marked ~ belong to another request (its id is in the id column when known) and only mention ${requestId}.`);
      }
      if (flags.tail && !found.ended && !stop.signal.aborted) {
        ctx.ui.info(found.records.length ? 'Following the request until it ends (Ctrl-C to stop)…' : 'Not there yet; waiting for its lines (Ctrl-C to stop)…');
        await tailRequest(src, sec.from, scope, requestId, dedupe, emit, { signal: stop.signal, instanceLookbackSec, lookbackSec: TAIL_LOOKBACK_SEC });
        return ExitCode.ok;
      }
      const related = found.records.filter((r) => r.attributed === 'mentions').length;
      if (found.records.length === related) {
        // Only other requests' lines that mention the id (shown above): the request itself was not found.
        throw new FcxError(`No log lines of request ${requestId} in ${what}, window ${describeWindow(win)}${related ? ` (${related} line${related === 1 ? '' : 's'} of other requests mention it, shown above)` : ''}.`, {
          hint: `If the request is older, widen the window, e.g. --since 7d. Lines take a few seconds to reach SLS; to wait for them, add --tail.`,
        });
      }
      return ExitCode.ok;
    }

    ctx.ui.info(`Logs of ${what}, window ${describeWindow(win)}${flags.search ? `, matching ${JSON.stringify(flags.search)}` : ''}`);
    // --limit N: page newest-first and stop after N lines, instead of reading the whole window.
    const found = await history(src, sec, scope, flags.search, { signal: stop.signal, newest: limit });
    if (!found.complete) incompleteWarning();
    const dedupe = new Deduper();
    const tailFrom = Math.max(sec.from, sec.to - TAIL_LOOKBACK_SEC);
    if (flags.tail && limit) {
      // The first poll looks back over the end of the window; lines there that --limit left out are older than
      // what was shown and must not appear now: mark them seen.
      dedupe.fresh((await history(src, { from: tailFrom, to: sec.to }, scope, flags.search, { signal: stop.signal })).records);
    }
    dedupe.fresh(found.records); // what history shows, the tail must not show again
    emit(found.records);
    if (limit && found.records.length === limit) ctx.ui.info(`Showed the newest ${limit} lines (--limit ${limit}); there may be older ones in the window.`);
    if (!flags.tail) {
      if (found.records.length === 0) ctx.ui.info(`No log lines in that window. Widen it with --since (e.g. --since 2h), or follow new lines with --tail.`);
      return ExitCode.ok;
    }
    if (stop.signal.aborted) return ExitCode.ok;
    ctx.ui.info('Following new lines (Ctrl-C to stop)…');
    // With --search the framing lines are filtered out, so there is nothing to attribute by.
    const attributor = flags.search ? undefined : new LiveAttributor();
    attributor?.seed(found.records);
    await tailLines(src, scope, flags.search, tailFrom, dedupe, emit, {
      signal: stop.signal,
      attributor,
      lookbackSec: TAIL_LOOKBACK_SEC,
      onBackoff: (err, next) => ctx.ui.warn(`SLS answered ${err.code}; polling every ${Math.round(next / 1000)} s for a while.`),
    });
    return ExitCode.ok;
  } finally {
    process.removeListener('SIGINT', onSigint);
    ctx.ui.out.removeListener?.('error', onOutError);
    ctx.signal.removeEventListener('abort', onAbort);
    ctx.ui.debug(`logs: ${src.calls} GetLogs calls, ${printed} lines printed`);
  }
}
