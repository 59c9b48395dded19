// `fcx logs --request-id X` and lines of other requests that print X's id (a caller logging the callee's id):
// they are shown as related ("attributed": "mentions", requestId = the request that printed them), never as X's
// own. The built CLI against the emulator's SLS; rows in FC's shape written with PutLogs (see logs-fixture.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runFcx } from '../helpers/cli';
import { startLogsFixture, pyLog, start, end, type App, type LogsFixture, type Row } from './logs-fixture';

let fx: LogsFixture;
const T = Math.floor(Date.now() / 1000) - 300;

const X = 'aaaa0000-1111-4222-8333-000000000001';
const B = 'bbbb0000-1111-4222-8333-000000000002'; // on its own instance, one request at a time
const C = 'cccc0000-1111-4222-8333-000000000003'; // C and D overlap on one instance
const D = 'dddd0000-1111-4222-8333-000000000004';
const E = 'eeee0000-1111-4222-8333-000000000005'; // runs on X's instance after X
const F = 'ffff0000-1111-4222-8333-000000000006'; // mentions Y, whose Start is not in the logs
const Z = '22220000-1111-4222-8333-000000000008'; // only ever mentioned, never logged itself

const rows: Row[] = [
  { t: T, inst: 'i-x', msg: start(X) },
  { t: T, inst: 'i-x', msg: `X working, my id is ${X}` },
  { t: T, inst: 'i-x', msg: 'plain print from X' },
  { t: T + 1, inst: 'i-x', msg: end(X) },
  // B, alone on i-b, prints X's id: B's line.
  { t: T + 1, inst: 'i-b', msg: start(B) },
  { t: T + 1, inst: 'i-b', msg: `B got callback for ${X}` },
  { t: T + 1, inst: 'i-b', msg: pyLog(T + 1, B, `B forwarded ${X}`) },
  { t: T + 1, inst: 'i-b', msg: `B also notes ${Z}` },
  { t: T + 2, inst: 'i-b', msg: end(B) },
  // C and D overlap on i-cd; one of them prints X's id.
  { t: T + 2, inst: 'i-cd', msg: start(C) },
  { t: T + 2, inst: 'i-cd', msg: start(D) },
  { t: T + 2, inst: 'i-cd', msg: `someone retries ${X}` },
  { t: T + 3, inst: 'i-cd', msg: end(C) },
  { t: T + 3, inst: 'i-cd', msg: end(D) },
  // E on X's instance, after X ended, prints X's id.
  { t: T + 3, inst: 'i-x', msg: start(E) },
  { t: T + 3, inst: 'i-x', msg: `E saw ${X} earlier` },
  { t: T + 4, inst: 'i-x', msg: end(E) },
  // Y's Start is not in the window; F, alone on i-f, prints Y's id.
  { t: T + 4, inst: 'i-f', msg: start(F) },
  { t: T + 4, inst: 'i-f', msg: 'F asks about yyyy0000-1111-4222-8333-000000000007' },
  { t: T + 5, inst: 'i-f', msg: end(F) },
  { t: T + 5, inst: 'i-y', msg: 'Y says yyyy0000-1111-4222-8333-000000000007 done' },
];

const apps: Partial<Record<'fulltext' | 'fields', App>> = {};

before(async () => {
  fx = await startLogsFixture();
  apps.fulltext = await fx.makeApp('svc-m-ft', { index: 'fulltext' });
  apps.fields = await fx.makeApp('svc-m-fi', { index: 'fields' });
  for (const app of Object.values(apps)) await app!.put(rows);
});

after(async () => {
  await fx?.close();
});

const logs = (app: App, args: string[]) => runFcx(['logs', ...args], { cwd: app.dir, env: fx.env() });
const jsonLines = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));

for (const kind of ['fulltext', 'fields'] as const) {
  describe(`lines that mention another request's id (${kind} index)`, () => {
    test('--request-id X --json: X\'s own lines are X\'s; other requests\' lines that print X\'s id are "mentions" with their owner', async () => {
      const r = await logs(apps[kind]!, ['--request-id', X, '--json']);
      assert.equal(r.code, 0, r.stderr);
      const got = jsonLines(r.stdout).map((l) => [l.message, l.requestId ?? null, l.attributed, l.candidates ?? null]);
      assert.deepEqual(got, [
        [start(X), X, 'id', null],
        [`X working, my id is ${X}`, X, 'id', null],
        ['plain print from X', X, 'inferred', null],
        [end(X), X, 'id', null],
        [`B got callback for ${X}`, B, 'mentions', null],
        [pyLog(T + 1, B, `B forwarded ${X}`), B, 'mentions', null],
        [`someone retries ${X}`, null, 'mentions', [C, D]],
        [`E saw ${X} earlier`, E, 'mentions', null],
      ]);
    });

    test('listing by function attributes the same lines to their own requests', async () => {
      const r = await logs(apps[kind]!, ['web', '--json']);
      assert.equal(r.code, 0, r.stderr);
      const by = (m: string) => jsonLines(r.stdout).find((l) => l.message === m);
      assert.deepEqual([by(`B got callback for ${X}`).requestId, by(`B got callback for ${X}`).attributed], [B, 'inferred']);
      assert.deepEqual([by(`E saw ${X} earlier`).requestId, by(`E saw ${X} earlier`).attributed], [E, 'inferred']);
    });

    test('human view marks related lines with ~ and says what it means', async () => {
      const r = await logs(apps[kind]!, ['--request-id', X]);
      assert.equal(r.code, 0, r.stderr);
      const line = r.stdout.split('\n').find((l) => l.includes('B got callback'));
      assert.match(line!, /bbbb0000~ B got callback/);
      assert.match(r.stdout, /aaaa0000  plain print from X/);
      assert.match(r.stderr, /Lines marked ~ belong to another request/);
    });

    test("without the request's Start, a line printed while another request ran alone on its instance is that request's", async () => {
      const Y = 'yyyy0000-1111-4222-8333-000000000007';
      const r = await logs(apps[kind]!, ['--request-id', Y, '--json']);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(jsonLines(r.stdout).map((l) => [l.message, l.requestId ?? null, l.attributed]), [
        [`F asks about ${Y}`, F, 'mentions'],
        [`Y says ${Y} done`, Y, 'id'],
      ]);
    });

    test('a request only mentioned by others is not found (exit 1); the related lines are still shown', async () => {
      const r = await logs(apps[kind]!, ['--request-id', Z, '--json']);
      assert.equal(r.code, 1, r.stderr);
      const lines = jsonLines(r.stdout);
      assert.deepEqual(lines.filter((l) => !l.error).map((l) => [l.message, l.requestId, l.attributed]), [[`B also notes ${Z}`, B, 'mentions']]);
      assert.equal(lines[lines.length - 1].error?.exitCode, 1, 'the failure ends the JSON Lines as an {"error"} object');
      assert.match(r.stderr, /No log lines of request 22220000-.* \(1 line of other requests mention it, shown above\)/);
    });
  });
}
