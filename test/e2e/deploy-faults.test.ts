// Deploy under failure: a fault at every write step (one at a time, each run getting one step further) and a
// rerun that converges with no "already exists" error; throttling on a third of the calls; Ctrl-C mid-deploy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fcxBin } from '../helpers/paths';
import { assertClean, callsSince, fcClient, fn, isWrite, lastSeq, useEmulator } from './deploy-fixture';

const fx = useEmulator();

const NO_RETRY = { FCX_RETRY_ATTEMPTS: '1', FCX_INLINE_CODE_LIMIT: '100' };

test('a failure at each create step, then a rerun: every run converges further, none says "already exists"', async () => {
  const a = fx.app('fault-app', { web: fn() });
  const steps: Array<[string, string]> = [
    ['ram', 'CreateRole'],
    ['ram', 'AttachPolicyToRole'],
    ['sls', 'CreateProject'],
    ['sls', 'CreateLogStore'],
    ['sls', 'CreateIndex'],
    ['oss', 'PutBucket'],
    ['fc', 'CreateService'],
    ['oss', 'PutObject'], // the upload belongs to the function step
    ['fc', 'CreateFunction'],
    ['fc', 'CreateTrigger'],
  ];
  for (const [service, action] of steps) {
    await fx.emu.faults([{ service, action, status: 500, errorCode: 'InternalServerError', times: 1 }]);
    const r = await a.run(['deploy', '--yes'], NO_RETRY);
    assert.equal(r.code, 1, `${action}: ${r.stderr}`);
    assertClean(r);
    assert.match(r.stderr, new RegExp(`${service.toUpperCase()} ${action} failed \\((HTTP 500, )?InternalServerError, request id [0-9a-f-]{36}\\)`), r.stderr);
    assert.match(r.stderr, /Run `fcx deploy` again/);
    assert.doesNotMatch(r.stderr, /already exist/i);
    await fx.emu.clearFaults();
  }
  const done = await a.run(['deploy', '--yes', '--json'], NO_RETRY);
  assert.equal(done.code, 0, done.stderr);
  assert.doesNotMatch(done.stderr, /already exist/i);
  assert.equal((await fetch(JSON.parse(done.stdout).functions[0].url)).status, 200);
  const since = await lastSeq(fx.emu);
  assert.equal((await a.run(['deploy', '--yes'], NO_RETRY)).code, 0);
  assert.deepEqual((await callsSince(fx.emu, since)).filter(isWrite), []);
});

test('a failure at each update step, then a rerun converges', async () => {
  const a = fx.app('ufault-app', { web: fn() });
  assert.equal((await a.run(['deploy', '--yes'])).code, 0);
  a.manifest.functions.web.memory = 512;
  a.manifest.functions.web.http.methods = ['GET'];
  a.manifest.service = { internetAccess: false };
  a.write();
  for (const action of ['UpdateService', 'UpdateFunction', 'UpdateTrigger']) {
    await fx.emu.faults([{ service: 'fc', action, status: 503, errorCode: 'ServiceUnavailable', times: 1 }]);
    const r = await a.run(['deploy', '--yes'], NO_RETRY);
    assert.equal(r.code, 1, `${action}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`FC ${action} failed`));
    assertClean(r);
    await fx.emu.clearFaults();
  }
  assert.equal((await a.run(['deploy', '--yes'], NO_RETRY)).code, 0);
  const f = (await fcClient(fx.emu).getFunction('ufault-app', 'web')).data;
  assert.equal(f.memorySize, 512);
  const since = await lastSeq(fx.emu);
  assert.equal((await a.run(['deploy', '--yes'])).code, 0);
  assert.deepEqual((await callsSince(fx.emu, since)).filter(isWrite), []);
});

test('throttling and connection resets on about a third of the calls: deploy still succeeds', async () => {
  const a = fx.app('throttle-app', { web: fn(), api: fn() });
  const actions: Array<[string, string]> = [
    ['ram', 'GetRole'],
    ['ram', 'CreateRole'],
    ['sls', 'CreateProject'],
    ['sls', 'GetLogStore'],
    ['fc', 'GetService'],
    ['fc', 'CreateService'],
    ['fc', 'CreateFunction'],
    ['fc', 'CreateTrigger'],
  ];
  await fx.emu.faults([
    ...actions.map(([service, action], i) =>
      i % 3 === 2 ? { service, action, errorCode: 'ECONNRESET', times: 1 } : { service, action, status: i % 2 ? 503 : 429, errorCode: i % 2 ? 'ServiceUnavailable' : 'Throttling', times: 1 },
    ),
  ]);
  const since = await lastSeq(fx.emu);
  const r = await a.run(['deploy', '--yes', '--json']);
  await fx.emu.clearFaults();
  assert.equal(r.code, 0, r.stderr);
  assertClean(r);
  assert.match(r.stderr, /retrying in \d+ ms/);
  const calls = await callsSince(fx.emu, since);
  const failed = calls.filter((c) => c.status >= 400 && c.status !== 404);
  assert.ok(failed.length >= 5, `only ${failed.length} failed calls of ${calls.length}`);
  for (const f of JSON.parse(r.stdout).functions) assert.equal((await fetch(f.url)).status, 200);
});

test('Ctrl-C during deploy: steps in flight finish, nothing new starts, exit 130, and a rerun converges', async () => {
  const a = fx.app('sigint-app', { web: fn() });
  await fx.emu.faults([{ service: 'fc', action: 'CreateService', delayMs: 1500, times: 1 }]);
  const child = spawn(process.execPath, [fcxBin, 'deploy', '--yes'], { cwd: a.dir, env: a.env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const exited = new Promise<number>((resolve) => child.on('close', (code, sig) => resolve(code ?? (sig ? 128 : -1))));
  await new Promise<void>((resolve) =>
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d;
      if (/created log index/.test(stderr)) resolve();
    }),
  );
  await new Promise((r) => setTimeout(r, 300)); // CreateService is now in flight (stalled 1.5 s)
  child.kill('SIGINT');
  const code = await exited;
  await fx.emu.clearFaults();
  assert.equal(code, 130, stderr);
  assert.match(stderr, /Stopping/);
  assert.match(stderr, /created service sigint-app/, 'the step in flight finishes');
  assert.doesNotMatch(stderr, /created function web/, 'no new step starts');
  assert.match(stderr, /Run `fcx deploy` again/);
  const r = await a.run(['deploy', '--yes']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /created function web/);
  assert.match(r.stderr, /unchanged\s+service sigint-app/);
});

test('a role or logstore not visible yet: deploy waits (bounded, saying so) and succeeds; past the bound it fails clearly', async () => {
  const a = fx.app('visible-app', { web: fn() });
  await fx.emu.faults([
    { service: 'sls', action: 'GetLogStore', status: 404, errorCode: 'LogStoreNotExist', message: 'logstore fcx-logs does not exist', times: 2 },
    { service: 'fc', action: 'CreateService', status: 400, errorCode: 'InvalidArgument', message: 'role acs:ram::1234567890123456:role/fcx-visible-app-role does not exist', times: 1 },
  ]);
  const r = await a.run(['deploy', '--yes'], { FCX_VISIBILITY_TIMEOUT_MS: '20000' });
  await fx.emu.clearFaults();
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /waiting for logstore fcx-logs to become usable/);
  assert.match(r.stderr, /waiting for role fcx-visible-app-role/);

  const b = fx.app('never-app', { web: fn() });
  await fx.emu.faults([{ service: 'fc', action: 'CreateService', status: 400, errorCode: 'InvalidArgument', message: 'role acs:ram::1:role/x does not exist', times: 100 }]);
  const t0 = Date.now();
  const r2 = await b.run(['deploy', '--yes'], { FCX_VISIBILITY_TIMEOUT_MS: '800' });
  await fx.emu.clearFaults();
  assert.equal(r2.code, 1, r2.stderr);
  assert.match(r2.stderr, /FC CreateService failed \(HTTP 400, InvalidArgument/);
  assertClean(r2);
  assert.ok(Date.now() - t0 < 15000);
});
