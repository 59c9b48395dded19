// Attribution of plain lines to requests, paging with Incomplete retries, and dedupe across polls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attributeStream, linesOfRequest, LiveAttributor } from '../../src/logs/attribution';
import { toHumanLine, toJsonLine } from '../../src/logs/render';
import { palette } from '../../src/ui/color';
import { rowToRecord, type LogRecord } from '../../src/logs/records';
import { Deduper } from '../../src/logs/dedupe';
import { fetchAll, type LogSource } from '../../src/logs/fetch';

let seq = 0;
const row = (t: number, inst: string, message: string): LogRecord => rowToRecord({ __time__: t, instanceID: inst, functionName: 'web', serviceName: 's', message }, seq++);
const start = (t: number, inst: string, id: string) => row(t, inst, `FC Invoke Start RequestId: ${id}`);
const end = (t: number, inst: string, id: string) => row(t, inst, `FC Invoke End RequestId: ${id}`);

test('concurrency 1: a plain print between Start and End is inferred for that request', () => {
  const recs = attributeStream([start(1, 'i1', 'A'), row(1, 'i1', 'plain A'), end(2, 'i1', 'A'), row(2, 'i1', 'between'), start(3, 'i1', 'B'), row(3, 'i1', 'plain B'), end(3, 'i1', 'B')]);
  const by = Object.fromEntries(recs.map((r) => [r.message, r]));
  assert.equal(by['plain A'].requestId, 'A');
  assert.equal(by['plain A'].attributed, 'inferred');
  assert.equal(by['plain B'].requestId, 'B');
  assert.equal(by['between'].attributed, 'none');
  assert.equal(by['between'].requestId, undefined);
  assert.deepEqual(linesOfRequest(recs, 'A').map((r) => r.message), ['FC Invoke Start RequestId: A', 'plain A', 'FC Invoke End RequestId: A']);
});

test('other instances do not interfere', () => {
  const recs = attributeStream([start(1, 'i1', 'A'), start(1, 'i2', 'B'), row(1, 'i1', 'on i1'), row(1, 'i2', 'on i2'), end(2, 'i1', 'A'), end(2, 'i2', 'B')]);
  const by = Object.fromEntries(recs.map((r) => [r.message, r]));
  assert.deepEqual([by['on i1'].requestId, by['on i1'].attributed], ['A', 'inferred']);
  assert.deepEqual([by['on i2'].requestId, by['on i2'].attributed], ['B', 'inferred']);
});

test('overlapping requests on one instance: plain lines are uncertain', () => {
  const recs = attributeStream([start(1, 'i1', 'A'), row(1, 'i1', 'only A so far'), start(2, 'i1', 'B'), row(2, 'i1', 'A or B'), end(3, 'i1', 'A'), end(3, 'i1', 'B')]);
  const by = Object.fromEntries(recs.map((r) => [r.message, r]));
  // A was alone when this printed, but B overlapped A later: the instance did not serve one request at a time.
  assert.deepEqual([by['only A so far'].requestId, by['only A so far'].attributed], ['A', 'uncertain']);
  assert.equal(by['A or B'].attributed, 'uncertain');
  assert.deepEqual(by['A or B'].candidates, ['A', 'B']);
  const a = linesOfRequest(recs, 'A');
  assert.deepEqual(a.map((r) => [r.message, r.attributed]), [
    ['FC Invoke Start RequestId: A', 'id'],
    ['only A so far', 'uncertain'],
    ['A or B', 'uncertain'],
    ['FC Invoke End RequestId: A', 'id'],
  ]);
});

test('a line naming another request while one is open counts as overlap', () => {
  const recs = attributeStream([start(1, 'i1', 'A'), row(1, 'i1', '2024-01-01T00:00:01.000Z X-00000001 [INFO] x'), row(1, 'i1', 'plain'), end(2, 'i1', 'A')]);
  assert.equal(recs[2].attributed, 'uncertain');
});

test('focus id: a plain line that mentions the id is its own', () => {
  const recs = attributeStream([start(1, 'i1', 'A'), start(1, 'i1', 'B'), row(1, 'i1', 'handling A now'), end(2, 'i1', 'A'), end(2, 'i1', 'B')], { focusId: 'A' });
  assert.equal(recs[2].requestId, 'A');
  assert.equal(recs[2].attributed, 'id');
});

test('paging: 100 rows per call until a short page; Incomplete pages are asked again (bounded)', async () => {
  const all = Array.from({ length: 250 }, (_, i) => ({ __time__: String(1000 + Math.floor(i / 10)), message: `line ${i}` }));
  const calls: Array<[number, boolean]> = [];
  let incompleteLeft = 2;
  const src: LogSource = {
    async getLogsPage(q) {
      const complete = !(q.offset === 0 && incompleteLeft-- > 0);
      calls.push([q.offset, complete]);
      // An incomplete answer carries only part of the page, as SLS does while it is still scanning.
      return { rows: all.slice(q.offset, q.offset + (complete ? q.line : 30)), complete };
    },
  };
  const res = await fetchAll(src, { from: 0, to: 2000, query: '*' }, { sleep: async () => {} });
  assert.equal(res.rows.length, 250);
  assert.deepEqual(res.rows.map((r) => r.message), all.map((r) => r.message));
  assert.ok(res.complete);
  assert.deepEqual(calls, [[0, false], [0, false], [0, true], [100, true], [200, true]]);

  let always = 0;
  const stuck: LogSource = { async getLogsPage() { always++; return { rows: [], complete: false }; } };
  const r2 = await fetchAll(stuck, { from: 0, to: 1, query: '*' }, { sleep: async () => {}, incompleteRetries: 3 });
  assert.equal(always, 4);
  assert.equal(r2.complete, false);
});

test('dedupe: overlapping polls print each row once; identical rows in one second stay distinct', () => {
  const d = new Deduper();
  const poll1 = [row(10, 'i', 'a'), row(10, 'i', 'same'), row(11, 'i', 'b')];
  assert.equal(d.fresh(poll1).length, 3);
  // The next poll looks back over second 10 and 11; one more identical "same" arrived late in second 10.
  const poll2 = [row(10, 'i', 'a'), row(10, 'i', 'same'), row(10, 'i', 'same'), row(11, 'i', 'b'), row(12, 'i', 'c')];
  assert.deepEqual(d.fresh(poll2).map((r) => `${r.timeSec}:${r.message}`), ['10:same', '12:c']);
  d.prune(11);
  assert.equal(d.size, 2);
});

test('live attribution (tail): judged on what is known when the line arrives, state carried across polls', () => {
  const live = new LiveAttributor();
  live.seed([start(1, 'i1', 'A')]);
  const [plain] = live.attribute([row(2, 'i1', 'plain while A runs')]);
  assert.deepEqual([plain.requestId, plain.attributed], ['A', 'inferred']);
  const later = live.attribute([start(3, 'i1', 'B'), row(3, 'i1', 'now shared'), end(4, 'i1', 'A'), end(4, 'i1', 'B'), row(5, 'i1', 'idle')]);
  assert.deepEqual(later.map((r) => [r.message, r.requestId, r.attributed]), [
    ['FC Invoke Start RequestId: B', 'B', 'id'],
    ['now shared', undefined, 'uncertain'],
    ['FC Invoke End RequestId: A', 'A', 'id'],
    ['FC Invoke End RequestId: B', 'B', 'id'],
    ['idle', undefined, 'none'],
  ]);
});

test('human view: short id, ? marker, logging prefix dropped, multi-line messages indented, no colour off a TTY', () => {
  const c = palette(false);
  const [A, B] = ['aaaaaaaa-1111', 'bbbbbbbb-2222'];
  const recs = attributeStream([start(1, 'i1', A), start(1, 'i1', B), row(1, 'i1', 'x\ny'), row(1, 'i1', `1970-01-01T00:00:01.250Z ${A} [INFO] hi`), end(2, 'i1', A), end(2, 'i1', B)]);
  const lines = recs.map((r) => toHumanLine(r, { c, withDate: false, functionWidth: 4 }));
  assert.match(lines[0], /^\d\d:\d\d:\d\d\.000 web  aaaaaaaa  FC Invoke Start RequestId: aaaaaaaa-1111$/);
  const head = lines[2].indexOf('x');
  assert.equal(lines[2].slice(head - 10), '(shared)? x\n' + ' '.repeat(head) + 'y');
  assert.match(lines[3], /\.250 web  aaaaaaaa  \[INFO\] hi$/);
  assert.doesNotMatch(lines.join('\n'), /\x1b\[/);
  const j = toJsonLine(recs[3]);
  assert.equal(j.message, `1970-01-01T00:00:01.250Z ${A} [INFO] hi`);
  assert.equal(j.time, '1970-01-01T00:00:01.250Z');
  assert.equal(j.requestId, A);
  assert.equal(j.attributed, 'id');
});
