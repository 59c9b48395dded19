// Where deploy sends its calls, end to end: a region from the aliyun CLI profile, and endpoints that are not what
// fcx expects (a web server that is not Alibaba, https:// to plain HTTP, a scheme the SDKs cannot speak) — each
// explained in words a person can act on, never as a bug in fcx.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertClean, fn, useEmulator } from './deploy-fixture';

const fx = useEmulator();

// Answers like `python3 -m http.server`: HTML 404 for GET, HTML 501 for the other methods.
let web: Server;
let webUrl = '';
before(async () => {
  web = createServer((req, res) => {
    req.resume();
    const status = req.method === 'GET' || req.method === 'HEAD' ? 404 : 501;
    res.writeHead(status, { 'content-type': 'text/html;charset=utf-8' });
    res.end(`<!DOCTYPE HTML>\n<html lang="en">\n<head><title>Error response</title></head>\n<body><h1>Error response</h1><p>Error code: ${status}</p></body></html>\n`);
  });
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
});
after(() => web.close());

test('an endpoint that is not Alibaba: the HTTP status, "not an Alibaba Cloud API response" and a hint for --endpoint', async () => {
  const a = fx.app('not-alibaba', { web: fn() });
  const r = await a.run(['deploy', '--yes'], { FCX_ENDPOINT: webUrl, FCX_RETRY_ATTEMPTS: '1' });
  assert.equal(r.code, 1, r.stderr);
  assertClean(r);
  assert.match(r.stderr, /HTTP 501/);
  assert.match(r.stderr, /the endpoint answered HTTP 501 with something that is not an Alibaba Cloud API response \(<!DOCTYPE HTML>/);
  assert.match(r.stderr, /--endpoint/);
  assert.doesNotMatch(r.stderr, /Unexpected|bug in fcx/);
});

test('https:// to a plain-HTTP server says the endpoint does not speak HTTPS', async () => {
  const a = fx.app('tls-mismatch', { web: fn() });
  const r = await a.run(['deploy', '--yes'], { FCX_ENDPOINT: webUrl.replace('http:', 'https:'), FCX_RETRY_ATTEMPTS: '1' });
  assert.equal(r.code, 1, r.stderr);
  assertClean(r);
  assert.match(r.stderr, /does not speak HTTPS; use http:\/\//);
  assert.doesNotMatch(r.stderr, /deps\/openssl|bug in fcx/);
});

test('an endpoint with a scheme other than http(s) is a usage error (exit 2), not a bug', async () => {
  const a = fx.app('ftp-endpoint', { web: fn() });
  const r = await a.run(['deploy', '--yes'], { FCX_ENDPOINT: 'ftp://127.0.0.1:21' });
  assert.equal(r.code, 2, r.stderr);
  assertClean(r);
  assert.match(r.stderr, /ftp:\/\//);
  assert.match(r.stderr, /http:\/\/ or https:\/\//);
  assert.doesNotMatch(r.stderr, /bug in fcx|must starts with/);
});

test('without region: in fcx.yaml, the region_id of the aliyun CLI profile in use is the region', async () => {
  const a = fx.app('profile-region', { web: fn() });
  const { region: _r, ...noRegion } = a.manifest;
  a.write(noRegion);
  mkdirSync(join(a.home, '.aliyun'), { recursive: true });
  const profile = (name: string, region: string) => ({ name, mode: 'AK', access_key_id: 'fcx-local-key', access_key_secret: 'fcx-local-secret', region_id: region });
  writeFileSync(join(a.home, '.aliyun', 'config.json'), JSON.stringify({ current: 'dev', profiles: [profile('default', 'cn-beijing'), profile('dev', 'cn-shanghai')] }));

  const current = await a.run(['plan']);
  assert.equal(current.code, 0, current.stderr);
  assert.match(current.stdout, /in cn-shanghai/);
  const named = await a.run(['plan', '--profile', 'default']);
  assert.equal(named.code, 0, named.stderr);
  assert.match(named.stdout, /in cn-beijing/);
  const byEnv = await a.run(['plan'], { ALIBABA_CLOUD_PROFILE: 'default' });
  assert.match(byEnv.stdout, /in cn-beijing/);

  writeFileSync(join(a.home, '.aliyun', 'config.json'), JSON.stringify({ current: 'dev', profiles: [{ name: 'dev', mode: 'AK' }] }));
  const none = await a.run(['plan']);
  assert.equal(none.code, 2, none.stderr);
  assert.match(none.stderr, /No region given/);
  assert.match(none.stderr, /region_id/);
});
