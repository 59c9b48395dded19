// fcx invoke and fcx info end to end against the emulator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startInProcessEmulator, type TestEmulator } from '../helpers/emulator';
import { App, assertClean, fn } from './deploy-fixture';

let emu: TestEmulator;
let a: App;
before(async () => {
  emu = await startInProcessEmulator();
  a = new App(emu, { name: 'inv-app', region: 'cn-hangzhou', functions: { web: fn(), secure: fn({ http: { auth: 'function', methods: ['GET', 'POST'] } }) } });
  const r = await a.run(['deploy', '--yes']);
  assert.equal(r.code, 0, r.stderr);
});
after(async () => {
  a.cleanup();
  await emu.close();
});

test('invoke prints the body on stdout, status and request id on stderr, and the logs command', async () => {
  const r = await a.run(['invoke', 'web', '--path', '/hello?x=1&y=2']);
  assert.equal(r.code, 0, r.stderr);
  assertClean(r);
  const body = JSON.parse(r.stdout);
  assert.equal(body.path, '/hello');
  assert.equal(body.query, 'x=1&y=2');
  const rid = /request id ([0-9a-f-]{36})/.exec(r.stderr)?.[1];
  assert.ok(rid, r.stderr);
  assert.match(r.stderr, /HTTP 200/);
  assert.ok(r.stderr.includes(`fcx logs web --request-id ${rid}`), r.stderr);
});

test('invoke --json, POST with --data @file and headers', async () => {
  writeFileSync(join(a.dir, 'body.json'), '{"n": "ü"}');
  const r = await a.run(['invoke', 'web', '--json', '--method', 'POST', '--data', '@body.json', '--header', 'content-type: application/json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.status, 200);
  assert.match(doc.requestId, /^[0-9a-f-]{36}$/);
  assert.equal(typeof doc.headers, 'object');
  const echoed = JSON.parse(doc.body);
  assert.equal(echoed.method, 'POST');
  assert.equal(echoed.body, '{"n": "ü"}');
});

test('invoke --json keeps a binary body intact as base64 (bodyEncoding), text as utf8', async () => {
  const bin = await a.run(['invoke', 'web', '--path', '/binary', '--json']);
  assert.equal(bin.code, 0, bin.stderr);
  const doc = JSON.parse(bin.stdout);
  assert.equal(doc.bodyEncoding, 'base64');
  assert.deepEqual([...Buffer.from(doc.body, 'base64')], [...Array(256).keys()]);
  const raw = await a.run(['invoke', 'web', '--path', '/binary']);
  assert.equal(raw.code, 0, raw.stderr);
  const text = await a.run(['invoke', 'web', '--json']);
  assert.equal(JSON.parse(text.stdout).bodyEncoding, 'utf8');
});

test('an --method an FC trigger does not accept is a usage error (exit 2) before any call', async () => {
  for (const bad of ['G E T', 'foo']) {
    const r = await a.run(['invoke', 'web', '--method', bad]);
    assert.equal(r.code, 2, r.stderr);
    assertClean(r);
    assert.match(r.stderr, new RegExp(`--method "${bad}" is not a method an FC HTTP trigger accepts`));
    assert.match(r.stderr, /GET, POST, PUT, DELETE, HEAD, PATCH, OPTIONS/);
    assert.doesNotMatch(r.stderr, /Could not reach|emulator running/);
  }
  const json = await a.run(['invoke', 'web', '--method', 'foo', '--json']);
  assert.equal(JSON.parse(json.stdout).error.exitCode, 2, 'under --json a failure is still one JSON document on stdout');
});

test('a function with auth: function is called with a signed request', async () => {
  const unsigned = await fetch(`${emu.url}/2016-08-15/proxy/inv-app/secure/`);
  assert.ok(unsigned.status >= 400, `unsigned call answered ${unsigned.status}`);
  const r = await a.run(['invoke', 'secure', '--path', '/s?q=a b']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).path, '/s');
});

test('non-2xx exits 1 after printing; unknown function and ambiguous choice are usage errors', async () => {
  const r = await a.run(['invoke', 'web', '--path', '/fail']);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, 'boom');
  assert.match(r.stderr, /HTTP 500/);
  const amb = await a.run(['invoke']);
  assert.equal(amb.code, 2);
  assert.match(amb.stderr, /web, secure/);
  const unk = await a.run(['invoke', 'nope']);
  assert.equal(unk.code, 2);
  assertClean(unk);
});

test('info lists functions with runtime, memory, checksum, URL and the log location', async () => {
  const r = await a.run(['info']);
  assert.equal(r.code, 0, r.stderr);
  assertClean(r);
  assert.match(r.stdout, /web\s+python3\.10, 128 MB/);
  assert.match(r.stdout, /checksum\s+\d+/);
  assert.match(r.stdout, /logstore fcx-logs/);
  const j = JSON.parse((await a.run(['info', '--json'])).stdout);
  assert.equal(j.service.name, 'inv-app');
  assert.deepEqual(j.functions.map((f: any) => f.name).sort(), ['secure', 'web']);
  assert.equal(j.functions.find((f: any) => f.name === 'secure').auth, 'function');
  assert.deepEqual(j.logs, { project: 'fcx-inv-app-1234567890123456', logstore: 'fcx-logs' });
});
