// The Node.js runtime: real node processes running FC-style handlers from zips built here.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { harness, header, httpInv, waitFor, type Harness } from './runtime-fixtures';

const APP = `
const { Readable } = require('stream');
let inits = 0;
exports.initializer = (context, callback) => { inits++; console.log('init', context.requestId); callback(null, ''); };
exports.handler = (req, resp, context) => {
  if (req.path === '/info') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      resp.setStatusCode(202);
      resp.setHeader('content-type', 'application/json');
      resp.setHeader('x-remove-me', 'x');
      resp.deleteHeader('x-remove-me');
      resp.setHeader('set-cookie', ['a=1', 'b=2']);
      resp.send(JSON.stringify({
        method: req.method, path: req.path, queries: req.queries, headers: req.headers, clientIP: req.clientIP, url: req.url,
        body: Buffer.concat(chunks).toString(), inits, pid: process.pid,
        context: { requestId: context.requestId, credentials: context.credentials, function: context.function, service: context.service,
          region: context.region, accountId: context.accountId, hasLogger: typeof context.logger.info === 'function' },
      }));
    });
    return;
  }
  if (req.path === '/echo') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resp.send(Buffer.concat(chunks)));
    return;
  }
  if (req.path === '/stream') return resp.send(Readable.from([Buffer.from('a'), Buffer.from('b')]));
  if (req.path === '/log') {
    console.log('hello', { n: 1 });
    context.logger.info('via logger');
    console.error('an error line');
    return resp.send('logged');
  }
  if (req.path === '/long') {
    console.log('first');
    setTimeout(() => { console.log('second'); resp.send('done'); }, 1000);
    return;
  }
  if (req.path === '/throw') throw new TypeError('bad thing');
  if (req.path === '/async-throw') return Promise.reject(new Error('async bad'));
  if (req.path === '/exit') {
    console.log('about to exit', context.requestId);
    process.exit(2);
  }
  resp.setStatusCode(404);
  resp.send('nothing at ' + req.path);
};
exports.event = (event, context, callback) => {
  if (event.toString() === 'fail') return callback(new Error('handled failure'));
  callback(null, { got: event.toString(), rid: context.requestId });
};
exports.asyncEvent = async (event) => 'async:' + event.toString();
`;

describe('node.js runtime', () => {
  let h: Harness;
  before(() => (h = harness()));
  after(() => h.close());

  it('gives handlers FC request, response and context objects', async () => {
    const spec = h.spec([{ name: 'index.js', data: APP }], { runtime: 'nodejs18', initializer: 'index.initializer', memorySize: 256 });
    const inv = httpInv({
      method: 'POST',
      path: '/info',
      rawQuery: 'a=1&a=2&b=x%20y&c',
      requestURI: '/2016-08-15/proxy/svc/fn/info?a=1&a=2&b=x%20y&c',
      headers: [['X-Thing', 'v'], ['Content-Type', 'text/plain']],
      body: Buffer.from('payload'),
      clientIP: '198.51.100.7',
    });
    const r = await h.manager.invokeHttp(spec, inv);
    assert.equal(r.status, 202, r.body.toString());
    assert.equal(header(r.headers, 'x-remove-me'), undefined);
    assert.deepEqual(r.headers.filter(([k]) => k === 'set-cookie').map(([, v]) => v), ['a=1', 'b=2']);
    const info = JSON.parse(r.body.toString());
    assert.equal(info.method, 'POST');
    assert.equal(info.path, '/info');
    assert.deepEqual(info.queries, { a: ['1', '2'], b: 'x y', c: '' });
    assert.equal(info.headers['x-thing'], 'v');
    assert.equal(info.clientIP, '198.51.100.7');
    assert.equal(info.url, inv.requestURI);
    assert.equal(info.body, 'payload');
    assert.equal(info.inits, 1);
    assert.deepEqual(info.context, {
      requestId: inv.requestId,
      credentials: { accessKeyId: 'STS.key', accessKeySecret: 'secret', securityToken: 'token' },
      function: { name: spec.functionName, handler: 'index.handler', memory: 256, timeout: 10, initializer: 'index.initializer', initializationTimeout: 3 },
      service: { name: 'svc', logProject: 'proj', logStore: 'store', qualifier: 'LATEST', versionId: '' },
      region: 'cn-hangzhou',
      accountId: '1234567890123456',
      hasLogger: true,
    });
    const again = JSON.parse((await h.manager.invokeHttp(spec, httpInv({ path: '/info' }))).body.toString());
    assert.equal(again.pid, info.pid, 'warm instance reused');
    assert.equal(again.inits, 1, 'initializer ran once');
  });

  it('round-trips binary bodies and sends readable streams', async () => {
    const spec = h.spec([{ name: 'index.js', data: APP }], { runtime: 'nodejs20' });
    const data = randomBytes(200_000);
    const r = await h.manager.invokeHttp(spec, httpInv({ method: 'POST', path: '/echo', body: data }));
    assert.ok(r.body.equals(data));
    assert.equal((await h.manager.invokeHttp(spec, httpInv({ path: '/stream' }))).body.toString(), 'ab');
  });

  it('logs console output in FC format: [silly] for console.log, [info] for context.logger.info', async () => {
    const spec = h.spec([{ name: 'index.js', data: APP }], { runtime: 'nodejs16' });
    const inv = httpInv({ path: '/log' });
    await h.manager.invokeHttp(spec, inv);
    await new Promise((r) => setImmediate(r));
    const msgs = h.sink.rows.filter((r) => r.functionName === spec.functionName).map((r) => r.message);
    const rid = inv.requestId;
    const ts = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';
    assert.equal(msgs[0], `FC Invoke Start RequestId: ${rid}`);
    assert.match(msgs[1], new RegExp(`^${ts} ${rid} \\[silly\\] hello \\{ n: 1 \\}$`));
    assert.match(msgs[2], new RegExp(`^${ts} ${rid} \\[info\\] via logger$`));
    assert.match(msgs[3], new RegExp(`^${ts} ${rid} \\[error\\] an error line$`));
    assert.equal(msgs[4], `FC Invoke End RequestId: ${rid}`);
  });

  it('streams the output of a long request while it runs', async () => {
    const spec = h.spec([{ name: 'index.js', data: APP }], { runtime: 'nodejs18' });
    const inv = httpInv({ path: '/long' });
    const pending = h.manager.invokeHttp(spec, inv);
    const mine = () => h.sink.rows.filter((r) => r.functionName === spec.functionName).map((r) => r.message);
    await waitFor(() => mine().some((m) => m.endsWith('[silly] first')), 900);
    assert.equal((await pending).body.toString(), 'done');
    await new Promise((r) => setImmediate(r));
    const msgs = mine();
    assert.equal(msgs.length, 4);
    assert.match(msgs[2], /\[silly\] second$/);
    assert.equal(msgs[3], `FC Invoke End RequestId: ${inv.requestId}`);
  });

  it('turns thrown errors into 502 UnhandledInvocationError and a process exit into a crash', async () => {
    const spec = h.spec([{ name: 'index.js', data: APP }], { runtime: 'nodejs18' });
    for (const path of ['/throw', '/async-throw']) {
      const r = await h.manager.invokeHttp(spec, httpInv({ path }));
      assert.equal(r.status, 502);
      assert.equal(r.errorType, 'UnhandledInvocationError');
      assert.match(JSON.parse(r.body.toString()).errorMessage, /bad/);
    }
    const exiting = httpInv({ path: '/exit' });
    const crashed = await h.manager.invokeHttp(spec, exiting);
    assert.equal(crashed.status, 502);
    await waitFor(() => h.sink.messages().some((m) => m.endsWith(`[silly] about to exit ${exiting.requestId}`)));
    assert.deepEqual(JSON.parse(crashed.body.toString()), { errorMessage: 'Process exited unexpectedly before completing request' });
    assert.equal((await h.manager.invokeHttp(spec, httpInv({ path: '/nowhere' }))).status, 404);
  });

  it('runs event handlers with callbacks or promises', async () => {
    const spec = h.spec([{ name: 'index.js', data: APP }], { runtime: 'nodejs18', handler: 'index.event' });
    const ok = await h.manager.invokeEvent(spec, { requestId: 'rid-ok', payload: Buffer.from('hi'), logTail: false, async: false });
    assert.deepEqual(JSON.parse(ok.body.toString()), { got: 'hi', rid: 'rid-ok' });
    const failed = await h.manager.invokeEvent(spec, { requestId: 'rid-fail', payload: Buffer.from('fail'), logTail: true, async: false });
    assert.equal(failed.errorType, 'HandledInvocationError');
    assert.equal(JSON.parse(failed.body.toString()).errorMessage, 'handled failure');
    assert.match(Buffer.from(failed.logResult!, 'base64').toString(), /FC Invoke End RequestId: rid-fail\nDuration: /);
    const asyncSpec = h.spec([{ name: 'index.js', data: APP }], { runtime: 'nodejs18', handler: 'index.asyncEvent' });
    const a = await h.manager.invokeEvent(asyncSpec, { requestId: 'rid-a', payload: Buffer.from('x'), logTail: false, async: false });
    assert.equal(a.body.toString(), 'async:x');
  });

  it('loads ES module handlers', async () => {
    const spec = h.spec([{ name: 'index.mjs', data: 'export const handler = (req, resp) => resp.send("esm " + req.method);\n' }], { runtime: 'nodejs20' });
    const r = await h.manager.invokeHttp(spec, httpInv({ method: 'DELETE' }));
    assert.equal(r.body.toString(), 'esm DELETE');
  });
});
