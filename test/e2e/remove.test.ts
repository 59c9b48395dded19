// fcx remove end to end: reverse order, twice in a row, --all only for what fcx created, shared domains kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClean, callsSince, fcClient, fn, isWrite, lastSeq, useEmulator } from './deploy-fixture';
import { makeZip } from '../helpers/zip';
import { APP_PY } from './deploy-fixture';

const HELLO_ZIP = makeZip([{ name: 'index.py', data: APP_PY }]).toString('base64');

const fx = useEmulator();

test('remove needs --yes without a terminal (exit 3), deletes in reverse order, and succeeds when run twice', async () => {
  const a = fx.app('rm-app', { web: fn(), api: fn() });
  assert.equal((await a.run(['deploy', '--yes'])).code, 0);

  let since = await lastSeq(fx.emu);
  const ask = await a.run(['remove']);
  assert.equal(ask.code, 3, ask.stderr);
  assert.match(ask.stderr, /--yes/);
  assert.match(ask.stderr, /function web/);
  assertClean(ask);
  assert.equal((await callsSince(fx.emu, since)).filter((c) => /^(Delete|Update)/.test(c.action)).length, 0);

  since = await lastSeq(fx.emu);
  const r = await a.run(['remove', '--yes']);
  assert.equal(r.code, 0, r.stderr);
  assertClean(r);
  const deletes = (await callsSince(fx.emu, since)).filter((c) => c.action.startsWith('Delete')).map((c) => c.action);
  assert.deepEqual(deletes.slice(-1), ['DeleteService']);
  assert.ok(deletes.indexOf('DeleteTrigger') < deletes.indexOf('DeleteFunction'));
  await assert.rejects(fcClient(fx.emu).getService('rm-app'), /ServiceNotFound|does not exist/);

  const again = await a.run(['remove', '--yes']);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /Nothing to remove/);

  // role and log project stay without --all; --all removes them, then a third run is a no-op too
  const all = await a.run(['remove', '--yes', '--all']);
  assert.equal(all.code, 0, all.stderr);
  assert.match(all.stderr, /deleted role fcx-rm-app-role/);
  assert.match(all.stderr, /deleted log project fcx-rm-app-1234567890123456/);
  const third = await a.run(['remove', '--yes', '--all']);
  assert.equal(third.code, 0, third.stderr);
  assert.match(third.stderr, /Nothing to remove/);
});

test('remove --all deletes the app\'s code objects but keeps the shared bucket while other apps use it', async () => {
  const big = { FCX_INLINE_CODE_LIMIT: '100' };
  const a = fx.app('rm-oss-a', { web: fn() });
  const b = fx.app('rm-oss-b', { web: fn() });
  assert.equal((await a.run(['deploy', '--yes'], big)).code, 0);
  assert.equal((await b.run(['deploy', '--yes'], big)).code, 0);
  const r = await a.run(['remove', '--yes', '--all'], big);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /code object/);
  // b still deploys and runs from the same bucket
  const rb = await b.run(['info', '--json']);
  assert.equal(rb.code, 0, rb.stderr);
  assert.equal((await fetch(JSON.parse(rb.stdout).functions[0].url)).status, 200);
  const r2 = await b.run(['remove', '--yes', '--all'], big);
  assert.equal(r2.code, 0, r2.stderr);
  assert.match(r2.stderr, /and the bucket, once empty/);
});

test('a service fcx did not create: deploy stops (exit 3) without --force; remove keeps the service and its other functions', async () => {
  const a = fx.app('foreign-svc', { web: fn() });
  const fc = fcClient(fx.emu);
  await fc.createService('foreign-svc', { description: 'made by hand' });
  for (const name of ['precious', 'web'])
    await fc.createFunction('foreign-svc', { functionName: name, runtime: 'python3.10', handler: 'index.handler', code: { zipFile: HELLO_ZIP } });

  let since = await lastSeq(fx.emu);
  const stop = await a.run(['deploy', '--yes']);
  assert.equal(stop.code, 3, stop.stderr);
  assert.match(stop.stderr, /foreign-svc/);
  assert.match(stop.stderr, /--force/);
  assertClean(stop);
  assert.equal((await callsSince(fx.emu, since)).filter(isWrite).length, 0, 'deploy wrote to a foreign service without --force');

  const forced = await a.run(['deploy', '--yes', '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(forced.stderr, /Kept function precious/);
  assert.equal((await fc.getService('foreign-svc')).data.description, 'made by hand', 'adoption must not mark the service as fcx\'s');

  // a second function fcx creates in the adopted service is fcx's: remove deletes it
  a.write({ ...a.manifest, functions: { web: fn(), extra: fn() } });
  assert.equal((await a.run(['deploy', '--yes', '--force'])).code, 0);
  a.write({ ...a.manifest, functions: { web: fn() } });

  since = await lastSeq(fx.emu);
  const r = await a.run(['remove', '--yes']);
  assert.equal(r.code, 0, r.stderr);
  assertClean(r);
  assert.match(r.stderr, /Kept function precious/);
  assert.match(r.stderr, /Kept service foreign-svc/);
  const deleted = (await callsSince(fx.emu, since)).filter((c) => c.action === 'DeleteFunction' || c.action === 'DeleteService').map((c) => `${c.action} ${c.path}`);
  assert.equal(deleted.filter((d) => d.startsWith('DeleteService')).length, 0, `deleted: ${deleted}`);
  assert.ok((await fc.getService('foreign-svc')).data);
  assert.ok((await fc.getFunction('foreign-svc', 'precious')).data);
  await assert.rejects(fc.getFunction('foreign-svc', 'web'), /FunctionNotFound|does not exist/);
  await assert.rejects(fc.getFunction('foreign-svc', 'extra'), /FunctionNotFound|does not exist/);
});

test('remove keeps an fcx service that still holds a function fcx did not create', async () => {
  const a = fx.app('mixed-svc', { web: fn() });
  assert.equal((await a.run(['deploy', '--yes'])).code, 0);
  const fc = fcClient(fx.emu);
  await fc.createFunction('mixed-svc', { functionName: 'handmade', runtime: 'python3.10', handler: 'index.handler', code: { zipFile: HELLO_ZIP } });
  const r = await a.run(['remove', '--yes']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Kept function handmade/);
  assert.match(r.stderr, /Kept service mixed-svc/);
  assert.ok((await fc.getFunction('mixed-svc', 'handmade')).data);
  await assert.rejects(fc.getFunction('mixed-svc', 'web'), /FunctionNotFound|does not exist/);
});

test('remove takes only this app\'s routes off a shared custom domain', async () => {
  const a = fx.app('dom-app', { web: fn() });
  assert.equal((await a.run(['deploy', '--yes'])).code, 0);
  const fc = fcClient(fx.emu);
  await fc.createService('other-svc', { description: 'another app' });
  await fc.createCustomDomain('shared.example.com', {
    protocol: 'HTTP',
    routeConfig: {
      routes: [
        { path: '/a/*', serviceName: 'dom-app', functionName: 'web' },
        { path: '/b/*', serviceName: 'other-svc', functionName: 'x' },
      ],
    },
  });
  await fc.createCustomDomain('mine.example.com', { protocol: 'HTTP', routeConfig: { routes: [{ path: '/*', serviceName: 'dom-app', functionName: 'web' }] } });
  const r = await a.run(['remove', '--yes']);
  assert.equal(r.code, 0, r.stderr);
  const shared = (await fc.getCustomDomain('shared.example.com')).data;
  assert.deepEqual(shared.routeConfig.routes.map((x: any) => x.path), ['/b/*']);
  await assert.rejects(fc.getCustomDomain('mine.example.com'), /DomainNameNotFound|does not exist/);
});
