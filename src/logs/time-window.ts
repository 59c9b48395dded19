// --since / --until: what people type, turned into epoch milliseconds. Pure: `now` and the time zone are inputs,
// so tests pin them (a local time such as "2024-05-01 09:30" means 09:30 wherever the user is).
import { UsageError } from '../core/errors';

export const ACCEPTED_TIME_FORMS = [
  'a duration before now: 30s, 15m, 2h, 1d, 1w (also 1h30m)',
  'ISO-8601 with an offset: 2024-05-01T09:30:00Z, 2024-05-01T09:30:00+08:00',
  'local time, YYYY-MM-DD HH:mm[:ss]: "2024-05-01 09:30", "2024-05-01 09:30:15" (or a date alone: 2024-05-01)',
  'epoch seconds (1714555800) or milliseconds (1714555800000)',
  'now',
];

export interface TimeContext {
  now: number; // epoch ms
  /** IANA zone for local-time forms; undefined = this process's zone (TZ). */
  timeZone?: string;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

function parseDuration(text: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)\s*(s|m|h|d|w)/gy;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    total += Number(m[1]) * UNIT_MS[m[2]];
    pos = re.lastIndex;
  }
  return pos > 0 && pos === text.length ? total : undefined;
}

/** Offset (ms) of `timeZone` from UTC at the instant `utcMs`. */
function zoneOffset(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** Wall-clock fields in a zone → epoch ms. */
export function localToEpoch(f: { y: number; mo: number; d: number; h: number; mi: number; s: number }, timeZone?: string): number {
  if (!timeZone) return new Date(f.y, f.mo - 1, f.d, f.h, f.mi, f.s).getTime();
  const guess = Date.UTC(f.y, f.mo - 1, f.d, f.h, f.mi, f.s);
  // Two passes settle the offset across a DST change.
  let t = guess - zoneOffset(guess, timeZone);
  t = guess - zoneOffset(t, timeZone);
  return t;
}

function invalid(flag: string, text: string, why?: string): UsageError {
  return new UsageError(
    `${flag} "${text}" is not a time fcx understands${why ? ` (${why})` : ''}.`,
    `Accepted forms:\n  - ${ACCEPTED_TIME_FORMS.join('\n  - ')}`,
  );
}

/** One --since/--until value → epoch ms. Throws UsageError (exit 2) listing the accepted forms. */
export function parseTimeSpec(raw: string, flag: string, tc: TimeContext): number {
  const text = raw.trim();
  if (!text) throw invalid(flag, raw, 'it is empty');
  if (text.toLowerCase() === 'now') return tc.now;

  const dur = parseDuration(text);
  if (dur !== undefined) return tc.now - dur;

  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n < 1e9) throw invalid(flag, raw, `a bare number reads as epoch seconds, and ${text} is in 1970; did you mean ${text}m?`);
    return n < 1e11 ? n * 1000 : n;
  }

  const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?(?:Z|[+-]\d\d:?\d\d)$/i.exec(text);
  if (iso) {
    const withColon = text.replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
    const t = Date.parse(withColon);
    if (Number.isNaN(t)) throw invalid(flag, raw, 'the date does not exist');
    return t;
  }

  const local = /^(\d{4})-(\d\d)-(\d\d)(?: (\d\d):(\d\d)(?::(\d\d))?)?$/.exec(text);
  if (local) {
    const f = { y: +local[1], mo: +local[2], d: +local[3], h: +(local[4] ?? 0), mi: +(local[5] ?? 0), s: +(local[6] ?? 0) };
    if (f.mo < 1 || f.mo > 12 || f.d < 1 || f.d > 31 || f.h > 23 || f.mi > 59 || f.s > 59) throw invalid(flag, raw, 'a field is out of range');
    const probe = new Date(Date.UTC(f.y, f.mo - 1, f.d));
    if (probe.getUTCDate() !== f.d) throw invalid(flag, raw, 'the date does not exist');
    return localToEpoch(f, tc.timeZone);
  }
  if (/^\d{4}-\d\d-\d\dT/.test(text)) throw invalid(flag, raw, 'an ISO time needs an offset such as Z or +08:00; without one, write it as "YYYY-MM-DD HH:mm" for local time');
  throw invalid(flag, raw);
}

export interface TimeWindow {
  fromMs: number;
  toMs: number;
  /** Whether --until was left open (then it moves with the clock while tailing). */
  openEnded: boolean;
}

/** --since/--until (each optional) → a window; `defaultSinceMs` is how far back when --since is absent. */
export function resolveWindow(o: { since?: string; until?: string; defaultSinceMs: number }, tc: TimeContext): TimeWindow {
  const toMs = o.until !== undefined ? parseTimeSpec(o.until, '--until', tc) : tc.now;
  const fromMs = o.since !== undefined ? parseTimeSpec(o.since, '--since', tc) : toMs - o.defaultSinceMs;
  // SLS counts time in unix seconds: nothing is older than 1970, and a window that starts before it is a typo.
  for (const [flag, ms] of [['--since', fromMs], ['--until', toMs]] as const) {
    if (!Number.isFinite(ms) || ms < 0) throw new UsageError(`${flag} reaches back before 1970 (${Number.isFinite(ms) ? isoUtc(ms) : ms}); no log line is that old.`, `Use a shorter span, e.g. ${flag} 7d.`);
  }
  if (fromMs >= toMs) {
    throw new UsageError(
      `The time window is empty: --since (${isoUtc(fromMs)}) is not before --until (${isoUtc(toMs)}).`,
      'Give --since an earlier time than --until, e.g. --since 2h --until 1h.',
    );
  }
  return { fromMs, toMs, openEnded: o.until === undefined };
}

/** SLS takes whole seconds and an exclusive end: [from, to). */
export function toSlsSeconds(w: { fromMs: number; toMs: number }): { from: number; to: number } {
  return { from: Math.floor(w.fromMs / 1000), to: Math.floor(w.toMs / 1000) + 1 };
}

export function isoUtc(ms: number): string {
  // SLS windows are whole seconds, so that is what the user sees.
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

export function describeWindow(w: { fromMs: number; toMs: number }): string {
  return `${isoUtc(w.fromMs)} → ${isoUtc(w.toMs)} (UTC)`;
}
