// The main job end to end, the way a user walks it (issue 2): the built CLI as a child process against an
// `fcx emulator` process on a free port. Nothing is mocked.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulatorProcess, type EmulatorProcess } from '../helpers/emulator';
import { emulatorEnv, runFcx } from '../helpers/cli';
import { makeTmpDir } from '../helpers/tmp';
import { httpRequest } from '../helpers/http';

let emu: EmulatorProcess;
let tmp: ReturnType<typeof makeTmpDir>;
let env: NodeJS.ProcessEnv;
let app: string;
let triggerUrl: string;
let domainRequestId: string;

before(async () => {
  tmp = makeTmpDir('fcx-main-');
  emu = await startEmulatorProcess();
  env = emulatorEnv(emu.url, tmp.dir);
  app = join(tmp.dir, 'hello');
});

after(async () => {
  await emu?.close();
  tmp?.cleanup();
});

test('fcx init scaffolds the Python web app', async () => {
  const r = await runFcx(['init', 'hello', '--template', 'python-web'], { cwd: tmp.dir, env });
  assert.equal(r.code, 0, r.stderr);
  const manifest = readFileSync(join(app, 'fcx.yaml'), 'utf8');
  assert.match(manifest, /runtime: python3/);
  assert.match(manifest, /role: auto/);
  assert.match(manifest, /logs: auto/);
});

test('fcx deploy --local creates everything through the SDKs, in order, and prints the URL', async () => {
  const r = await runFcx(['deploy', '--local', '--yes', '--json'], { cwd: app, env, timeoutMs: 120_000 });
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.app, 'hello');
  assert.equal(doc.region, 'cn-hangzhou');
  assert.equal(doc.accountId, '1234567890123456');
  assert.equal(doc.service.name, 'hello');
  assert.equal(doc.functions.length, 1);
  assert.equal(doc.functions[0].action, 'created');
  assert.match(doc.functions[0].codeChecksum, /^\d+$/);
  triggerUrl = doc.functions[0].url;
  assert.ok(triggerUrl.startsWith(emu.url), triggerUrl);

  // DESIGN §4 order: role → log project/logstore/index → service → function → trigger.
  const writes = (await emu.requests()).filter((c) => /^(Create|Attach|Put)/.test(c.action) && c.status < 300).map((c) => c.action);
  const order = ['CreateRole', 'CreateProject', 'CreateLogStore', 'CreateIndex', 'CreateService', 'CreateFunction', 'CreateTrigger'];
  const positions = order.map((a) => writes.indexOf(a));
  assert.ok(positions.every((p) => p >= 0), `missing writes: ${order.filter((_, i) => positions[i] < 0)} in ${writes}`);
  assert.deepEqual([...positions].sort((a, b) => a - b), positions, `out of order: ${writes}`);
});

test('the trigger URL answers with the app page and a request id', async () => {
  const res = await fetch(`${triggerUrl}hello/world?x=1`);
  const body = await res.text();
  assert.equal(res.status, 200, body);
  const rid = res.headers.get('x-fc-request-id');
  assert.match(rid ?? '', /^[0-9a-f-]{36}$/);
  assert.match(body, /GET/);
  assert.match(body, /\/hello\/world/);
  assert.match(body, /x(=|&quot;: &quot;)1/);
  assert.ok(body.includes(rid!), 'the page shows the request id it read from fc.context');
});

test('fcx domain bind records the domain, prints the CNAME, and the domain routes by Host', async () => {
  const before = readFileSync(join(app, 'fcx.yaml'), 'utf8');
  const r = await runFcx(['domain', 'bind', 'api.example.com', '--function', 'web', '--local', '--yes'], { cwd: app, env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout + r.stderr, /1234567890123456\.cn-hangzhou\.fc\.aliyuncs\.com/);
  const afterText = readFileSync(join(app, 'fcx.yaml'), 'utf8');
  assert.match(afterText, /api\.example\.com/);
  for (const line of before.split('\n').filter((l) => l.trim().startsWith('#'))) assert.ok(afterText.includes(line), `comment kept: ${line}`);

  const res = await httpRequest(`${emu.url}/x/y?z=1`, { headers: { Host: 'api.example.com' } });
  assert.equal(res.status, 200, res.text);
  assert.match(res.text, /\/x\/y/);
  assert.match(res.text, /z(=|&quot;: &quot;)1/);
  domainRequestId = String(res.headers['x-fc-request-id']);
  assert.ok(domainRequestId);
});

test("fcx logs --request-id shows that request's lines and no other request's", async () => {
  // Another request, so there is something that must NOT show up.
  const other = await fetch(`${triggerUrl}other`);
  const otherId = other.headers.get('x-fc-request-id')!;
  await other.text();
  let r = await runFcx(['logs', '--request-id', domainRequestId, '--local'], { cwd: app, env });
  for (let i = 0; i < 10 && !r.stdout.includes('FC Invoke End'); i++) {
    await new Promise((res) => setTimeout(res, 300)); // lines are flushed in batches
    r = await runFcx(['logs', '--request-id', domainRequestId, '--local'], { cwd: app, env });
  }
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`FC Invoke Start RequestId: ${domainRequestId}`));
  assert.match(r.stdout, new RegExp(`FC Invoke End RequestId: ${domainRequestId}`));
  assert.match(r.stdout, /\[INFO\]/, 'the line the handler logged through Python logging');
  assert.ok(!r.stdout.includes(otherId), 'no other request');
});
