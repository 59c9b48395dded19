// Two views of the same LogRecords. Human: local time, function, short request id, message; `?` marks a line that
// cannot be attributed with certainty, `~` another request's line that mentions the id asked for. JSON Lines: one object per line with ISO-8601 UTC time.
import type { Palette } from '../ui/color';
import type { LogRecord } from './records';

export interface JsonLogLine {
  time: string;
  requestId?: string;
  function: string;
  message: string;
  instanceId: string;
  service: string;
  qualifier: string;
  attributed: LogRecord['attributed'];
  candidates?: string[];
}

export function toJsonLine(r: LogRecord): JsonLogLine {
  const o: JsonLogLine = {
    time: new Date(r.timeMs).toISOString(),
    requestId: r.requestId,
    function: r.function,
    message: r.message,
    instanceId: r.instanceId,
    service: r.service,
    qualifier: r.qualifier,
    attributed: r.attributed,
  };
  if (r.requestId === undefined) delete o.requestId;
  if (r.candidates?.length) o.candidates = r.candidates;
  return o;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Local wall-clock time: HH:mm:ss.SSS, prefixed with the date when `withDate`. */
export function localTime(ms: number, withDate: boolean): string {
  const d = new Date(ms);
  const t = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
  return withDate ? `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${t}` : t;
}

/** Whether a window crosses local midnight (then every line shows its date). */
export function spansDays(fromMs: number, toMs: number): boolean {
  const a = new Date(fromMs);
  const b = new Date(toMs);
  return a.getFullYear() !== b.getFullYear() || a.getMonth() !== b.getMonth() || a.getDate() !== b.getDate();
}

export interface HumanOptions {
  c: Palette;
  withDate: boolean;
  functionWidth: number;
}

export function toHumanLine(r: LogRecord, o: HumanOptions): string {
  const time = o.c.dim(localTime(r.timeMs, o.withDate));
  const fn = o.c.cyan(r.function.padEnd(o.functionWidth));
  const uncertain = r.attributed === 'uncertain';
  const rid = r.requestId ? r.requestId.slice(0, 8).padEnd(8) : r.candidates?.length ? '(shared)' : '        ';
  // `~`: another request's line (its id in the column, or none known) that mentions the --request-id asked for.
  const mark = uncertain ? o.c.yellow('?') : r.attributed === 'mentions' ? o.c.yellow('~') : ' ';
  const head = `${time} ${fn} ${o.c.yellow(rid)}${mark} `;
  const lines = withoutLoggingPrefix(r).split(/\r?\n/);
  const indent = ' '.repeat(visibleLength(head));
  const body = lines.map((l, i) => (i === 0 ? l : indent + l)).join('\n');
  return head + (/\[ERROR\]|^Traceback/.test(r.message) ? o.c.red(body) : body);
}

/** `2024-01-01T00:00:00.000Z <rid> [INFO] msg` → `[INFO] msg` when the line's columns already say time and id. */
function withoutLoggingPrefix(r: LogRecord): string {
  if (!r.requestId) return r.message;
  const m = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z?\s+(\S+)\s+(?=\[)/.exec(r.message);
  return m && m[1] === r.requestId ? r.message.slice(m[0].length) : r.message;
}

function visibleLength(s: string): number {
  return s.replace(/\x1b\[[0-9;]*m/g, '').length;
}
