// planDomains / planRemovedDomains (what deploy and bind call) against the in-process emulator over real HTTP.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { startInProcessEmulator, LOCAL_CREDS, type TestEmulator } from '../helpers/emulator';
import { FcApi } from '../../src/cloud/fc';
import { endpointsFor, type CloudTarget } from '../../src/cloud/target';
import { makeContext, type Context } from '../../src/core/context';
import { ActionNeededError, FcxError } from '../../src/core/errors';
import { planDomains, planRemovedDomains } from '../../src/domain/reconcile';
import type { DomainSpec, Manifest } from '../../src/manifest/types';
import { makePki, type TestPki } from './domain-pki';

let emu: TestEmulator;
let fc: FcApi;
let target: CloudTarget;
let ctx: Context;
let pki: TestPki;
let stderr = '';

const SVC = 'hello';
function manifest(domains: DomainSpec[]): Manifest {
  return {
    file: '/app/fcx.yaml',
    dir: '/app',
    name: SVC,
    region: LOCAL_CREDS.region,
    service: { name: SVC, role: { kind: 'none' }, logs: { kind: 'none' }, internetAccess: true },
    codeBucket: { kind: 'auto' },
    functions: [],
    domains,
  };
}
const dom = (name: string, routes: DomainSpec['routes'], o: Partial<DomainSpec> = {}): DomainSpec => ({ name, protocol: 'HTTP', routes, ...o });
const writesSince = async (n: number) => (await emu.requests()).slice(n).filter((c) => /^(Create|Update|Delete)CustomDomain$/.test(c.action)).map((c) => c.action);

before(async () => {
  emu = await startInProcessEmulator();
  pki = makePki();
  target = {
    region: LOCAL_CREDS.region,
    accountId: LOCAL_CREDS.accountId,
    credentials: { accessKeyId: LOCAL_CREDS.accessKeyId, accessKeySecret: LOCAL_CREDS.accessKeySecret, source: 'test' },
    endpoint: emu.url,
    local: true,
    endpoints: endpointsFor(LOCAL_CREDS.region, LOCAL_CREDS.accountId, emu.url),
  };
  const sink = new Writable({ write: (chunk, _e, cb) => ((stderr += String(chunk)), cb()) });
  ctx = makeContext({ json: false, yes: true, config: 'fcx.yaml', local: true, debug: false, color: false }, { stdout: sink, stderr: sink, env: {} });
  fc = new FcApi(target, ctx);
});
beforeEach(async () => {
  await emu.reset();
  stderr = '';
});
after(async () => {
  await emu?.close();
  pki?.cleanup();
});

describe('planDomains', () => {
  test('create → unchanged (no write) → update', async () => {
    const m = manifest([dom('a.example.com', [{ path: '/*', function: 'web' }])]);
    const [c1] = await planDomains({ manifest: m, fc, target, serviceName: SVC, ctx });
    assert.equal(c1.action, 'create');
    assert.deepEqual(await c1.apply(), { name: 'a.example.com', url: 'http://a.example.com/', cname: `${LOCAL_CREDS.accountId}.${LOCAL_CREDS.region}.fc.aliyuncs.com` });

    const n = (await emu.requests()).length;
    const [c2] = await planDomains({ manifest: m, fc, target, serviceName: SVC, ctx });
    assert.equal(c2.action, 'unchanged');
    await c2.apply();
    assert.deepEqual(await writesSince(n), []);

    const m3 = manifest([dom('a.example.com', [{ path: '/*', function: 'web', methods: ['GET'] }])]);
    const [c3] = await planDomains({ manifest: m3, fc, target, serviceName: SVC, ctx });
    assert.equal(c3.action, 'update');
    assert.deepEqual(c3.changes, ['~ route /* → web [GET] (was /* → web)']);
    await c3.apply();
    assert.deepEqual((await fc.getCustomDomain('a.example.com'))!.routeConfig.routes[0].methods, ['GET']);
  });

  test('a conflict is an update whose apply() stops with the list (exit 3); force takes over', async () => {
    await fc.createCustomDomain('c.example.com', { routeConfig: { routes: [{ path: '/*', serviceName: 'other', functionName: 'x' }] } });
    const m = manifest([dom('c.example.com', [{ path: '/*', function: 'web' }])]);
    const [c] = await planDomains({ manifest: m, fc, target, serviceName: SVC, ctx });
    assert.equal(c.action, 'update');
    assert.deepEqual(c.conflicts, ['/* is served by other/x, not by this app (hello)']);
    const n = (await emu.requests()).length;
    await assert.rejects(c.apply(), (err: unknown) => err instanceof ActionNeededError && err.exitCode === 3 && err.details.length === 1);
    assert.deepEqual(await writesSince(n), []);
    const [f] = await planDomains({ manifest: m, fc, target, serviceName: SVC, ctx, force: true });
    await f.apply();
    assert.equal((await fc.getCustomDomain('c.example.com'))!.routeConfig.routes[0].serviceName, SVC);
  });

  test('DomainNameNotResolved → ActionNeededError with the CNAME record and the ICP note, not retried', async () => {
    await emu.faults([{ service: 'fc', action: 'CreateCustomDomain', status: 400, errorCode: 'DomainNameNotResolved', message: 'domain name has not been resolved to your FC endpoint', times: 5 }]);
    const [c] = await planDomains({ manifest: manifest([dom('d.example.com', [{ path: '/*', function: 'web' }])]), fc, target, serviceName: SVC, ctx });
    const n = (await emu.requests()).length;
    await assert.rejects(c.apply(), (err: unknown) => {
      assert.ok(err instanceof ActionNeededError);
      assert.equal(err.exitCode, 3);
      assert.ok(err.details.includes(`  CNAME  d.example.com → ${LOCAL_CREDS.accountId}.cn-hangzhou.fc.aliyuncs.com`));
      assert.ok(err.details.some((d) => /ICP filing/.test(d)));
      assert.ok(err.details.some((d) => /DomainNameNotResolved, HTTP 400, request id/.test(d)));
      return true;
    });
    assert.deepEqual(await writesSince(n), ['CreateCustomDomain']);
    await emu.clearFaults();
  });

  test('a created-meanwhile domain (409 DomainNameAlreadyExists) is merged and updated', async () => {
    const m = manifest([dom('race.example.com', [{ path: '/*', function: 'web' }])]);
    const [c] = await planDomains({ manifest: m, fc, target, serviceName: SVC, ctx });
    await fc.createCustomDomain('race.example.com', { routeConfig: { routes: [{ path: '/x/*', serviceName: 'other', functionName: 'y' }] } });
    await c.apply();
    assert.deepEqual((await fc.getCustomDomain('race.example.com'))!.routeConfig.routes.map((r: any) => r.path), ['/x/*', '/*']);
  });

  test('a bad certificate stops the plan before any cloud call (exit 2)', async () => {
    const leaf = pki.leaf(['nope.example.org']);
    const n = (await emu.requests()).length;
    await assert.rejects(
      planDomains({ manifest: manifest([dom('e.example.com', [{ path: '/*', function: 'web' }], { protocol: 'HTTPS', certificate: leaf.cert, privateKey: leaf.key })]), fc, target, serviceName: SVC, ctx }),
      (err: unknown) => err instanceof FcxError && err.exitCode === 2 && /does not cover e\.example\.com/.test(err.details[0]),
    );
    assert.equal((await emu.requests()).length, n);
  });

  test('HTTPS: certificate and protocol sent on create; a changed certificate alone keeps the routes', async () => {
    const one = pki.leaf(['s.example.com']);
    const two = pki.leaf(['s.example.com']);
    const routes = [{ path: '/*', function: 'web' }];
    const [c] = await planDomains({ manifest: manifest([dom('s.example.com', routes, { protocol: 'HTTPS', certificate: one.cert, privateKey: one.key })]), fc, target, serviceName: SVC, ctx });
    assert.equal((await c.apply()).url, 'https://s.example.com/');
    const [u] = await planDomains({ manifest: manifest([dom('s.example.com', routes, { protocol: 'HTTPS', certificate: two.cert, privateKey: two.key })]), fc, target, serviceName: SVC, ctx });
    assert.equal(u.action, 'update');
    assert.equal(u.changes.length, 1);
    assert.match(u.changes[0], /^~ certificate s-example-com-[0-9a-f]{8} \(expires /);
    await u.apply();
    const d = (await fc.getCustomDomain('s.example.com'))!;
    assert.equal(d.certConfig.certificate.trim(), two.cert.trim());
    assert.deepEqual(d.routeConfig.routes.map((r: any) => r.path), ['/*']);
    assert.ok(!stderr.includes(two.key.split('\n')[1]));
  });
});

describe('planRemovedDomains', () => {
  test('routes of domains no longer in fcx.yaml are removed; other apps keep theirs; an emptied domain is deleted', async () => {
    await fc.createCustomDomain('shared.example.com', { routeConfig: { routes: [{ path: '/a/*', serviceName: SVC, functionName: 'web' }, { path: '/b/*', serviceName: 'other', functionName: 'x' }] } });
    await fc.createCustomDomain('mine.example.com', { routeConfig: { routes: [{ path: '/*', serviceName: SVC, functionName: 'web' }] } });
    await fc.createCustomDomain('theirs.example.com', { routeConfig: { routes: [{ path: '/*', serviceName: 'other', functionName: 'x' }] } });
    await fc.createCustomDomain('kept.example.com', { routeConfig: { routes: [{ path: '/*', serviceName: SVC, functionName: 'web' }] } });
    const changes = await planRemovedDomains({ manifest: manifest([dom('kept.example.com', [{ path: '/*', function: 'web' }])]), fc, target, serviceName: SVC, ctx });
    assert.deepEqual(changes.map((c) => c.domain).sort(), ['mine.example.com', 'shared.example.com']);
    assert.deepEqual(changes.find((c) => c.domain === 'mine.example.com')!.changes, ['- route /* → web (mine.example.com is no longer in fcx.yaml)', '- custom domain mine.example.com (no route left)']);
    for (const c of changes) await c.apply();
    assert.equal(await fc.getCustomDomain('mine.example.com'), undefined);
    assert.deepEqual((await fc.getCustomDomain('shared.example.com'))!.routeConfig.routes.map((r: any) => r.path), ['/b/*']);
    assert.ok(await fc.getCustomDomain('theirs.example.com'));
    assert.ok(await fc.getCustomDomain('kept.example.com'));
  });
});
