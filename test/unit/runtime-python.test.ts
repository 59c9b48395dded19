// The Python runtime: real python3 processes running WSGI apps from zips built here, through RuntimeManager.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { harness, header, httpInv, waitFor, type Harness } from './runtime-fixtures';

const APP = `
import json, logging, os, time, threading
def handler(environ, start_response):
    path = environ['PATH_INFO']
    if path == '/echo':
        body = environ['wsgi.input'].read(int(environ.get('CONTENT_LENGTH') or 0))
        start_response('200 OK', [('Content-Type', 'application/octet-stream')])
        return [body]
    if path == '/env':
        ctx = environ['fc.context']
        out = {k: v for k, v in environ.items() if isinstance(v, (str, int, bool, tuple))}
        out['ctx'] = {
            'request_id': ctx.request_id,
            'credentials': [ctx.credentials.access_key_id, ctx.credentials.access_key_secret, ctx.credentials.security_token],
            'function': [ctx.function.name, ctx.function.handler, ctx.function.memory, ctx.function.timeout, ctx.function.initializer],
            'service': [ctx.service.name, ctx.service.log_project, ctx.service.log_store, ctx.service.qualifier, ctx.service.version_id],
            'region': ctx.region, 'account_id': ctx.account_id,
        }
        out['fc_env'] = {k: v for k, v in os.environ.items() if k.startswith('FC_') or k in ('GREETING', 'TZ')}
        out['cwd'] = os.getcwd()
        start_response('201 Created', [('Content-Type', 'application/json'), ('Set-Cookie', 'a=1'), ('Set-Cookie', 'b=2')])
        return [json.dumps(out).encode()]
    if path == '/pid':
        start_response('200 OK', [])
        return [str(os.getpid()).encode()]
    if path == '/slow':
        print('sleeping in ' + environ['fc.context'].request_id)
        time.sleep(float(environ['QUERY_STRING'] or '0.3'))
        start_response('200 OK', [])
        return [str(os.getpid()).encode()]
    if path == '/log':
        print('plain print line')
        logging.info('hello %s', 'world')
        try:
            raise ValueError('boom')
        except ValueError:
            logging.exception('it failed')
        start_response('200 OK', [])
        return [b'logged']
    if path == '/raise':
        raise RuntimeError('unhandled here')
    if path == '/exit':
        os._exit(3)
    if path == '/write':
        write = start_response('200 OK', [('X-Mode', 'write')])
        write(b'part1-')
        return [b'part2']
    start_response('404 Not Found', [])
    return [b'no route']
`;

describe('python runtime (WSGI)', () => {
  let h: Harness;
  before(() => (h = harness()));
  after(() => h.close());

  it('gives the app a full PEP 3333 environ with fc.context and fc.request_uri', async () => {
    const spec = h.spec([{ name: 'index.py', data: APP }], { environmentVariables: { GREETING: 'hi there' }, memorySize: 256, timeout: 7 });
    const inv = httpInv({
      method: 'POST',
      path: '/env',
      rawQuery: 'a=1&b=x%20y',
      requestURI: '/2016-08-15/proxy/svc/fn/env?a=1&b=x%20y',
      headers: [['Content-Type', 'text/plain'], ['X-Custom', 'v1'], ['X-Custom', 'v2'], ['User-Agent', 'test']],
      body: Buffer.from('hello'),
      clientIP: '203.0.113.9',
      host: 'example.com:9100',
    });
    const r = await h.manager.invokeHttp(spec, inv);
    assert.equal(r.status, 201, r.body.toString());
    assert.deepEqual(r.headers.filter(([k]) => k === 'Set-Cookie').map(([, v]) => v), ['a=1', 'b=2']);
    const env = JSON.parse(r.body.toString());
    assert.equal(env.REQUEST_METHOD, 'POST');
    assert.equal(env.PATH_INFO, '/env');
    assert.equal(env.QUERY_STRING, 'a=1&b=x%20y');
    assert.equal(env.CONTENT_TYPE, 'text/plain');
    assert.equal(env.CONTENT_LENGTH, '5');
    assert.equal(env.SERVER_NAME, 'example.com');
    assert.equal(env.SERVER_PORT, '9100');
    assert.equal(env.SERVER_PROTOCOL, 'HTTP/1.1');
    assert.equal(env.REMOTE_ADDR, '203.0.113.9');
    assert.equal(env.HTTP_X_CUSTOM, 'v1,v2');
    assert.equal(env.HTTP_USER_AGENT, 'test');
    assert.deepEqual(env['wsgi.version'], [1, 0]);
    assert.equal(env['wsgi.url_scheme'], 'http');
    assert.equal(env['wsgi.multithread'], false);
    assert.equal(env['wsgi.multiprocess'], false);
    assert.equal(env['wsgi.run_once'], false);
    assert.equal(env['fc.request_uri'], '/2016-08-15/proxy/svc/fn/env?a=1&b=x%20y');
    assert.deepEqual(env.ctx, {
      request_id: inv.requestId,
      credentials: ['STS.key', 'secret', 'token'],
      function: [spec.functionName, 'index.handler', 256, 7, ''],
      service: ['svc', 'proj', 'store', 'LATEST', ''],
      region: 'cn-hangzhou',
      account_id: '1234567890123456',
    });
    assert.equal(env.fc_env.GREETING, 'hi there');
    assert.equal(env.fc_env.FC_FUNCTION_NAME, spec.functionName);
    assert.equal(env.fc_env.FC_SERVICE_NAME, 'svc');
    assert.equal(env.fc_env.FC_REGION, 'cn-hangzhou');
    assert.equal(env.fc_env.TZ, 'UTC');
    assert.equal(env.cwd, env.fc_env.FC_FUNC_CODE_PATH);
  });

  it('round-trips binary bodies byte for byte, and supports the write() callable', async () => {
    const spec = h.spec([{ name: 'index.py', data: APP }]);
    const data = randomBytes(300_000);
    const r = await h.manager.invokeHttp(spec, httpInv({ method: 'PUT', path: '/echo', headers: [['Content-Length', String(data.length)]], body: data }));
    assert.equal(r.status, 200);
    assert.ok(r.body.equals(data), 'body differs');
    const w = await h.manager.invokeHttp(spec, httpInv({ path: '/write' }));
    assert.equal(w.body.toString(), 'part1-part2');
    assert.equal(header(w.headers, 'x-mode'), 'write');
  });

  it('finds handlers in dotted module paths and in the python/ dependency folder', async () => {
    const spec = h.spec(
      [
        { name: 'src/app/main.py', data: 'import helperdep\ndef handler(environ, start_response):\n    start_response("200 OK", [])\n    return [helperdep.VALUE]\n' },
        { name: 'python/helperdep.py', data: 'VALUE = b"from python/"\n' },
      ],
      { handler: 'src.app.main.handler' },
    );
    const r = await h.manager.invokeHttp(spec, httpInv());
    assert.equal(r.body.toString(), 'from python/');
  });

  it('keeps an instance warm between requests and runs the initializer once per instance', async () => {
    const code = `import os
state = {'inits': 0}
def init(context):
    state['inits'] += 1
    print('init ran for ' + context.request_id)
def handler(environ, start_response):
    start_response('200 OK', [])
    return [('%d %d' % (os.getpid(), state['inits'])).encode()]
`;
    const spec = h.spec([{ name: 'index.py', data: code }], { initializer: 'index.init' });
    const first = httpInv();
    const a = (await h.manager.invokeHttp(spec, first)).body.toString();
    const b = (await h.manager.invokeHttp(spec, httpInv())).body.toString();
    const c = (await h.manager.invokeHttp(spec, httpInv())).body.toString();
    assert.equal(a.split(' ')[1], '1');
    assert.equal(a, b);
    assert.equal(b, c);
    const msgs = h.sink.rows.filter((r) => r.functionName === spec.functionName).map((r) => r.message);
    assert.equal(msgs.filter((m) => m.startsWith('FC Initialize Start RequestId:')).length, 1);
    assert.ok(msgs.includes(`FC Initialize Start RequestId: ${first.requestId}`));
    assert.ok(msgs.includes(`init ran for ${first.requestId}`));
    assert.ok(msgs.indexOf(`FC Initialize End RequestId: ${first.requestId}`) < msgs.indexOf(`FC Invoke Start RequestId: ${first.requestId}`));
  });

  it('answers an initializer failure with an error and discards the instance', async () => {
    const code = `def init(context):\n    raise RuntimeError('init broke')\ndef handler(environ, start_response):\n    start_response('200 OK', [])\n    return [b'ok']\n`;
    const spec = h.spec([{ name: 'index.py', data: code }], { initializer: 'index.init' });
    const r = await h.manager.invokeHttp(spec, httpInv());
    assert.equal(r.status, 502);
    assert.equal(r.errorType, 'UnhandledInvocationError');
    assert.match(JSON.parse(r.body.toString()).errorMessage, /init broke/);
    assert.equal(h.manager.instancesOf('svc', spec.functionName).length, 0);
  });

  it('ends an initializer that runs past initializationTimeout', async () => {
    const code = `import time\ndef init(context):\n    time.sleep(5)\ndef handler(environ, start_response):\n    start_response('200 OK', [])\n    return [b'ok']\n`;
    const spec = h.spec([{ name: 'index.py', data: code }], { initializer: 'index.init', initializationTimeout: 1 });
    const started = Date.now();
    const r = await h.manager.invokeHttp(spec, httpInv());
    assert.ok(Date.now() - started < 4000);
    assert.equal(r.status, 502);
    assert.deepEqual(JSON.parse(r.body.toString()), { errorMessage: 'Function initialization time out after 1 seconds' });
    await waitFor(() => h.manager.instancesOf('svc', spec.functionName).length === 0);
  });

  it('ends a request past its timeout with FC error shape, replaces the instance, and serves the next one', async () => {
    const spec = h.spec([{ name: 'index.py', data: APP }], { timeout: 1 });
    const pidBefore = (await h.manager.invokeHttp(spec, httpInv({ path: '/pid' }))).body.toString();
    const started = Date.now();
    const slow = httpInv({ path: '/slow', rawQuery: '5' });
    const r = await h.manager.invokeHttp(spec, slow);
    assert.ok(Date.now() - started < 4000);
    assert.equal(r.status, 502);
    assert.equal(r.errorType, 'UnhandledInvocationError');
    assert.deepEqual(JSON.parse(r.body.toString()), { errorMessage: 'Function time out after 1 seconds' });
    const pidAfter = (await h.manager.invokeHttp(spec, httpInv({ path: '/pid' }))).body.toString();
    assert.notEqual(pidAfter, pidBefore);
    assert.throws(() => process.kill(Number(pidBefore), 0), /ESRCH/);
    // What the timed-out request printed still reaches the log.
    await waitFor(() => h.sink.messages().includes(`sleeping in ${slow.requestId}`));
  });

  it('with concurrency 1 runs parallel requests on separate instances; with concurrency 4 on one', async () => {
    const one = h.spec([{ name: 'index.py', data: APP }]);
    const pids1 = await Promise.all([1, 2, 3].map(() => h.manager.invokeHttp(one, httpInv({ path: '/slow', rawQuery: '0.4' }))));
    assert.equal(new Set(pids1.map((r) => r.body.toString())).size, 3);
    assert.equal(h.manager.instancesOf('svc', one.functionName).length, 3);

    const four = h.spec([{ name: 'index.py', data: APP }], { instanceConcurrency: 4 });
    const pids4 = await Promise.all([1, 2, 3].map(() => h.manager.invokeHttp(four, httpInv({ path: '/slow', rawQuery: '0.4' }))));
    assert.equal(new Set(pids4.map((r) => r.body.toString())).size, 1);
  });

  it('queues requests beyond the instance cap', async () => {
    const capped = harness({ maxInstancesPerFunction: 1 });
    try {
      const spec = capped.spec([{ name: 'index.py', data: APP }]);
      const rs = await Promise.all([1, 2, 3].map(() => capped.manager.invokeHttp(spec, httpInv({ path: '/slow', rawQuery: '0.1' }))));
      assert.deepEqual(rs.map((r) => r.status), [200, 200, 200]);
      assert.equal(new Set(rs.map((r) => r.body.toString())).size, 1);
    } finally {
      await capped.close();
    }
  });

  it('answers 502 UnhandledInvocationError when the handler raises or the process dies, then recovers', async () => {
    const spec = h.spec([{ name: 'index.py', data: APP }]);
    const raised = await h.manager.invokeHttp(spec, httpInv({ path: '/raise' }));
    assert.equal(raised.status, 502);
    assert.equal(raised.errorType, 'UnhandledInvocationError');
    const body = JSON.parse(raised.body.toString());
    assert.equal(body.errorMessage, 'unhandled here');
    assert.equal(body.errorType, 'RuntimeError');

    const crashed = await h.manager.invokeHttp(spec, httpInv({ path: '/exit' }));
    assert.equal(crashed.status, 502);
    assert.equal(crashed.errorType, 'UnhandledInvocationError');
    assert.deepEqual(JSON.parse(crashed.body.toString()), { errorMessage: 'Process exited unexpectedly before completing request' });
    const ok = await h.manager.invokeHttp(spec, httpInv({ path: '/pid' }));
    assert.equal(ok.status, 200);
  });

  it('writes FC-framed log rows: logging lines with time and request id, print lines raw', async () => {
    const spec = h.spec([{ name: 'index.py', data: APP }]);
    const inv = httpInv({ path: '/log' });
    await h.manager.invokeHttp(spec, inv);
    await new Promise((r) => setImmediate(r)); // rows are flushed before the next request is read
    const rows = h.sink.rows.filter((r) => r.functionName === spec.functionName);
    const msgs = rows.map((r) => r.message);
    const rid = inv.requestId;
    assert.equal(msgs[0], `FC Invoke Start RequestId: ${rid}`);
    assert.equal(msgs[1], 'plain print line');
    assert.match(msgs[2], new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z ${rid} \\[INFO\\] hello world$`));
    assert.match(msgs[3], new RegExp(`Z ${rid} \\[ERROR\\] it failed$`));
    assert.equal(msgs[4], 'Traceback (most recent call last):', 'without DefaultRegex each line is a row');
    assert.equal(msgs[msgs.length - 1], `FC Invoke End RequestId: ${rid}`);
    for (const r of rows) {
      assert.equal(r.project, 'proj');
      assert.equal(r.logstore, 'store');
      assert.equal(r.serviceName, 'svc');
      assert.equal(r.qualifier, 'LATEST');
      assert.equal(r.versionId, '');
      assert.match(r.instanceID, /^c-[0-9a-f]{8}-[0-9a-f]{20}$/);
    }
  });

  it('streams the output of a long request while it runs, in order', async () => {
    const code = `import time\ndef handler(environ, start_response):\n    print('first')\n    time.sleep(1.0)\n    print('second')\n    start_response('200 OK', [])\n    return [b'done']\n`;
    const spec = h.spec([{ name: 'index.py', data: code }]);
    const inv = httpInv();
    const pending = h.manager.invokeHttp(spec, inv);
    const mine = () => h.sink.rows.filter((r) => r.functionName === spec.functionName).map((r) => r.message);
    await waitFor(() => mine().includes('first'), 900);
    assert.ok(!mine().includes('second'));
    assert.equal((await pending).body.toString(), 'done');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(mine(), [`FC Invoke Start RequestId: ${inv.requestId}`, 'first', 'second', `FC Invoke End RequestId: ${inv.requestId}`]);
  });

  it('keeps a traceback in one row with logBeginRule DefaultRegex', async () => {
    const spec = h.spec([{ name: 'index.py', data: APP }], { logConfig: { project: 'proj', logstore: 'store', logBeginRule: 'DefaultRegex' } });
    const inv = httpInv({ path: '/log' });
    await h.manager.invokeHttp(spec, inv);
    await new Promise((r) => setImmediate(r));
    const msgs = h.sink.rows.filter((r) => r.functionName === spec.functionName).map((r) => r.message);
    const block = msgs.find((m) => m.includes('[ERROR] it failed'));
    assert.ok(block, msgs.join('\n'));
    const lines = block.split('\n');
    assert.equal(lines[1], 'Traceback (most recent call last):');
    assert.match(lines[lines.length - 1], /^ValueError: boom$/);
    assert.ok(!msgs.some((m) => m.startsWith('Traceback')), 'no traceback line on its own');
    assert.equal(msgs[msgs.length - 1], `FC Invoke End RequestId: ${inv.requestId}`);
  });

  it('runs event handlers for InvokeFunction, with the log tail and error types', async () => {
    const code = `import logging, json
def handler(event, context):
    logging.info('got %d bytes', len(event))
    if event == b'fail':
        raise KeyError('nope')
    if event == b'json':
        return {'ok': True}
    return event[::-1]
`;
    const spec = h.spec([{ name: 'index.py', data: code }], { memorySize: 512 });
    const rid = 'ev-' + Date.now();
    const r = await h.manager.invokeEvent(spec, { requestId: rid, payload: Buffer.from([1, 2, 3, 255]), logTail: true, async: false });
    assert.deepEqual([...r.body], [255, 3, 2, 1]);
    assert.equal(r.errorType, undefined);
    const tail = Buffer.from(r.logResult!, 'base64').toString().trim().split('\n');
    assert.equal(tail[0], `FC Invoke Start RequestId: ${rid}`);
    assert.match(tail[1], /\[INFO\] got 4 bytes$/);
    assert.equal(tail[2], `FC Invoke End RequestId: ${rid}`);
    assert.match(tail[3], /^Duration: [\d.]+ ms, Billed Duration: \d+ ms, Memory Size: 512 MB, Max Memory Used: [\d.]+ MB$/);
    assert.ok((r.maxMemoryMB ?? 0) > 1, 'peak memory of the instance is reported');

    assert.equal((await h.manager.invokeEvent(spec, { requestId: 'j', payload: Buffer.from('json'), logTail: false, async: false })).body.toString(), '{"ok": true}');
    const failed = await h.manager.invokeEvent(spec, { requestId: 'f', payload: Buffer.from('fail'), logTail: false, async: false });
    assert.equal(failed.errorType, 'UnhandledInvocationError');
    assert.equal(JSON.parse(failed.body.toString()).errorType, 'KeyError');
  });
});
