// Running code through FC: InvokeFunction (sync, async, log tail, function errors, payload limits), HTTP triggers
// under /2016-08-15/proxy/ (path, headers, limits, methods, function-level auth) and custom domains routed by Host.
// Real Python processes run the functions (the runtime manager); nothing is mocked.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startInProcessEmulator, LOCAL_CREDS, type TestEmulator } from '../helpers/emulator';
import { matchRoute } from '../../src/emulator/services/fc-domains';
import type { RouteRecord } from '../../src/emulator/services/fc-model';
import { fcClient, fcRejects, HELLO_PY, zipBase64, type FcClient } from './fc-helpers';
import { signFc } from './fc-sign';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const RPC = require('@alicloud/pop-core');

const WHO_PY = [
  {
    name: 'index.py',
    data: [
      'import os',
      'def handler(environ, start_response):',
      "    start_response('200 OK', [('Content-Type', 'text/plain')])",
      "    return [(os.environ['WHO'] + ' ' + environ['REQUEST_METHOD'] + ' ' + environ['PATH_INFO']).encode()]",
      '',
    ].join('\n'),
  },
];

/** A raw HTTP request with a chosen Host header (fetch does not let a test set Host). */
function rawRequest(url: string, opts: { method?: string; path: string; host: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: Record<string, any>; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, method: opts.method ?? 'GET', path: opts.path, headers: { host: opts.host, ...opts.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('FC invocation, HTTP triggers and custom domains', () => {
  let emu: TestEmulator;
  let fc: FcClient;
  before(async () => {
    emu = await startInProcessEmulator();
    fc = fcClient(emu);
    await fc.createService('run');
    const code = { zipFile: zipBase64(HELLO_PY) };
    await fc.createFunction('run', { functionName: 'web', runtime: 'python3.10', handler: 'index.handler', timeout: 10, code });
    await fc.createFunction('run', { functionName: 'ev', runtime: 'python3.10', handler: 'index.event', code });
    await fc.createFunction('run', { functionName: 'boom', runtime: 'python3.10', handler: 'index.boom', code });
    await fc.createTrigger('run', 'web', { triggerName: 'http', triggerType: 'http', triggerConfig: { authType: 'anonymous', methods: ['GET', 'POST'] } });
  });
  after(async () => {
    await emu.close();
  });

  test('InvokeFunction: sync result, log tail, async 202, function errors as 200 + x-fc-error-type', async () => {
    const r = await fc.invokeFunction('run', 'ev', 'payload', { 'x-fc-log-type': 'Tail' });
    assert.equal(String(r.data), 'echo:payload');
    assert.match(r.headers['x-fc-request-id'], /^[0-9a-f-]{36}$/);
    const tail = Buffer.from(r.headers['x-fc-log-result'], 'base64').toString();
    assert.match(tail, new RegExp(`FC Invoke Start RequestId: ${r.headers['x-fc-request-id']}`));
    assert.match(tail, /event log line/);

    const a = await fc.invokeFunction('run', 'ev', 'later', { 'x-fc-invocation-type': 'Async' });
    assert.equal(a.headers['x-fc-log-result'], undefined);
    const calls = await emu.requests();
    const asyncCall = calls.filter((c) => c.action === 'InvokeFunction').pop()!;
    assert.equal(asyncCall.status, 202);

    const e = await fc.invokeFunction('run', 'boom', 'x');
    assert.equal(e.headers['x-fc-error-type'], 'UnhandledInvocationError');
    assert.equal(e.data.errorMessage, 'kaput');

    await fcRejects(fc.invokeFunction('run', 'ghost', 'x'), 'FunctionNotFound', 404);
    await fcRejects(fc.invokeFunction('run', 'ev', 'x', { 'x-fc-invocation-type': 'Later' }), 'InvalidArgument', 400);
  });

  test('InvokeFunction payload limits: async 128 KB, sync 32 MB → 400 EntityTooLarge', async () => {
    await fcRejects(fc.invokeFunction('run', 'ev', Buffer.alloc(128 * 1024 + 1, 97), { 'x-fc-invocation-type': 'Async' }), 'EntityTooLarge', 400);
    await fcRejects(fc.invokeFunction('run', 'ev', Buffer.alloc(32 * 1024 * 1024 + 1, 97)), 'EntityTooLarge', 400);
  });

  test('HTTP trigger: the function sees /<rest>, query and request URI; x-fc-* headers are dropped both ways', async () => {
    const res = await fetch(`${emu.url}/2016-08-15/proxy/run/web/a%20b/c?x=1&y=2`, { headers: { 'x-custom': 'hi', 'x-fc-secret': 'dropped' } });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.path, '/a b/c');
    assert.equal(body.query, 'x=1&y=2');
    assert.equal(body.uri, '/2016-08-15/proxy/run/web/a%20b/c?x=1&y=2');
    assert.equal(body.x, 'hi');
    assert.equal(body.fc_header, null, 'request headers starting x-fc- never reach the function');
    assert.match(res.headers.get('x-fc-request-id') ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(res.headers.get('x-fc-sneaky'), null, "the function's x-fc-* response headers are ignored");
    assert.equal(res.headers.get('server'), null, "the function's Server header is ignored");
    assert.equal(res.headers.get('x-app'), 'yes');

    const post = await fetch(`${emu.url}/2016-08-15/proxy/run.LATEST/web`, { method: 'POST', body: 'hello' });
    const pb = await post.json();
    assert.deepEqual([pb.path, pb.method, pb.body], ['/', 'POST', 'hello']);
    const rec = (await emu.requests()).pop()!;
    assert.deepEqual([rec.service, rec.action, rec.status], ['fc', 'HttpTrigger', 200]);
    // A form that happens to carry Action and Signature is still the function's, not an RPC call.
    const form = await fetch(`${emu.url}/2016-08-15/proxy/run/web/form?Action=x&Signature=y`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=CreateRole&Signature=abc' });
    assert.equal((await form.json()).body, 'Action=CreateRole&Signature=abc');
  });

  test('HTTP trigger limits and errors: method, header size, URI size, unknown function, no trigger', async () => {
    const del = await fetch(`${emu.url}/2016-08-15/proxy/run/web/x`, { method: 'DELETE' });
    assert.equal(del.status, 405);
    assert.equal((await del.json()).ErrorCode, 'MethodNotAllowed');
    const big = await fetch(`${emu.url}/2016-08-15/proxy/run/web/x`, { headers: { 'x-big': 'a'.repeat(9000) } });
    assert.equal(big.status, 400);
    assert.equal((await big.json()).ErrorCode, 'InvalidArgument');
    const longUri = await fetch(`${emu.url}/2016-08-15/proxy/run/web/x?q=${'a'.repeat(4200)}`);
    assert.equal(longUri.status, 400);
    assert.equal((await longUri.json()).ErrorCode, 'InvalidArgument');
    const huge = await fetch(`${emu.url}/2016-08-15/proxy/run/web/x`, { method: 'POST', body: Buffer.alloc(32 * 1024 * 1024 + 1, 97) });
    assert.equal(huge.status, 400);
    assert.equal((await huge.json()).ErrorCode, 'EntityTooLarge');
    const ghost = await fetch(`${emu.url}/2016-08-15/proxy/run/ghost/`);
    assert.equal(ghost.status, 404);
    assert.equal((await ghost.json()).ErrorCode, 'FunctionNotFound');
    const noTrigger = await fetch(`${emu.url}/2016-08-15/proxy/run/ev/`);
    assert.equal(noTrigger.status, 404);
    assert.match(noTrigger.headers.get('x-fc-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  test('HTTP trigger with authType function: signed calls pass (query signed), unsigned or tampered ones get 403', async () => {
    await fc.createFunction('run', { functionName: 'private', runtime: 'python3.10', handler: 'index.handler', code: { zipFile: zipBase64(HELLO_PY) } });
    await fc.createTrigger('run', 'private', { triggerName: 'http', triggerType: 'http', triggerConfig: { authType: 'function', methods: ['GET'] } });
    const signed = await fc.get('/proxy/run/private/hello', { q: 'x y', r: '1' });
    assert.equal(signed.data.path, '/hello');
    assert.equal(signed.data.query.includes('q=x'), true);
    // A path with characters that need escaping: fc2 signs the path as the caller passed it.
    const spaced = await fc.get('/proxy/run/private/a b', {});
    assert.equal(spaced.data.path, '/a b');
    const escaped = await fc.get('/proxy/run/private/a%20b', { 'k!': "v'(x)*" });
    assert.equal(escaped.data.path, '/a b');

    const unsigned = await fetch(`${emu.url}/2016-08-15/proxy/run/private/hello`);
    assert.equal(unsigned.status, 403);
    const path = '/2016-08-15/proxy/run/private/hello';
    const headers = signFc('GET', path, {}, { query: [['q', '1']] });
    const tampered = await fetch(`${emu.url}${path}?q=2`, { headers });
    assert.equal(tampered.status, 403);
    assert.equal((await tampered.json()).ErrorCode, 'SignatureNotMatch');
    const good = await fetch(`${emu.url}${path}?q=1`, { headers: signFc('GET', path, {}, { query: [['q', '1']] }) });
    assert.equal(good.status, 200);
  });

  test('custom domain: routed by Host (port ignored), full original path, route methods, 404 when nothing matches', async () => {
    const code = { zipFile: zipBase64(WHO_PY) };
    for (const who of ['root', 'api', 'exact']) {
      await fc.createFunction('run', { functionName: who, runtime: 'python3.10', handler: 'index.handler', environmentVariables: { WHO: who }, code });
      await fc.createTrigger('run', who, { triggerName: 'http', triggerType: 'http', triggerConfig: { authType: 'anonymous', methods: who === 'exact' ? ['GET', 'POST'] : ['GET', 'OPTIONS'] } });
    }
    await fc.createCustomDomain('shop.example.com', {
      protocol: 'HTTP',
      routeConfig: {
        routes: [
          { path: '/*', serviceName: 'run', functionName: 'root' },
          { path: '/api/*', serviceName: 'run', functionName: 'api' },
          { path: '/api/login', serviceName: 'run', functionName: 'exact', methods: ['POST'] },
        ],
      },
    });
    const get = (path: string, method = 'GET') => rawRequest(emu.url, { path, method, host: `shop.example.com:${emu.port}` });
    assert.equal((await get('/api/users?x=1')).body, 'api GET /api/users');
    assert.equal((await get('/index.html')).body, 'root GET /index.html');
    assert.equal((await get('/api/login', 'POST')).body, 'exact POST /api/login', 'an exact path beats the wildcard');
    assert.equal((await get('/api/login')).body, 'api GET /api/login', 'a route that lists methods only takes those');
    assert.equal((await get('/api')).body, 'root GET /api', "'/api/*' does not match '/api'");
    assert.equal((await get('/x', 'OPTIONS')).status, 200, "the trigger's methods apply when the route lists none (OPTIONS too)");
    const del = await get('/x', 'DELETE');
    assert.equal(del.status, 405);
    const rec = (await emu.requests()).pop()!;
    assert.deepEqual([rec.service, rec.action], ['fc', 'CustomDomainRequest']);

    await fc.updateCustomDomain('shop.example.com', { routeConfig: { routes: [{ path: '/only', serviceName: 'run', functionName: 'root' }] } });
    const miss = await get('/other');
    assert.equal(miss.status, 404);
    assert.ok(JSON.parse(miss.body).ErrorCode);
    assert.match(String(miss.headers['x-fc-request-id']), /^[0-9a-f-]{36}$/);
    const unknownHost = await rawRequest(emu.url, { path: '/', host: 'nobody.example.com' });
    assert.equal(unknownHost.status, 404);
    assert.ok(JSON.parse(unknownHost.body).ErrorCode);
  });

  test('a service role gives the function STS credentials that the emulator accepts', async () => {
    const TRUST = JSON.stringify({ Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['fc.aliyuncs.com'] } }], Version: '1' });
    const creds = { endpoint: emu.url, accessKeyId: LOCAL_CREDS.accessKeyId, accessKeySecret: LOCAL_CREDS.accessKeySecret };
    await new RPC({ ...creds, apiVersion: '2015-05-01' }).request('CreateRole', { RoleName: 'fn-role', AssumeRolePolicyDocument: TRUST });
    await fc.createService('roled', { role: `acs:ram::${LOCAL_CREDS.accountId}:role/fn-role` });
    const app = [
      'import json',
      'def handler(environ, start_response):',
      "    c = environ['fc.context'].credentials",
      "    start_response('200 OK', [('Content-Type', 'application/json')])",
      "    return [json.dumps({'id': c.access_key_id, 'secret': c.access_key_secret, 'token': c.security_token}).encode()]",
      '',
    ].join('\n');
    await fc.createFunction('roled', { functionName: 'who', runtime: 'python3.10', handler: 'index.handler', code: { zipFile: zipBase64([{ name: 'index.py', data: app }]) } });
    await fc.createTrigger('roled', 'who', { triggerName: 'http', triggerType: 'http', triggerConfig: { authType: 'anonymous', methods: ['GET'] } });
    const got = await (await fetch(`${emu.url}/2016-08-15/proxy/roled/who/`)).json();
    assert.match(got.id, /^STS\./);
    const again = await (await fetch(`${emu.url}/2016-08-15/proxy/roled/who/`)).json();
    assert.equal(again.id, got.id, 'credentials are reused while fresh');
    const who = await new RPC({ endpoint: emu.url, apiVersion: '2015-04-01', accessKeyId: got.id, accessKeySecret: got.secret, securityToken: got.token }).request('GetCallerIdentity', {});
    assert.equal(who.Arn, `acs:ram::${LOCAL_CREDS.accountId}:assumed-role/fn-role/roled`);
  });

  test('route matching rules (FC doc 90763)', () => {
    const r = (path: string, functionName: string, methods: string[] = []): RouteRecord => ({ path, serviceName: 's', functionName, qualifier: 'LATEST', methods });
    const routes = [r('/*', 'root'), r('/a/*', 'a'), r('/a/b/*', 'ab'), r('/a', 'exactA'), r('/p', 'postOnly', ['POST'])];
    const fnFor = (path: string, method = 'GET') => matchRoute(routes, path, method)?.functionName;
    assert.equal(fnFor('/a'), 'exactA');
    assert.equal(fnFor('/a/'), 'a', "'/a' does not match '/a/'");
    assert.equal(fnFor('/a/b/c'), 'ab', 'the longest wildcard prefix wins');
    assert.equal(fnFor('/a/x'), 'a');
    assert.equal(fnFor('/zzz'), 'root');
    assert.equal(fnFor('/p', 'POST'), 'postOnly');
    assert.equal(fnFor('/p', 'GET'), 'root');
    assert.equal(matchRoute([r('/only', 'o')], '/other', 'GET'), undefined);
  });
});
