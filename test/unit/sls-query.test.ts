// The SLS search language (parser, tokeniser, matcher), the log storage behind GetLogs, and the PutLogs decoders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { appendFileSync } from 'node:fs';
import { compileMatcher, DEFAULT_TOKENS, parseQuery, QueryError, tokenizer, validateQuery, type IndexConfig, type LogRow } from '../../src/emulator/services/sls-query';
import { LogStorage } from '../../src/emulator/services/sls-storage';
import { decodeLogGroup, decodePutLogsBody, lz4BlockDecode } from '../../src/emulator/services/sls-putlogs';
import { makeTmpDir } from '../helpers/tmp';

const INDEX: IndexConfig = {
  line: { token: DEFAULT_TOKENS, caseSensitive: false },
  keys: { level: { type: 'text', token: DEFAULT_TOKENS }, status: { type: 'long' }, Code: { type: 'text', caseSensitive: true } },
};

const row = (fields: Record<string, string>, time = 100, topic = 'svc'): LogRow => ({ time, topic, source: '10.0.0.1', fields });

function matches(query: string, r: LogRow, index = INDEX): boolean {
  const node = parseQuery(query);
  validateQuery(node, index);
  return compileMatcher(node, index)(r);
}

test('tokeniser splits on the configured characters and lower-cases unless caseSensitive', () => {
  assert.deepEqual(tokenizer({ token: DEFAULT_TOKENS })('GET /api/Users?id=7 "ok"'), ['get', 'api', 'users', 'id', '7', 'ok']);
  assert.deepEqual(tokenizer({ token: [' '], caseSensitive: true })('A b-C'), ['A', 'b-C']);
  // index JSON may carry the escaped form of newline tokens
  assert.deepEqual(tokenizer({ token: ['\\n'] })('a\nb'), ['a', 'b']);
});

test('parser: precedence, implicit and, "a not b", parentheses, case-insensitive keywords', () => {
  assert.deepEqual(parseQuery(''), { kind: 'all' });
  assert.deepEqual(parseQuery('*'), { kind: 'all' });
  const n = parseQuery('a OR b and NOT c');
  assert.equal(n.kind, 'or');
  assert.equal((n as { right: { kind: string } }).right.kind, 'and');
  assert.equal(parseQuery('a not b').kind, 'and');
  assert.equal(parseQuery('(a or b) c').kind, 'and');
  assert.throws(() => parseQuery('(a or b'), QueryError);
  assert.throws(() => parseQuery('"open'), QueryError);
  assert.throws(() => parseQuery('level:'), QueryError);
  assert.throws(() => parseQuery('* | select count(*)'), /not supported/);
});

test('terms, phrases and prefixes match tokens of any field', () => {
  const r = row({ message: '2024-01-01T00:00:00Z b1c5 [INFO] Hello World from handler', level: 'INFO' });
  assert.ok(matches('hello', r));
  assert.ok(matches('HELLO', r));
  assert.ok(matches('"hello world"', r));
  assert.ok(!matches('"world hello"', r));
  assert.ok(matches('hand*', r));
  assert.ok(!matches('hand', r));
  assert.ok(matches('hello world', r), 'adjacent terms are and-ed');
  assert.ok(!matches('hello missing', r));
  assert.ok(matches('hello or missing', r));
  assert.ok(matches('hello not missing', r));
  assert.ok(!matches('not hello', r));
  assert.ok(matches('(missing or info) and from', r));
  assert.ok(matches('[INFO]', r), 'a term with token characters is searched as a phrase of its tokens');
});

test('field queries need a field index; __topic__ is always allowed', () => {
  const r = row({ message: 'x', level: 'ERROR', status: '500', Code: 'NotFound' });
  assert.ok(matches('level: error', r));
  assert.ok(matches('level:error', r));
  assert.ok(matches('level: "error"', r));
  assert.ok(matches('level: err*', r));
  assert.ok(!matches('level: info', r));
  assert.ok(matches('status: 500', r));
  assert.ok(matches('Code: NotFound', r));
  assert.ok(!matches('Code: notfound', r), 'caseSensitive field');
  assert.ok(matches('__topic__: svc', r));
  assert.ok(!matches('__topic__: other', r));
  assert.throws(
    () => matches('message: x', r),
    (e: unknown) => e instanceof QueryError && e.code === 'ParameterInvalid' && /key \(message\) is not config as key value config/.test(e.message),
  );
});

test('a full-text term without a full-text index is refused', () => {
  assert.throws(() => matches('hello', row({ level: 'x' }), { keys: { level: { type: 'text' } } }), QueryError);
  assert.ok(matches('level: x', row({ level: 'x' }), { keys: { level: { type: 'text' } } }));
});

test('storage: time window [from, to), topic, inverted index, out-of-order times, reload from file, torn last line', () => {
  const tmp = makeTmpDir('fcx-sls-');
  try {
    const file = join(tmp.dir, 'store.jsonl');
    const s = new LogStorage(file);
    const batch: LogRow[] = [];
    for (let i = 0; i < 1000; i++) batch.push(row({ message: `line ${i} rid-${i % 10}`, level: i % 2 ? 'INFO' : 'ERROR' }, 1000 + i, i % 3 ? 'svc' : 'other'));
    s.append(batch);
    s.append([row({ message: 'late arrival rid-3' }, 1005)]); // earlier than the last row
    const q = (query: string, from = 0, to = 10_000, topic?: string) => {
      const node = parseQuery(query);
      return s.search({ from, to, topic, node, index: INDEX }).rows;
    };
    assert.equal(q('').length, 1001);
    assert.equal(q('', 1000, 1010).length, 11, '[from, to) plus the late row at 1005');
    const rid3 = q('rid-3');
    assert.equal(rid3.length, 101);
    assert.ok(rid3.every((r, i) => i === 0 || rid3[i - 1].time <= r.time), 'sorted by time');
    assert.equal(q('rid-3', 0, 10_000, 'other').length, 34, 'i ≡ 3 (mod 30)');
    assert.equal(q('rid-3 and level: error').length, 0, 'odd i is INFO, rid-3 rows are odd');
    assert.equal(q('rid-3 or rid-4').length, 201);
    assert.equal(q('rid* not rid-3').length, 900);
    s.close();
    appendFileSync(file, '{"t":1,"tp":"x","s":"y","f":{"mess'); // a crash mid-write
    const again = new LogStorage(file);
    assert.equal(again.rows.length, 1001);
    again.close();
  } finally {
    tmp.cleanup();
  }
});

// Minimal protobuf writer for the tests (the SDK uses protobufjs; the emulator must read what it writes).
function pbField(num: number, payload: Buffer | number): Buffer {
  const varint = (n: number) => {
    const out: number[] = [];
    while (n >= 0x80) {
      out.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    out.push(n);
    return Buffer.from(out);
  };
  if (typeof payload === 'number') return Buffer.concat([varint(num << 3), varint(payload)]);
  return Buffer.concat([varint((num << 3) | 2), varint(payload.length), payload]);
}
const kv = (k: string, v: string) => Buffer.concat([pbField(1, Buffer.from(k)), pbField(2, Buffer.from(v))]);

test('PutLogs bodies: protobuf LogGroup with topic, source and tags; lz4 block; JSON form', () => {
  const log = Buffer.concat([pbField(1, 1700000000), pbField(2, kv('message', 'héllo')), pbField(2, kv('level', 'INFO'))]);
  const group = Buffer.concat([pbField(1, log), pbField(3, Buffer.from('svc')), pbField(4, Buffer.from('1.2.3.4')), pbField(6, kv('host', 'h1'))]);
  const rows = decodeLogGroup(group);
  assert.deepEqual(rows, [{ time: 1700000000, topic: 'svc', source: '1.2.3.4', fields: { message: 'héllo', level: 'INFO', '__tag__:host': 'h1' } }]);

  // "abcabcabcabc": 3 literals then a 9-byte match at offset 3; then the final literal "!".
  const block = Buffer.from([0x35, 0x61, 0x62, 0x63, 0x03, 0x00, 0x10, 0x21]);
  assert.equal(lz4BlockDecode(block, 13).toString(), 'abcabcabcabc!');
  // An lz4 body that is only literals (what lz4 makes of short input) decodes to the protobuf.
  const lit = Buffer.concat([Buffer.from([0xf0, group.length - 15]), group]);
  assert.deepEqual(decodePutLogsBody(lit, { 'x-log-compresstype': 'lz4', 'x-log-bodyrawsize': String(group.length), 'content-type': 'application/x-protobuf' }), rows);

  const json = decodePutLogsBody(Buffer.from(JSON.stringify({ __topic__: 't', __source__: 's', __logs__: [{ __time__: 5, a: 'b', n: 1 }], __tags__: { k: 'v' } })), { 'content-type': 'application/json' });
  assert.deepEqual(json, [{ time: 5, topic: 't', source: 's', fields: { a: 'b', n: '1', '__tag__:k': 'v' } }]);
});
