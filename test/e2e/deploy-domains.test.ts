// Custom domains in deploy: applied last, listed first; when FC says the DNS does not point at it yet, everything
// else stays deployed, the DNS record is printed, and the exit code is 3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClean, callsSince, fcClient, fn, isWrite, lastSeq, useEmulator } from './deploy-fixture';
import { makePki } from '../unit/domain-pki';

const fx = useEmulator();

test('DNS not pointing at FC yet: exit 3 with the record to create; the rest is deployed; a rerun finishes', async () => {
  const a = fx.app('dns-app', { web: fn() }, { domains: { 'api.dns-app.example': { routes: { '/*': 'web' } } } });
  await fx.emu.faults([{ service: 'fc', action: 'CreateCustomDomain', status: 400, errorCode: 'DomainNameNotResolved', times: 1 }]);
  const r = await a.run(['deploy', '--yes', '--json']);
  await fx.emu.clearFaults();
  assert.equal(r.code, 3, r.stderr);
  assertClean(r);
  assert.match(r.stderr, /CNAME/);
  assert.match(r.stderr, /api\.dns-app\.example/);
  assert.match(r.stderr, /1234567890123456\.cn-hangzhou\.fc\.aliyuncs\.com/);
  const doc = JSON.parse(r.stdout);
  assert.equal((await fetch(doc.functions[0].url)).status, 200, 'the function is deployed despite the domain');

  const ok = await a.run(['deploy', '--yes']);
  assert.equal(ok.code, 0, ok.stderr);
  const urls = ok.stdout.trim().split('\n');
  assert.equal(urls[0], 'http://api.dns-app.example/', 'custom domains come first');
  assert.match(urls[1], /\/proxy\/dns-app\/web\/$/);
  assert.match(ok.stderr, /created domain api\.dns-app\.example/);

  const since = await lastSeq(fx.emu);
  const again = await a.run(['deploy', '--yes', '--json']);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual((await callsSince(fx.emu, since)).filter(isWrite), []);
  assert.deepEqual(JSON.parse(again.stdout).domains, [{ name: 'api.dns-app.example', url: 'http://api.dns-app.example/', cname: '1234567890123456.cn-hangzhou.fc.aliyuncs.com' }]);
});

test('a domain dropped from fcx.yaml: its routes to this app are reported, and removed only with --prune', async () => {
  const a = fx.app('dropdom-app', { web: fn() }, { domains: { 'drop.example.net': { routes: { '/*': 'web' } } } });
  assert.equal((await a.run(['deploy', '--yes'])).code, 0);
  delete a.manifest.domains;
  a.write();
  const kept = await a.run(['deploy', '--yes']);
  assert.equal(kept.code, 0, kept.stderr);
  assert.match(kept.stderr, /- delete\s+domain drop\.example\.net/);
  assert.match(kept.stderr, /route \/\* → web/);
  assert.match(kept.stderr, /pass --prune/);
  const fc = fcClient(fx.emu);
  assert.ok((await fc.getCustomDomain('drop.example.net')).data);
  const pruned = await a.run(['deploy', '--yes', '--prune']);
  assert.equal(pruned.code, 0, pruned.stderr);
  await assert.rejects(fc.getCustomDomain('drop.example.net'), /DomainNameNotFound|does not exist/);
});

test('a certificate and key that do not match stop deploy before any cloud call (exit 2)', async () => {
  const pki = makePki();
  try {
    const leaf = pki.leaf(['tls.mismatch.example']);
    const other = pki.otherKey();
    const a = fx.app('tls-mismatch-app', { web: fn() }, { domains: { 'tls.mismatch.example': { protocol: 'HTTPS', certificate: leaf.certFile, privateKey: other.keyFile, routes: { '/*': 'web' } } } });
    const since = await lastSeq(fx.emu);
    for (const args of [['deploy', '--yes'], ['plan']]) {
      const r = await a.run(args);
      assert.equal(r.code, 2, r.stderr);
      assertClean(r);
      assert.match(r.stderr, /domains\.tls\.mismatch\.example\.certificate/);
      assert.match(r.stderr, /nothing was sent to the cloud/);
    }
    assert.deepEqual((await callsSince(fx.emu, since)).map((c) => c.action), [], 'deploy called the cloud before checking the certificate');
  } finally {
    pki.cleanup();
  }
});
