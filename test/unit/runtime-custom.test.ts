// Custom runtimes: a real HTTP server (Python's http.server) started from `bootstrap`, reached over loopback.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { harness, header, httpInv, type Harness } from './runtime-fixtures';

const SERVER = `import json, os, sys
from http.server import BaseHTTPRequestHandler, HTTPServer
class H(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def log_message(self, *a):
        pass
    def _reply(self, status, body, extra=()):
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        for k, v in extra:
            self.send_header(k, v)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def handle_any(self):
        n = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(n) if n else b''
        rid = self.headers.get('x-fc-request-id')
        framing = os.environ.get('PRINT_FRAMING') and self.path != '/initialize'
        if framing:
            print('FC Invoke Start RequestId: ' + rid, flush=True)
        print('custom got ' + self.command + ' ' + self.path, flush=True)
        if framing:
            print('FC Invoke End RequestId: ' + rid, flush=True)
        if self.path == '/initialize':
            return self._reply(200, b'')
        if self.path == '/invoke':
            if body == b'fail':
                return self._reply(404, b'{"errorMessage":"failed"}', [('x-fc-status', '404')])
            return self._reply(200, body.upper())
        info = {'method': self.command, 'path': self.path, 'body': body.decode('latin-1'),
                'headers': {k.lower(): v for k, v in self.headers.items()},
                'env': {k: v for k, v in os.environ.items() if k.startswith('FC_')}, 'cwd': os.getcwd(), 'pid': os.getpid()}
        self._reply(200, json.dumps(info).encode(), [('X-From', 'custom')])
    do_GET = do_POST = do_PUT = do_DELETE = handle_any
port = int(os.environ.get('FC_SERVER_PORT', '9000'))
print('listening on %d' % port, flush=True)
HTTPServer(('0.0.0.0', port), H).serve_forever()
`;

describe('custom runtime', () => {
  let h: Harness;
  before(() => (h = harness({ customStartTimeoutMs: 1500 })));
  after(() => h.close());

  const files = (extra: Array<{ name: string; data: string; mode?: number }> = []) => [
    { name: 'bootstrap', data: '#!/bin/sh\nexec python3 server.py\n', mode: 0o755 },
    { name: 'server.py', data: SERVER },
    ...extra,
  ];

  it('starts bootstrap, forwards HTTP requests with the x-fc-* headers and returns the response', async () => {
    const spec = h.spec(files(), { runtime: 'custom', caPort: 9000, initializer: 'true' });
    const inv = httpInv({
      method: 'POST',
      path: '/hello world',
      rawQuery: 'q=1',
      headers: [['X-App', 'yes']],
      body: Buffer.from('data'),
      basePath: '/2016-08-15/proxy/svc/fn',
    });
    const r = await h.manager.invokeHttp(spec, inv);
    assert.equal(r.status, 200, r.body.toString());
    assert.equal(header(r.headers, 'x-from'), 'custom');
    const info = JSON.parse(r.body.toString());
    assert.equal(info.method, 'POST');
    assert.equal(info.path, '/hello%20world?q=1');
    assert.equal(info.body, 'data');
    assert.equal(info.headers['x-app'], 'yes');
    assert.equal(info.headers['x-fc-request-id'], inv.requestId);
    assert.equal(info.headers['x-fc-control-path'], '/http-invoke');
    assert.equal(info.headers['x-fc-base-path'], '/2016-08-15/proxy/svc/fn');
    assert.equal(info.headers['x-fc-function-name'], spec.functionName);
    assert.equal(info.headers['x-fc-service-name'], 'svc');
    assert.equal(info.headers['x-fc-access-key-id'], 'STS.key');
    assert.equal(info.headers['x-fc-security-token'], 'token');
    assert.equal(info.headers['x-fc-region'], 'cn-hangzhou');
    assert.equal(info.headers['x-fc-account-id'], '1234567890123456');
    assert.equal(info.env.FC_SERVER_PORT, info.env.FC_CUSTOM_LISTEN_PORT);
    assert.equal(info.env.FC_FUNC_CODE_PATH, info.cwd);
    assert.equal(info.env.FC_FUNCTION_NAME, spec.functionName);

    await new Promise((res) => setImmediate(res));
    const msgs = h.sink.rows.filter((row) => row.functionName === spec.functionName).map((row) => row.message);
    assert.ok(msgs.includes('custom got POST /initialize'), msgs.join('\n'));
    const start = msgs.indexOf(`FC Invoke Start RequestId: ${inv.requestId}`);
    assert.ok(start >= 0 && msgs.indexOf(`FC Invoke End RequestId: ${inv.requestId}`) > start);
  });

  it('writes one Start/End pair per request even when the app prints them itself', async () => {
    const spec = h.spec(files(), { runtime: 'custom', environmentVariables: { PRINT_FRAMING: '1' } });
    const invs = [httpInv({ path: '/a' }), httpInv({ path: '/b' })];
    for (const inv of invs) assert.equal((await h.manager.invokeHttp(spec, inv)).status, 200);
    await new Promise((res) => setTimeout(res, 150));
    const msgs = h.sink.rows.filter((row) => row.functionName === spec.functionName).map((row) => row.message);
    for (const inv of invs) {
      assert.equal(msgs.filter((m) => m === `FC Invoke Start RequestId: ${inv.requestId}`).length, 1, msgs.join('\n'));
      assert.equal(msgs.filter((m) => m === `FC Invoke End RequestId: ${inv.requestId}`).length, 1, msgs.join('\n'));
    }
  });

  it('sends InvokeFunction as POST /invoke and reads x-fc-status', async () => {
    const spec = h.spec(files(), { runtime: 'custom.debian10' });
    const ok = await h.manager.invokeEvent(spec, { requestId: 'c-ok', payload: Buffer.from('abc'), logTail: true, async: false });
    assert.equal(ok.body.toString(), 'ABC');
    assert.equal(ok.errorType, undefined);
    assert.match(Buffer.from(ok.logResult!, 'base64').toString(), /FC Invoke Start RequestId: c-ok\ncustom got POST \/invoke\nFC Invoke End RequestId: c-ok\nDuration/);
    const failed = await h.manager.invokeEvent(spec, { requestId: 'c-fail', payload: Buffer.from('fail'), logTail: false, async: false });
    assert.equal(failed.errorType, 'UnhandledInvocationError');
  });

  it('gives parallel instances their own ports', async () => {
    const spec = h.spec(files(), { runtime: 'custom', caPort: 9000 });
    // Three requests at once on a concurrency-1 function need three instances.
    const rs = await Promise.all([1, 2, 3].map(() => h.manager.invokeHttp(spec, httpInv({ path: '/p' }))));
    for (const r of rs) assert.equal(r.status, 200);
    const ports = new Set(rs.map((r) => JSON.parse(r.body.toString()).env.FC_SERVER_PORT));
    const pids = new Set(rs.map((r) => JSON.parse(r.body.toString()).pid));
    assert.equal(pids.size, 3);
    assert.equal(ports.size, 3);
  });

  it('runs customRuntimeConfig.command/args instead of bootstrap', async () => {
    const spec = h.spec([{ name: 'server.py', data: SERVER }], { runtime: 'custom', customRuntimeConfig: { command: ['python3'], args: ['server.py'] } });
    const r = await h.manager.invokeHttp(spec, httpInv({ path: '/x' }));
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.body.toString()).path, '/x');
  });

  it('fails clearly, naming the port, when nothing listens', async () => {
    const spec = h.spec([{ name: 'bootstrap', data: '#!/bin/sh\necho "starting but never listening"\nexec sleep 30\n', mode: 0o755 }], { runtime: 'custom', caPort: 9321 });
    const r = await h.manager.invokeHttp(spec, httpInv());
    assert.equal(r.status, 502);
    assert.equal(r.errorType, 'UnhandledInvocationError');
    const msg = JSON.parse(r.body.toString()).errorMessage as string;
    assert.match(msg, /port \d+/);
    assert.match(msg, /FC_SERVER_PORT/);
    assert.match(msg, /starting but never listening/);
    assert.equal(h.manager.instancesOf('svc', spec.functionName).length, 0);
  });

  it('explains a missing or non-executable bootstrap', async () => {
    const missing = await h.manager.invokeHttp(h.spec([{ name: 'server.py', data: SERVER }], { runtime: 'custom' }), httpInv());
    assert.equal(missing.status, 502);
    assert.match(JSON.parse(missing.body.toString()).errorMessage, /no "bootstrap" file/);
    const notExec = await h.manager.invokeHttp(h.spec(files().map((f) => ({ ...f, mode: 0o644 })), { runtime: 'custom' }), httpInv());
    assert.match(JSON.parse(notExec.body.toString()).errorMessage, /"bootstrap" is not executable/);
  });
});
