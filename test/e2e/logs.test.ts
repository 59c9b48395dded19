// `fcx logs` end to end: the built CLI against the emulator's SLS, on a logstore with only a full-text index and
// on one with FC's field indexes. Rows are written with SLS PutLogs in FC's shape (see logs-fixture.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runFcx } from '../helpers/cli';
import { startLogsFixture, pyLog, start, end, type App, type LogsFixture, type Row } from './logs-fixture';
import { markNextGetLogsIncomplete } from '../../src/emulator/services/sls';

let fx: LogsFixture;
const T = Math.floor(Date.now() / 1000) - 300; // five minutes ago: inside the default 15-minute window

const A = 'c0ffee00-1111-4222-8333-444455556666';
const B1 = 'c0ffee00-1111-4222-8333-444455557777'; // shares a prefix with A
const B2 = `${A}-9`; // contains every token of A
const C = 'dddd0000-1111-4222-8333-000000000001';
const D = 'dddd0000-1111-4222-8333-000000000002';
const E = 'eeee0000-1111-4222-8333-000000000250';
const TRACEBACK = 'Traceback (most recent call last):\n  File "/code/index.py", line 7, in handler\n    raise ValueError("boom")\nValueError: boom';

const rows: Row[] = [
  // A on instance i-1, alone: a logging line, a plain print, a traceback kept in one row.
  { t: T, inst: 'i-1', msg: start(A) },
  { t: T, inst: 'i-1', msg: pyLog(T, A, 'handling /hello') },
  { t: T, inst: 'i-1', msg: 'plain print from A' },
  { t: T + 1, inst: 'i-1', msg: TRACEBACK },
  { t: T + 1, inst: 'i-1', msg: end(A) },
  // B1 on another instance; B2 later on A's instance.
  { t: T + 1, inst: 'i-2', msg: start(B1) },
  { t: T + 1, inst: 'i-2', msg: pyLog(T + 1, B1, 'B1 working') },
  { t: T + 1, inst: 'i-2', msg: 'plain print from B1' },
  { t: T + 2, inst: 'i-2', msg: end(B1) },
  { t: T + 2, inst: 'i-1', msg: start(B2) },
  { t: T + 2, inst: 'i-1', msg: pyLog(T + 2, B2, 'B2 working') },
  { t: T + 2, inst: 'i-1', msg: end(B2) },
  // C and D overlap on instance i-3 (instanceConcurrency > 1): a plain print there cannot be attributed for sure.
  { t: T + 3, inst: 'i-3', msg: start(C) },
  { t: T + 3, inst: 'i-3', msg: start(D) },
  { t: T + 3, inst: 'i-3', msg: 'shared print' },
  { t: T + 4, inst: 'i-3', msg: end(C) },
  { t: T + 4, inst: 'i-3', msg: end(D) },
  // The other function.
  { t: T + 5, fn: 'api', inst: 'i-9', msg: 'api says hi' },
];

const apps: Record<'fulltext' | 'fields', App> = {} as any;

before(async () => {
  fx = await startLogsFixture();
  apps.fulltext = await fx.makeApp('svc-ft', { index: 'fulltext' });
  apps.fields = await fx.makeApp('svc-fi', { index: 'fields' });
  for (const app of Object.values(apps)) await app.put(rows);
});

after(async () => {
  await fx?.close();
});

const logs = (app: App, args: string[], extraEnv: NodeJS.ProcessEnv = {}) => runFcx(['logs', ...args], { cwd: app.dir, env: fx.env(extraEnv) });
const jsonLines = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));

for (const kind of ['fulltext', 'fields'] as const) {
  describe(`logstore with ${kind === 'fulltext' ? 'a full-text index only' : 'field indexes'}`, () => {
    test('--request-id shows the whole story of A, and nothing of ids sharing its prefix or tokens', async () => {
      const r = await logs(apps[kind], ['--request-id', A]);
      assert.equal(r.code, 0, r.stderr);
      const out = r.stdout;
      for (const want of [start(A), 'handling /hello', 'plain print from A', 'Traceback (most recent call last):', 'ValueError: boom', end(A)]) assert.ok(out.includes(want), `missing ${want} in\n${out}`);
      assert.ok(out.indexOf(start(A)) < out.indexOf('plain print from A') && out.indexOf('ValueError: boom') < out.indexOf(end(A)), out);
      for (const not of [B1, B2, 'B1 working', 'B2 working', 'plain print from B1', 'shared print']) assert.ok(!out.includes(not), `${not} must not show:\n${out}`);
      assert.match(out, /c0ffee00 /, 'short request id');
      assert.doesNotMatch(out, /\?/, 'A ran alone: nothing uncertain');
      assert.match(r.stderr, /Looking for request .* \(UTC\)/);
    });

    test('--request-id --json: every line with its attribution; the traceback stays one line', async () => {
      const r = await logs(apps[kind], ['--request-id', A, '--json']);
      assert.equal(r.code, 0, r.stderr);
      const lines = jsonLines(r.stdout);
      assert.deepEqual(lines.map((l) => [l.message.split('\n')[0], l.attributed]), [
        [start(A), 'id'],
        [pyLog(T, A, 'handling /hello'), 'id'],
        ['plain print from A', 'inferred'],
        ['Traceback (most recent call last):', 'inferred'],
        [end(A), 'id'],
      ]);
      assert.equal(lines[3].message, TRACEBACK);
      for (const l of lines) {
        assert.equal(l.requestId, A);
        assert.equal(l.function, 'web');
        assert.equal(l.instanceId, 'i-1');
        assert.equal(l.service, apps[kind].service);
        assert.ok(!Number.isNaN(Date.parse(l.time)) && l.time.endsWith('Z'), l.time);
      }
    });

    test('ids that share a prefix or tokens each find only themselves', async () => {
      const b1 = jsonLines((await logs(apps[kind], ['--request-id', B1, '--json'])).stdout);
      assert.deepEqual(b1.map((l) => l.message), [start(B1), pyLog(T + 1, B1, 'B1 working'), 'plain print from B1', end(B1)]);
      const b2 = jsonLines((await logs(apps[kind], ['--request-id', B2, '--json'])).stdout);
      assert.deepEqual(b2.map((l) => l.message), [start(B2), pyLog(T + 2, B2, 'B2 working'), end(B2)]);
    });

    test('concurrency above 1: the plain print is shown for C but marked uncertain', async () => {
      const r = await logs(apps[kind], ['--request-id', C]);
      assert.equal(r.code, 0, r.stderr);
      const line = r.stdout.split('\n').find((l) => l.includes('shared print'));
      assert.ok(line, r.stdout);
      assert.match(line!, /\? shared print/);
      assert.ok(!r.stdout.includes(end(D)));
      const j = jsonLines((await logs(apps[kind], ['--request-id', C, '--json'])).stdout).find((l) => l.message === 'shared print');
      assert.equal(j.attributed, 'uncertain');
      assert.deepEqual(j.candidates, [C, D]);
    });

    test('history: every line of the window, oldest first, one function, search, limit', async () => {
      const all = await logs(apps[kind], ['--json']);
      assert.equal(all.code, 0, all.stderr);
      const lines = jsonLines(all.stdout);
      assert.deepEqual(lines.map((l) => l.message), rows.map((r) => r.msg));
      assert.match(all.stderr, /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ → \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(UTC\)/);
      assert.equal(lines.find((l) => l.message === 'plain print from B1').requestId, B1);

      const api = jsonLines((await logs(apps[kind], ['api', '--json'])).stdout);
      assert.deepEqual(api.map((l) => [l.function, l.message]), [['api', 'api says hi']]);

      const search = jsonLines((await logs(apps[kind], ['--search', 'ValueError: boom', '--json'])).stdout);
      assert.deepEqual(search.map((l) => l.message), [TRACEBACK]);

      const limited = await logs(apps[kind], ['--limit', '2']);
      const shown = limited.stdout.trim().split('\n');
      assert.equal(shown.length, 2);
      assert.ok(shown[0].endsWith(end(D)) && shown[1].endsWith('api says hi'), limited.stdout);
      assert.match(limited.stderr, /newest 2 lines \(--limit 2\)/);
      // Newest-first paging stops early: --limit 2 costs one GetLogs call however long the window.
      const before = (await fx.emu.requests()).filter((c) => c.action === 'GetLogs').length;
      await logs(apps[kind], ['--limit', '2', '--since', '1d']);
      assert.equal((await fx.emu.requests()).filter((c) => c.action === 'GetLogs').length - before, 1);
    });
  });
}

test('250 lines of one request, the first page answered Incomplete: all lines, once, in order', async () => {
  const app = apps.fields;
  const body = Array.from({ length: 250 }, (_, i) => ({ t: T + 10, inst: 'i-4', msg: pyLog(T + 10, E, `line ${String(i).padStart(3, '0')}`) }));
  await app.put([{ t: T + 10, inst: 'i-4', msg: start(E) }, ...body, { t: T + 11, inst: 'i-4', msg: end(E) }]);
  const before = (await fx.emu.requests()).filter((c) => c.action === 'GetLogs').length;
  markNextGetLogsIncomplete(1);
  const r = await logs(app, ['--request-id', E, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const lines = jsonLines(r.stdout);
  assert.equal(lines.length, 252);
  assert.deepEqual(lines.slice(1, -1).map((l) => l.message), body.map((b) => b.msg));
  assert.equal(lines[0].message, start(E));
  assert.equal(lines[251].message, end(E));
  const calls = (await fx.emu.requests()).filter((c) => c.action === 'GetLogs').length - before;
  // by id: 3 pages + 1 retry of the incomplete one; on the instance: 3 pages.
  assert.equal(calls, 7);
  assert.doesNotMatch(r.stderr, /may be missing/);
});

test('a logstore with field indexes but no full-text index (no message field either): found client-side', async () => {
  const app = await fx.makeApp('svc-fo', { index: 'fieldsonly' });
  await app.put(rows);
  const r = await logs(app, ['--request-id', A, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(jsonLines(r.stdout).map((l) => [l.message.split('\n')[0], l.attributed]), [
    [start(A), 'id'],
    [pyLog(T, A, 'handling /hello'), 'id'],
    ['plain print from A', 'inferred'],
    ['Traceback (most recent call last):', 'inferred'],
    [end(A), 'id'],
  ]);
  const s = await logs(app, ['--search', 'valueerror: BOOM', '--json']);
  assert.deepEqual(jsonLines(s.stdout).map((l) => l.message), [TRACEBACK]);
});

test('nothing found: says so with the window, suggests --since, exits 1', async () => {
  const r = await logs(apps.fields, ['--request-id', 'ffffffff-0000-4000-8000-000000000000', '--since', '1h']);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /No log lines of request ffffffff-0000-4000-8000-000000000000/);
  assert.match(r.stderr, /\(UTC\)/);
  assert.match(r.stderr, /--since 7d/);
});

test('local times follow TZ: --since/--until in Asia/Shanghai wall time, window shown in UTC', async () => {
  const pad = (n: number) => String(n).padStart(2, '0');
  const sh = new Date((T - 60) * 1000 + 8 * 3_600_000); // Shanghai wall clock = UTC+8, no DST
  const local = `${sh.getUTCFullYear()}-${pad(sh.getUTCMonth() + 1)}-${pad(sh.getUTCDate())} ${pad(sh.getUTCHours())}:${pad(sh.getUTCMinutes())}`;
  const expectUtc = new Date(Date.UTC(sh.getUTCFullYear(), sh.getUTCMonth(), sh.getUTCDate(), sh.getUTCHours(), sh.getUTCMinutes()) - 8 * 3_600_000).toISOString().replace('.000Z', 'Z');
  const r = await logs(apps.fields, ['--since', local, '--until', 'now', '--request-id', A], { TZ: 'Asia/Shanghai' });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stderr.includes(`${expectUtc} →`), `${expectUtc} in ${r.stderr}`);
  const shownTime = r.stdout.split('\n')[0].split(' ')[0];
  const t = new Date(T * 1000 + 8 * 3_600_000);
  assert.equal(shownTime, `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}.000`);

  const bad = await logs(apps.fields, ['--since', 'last tuesday']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /30s, 15m, 2h, 1d/);
  assert.match(bad.stderr, /YYYY-MM-DD HH:mm/);
});

test('a service without logging exits 2 and says how to turn it on; one not deployed exits 1', async () => {
  const quiet = await fx.makeApp('svc-nolog', { logging: false });
  const r = await logs(quiet, []);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /does not send its logs to SLS/);
  assert.match(r.stderr, /logs: auto/);
  assert.match(r.stderr, /fcx deploy/);

  const missing = await fx.makeApp('svc-missing', { deployed: false, logging: false });
  const m = await logs(missing, []);
  assert.equal(m.code, 1, m.stderr);
  assert.match(m.stderr, /"svc-missing" is not deployed/);

  const badFn = await logs(apps.fields, ['nope']);
  assert.equal(badFn.code, 2);
  assert.match(badFn.stderr, /Functions: web, api/);
});
