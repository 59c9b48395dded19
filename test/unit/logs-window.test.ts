// Time-window parsing with a pinned clock and time zone (pure: no process TZ involved).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTimeSpec, resolveWindow, toSlsSeconds, localToEpoch, describeWindow } from '../../src/logs/time-window';
import { UsageError } from '../../src/core/errors';

const now = Date.parse('2024-05-01T12:00:00Z');
const sh = { now, timeZone: 'Asia/Shanghai' };

test('durations count back from now', () => {
  assert.equal(parseTimeSpec('30s', '--since', sh), now - 30_000);
  assert.equal(parseTimeSpec('15m', '--since', sh), now - 15 * 60_000);
  assert.equal(parseTimeSpec('2h', '--since', sh), now - 2 * 3_600_000);
  assert.equal(parseTimeSpec('1d', '--since', sh), now - 86_400_000);
  assert.equal(parseTimeSpec('1h30m', '--since', sh), now - 90 * 60_000);
  assert.equal(parseTimeSpec('now', '--until', sh), now);
});

test('ISO-8601 with an offset is absolute', () => {
  assert.equal(parseTimeSpec('2024-05-01T09:30:00Z', '--since', sh), Date.parse('2024-05-01T09:30:00Z'));
  assert.equal(parseTimeSpec('2024-05-01T09:30:00+08:00', '--since', sh), Date.parse('2024-05-01T01:30:00Z'));
  assert.equal(parseTimeSpec('2024-05-01T09:30:00.250+0800', '--since', sh), Date.parse('2024-05-01T01:30:00.250Z'));
});

test('local "YYYY-MM-DD HH:mm[:ss]" is read in the given zone', () => {
  assert.equal(parseTimeSpec('2024-05-01 09:30', '--since', sh), Date.parse('2024-05-01T01:30:00Z'));
  assert.equal(parseTimeSpec('2024-05-01 09:30:15', '--since', sh), Date.parse('2024-05-01T01:30:15Z'));
  assert.equal(parseTimeSpec('2024-05-01', '--since', sh), Date.parse('2024-04-30T16:00:00Z'));
  assert.equal(parseTimeSpec('2024-05-01 09:30', '--since', { now, timeZone: 'UTC' }), Date.parse('2024-05-01T09:30:00Z'));
  // Across a DST change: New York is UTC-4 in July, UTC-5 in January.
  assert.equal(localToEpoch({ y: 2024, mo: 7, d: 1, h: 12, mi: 0, s: 0 }, 'America/New_York'), Date.parse('2024-07-01T16:00:00Z'));
  assert.equal(localToEpoch({ y: 2024, mo: 1, d: 1, h: 12, mi: 0, s: 0 }, 'America/New_York'), Date.parse('2024-01-01T17:00:00Z'));
});

test('epoch seconds and milliseconds', () => {
  assert.equal(parseTimeSpec('1714555800', '--since', sh), 1714555800_000);
  assert.equal(parseTimeSpec('1714555800123', '--since', sh), 1714555800123);
});

test('anything else is a usage error (exit 2) listing the accepted forms', () => {
  for (const bad of ['yesterday', '15', '2024-05-01T09:30:00', '2024-13-01 10:00', '2024-02-30 10:00', '5 minutes', '', '1x']) {
    assert.throws(() => parseTimeSpec(bad, '--since', sh), (e: unknown) => {
      assert.ok(e instanceof UsageError, `${bad} should be a UsageError`);
      assert.equal(e.exitCode, 2);
      assert.match(e.hint ?? '', /30s, 15m, 2h, 1d/);
      assert.match(e.hint ?? '', /ISO-8601/);
      assert.match(e.hint ?? '', /epoch seconds/);
      return true;
    });
  }
  assert.throws(() => parseTimeSpec('15', '--since', sh), /did you mean 15m/);
});

test('windows: defaults, order, SLS seconds with an exclusive end', () => {
  const w = resolveWindow({ defaultSinceMs: 15 * 60_000 }, sh);
  assert.deepEqual(w, { fromMs: now - 15 * 60_000, toMs: now, openEnded: true });
  assert.deepEqual(toSlsSeconds({ fromMs: 1000_500, toMs: 2000_500 }), { from: 1000, to: 2001 });
  const r = resolveWindow({ since: '2h', until: '1h', defaultSinceMs: 1 }, sh);
  assert.equal(r.toMs - r.fromMs, 3_600_000);
  assert.equal(r.openEnded, false);
  assert.throws(() => resolveWindow({ since: '1h', until: '2h', defaultSinceMs: 1 }, sh), /window is empty/);
  assert.equal(describeWindow({ fromMs: Date.parse('2024-05-01T01:30:00Z'), toMs: now }), '2024-05-01T01:30:00Z → 2024-05-01T12:00:00Z (UTC)');
});

test('a window reaching back before 1970 is a usage error, not a query', () => {
  const now = Date.UTC(2026, 11, 3, 12, 0, 0);
  assert.throws(() => resolveWindow({ since: '99999999d', defaultSinceMs: 900_000 }, { now }), /--since reaches back before 1970/);
});
