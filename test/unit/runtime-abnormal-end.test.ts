// Invocations the platform ends (timeout, crash, failed initializer): the log still gets the request's output,
// FC's error line and the "FC Invoke End" line, so `fcx logs --request-id` and x-fc-log-result see the end.
// And Python tracebacks start at the user's code, not at the emulator's fc_runtime.py.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freePort } from '../../src/emulator/runtimes/custom-instance';
import { harness, httpInv, type Harness } from './runtime-fixtures';

const PY_APP = `import os, sys, time
def handler(environ, start_response):
    path = environ['PATH_INFO']
    rid = environ['fc.context'].request_id
    print('working on ' + rid)
    if path == '/sleep':
        time.sleep(10)
    if path == '/exit':
        os._exit(3)
    if path == '/raise':
        helper()
    start_response('200 OK', [])
    return [b'ok']
def helper():
    raise RuntimeError('deep down')
def event(event, context):
    print('event ' + context.request_id)
    if event == b'sleep':
        time.sleep(10)
    if event == b'exit':
        os._exit(4)
    return event
`;

const CUSTOM_SERVER = `import os, time
from http.server import BaseHTTPRequestHandler, HTTPServer
class H(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def log_message(self, *a):
        pass
    def do_GET(self):
        print('custom working', flush=True)
        if self.path == '/sleep':
            time.sleep(10)
        if self.path == '/exit':
            os._exit(5)
        self.send_response(200)
        self.send_header('Content-Length', '2')
        self.end_headers()
        self.wfile.write(b'ok')
    do_POST = do_GET
HTTPServer(('0.0.0.0', int(os.environ['FC_SERVER_PORT'])), H).serve_forever()
`;

const ISO = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';

describe('invocations the platform ends', () => {
  let h: Harness;
  before(() => (h = harness({ customStartTimeoutMs: 3000 })));
  after(() => h.close());

  /** The rows of one request, read right after the response (no waiting: they must be there already). */
  function rowsOf(functionName: string): string[] {
    return h.sink.rows.filter((r) => r.functionName === functionName).map((r) => r.message);
  }

  function assertFramed(msgs: string[], rid: string, error: RegExp, output?: string): void {
    const start = msgs.indexOf(`FC Invoke Start RequestId: ${rid}`);
    const end = msgs.indexOf(`FC Invoke End RequestId: ${rid}`);
    const err = msgs.findIndex((m, i) => i > start && new RegExp(`^${ISO} ${rid} \\[ERROR\\] `).test(m));
    assert.ok(start >= 0 && err > start && end > err, msgs.join('\n'));
    assert.match(msgs[err], error);
    assert.equal(msgs.filter((m) => m === `FC Invoke End RequestId: ${rid}`).length, 1, 'one End line');
    assert.equal(msgs.filter((m) => m === `FC Invoke Start RequestId: ${rid}`).length, 1, 'one Start line');
    if (output) {
      const out = msgs.findIndex((m) => m === output || m.endsWith(` ${output}`)); // node's console.log adds time, id and level
      assert.ok(out > start && out < err, `the output comes before the error line:\n${msgs.join('\n')}`);
    }
  }

  it('python HTTP timeout: output, then the timeout error line, then FC Invoke End', async () => {
    const spec = h.spec([{ name: 'index.py', data: PY_APP }], { timeout: 1 });
    const inv = httpInv({ path: '/sleep' });
    const r = await h.manager.invokeHttp(spec, inv);
    assert.equal(r.status, 502);
    assert.deepEqual(JSON.parse(r.body.toString()), { errorMessage: 'Function time out after 1 seconds' });
    assertFramed(rowsOf(spec.functionName), inv.requestId, /\[ERROR\] Function time out after 1 seconds$/, `working on ${inv.requestId}`);
  });

  it('python crash (os._exit): output, then the crash line with the exit code, then FC Invoke End', async () => {
    const spec = h.spec([{ name: 'index.py', data: PY_APP }]);
    const inv = httpInv({ path: '/exit' });
    const r = await h.manager.invokeHttp(spec, inv);
    assert.equal(r.status, 502);
    assertFramed(
      rowsOf(spec.functionName),
      inv.requestId,
      /\[ERROR\] Process exited unexpectedly before completing request \(exit code 3\)$/,
      `working on ${inv.requestId}`,
    );
  });

  it('InvokeFunction timeout and crash: the log tail ends with the error and End lines', async () => {
    const spec = h.spec([{ name: 'index.py', data: PY_APP }], { handler: 'index.event', timeout: 1 });
    const slow = await h.manager.invokeEvent(spec, { requestId: 'ev-timeout', payload: Buffer.from('sleep'), logTail: true, async: false });
    assert.equal(slow.errorType, 'UnhandledInvocationError');
    const tail = Buffer.from(slow.logResult!, 'base64').toString().trim().split('\n');
    assert.equal(tail[0], 'FC Invoke Start RequestId: ev-timeout');
    assert.equal(tail[1], 'event ev-timeout');
    assert.match(tail[2], new RegExp(`^${ISO} ev-timeout \\[ERROR\\] Function time out after 1 seconds$`));
    assert.equal(tail[3], 'FC Invoke End RequestId: ev-timeout');
    assert.match(tail[4], /^Duration: /);
    assertFramed(rowsOf(spec.functionName), 'ev-timeout', /time out/);

    const crashed = await h.manager.invokeEvent(spec, { requestId: 'ev-crash', payload: Buffer.from('exit'), logTail: false, async: false });
    assert.equal(crashed.errorType, 'UnhandledInvocationError');
    assertFramed(rowsOf(spec.functionName), 'ev-crash', /\(exit code 4\)$/, 'event ev-crash');
  });

  it('node.js crash (process.exit) and timeout: output, error line, End', async () => {
    const code = `exports.handler = (req, resp, context) => {\n  console.log('node working ' + context.requestId);\n  if (req.path === '/exit') process.exit(7);\n  if (req.path === '/sleep') return;\n  resp.send('ok');\n};\n`;
    const spec = h.spec([{ name: 'index.js', data: code }], { runtime: 'nodejs18', timeout: 1 });
    const crash = httpInv({ path: '/exit' });
    assert.equal((await h.manager.invokeHttp(spec, crash)).status, 502);
    assertFramed(rowsOf(spec.functionName), crash.requestId, /\(exit code 7\)$/, `node working ${crash.requestId}`);
    const slow = httpInv({ path: '/sleep' });
    assert.equal((await h.manager.invokeHttp(spec, slow)).status, 502);
    assertFramed(rowsOf(spec.functionName), slow.requestId, /Function time out after 1 seconds$/, `node working ${slow.requestId}`);
  });

  it('a failed initializer: the request still gets Start, the error line and End', async () => {
    const code = `def init(context):\n    raise RuntimeError('init broke')\ndef handler(environ, start_response):\n    start_response('200 OK', [])\n    return [b'ok']\n`;
    const spec = h.spec([{ name: 'index.py', data: code }], { initializer: 'index.init' });
    const inv = httpInv();
    const r = await h.manager.invokeHttp(spec, inv);
    assert.equal(r.status, 502);
    const msgs = h.sink.rows.filter((row) => row.functionName === spec.functionName).map((row) => row.message);
    assertFramed(msgs, inv.requestId, /\[ERROR\] RuntimeError: init broke$/);
    assert.ok(msgs.indexOf(`FC Initialize End RequestId: ${inv.requestId}`) < msgs.indexOf(`FC Invoke Start RequestId: ${inv.requestId}`));
  });

  it('custom runtime timeout and crash: output, error line, one End line', async () => {
    const files = [
      { name: 'bootstrap', data: '#!/bin/sh\nexec python3 server.py\n', mode: 0o755 },
      { name: 'server.py', data: CUSTOM_SERVER },
    ];
    // A port of its own: other test files run custom runtimes on the default caPort 9000 at the same time.
    const spec = h.spec(files, { runtime: 'custom', timeout: 1, caPort: await freePort() });
    const slow = httpInv({ path: '/sleep' });
    assert.equal((await h.manager.invokeHttp(spec, slow)).status, 502);
    const all = () => h.sink.rows.filter((row) => row.functionName === spec.functionName).map((row) => row.message);
    assertFramed(all(), slow.requestId, /\[ERROR\] Function time out after 1 seconds$/, 'custom working');

    const crash = httpInv({ path: '/exit' });
    assert.equal((await h.manager.invokeHttp(spec, crash)).status, 502);
    const msgs = all();
    const from = msgs.indexOf(`FC Invoke Start RequestId: ${crash.requestId}`);
    assertFramed(msgs.slice(from), crash.requestId, /\[ERROR\] Process exited unexpectedly before completing request \(exit code 5\)$/, 'custom working');
    await new Promise((res) => setTimeout(res, 100));
    assert.equal(all().filter((m) => m.startsWith('FC Invoke End')).length, 2, 'no late second End line');
  });

  it('python tracebacks start at the user\'s code, in the response and in the log', async () => {
    const spec = h.spec([{ name: 'index.py', data: PY_APP }]);
    const inv = httpInv({ path: '/raise' });
    const r = await h.manager.invokeHttp(spec, inv);
    const body = JSON.parse(r.body.toString());
    assert.equal(body.errorMessage, 'deep down');
    assert.ok(body.stackTrace.length >= 2, JSON.stringify(body));
    assert.match(body.stackTrace[0], /index\.py", line \d+, in handler/);
    assert.ok(!body.stackTrace.some((l: string) => l.includes('fc_runtime')), JSON.stringify(body.stackTrace));
    await new Promise((res) => setImmediate(res));
    const msgs = h.sink.rows.filter((row) => row.functionName === spec.functionName).map((row) => row.message);
    const tb = msgs.indexOf('Traceback (most recent call last):');
    assert.ok(tb > 0, msgs.join('\n'));
    assert.match(msgs[tb + 1], /index\.py", line \d+, in handler/);
    assert.ok(!msgs.some((m) => m.includes('fc_runtime')), msgs.join('\n'));

    const broken = h.spec([{ name: 'index.py', data: 'import nosuchmodule_here\n' }]);
    const imp = JSON.parse((await h.manager.invokeHttp(broken, httpInv())).body.toString());
    assert.equal(imp.errorType, 'ImportModuleError');
    assert.ok(!imp.stackTrace.some((l: string) => l.includes('fc_runtime') || l.includes('importlib')), JSON.stringify(imp.stackTrace));
    assert.match(imp.stackTrace[0], /index\.py", line 1/);
  });
});
