// Query building: user text is always one quoted phrase; field clauses only for indexed fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildQuery, quotePhrase, indexedFieldsOf } from '../../src/logs/query';
import { containsId, requestIdInLine, parseFrame, rowToRecord, keysOf, sortRecords } from '../../src/logs/records';
import { parseQuery } from '../../src/emulator/services/sls-query';

const none = new Set<string>();
const fields = new Set(['functionName', 'instanceID']);

test('phrases escape quotes and backslashes, and keywords stay text', () => {
  assert.equal(quotePhrase('a "b" \\c'), '"a \\"b\\" \\\\c"');
  // The emulator's SLS parser (same grammar as SLS) reads it back as one term with the original text.
  for (const text of ['a "b" \\c', 'x or y', 'not found', 'key: value', 'wild*', '(x)']) {
    const node = parseQuery(quotePhrase(text));
    assert.equal(node.kind, 'term');
    assert.equal((node as any).text, text);
    assert.equal((node as any).field, undefined);
  }
});

test('request ids are quoted phrases, never key: value', () => {
  const id = '1f6b2c3d-0a1b-4c5d-8e9f-001122334455';
  assert.equal(buildQuery({ requestId: id }, none), `"${id}"`);
  assert.equal(buildQuery({ requestId: id }, fields), `"${id}"`);
});

test('function and instance: field clause when indexed, else client-side/phrase', () => {
  assert.equal(buildQuery({ functionName: 'web' }, none), '*');
  assert.equal(buildQuery({ functionName: 'web' }, fields), 'functionName: "web"');
  assert.equal(buildQuery({ instanceId: 'i-1' }, none), '"i-1"');
  assert.equal(buildQuery({ instanceId: 'i-1', functionName: 'web', search: 'or' }, fields), 'functionName: "web" and instanceID: "i-1" and "or"');
  assert.deepEqual([...indexedFieldsOf({ line: {}, keys: { functionName: {} } })], ['functionName']);
  assert.deepEqual([...indexedFieldsOf(undefined)], []);
});

test('ids match whole, not by shared prefix', () => {
  assert.ok(containsId('FC Invoke Start RequestId: abc-123', 'abc-123'));
  assert.ok(!containsId('FC Invoke Start RequestId: abc-1234', 'abc-123'));
  assert.ok(!containsId('id=xabc-123', 'abc-123'));
  assert.ok(containsId('done (abc-123).', 'abc-123'));
});

test('request ids in framing and logging lines', () => {
  assert.deepEqual(parseFrame('FC Invoke Start RequestId: r-1'), { kind: 'invoke-start', requestId: 'r-1' });
  assert.deepEqual(parseFrame('FC Initialize End RequestId: r-1'), { kind: 'init-end', requestId: 'r-1' });
  assert.equal(requestIdInLine('2024-01-01T00:00:00.000Z 1f6b2c3d-0a1b-4c5d [INFO] hi'), '1f6b2c3d-0a1b-4c5d');
  assert.equal(requestIdInLine('hello world'), undefined);
  const r = rowToRecord({ __time__: '1704067200', functionName: 'web', serviceName: 's', instanceID: 'i', message: '2024-01-01T00:00:00.123Z rid-00000001 [INFO] hi' }, 0);
  assert.equal(r.timeMs, 1704067200123);
  assert.equal(r.requestId, 'rid-00000001');
  assert.equal(r.attributed, 'id');
});

test('sorting keeps SLS order within a second; keys count identical rows', () => {
  const mk = (t: number, m: string, seq: number) => rowToRecord({ __time__: t, message: m, instanceID: 'i' }, seq);
  const sorted = sortRecords([mk(2, 'a', 0), mk(1, 'z', 1), mk(1, 'b', 2), mk(1, 'y', 3)]);
  assert.deepEqual(sorted.map((r) => r.message), ['z', 'b', 'y', 'a']);
  const keys = keysOf([mk(1, 'same', 0), mk(1, 'same', 1), mk(2, 'same', 2)]);
  assert.equal(new Set(keys).size, 3);
});

test('without a full-text index: text goes to a message field index, or is left to the client', () => {
  const id = 'abc-123';
  assert.equal(buildQuery({ requestId: id, search: 'x' }, { fields: new Set(['message', 'instanceID']), fullText: false }), 'message: "abc-123" and message: "x"');
  assert.equal(buildQuery({ requestId: id, instanceId: 'i-1' }, { fields: new Set(['instanceID']), fullText: false }), 'instanceID: "i-1"');
  assert.equal(buildQuery({ requestId: id, instanceId: 'i-1' }, { fields: new Set(), fullText: false }), '*');
});
