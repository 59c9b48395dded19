// Function runtimes end to end through the emulator: @alicloud/fc2 creates the service, function and HTTP
// trigger; plain HTTP calls hit the trigger; @alicloud/log reads the function's log rows back from SLS.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { startInProcessEmulator, LOCAL_CREDS, type TestEmulator } from '../helpers/emulator';
import { fcClient, zipBase64, type FcClient } from './fc-helpers';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const SLS = require('@alicloud/log');

// @alicloud/log puts the project into the host name; this agent resolves every name to 127.0.0.1.
const agent = new http.Agent({
  lookup: ((_h: string, o: any, cb: any) => (o && o.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4))) as any,
});

const APP = `import logging, os, time
def handler(environ, start_response):
    path = environ['PATH_INFO']
    logging.info('serving %s', path)
    if path == '/echo':
        body = environ['wsgi.input'].read(int(environ.get('CONTENT_LENGTH') or 0))
        start_response('200 OK', [('Content-Type', 'application/octet-stream')])
        return [body]
    if path == '/slow':
        time.sleep(3)
    if path == '/crash':
        os._exit(1)
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return [('%s %s %s' % (os.getpid(), environ['fc.context'].request_id, environ['fc.request_uri'])).encode()]

def event(event, context):
    logging.info('event of %d bytes', len(event))
    return event.upper()
`;

describe('runtimes through HTTP triggers', () => {
  let emu: TestEmulator;
  let fc: FcClient;
  let sls: any;
  const svc = 'rt-svc';

  before(async () => {
    emu = await startInProcessEmulator();
    fc = fcClient(emu);
    sls = new SLS({ endpoint: `http://${LOCAL_CREDS.region}.log.aliyuncs.com:${emu.port}`, accessKeyId: LOCAL_CREDS.accessKeyId, accessKeySecret: LOCAL_CREDS.accessKeySecret });
    await sls.createProject('rt-logs', { description: 'runtime test' }, { agent });
    await sls.createLogStore('rt-logs', 'fn-store', { ttl: 7, shardCount: 1 }, { agent });
    const token = [',', ' ', "'", '"', ';', '=', '(', ')', '[', ']', '{', '}', '?', '@', '&', '<', '>', '/', ':', '\n', '\t', '\r'];
    await sls.createIndex('rt-logs', 'fn-store', { line: { token, caseSensitive: false, chn: false }, keys: { functionName: { type: 'text', token, caseSensitive: false, doc_value: true } } }, { agent });
    await fc.createService(svc, { logConfig: { project: 'rt-logs', logstore: 'fn-store' } });
    for (const [name, handler, timeout] of [['web', 'index.handler', 1], ['ev', 'index.event', 5]] as const) {
      await fc.createFunction(svc, { functionName: name, runtime: 'python3.10', handler, timeout, memorySize: 128, code: { zipFile: zipBase64([{ name: 'index.py', data: APP }]) } });
    }
    await fc.createTrigger(svc, 'web', { triggerName: 'http', triggerType: 'http', triggerConfig: { authType: 'anonymous', methods: ['GET', 'POST', 'PUT'] } });
  });
  after(async () => {
    await emu?.close();
  });

  const url = (path: string) => `${emu.url}/2016-08-15/proxy/${svc}/web${path}`;

  it('serves WSGI responses warm, with x-fc-request-id, and round-trips binary bodies', async () => {
    const a = await fetch(url('/hello?x=1'));
    assert.equal(a.status, 200);
    const rid = a.headers.get('x-fc-request-id');
    const [pidA, seenRid, uri] = (await a.text()).split(' ');
    assert.equal(seenRid, rid);
    assert.equal(uri, `/2016-08-15/proxy/${svc}/web/hello?x=1`);
    const b = await fetch(url('/again'));
    assert.equal((await b.text()).split(' ')[0], pidA, 'same warm instance');

    const data = randomBytes(1 << 20);
    const echo = await fetch(url('/echo'), { method: 'PUT', body: data, headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(echo.status, 200);
    assert.ok(Buffer.from(await echo.arrayBuffer()).equals(data));
  });

  it('writes the request\'s log lines to the service logstore before the response arrives', async () => {
    const res = await fetch(url('/logged'));
    const rid = res.headers.get('x-fc-request-id')!;
    await res.text();
    const now = Math.floor(Date.now() / 1000);
    const rows: Array<Record<string, string>> = await sls.getLogs('rt-logs', 'fn-store', new Date((now - 60) * 1000), new Date((now + 60) * 1000), { query: rid, line: 100 }, { agent });
    const messages = rows.map((r) => r.message);
    assert.ok(messages.includes(`FC Invoke Start RequestId: ${rid}`), messages.join('\n'));
    assert.ok(messages.includes(`FC Invoke End RequestId: ${rid}`));
    assert.ok(messages.some((m) => m.endsWith(`${rid} [INFO] serving /logged`)));
    for (const r of rows) {
      assert.equal(r.__topic__, svc);
      assert.equal(r.serviceName, svc);
      assert.equal(r.functionName, 'web');
      assert.match(r.instanceID, /^c-/);
    }
  });

  it('ends a request past its timeout with 502 and the next request still works', async () => {
    const res = await fetch(url('/slow'));
    assert.equal(res.status, 502);
    assert.equal(res.headers.get('x-fc-error-type'), 'UnhandledInvocationError');
    assert.deepEqual(await res.json(), { errorMessage: 'Function time out after 1 seconds' });
    assert.equal((await fetch(url('/fine'))).status, 200);
  });

  it('reports a crash as 502 that fc2 surfaces as an error', async () => {
    await assert.rejects(fc.get(`/proxy/${svc}/web/crash`), (e: any) => {
      assert.match(e.message, /Process exited unexpectedly before completing request/);
      return true;
    });
    assert.equal((await fetch(url('/after-crash'))).status, 200);
  });

  it('a timed-out or crashed request still gets its output, an error line and FC Invoke End in the logstore', async () => {
    const readBack = async (rid: string) => {
      const now = Math.floor(Date.now() / 1000);
      const rows: Array<Record<string, string>> = await sls.getLogs('rt-logs', 'fn-store', new Date((now - 60) * 1000), new Date((now + 60) * 1000), { query: rid, line: 100 }, { agent });
      return rows.sort((a, b) => Number(a.__time__) - Number(b.__time__)).map((r) => r.message);
    };
    const expectFramed = (msgs: string[], rid: string, path: string, error: RegExp) => {
      assert.ok(msgs.includes(`FC Invoke Start RequestId: ${rid}`), msgs.join('\n'));
      assert.ok(msgs.some((m) => m.endsWith(`${rid} [INFO] serving ${path}`)), msgs.join('\n'));
      assert.ok(msgs.some((m) => error.test(m)), msgs.join('\n'));
      assert.equal(msgs.filter((m) => m === `FC Invoke End RequestId: ${rid}`).length, 1, msgs.join('\n'));
    };
    // Read right after the response: the rows are written before it is sent.
    const slow = await fetch(url('/slow'));
    assert.equal(slow.status, 502);
    await slow.text();
    const slowRid = slow.headers.get('x-fc-request-id')!;
    expectFramed(await readBack(slowRid), slowRid, '/slow', new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z ${slowRid} \\[ERROR\\] Function time out after 1 seconds$`));

    const crash = await fetch(url('/crash'));
    assert.equal(crash.status, 502);
    await crash.text();
    const crashRid = crash.headers.get('x-fc-request-id')!;
    expectFramed(await readBack(crashRid), crashRid, '/crash', new RegExp(`${crashRid} \\[ERROR\\] Process exited unexpectedly before completing request \\(exit code 1\\)$`));
  });

  it('InvokeFunction runs the event handler and returns the log tail', async () => {
    const res = await fc.invokeFunction(svc, 'ev', 'abc', { 'x-fc-log-type': 'Tail' });
    assert.equal(Buffer.from(res.data).toString(), 'ABC');
    const tail = Buffer.from(res.headers['x-fc-log-result'], 'base64').toString();
    assert.match(tail, /^FC Invoke Start RequestId: [0-9a-f-]{36}\n.*\[INFO\] event of 3 bytes\nFC Invoke End RequestId: [0-9a-f-]{36}\nDuration: /);
    const mem = Number(res.headers['x-fc-max-memory-usage']);
    assert.ok(mem > 1 && mem < 100_000, `x-fc-max-memory-usage is the instance's peak memory in MB: ${res.headers['x-fc-max-memory-usage']}`);
  });
});
