// Packaging through the whole deploy path (issue 5): code too large to send inline goes through the OSS code
// bucket, and a requirements.txt dependency (a wheel built here) is importable by the handler behind its trigger.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startInProcessEmulator, type TestEmulator } from '../helpers/emulator';
import { buildWheel } from '../helpers/wheel';
import { App, callsSince, fn, lastSeq } from './deploy-fixture';

let emu: TestEmulator;
before(async () => {
  emu = await startInProcessEmulator();
});
after(async () => emu?.close());

test('a 60 MB incompressible function deploys through the OSS code bucket and answers', async (t) => {
  const app = new App(emu, { name: 'bigcode', functions: { web: fn() } });
  t.after(() => app.cleanup());
  writeFileSync(join(app.dir, 'src', 'blob.bin'), randomBytes(60 * 1024 * 1024));
  const since = await lastSeq(emu);
  const r = await app.run(['deploy', '--yes', '--local', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  const calls = await callsSince(emu, since);
  const actions = calls.map((c) => c.action);
  // 60 MB is 80 MB as base64: over the inline limit, so the zip goes to OSS (multipart) and FC reads it there.
  assert.ok(actions.includes('PutBucket'), actions.join(' '));
  assert.ok(actions.includes('InitiateMultipartUpload') && actions.includes('CompleteMultipartUpload'), actions.join(' '));
  const create = calls.find((c) => c.action === 'CreateFunction');
  assert.equal(create?.status, 200);
  const res = await fetch(`${doc.functions[0].url}big`);
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal((await res.json()).path, '/big');
  const fc = require('@alicloud/fc2');
  const client = new fc('1234567890123456', { accessKeyID: 'fcx-local-key', accessKeySecret: 'fcx-local-secret', region: 'cn-hangzhou', endpoint: emu.url });
  const remote = (await client.getFunction('bigcode', 'web')).data;
  assert.equal(remote.codeChecksum, doc.functions[0].codeChecksum);
  assert.ok(remote.codeSize > 60 * 1024 * 1024);
});

test('requirements.txt naming a locally built wheel: installed into the package and importable behind the trigger', async (t) => {
  const app = new App(emu, { name: 'withdeps', functions: { web: fn({ build: 'auto' }) } });
  t.after(() => app.cleanup());
  const wheels = join(app.dir, 'wheels');
  buildWheel(wheels, 'fcxgreeting', '1.0', 'hello from a wheel');
  writeFileSync(join(app.dir, 'src', 'requirements.txt'), 'fcxgreeting==1.0\n');
  app.writeCode(`import fcxgreeting

def handler(environ, start_response):
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return [fcxgreeting.VALUE.encode()]
`);
  const r = await app.run(['deploy', '--yes', '--local', '--json'], { FCX_PIP_ARGS: `--no-index --find-links ${wheels}` });
  assert.equal(r.code, 0, r.stderr);
  const res = await fetch(JSON.parse(r.stdout).functions[0].url);
  assert.equal(await res.text(), 'hello from a wheel');
});
