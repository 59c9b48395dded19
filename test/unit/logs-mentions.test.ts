// --request-id X: a line that prints X's id but was printed by another request is related ("mentions"), not X's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attributeStream, linesOfRequest } from '../../src/logs/attribution';
import { toHumanLine } from '../../src/logs/render';
import { rowToRecord, type LogRecord } from '../../src/logs/records';
import { palette } from '../../src/ui/color';

let seq = 0;
const row = (t: number, inst: string, message: string): LogRecord => rowToRecord({ __time__: t, instanceID: inst, functionName: 'web', serviceName: 's', message }, seq++);
const start = (t: number, inst: string, id: string) => row(t, inst, `FC Invoke Start RequestId: ${id}`);
const end = (t: number, inst: string, id: string) => row(t, inst, `FC Invoke End RequestId: ${id}`);
const X = 'xxxxxxxx-0001';
const B = 'bbbbbbbb-0002';
const view = (recs: LogRecord[]) => recs.map((r) => [r.message, r.requestId ?? null, r.attributed, r.candidates ?? null]);

test('a plain line printed while B ran alone on a one-at-a-time instance is B\'s even when it prints X\'s id', () => {
  const recs = attributeStream([start(1, 'i1', B), row(1, 'i1', `calling ${X}`), end(2, 'i1', B)], { focusId: X });
  assert.deepEqual(view([recs[1]]), [[`calling ${X}`, B, 'mentions', null]]);
  assert.deepEqual(view(linesOfRequest(recs, X)), [[`calling ${X}`, B, 'mentions', null]]);
  // Without a focus the same line is simply B's.
  assert.deepEqual(view([attributeStream([start(1, 'i1', B), row(1, 'i1', `calling ${X}`), end(2, 'i1', B)])[1]]), [[`calling ${X}`, B, 'inferred', null]]);
});

test("a line with B's own logging prefix that prints X's id is B's", () => {
  const line = `1970-01-01T00:00:01.000Z ${B} [INFO] forwarded ${X}`;
  const recs = attributeStream([row(1, 'i1', line)], { focusId: X });
  assert.deepEqual(view(recs), [[line, B, 'mentions', null]]);
  assert.deepEqual(view(linesOfRequest(recs, X)), [[line, B, 'mentions', null]]);
});

test('X running (alone or shared): a line printing its id is its own', () => {
  const alone = attributeStream([start(1, 'i1', X), row(1, 'i1', `I am ${X}`), end(2, 'i1', X)], { focusId: X });
  assert.deepEqual(view([alone[1]]), [[`I am ${X}`, X, 'id', null]]);
  const shared = attributeStream([start(1, 'i1', X), start(1, 'i1', B), row(1, 'i1', `I am ${X}`), end(2, 'i1', X), end(2, 'i1', B)], { focusId: X });
  assert.deepEqual(view([shared[2]]), [[`I am ${X}`, X, 'id', null]]);
});

test("on X's instance but before X started or after it ended, a line printing X's id is someone else's", () => {
  const recs = attributeStream([row(1, 'i1', `expecting ${X}`), start(2, 'i1', X), end(3, 'i1', X), start(4, 'i1', B), start(4, 'i1', 'cccccccc-0003'), row(4, 'i1', `after ${X}`), end(5, 'i1', B), end(5, 'i1', 'cccccccc-0003')], { focusId: X });
  assert.deepEqual(view(linesOfRequest(recs, X)), [
    [`expecting ${X}`, null, 'mentions', null],
    [`FC Invoke Start RequestId: ${X}`, X, 'id', null],
    [`FC Invoke End RequestId: ${X}`, X, 'id', null],
    [`after ${X}`, null, 'mentions', [B, 'cccccccc-0003']],
  ]);
});

test('human view: ~ marks a related line, with its owner in the id column', () => {
  const [, line] = attributeStream([start(1, 'i1', B), row(1, 'i1', `calling ${X}`), end(2, 'i1', B)], { focusId: X });
  assert.match(toHumanLine(line, { c: palette(false), withDate: false, functionWidth: 3 }), /web bbbbbbbb~ calling xxxxxxxx-0001$/);
});
