// fcx deploy / plan end to end: the built CLI against the real emulator (in this process), as a user runs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeZip } from '../helpers/zip';
import { APP_PY, assertClean, callsSince, fcClient, fn, isWrite, lastSeq, useEmulator } from './deploy-fixture';

const fx = useEmulator();

test('first deploy creates role, logs, service, function and trigger; the URL answers; a redeploy writes nothing', async () => {
  const a = fx.app('first-app', { web: fn({ env: { T_GREETING: 'hi' } }) });
  const r = await a.run(['deploy', '--yes', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assertClean(r);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.app, 'first-app');
  assert.equal(doc.region, 'cn-hangzhou');
  assert.equal(doc.accountId, '1234567890123456');
  assert.deepEqual(doc.service, { name: 'first-app' });
  assert.equal(doc.functions.length, 1);
  assert.equal(doc.functions[0].name, 'web');
  assert.equal(doc.functions[0].action, 'created');
  assert.match(doc.functions[0].codeChecksum, /^\d+$/);
  assert.deepEqual(doc.domains, []);
  for (const kind of ['role fcx-first-app-role', 'log project fcx-first-app-1234567890123456', 'logstore', 'service first-app', 'function web', 'trigger web/http'])
    assert.match(r.stderr, new RegExp(`created ${kind}`));

  const res = await fetch(doc.functions[0].url + 'hello?x=1');
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.path, '/hello');
  assert.equal(body.env.T_GREETING, 'hi');

  // The service writes logs where fcx logs will look, through the role fcx made.
  const svc = (await fcClient(fx.emu).getService('first-app')).data;
  assert.equal(svc.logConfig.project, 'fcx-first-app-1234567890123456');
  assert.equal(svc.logConfig.logstore, 'fcx-logs');
  assert.match(svc.role, /role\/fcx-first-app-role$/);
  assert.match(svc.description, /managed by fcx/);

  const since = await lastSeq(fx.emu);
  const again = await a.run(['deploy', '--yes', '--json']);
  assert.equal(again.code, 0, again.stderr);
  const calls = await callsSince(fx.emu, since);
  assert.deepEqual(calls.filter(isWrite).map((c) => c.action), [], `writes on a no-op redeploy: ${JSON.stringify(calls.filter(isWrite))}`);
  assert.ok(calls.length > 0);
  assert.equal(JSON.parse(again.stdout).functions[0].action, 'unchanged');
  assert.match(again.stderr, /0 to create, 0 to update, 0 to delete/);
  assert.match(again.stderr, /deployed as written .*nothing was changed/);
});

test('plan shows create, update with the changed fields, and unchanged; --dry-run and plan change nothing', async () => {
  const a = fx.app('plan-app', { web: fn({ memory: 128, env: { T_A: '1', T_SECRET: 's3cr3t-value' } }) });
  let since = await lastSeq(fx.emu);
  const p1 = await a.run(['plan']);
  assert.equal(p1.code, 0, p1.stderr);
  assertClean(p1);
  assert.match(p1.stdout, /\+ create\s+role fcx-plan-app-role/);
  assert.match(p1.stdout, /\+ create\s+service plan-app/);
  assert.match(p1.stdout, /\+ create\s+function web/);
  assert.match(p1.stdout, /\+ create\s+trigger web\/http/);
  assert.equal((await callsSince(fx.emu, since)).filter(isWrite).length, 0, 'plan made a write call');

  assert.equal((await a.run(['deploy', '--yes'])).code, 0);
  a.manifest.functions.web.memory = 256;
  a.manifest.functions.web.env = { T_A: '2', T_NEW: 'x', T_SECRET: 'another-secret' };
  a.write();
  a.writeCode('# changed\n' + APP_PY);
  since = await lastSeq(fx.emu);
  const p2 = await a.run(['deploy', '--dry-run']);
  assert.equal(p2.code, 0, p2.stderr);
  assertClean(p2);
  assert.match(p2.stderr, /~ update\s+function web/);
  assert.match(p2.stderr, /memory 128 → 256/);
  assert.match(p2.stderr, /env\.T_A changed/);
  assert.match(p2.stderr, /env\.T_NEW added/);
  assert.match(p2.stderr, /env\.T_SECRET changed/);
  assert.match(p2.stderr, /code changed \(checksum \d+ → \d+\)/);
  assert.match(p2.stderr, /= unchanged\s+service plan-app/);
  assert.match(p2.stderr, /= unchanged\s+trigger web\/http/);
  assert.doesNotMatch(p2.stderr + p2.stdout, /s3cr3t-value|another-secret/, 'env values must not be printed');
  assert.equal((await callsSince(fx.emu, since)).filter(isWrite).length, 0, '--dry-run made a write call');

  const json = await a.run(['plan', '--json']);
  const doc = JSON.parse(json.stdout);
  const web = doc.changes.find((c: any) => c.kind === 'function' && c.name === 'web');
  assert.equal(web.action, 'update');
  assert.ok(web.changes.includes('memory 128 → 256'));
});

test('without a terminal, deploy with changes exits 3 naming --yes; CI with --yes never reads stdin', async () => {
  const a = fx.app('noyes-app', { web: fn() });
  const since = await lastSeq(fx.emu);
  const r = await a.run(['deploy']);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /--yes/);
  assertClean(r);
  assert.equal((await callsSince(fx.emu, since)).filter(isWrite).length, 0);
  const ok = await a.run(['deploy', '--yes']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout.trim(), /^http:\/\/127\.0\.0\.1:\d+\/2016-08-15\/proxy\/noyes-app\/web\/$/);
});

test('env values reach FC as the exact strings written; removing an env var or the initializer converges', async () => {
  const env = { T_DEC: '0.10', T_ZERO: '007', T_BOOL: 'true', T_SEMI: 'a=b;c', T_UNI: 'grüße 你好 ✓', T_EMPTY: '' };
  const a = fx.app('env-app', { web: fn({ env, initializer: 'index.init' }) });
  const r = await a.run(['deploy', '--yes']);
  assert.equal(r.code, 0, r.stderr);
  const fc = fcClient(fx.emu);
  let f = (await fc.getFunction('env-app', 'web')).data;
  assert.deepEqual(f.environmentVariables, env);
  assert.equal(f.initializer, 'index.init');
  // and the function sees them
  const res = await (await fetch(JSON.parse((await a.run(['info', '--json'])).stdout).functions[0].url)).json();
  for (const [k, v] of Object.entries(env)) assert.equal(res.env[k], v, k);

  const { T_SEMI: _drop, ...rest } = env;
  a.manifest.functions.web.env = rest;
  delete a.manifest.functions.web.initializer;
  a.write();
  const p = await a.run(['plan']);
  assert.match(p.stdout, /env\.T_SEMI removed/);
  assert.match(p.stdout, /initializer index\.init → \(none\)/);
  const r2 = await a.run(['deploy', '--yes']);
  assert.equal(r2.code, 0, r2.stderr);
  f = (await fc.getFunction('env-app', 'web')).data;
  assert.deepEqual(f.environmentVariables, rest);
  assert.ok(!f.initializer, `initializer still set: ${f.initializer}`);
  const since = await lastSeq(fx.emu);
  assert.equal((await a.run(['deploy', '--yes'])).code, 0);
  assert.deepEqual((await callsSince(fx.emu, since)).filter(isWrite), []);
});

test('a function removed from fcx.yaml is reported, kept without --prune, deleted with --prune', async () => {
  const a = fx.app('prune-app', { web: fn(), old: fn() });
  assert.equal((await a.run(['deploy', '--yes'])).code, 0);
  delete a.manifest.functions.old;
  a.write();
  const kept = await a.run(['deploy', '--yes']);
  assert.equal(kept.code, 0, kept.stderr);
  assert.match(kept.stderr, /- delete\s+function old/);
  assert.match(kept.stderr, /0 to delete, \d+ unchanged; 1 no longer in fcx\.yaml, removed only with --prune/);
  const fc = fcClient(fx.emu);
  assert.ok((await fc.getFunction('prune-app', 'old')).data);
  const pruned = await a.run(['deploy', '--yes', '--prune']);
  assert.equal(pruned.code, 0, pruned.stderr);
  assert.match(pruned.stderr, /1 to delete, \d+ unchanged\./);
  assert.match(pruned.stderr, /deleted function old/);
  await assert.rejects(fc.getFunction('prune-app', 'old'), /FunctionNotFound|does not exist/);
  assert.ok((await fc.getFunction('prune-app', 'web')).data);
});

test('--prune never deletes a function fcx did not create; functions fcx creates carry the marker', async () => {
  const a = fx.app('prune-foreign', { web: fn({ description: 'the web API' }) });
  assert.equal((await a.run(['deploy', '--yes'])).code, 0);
  const fc = fcClient(fx.emu);
  assert.equal((await fc.getFunction('prune-foreign', 'web')).data.description, 'the web API (managed by fcx)');
  await fc.createFunction('prune-foreign', { functionName: 'handmade', runtime: 'python3.10', handler: 'index.handler', code: { zipFile: makeZip([{ name: 'index.py', data: 'x = 1' }]).toString('base64') } });
  const r = await a.run(['deploy', '--yes', '--prune']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Kept function handmade: not in fcx\.yaml and not created by fcx/);
  assert.doesNotMatch(r.stderr, /delete\s+function handmade/);
  assert.ok((await fc.getFunction('prune-foreign', 'handmade')).data);
});

test('--function limits the deploy to the named functions', async () => {
  const a = fx.app('only-app', { a: fn(), b: fn() });
  const r = await a.run(['deploy', '--yes', '--function', 'a', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).functions.map((f: any) => f.name), ['a']);
  const fc = fcClient(fx.emu);
  await assert.rejects(fc.getFunction('only-app', 'b'), /FunctionNotFound|does not exist/);
  const bad = await a.run(['deploy', '--yes', '--function', 'nope']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /nope/);
});

test('code too large to send inline goes through the OSS code bucket (FCX_INLINE_CODE_LIMIT)', async () => {
  const a = fx.app('big-app', { web: fn() });
  const since = await lastSeq(fx.emu);
  const r = await a.run(['deploy', '--yes', '--json'], { FCX_INLINE_CODE_LIMIT: '100' });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /created code bucket fcx-code-1234567890123456-cn-hangzhou/);
  const calls = await callsSince(fx.emu, since);
  assert.ok(calls.some((c) => c.service === 'oss' && c.action === 'PutBucket'));
  assert.ok(calls.some((c) => c.service === 'oss' && /PutObject|CompleteMultipartUpload/.test(c.action)), JSON.stringify(calls.map((c) => c.action)));
  const res = await fetch(JSON.parse(r.stdout).functions[0].url);
  assert.equal(res.status, 200);
  const f = (await fcClient(fx.emu).getFunction('big-app', 'web')).data;
  assert.equal(String(f.codeChecksum), JSON.parse(r.stdout).functions[0].codeChecksum);
  // a no-op redeploy does not even look at the bucket
  const s2 = await lastSeq(fx.emu);
  assert.equal((await a.run(['deploy', '--yes'], { FCX_INLINE_CODE_LIMIT: '100' })).code, 0);
  const c2 = await callsSince(fx.emu, s2);
  assert.deepEqual(c2.filter(isWrite), []);
  assert.ok(!c2.some((c) => c.service === 'oss'));
});

test('a manifest error stops before any cloud call (exit 2)', async () => {
  const a = fx.app('bad-app', { web: fn({ memroy: 256 }) });
  const since = await lastSeq(fx.emu);
  const r = await a.run(['deploy', '--yes']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /fcx\.yaml:\d+:\d+/);
  assertClean(r);
  assert.deepEqual(await callsSince(fx.emu, since), []);
});

test('no credentials: exit 2 within two seconds, listing the sources checked', async () => {
  const a = fx.app('nocred-app', { web: fn() });
  const env = a.env();
  delete env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  delete env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  delete env.FCX_ENDPOINT;
  const { runFcx } = await import('../helpers/cli.js');
  const t0 = Date.now();
  const r = await runFcx(['deploy', '--yes'], { cwd: a.dir, env });
  const ms = Date.now() - t0;
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /No Alibaba Cloud credentials/);
  assert.match(r.stderr, /ALIBABA_CLOUD_ACCESS_KEY_ID/);
  assert.match(r.stderr, /config\.json/);
  assertClean(r);
  assert.ok(ms < 2500, `took ${ms} ms`); // 2 s budget plus process start-up on a loaded CI machine
});

test('--dry-run --list-files prints each package\'s files and sizes, without any cloud call', async () => {
  const a = fx.app('files-app', { web: fn() });
  const since = await lastSeq(fx.emu);
  const r = await a.run(['deploy', '--dry-run', '--list-files']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^web: 1 files, \d+(\.\d)? (B|KB)/m);
  assert.match(r.stdout, /\d+ B\s+index\.py/);
  assert.deepEqual(await callsSince(fx.emu, since), []);
});
