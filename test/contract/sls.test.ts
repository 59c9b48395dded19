// SLS through the unmodified @alicloud/log SDK against the in-process emulator. The SDK puts the project in the
// Host (`<project>.<endpoint>`), so every call passes the per-call agent that resolves any name to 127.0.0.1
// (sdk-notes §5). Cross-account rules and the function log sink are checked on the handler directly.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { startInProcessEmulator, LOCAL_CREDS, type TestEmulator } from '../helpers/emulator';
import { makeTmpDir } from '../helpers/tmp';
import { FileStore } from '../../src/emulator/store';
import { createSlsService, projectFromRequest } from '../../src/emulator/services/sls';
import { DEFAULT_TOKENS } from '../../src/emulator/services/sls-query';
import type { EmuRequest, Identity } from '../../src/emulator/types';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const SLS = require('@alicloud/log');

const agent = new http.Agent({
  lookup: ((_h: string, o: any, cb: any) => (o && o.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4))) as any,
});
const opt = { agent };
const T0 = 1_700_000_000; // rows are written at T0 + i seconds

function client(emu: TestEmulator): any {
  return new SLS({ endpoint: `http://${LOCAL_CREDS.region}.log.aliyuncs.com:${emu.port}`, accessKeyId: LOCAL_CREDS.accessKeyId, accessKeySecret: LOCAL_CREDS.accessKeySecret });
}

async function rejects(p: Promise<unknown>, code: string): Promise<any> {
  try {
    await p;
  } catch (e: any) {
    assert.equal(e.code, code, `expected ${code}, got ${e.code} (${e.message})`);
    assert.match(String(e.requestid), /^[0-9a-f-]{36}$/);
    return e;
  }
  assert.fail(`expected ${code}`);
}

const INDEX = {
  line: { token: DEFAULT_TOKENS, caseSensitive: false, chn: false },
  keys: { level: { type: 'text', token: DEFAULT_TOKENS, caseSensitive: false, doc_value: true } },
};

describe('SLS with @alicloud/log', () => {
  const tmp = makeTmpDir('fcx-sls-contract-');
  let emu: TestEmulator;
  let c: any;
  before(async () => {
    emu = await startInProcessEmulator({ dataDir: tmp.dir });
    c = client(emu);
  });
  after(async () => {
    await emu.close();
    tmp.cleanup();
  });

  const getLogs = (query: string, extra: Record<string, unknown> = {}, from = T0, to = T0 + 1000) =>
    c.getLogs('app-logs', 'fc-store', new Date(from * 1000), new Date(to * 1000), { query, ...extra }, opt) as Promise<Array<Record<string, string>>>;
  const messages = async (query: string, extra: Record<string, unknown> = {}, from?: number, to?: number) => (await getLogs(query, extra, from, to)).map((r) => r.message);

  test('projects: create (empty answer), already exists, get, not found', async () => {
    assert.equal(await c.createProject('app-logs', { description: 'fcx app' }, opt), '');
    await rejects(c.createProject('app-logs', { description: 'again' }, opt), 'ProjectAlreadyExist');
    const p = await c.getProject('app-logs', opt);
    assert.equal(p.projectName, 'app-logs');
    assert.equal(p.description, 'fcx app');
    assert.equal(p.status, 'Normal');
    await rejects(c.getProject('no-such-project', opt), 'ProjectNotExist');
    await rejects(c.createProject('Bad_Name', {}, opt), 'ParameterInvalid');
  });

  test('logstores: create, already exists, get, list, not found', async () => {
    assert.equal(await c.createLogStore('app-logs', 'fc-store', { ttl: 7, shardCount: 2 }, opt), '');
    await rejects(c.createLogStore('app-logs', 'fc-store', { ttl: 7, shardCount: 2 }, opt), 'LogStoreAlreadyExist');
    const ls = await c.getLogStore('app-logs', 'fc-store', opt);
    assert.equal(ls.logstoreName, 'fc-store');
    assert.equal(ls.ttl, 7);
    assert.equal(ls.shardCount, 2);
    assert.deepEqual((await c.listLogStore('app-logs', {}, opt)).logstores, ['fc-store']);
    await rejects(c.getLogStore('app-logs', 'nope', opt), 'LogStoreNotExist');
    await rejects(c.getLogStore('no-such-project', 'fc-store', opt), 'ProjectNotExist');
  });

  test('GetLogs without an index → IndexConfigNotExist; indexes: create, exists, get, update', async () => {
    await rejects(getLogs(''), 'IndexConfigNotExist');
    await rejects(c.getIndexConfig('app-logs', 'fc-store', opt), 'IndexConfigNotExist');
    assert.equal(await c.createIndex('app-logs', 'fc-store', { line: INDEX.line }, opt), '');
    await rejects(c.createIndex('app-logs', 'fc-store', INDEX, opt), 'IndexAlreadyExist');
    assert.equal(await c.updateIndex('app-logs', 'fc-store', INDEX, opt), '');
    const idx = await c.getIndexConfig('app-logs', 'fc-store', opt);
    assert.deepEqual(idx.line.token, DEFAULT_TOKENS);
    assert.ok(idx.keys.level);
  });

  test('PutLogs (protobuf) then GetLogs: window [from, to), string values, reserved fields', async () => {
    const logs = [
      { timestamp: T0 + 10, content: { level: 'INFO', message: 'FC Invoke Start RequestId: 1f0e-aa' } },
      { timestamp: T0 + 11, content: { level: 'INFO', message: '2024-01-01T00:00:00.000Z 1f0e-aa [INFO] hello World from handler' } },
      { timestamp: T0 + 12, content: { level: 'ERROR', message: '2024-01-01T00:00:01.000Z 1f0e-aa [ERROR] boom: user=42 failed' } },
      { timestamp: T0 + 13, content: { level: 'INFO', message: 'FC Invoke End RequestId: 1f0e-aa' } },
    ];
    assert.equal(await c.postLogStoreLogs('app-logs', 'fc-store', { topic: 'my-service', source: '10.0.0.7', logs }, opt), '');
    await c.postLogStoreLogs('app-logs', 'fc-store', { topic: 'other-service', source: '10.0.0.8', logs: [{ timestamp: T0 + 20, content: { level: 'INFO', message: 'elsewhere hello' } }] }, opt);
    const all = await getLogs('');
    assert.equal(all.length, 5);
    assert.deepEqual(all[0], { __time__: String(T0 + 10), __source__: '10.0.0.7', __topic__: 'my-service', level: 'INFO', message: 'FC Invoke Start RequestId: 1f0e-aa' });
    assert.ok(all.every((r) => Object.values(r).every((v) => typeof v === 'string')));
    assert.deepEqual(await messages('', {}, T0 + 11, T0 + 13), [logs[1].content.message, logs[2].content.message], 'to is exclusive');
    assert.equal((await getLogs('', { topic: 'other-service' })).length, 1);
    assert.equal((await getLogs('', { topic: 'my-service' })).length, 4);
  });

  test('paging with line/offset, and reverse (newest first)', async () => {
    const page1 = await getLogs('', { topic: 'my-service', line: 2, offset: 0 });
    const page2 = await getLogs('', { topic: 'my-service', line: 2, offset: 2 });
    const page3 = await getLogs('', { topic: 'my-service', line: 2, offset: 4 });
    assert.deepEqual([...page1, ...page2].map((r) => r.__time__), [10, 11, 12, 13].map((i) => String(T0 + i)));
    assert.deepEqual(page3, []);
    const rev = await getLogs('', { topic: 'my-service', reverse: true, line: 3 });
    assert.deepEqual(rev.map((r) => r.__time__), [13, 12, 11].map((i) => String(T0 + i)));
    await rejects(getLogs('', { line: 101 }), 'ParameterInvalid');
    assert.equal((await getLogs('', { line: undefined, offset: undefined, topic: undefined, reverse: undefined })).length, 5, 'undefined options (sent as "line=") take the defaults');
  });

  test('query forms: terms, phrases, and/or/not, parentheses, prefix, field, __topic__', async () => {
    const n = async (q: string) => (await getLogs(q)).length;
    assert.equal(await n('hello'), 2);
    assert.equal(await n('HELLO'), 2, 'case-insensitive');
    assert.equal(await n('"hello world"'), 1);
    assert.equal(await n('"world hello"'), 0);
    assert.equal(await n('hello and world'), 1);
    assert.equal(await n('hello world'), 1, 'adjacent terms are and-ed');
    assert.equal(await n('boom or elsewhere'), 2);
    assert.equal(await n('hello not world'), 1);
    assert.equal(await n('not hello'), 3);
    assert.equal(await n('(boom or world) and 1f0e-aa'), 2);
    assert.equal(await n('hand*'), 1);
    assert.equal(await n('1f0e-aa'), 4, 'request ids are one token: "-" is not a default token');
    assert.equal(await n('user=42'), 1, 'tokenised as the phrase "user 42"');
    assert.equal(await n('level: error'), 1);
    assert.equal(await n('level: "ERROR" or level: warn'), 1);
    assert.equal(await n('__topic__: other-service'), 1);
    assert.equal(await n('*'), 5);
  });

  test('a field query on a key without a field index → ParameterInvalid (as SLS)', async () => {
    const e = await rejects(getLogs('message: hello'), 'ParameterInvalid');
    assert.match(e.message, /key \(message\) is not config as key value config/);
    await rejects(getLogs('(hello'), 'ParameterInvalid');
  });

  test('histograms count rows per interval', async () => {
    const h = await c.getHistograms('app-logs', 'fc-store', new Date(T0 * 1000), new Date((T0 + 60) * 1000), { query: 'hello' }, opt);
    assert.equal(h.reduce((s: number, b: any) => s + b.count, 0), 2);
    assert.ok(h.every((b: any) => b.progress === 'Complete'));
  });

  test('fault {service:sls, action:GetLogs, errorCode:Incomplete} → 200 with x-log-progress: Incomplete once', async () => {
    // @alicloud/log returns only the body; the response headers are read off node's http client diagnostics channel.
    const dc = await import('node:diagnostics_channel');
    const progress: string[] = [];
    const onStart = (msg: any) => msg.request.once('response', (res: http.IncomingMessage) => progress.push(String(res.headers['x-log-progress'])));
    dc.subscribe('http.client.request.start', onStart);
    try {
      await emu.faults([{ service: 'sls', action: 'GetLogs', errorCode: 'Incomplete', times: 1 }]);
      assert.equal((await getLogs('hello')).length, 2);
      assert.equal((await getLogs('hello')).length, 2);
    } finally {
      dc.unsubscribe('http.client.request.start', onStart);
    }
    assert.deepEqual(progress, ['Incomplete', 'Complete']);
  });

  test('logs survive an emulator restart (append-only file, reloaded on first use)', async () => {
    await emu.close();
    emu = await startInProcessEmulator({ dataDir: tmp.dir });
    c = client(emu);
    assert.equal((await getLogs('1f0e-aa')).length, 4);
  });

  test('delete index, logstore, project; the request log names the SLS actions', async () => {
    assert.equal(await c.deleteIndex('app-logs', 'fc-store', opt), '');
    await rejects(getLogs(''), 'IndexConfigNotExist');
    assert.equal(await c.deleteLogStore('app-logs', 'fc-store', opt), '');
    await rejects(c.getLogStore('app-logs', 'fc-store', opt), 'LogStoreNotExist');
    assert.equal(await c.deleteProject('app-logs', opt), '');
    await rejects(c.getProject('app-logs', opt), 'ProjectNotExist');
    const calls = (await emu.requests()).filter((r) => r.service === 'sls');
    for (const a of ['DeleteIndex', 'DeleteLogStore', 'DeleteProject', 'GetLogs']) assert.ok(calls.some((r) => r.action === a), `missing ${a}`);
    assert.ok(calls.some((r) => r.action === 'GetLogs' && r.errorCode === 'IndexConfigNotExist'));
  });
});

describe('SLS handler: global project names, function log sink, incomplete results', () => {
  const tmp = makeTmpDir('fcx-sls-');
  const store = new FileStore(tmp.dir);
  const config = { host: '127.0.0.1', port: 0, dataDir: tmp.dir, accessKeyId: 'k', accessKeySecret: 's', accountId: '111', region: 'cn-hangzhou' };
  const sls = createSlsService({ store, config });
  const alice: Identity = { accessKeyId: 'a', accountId: '111', kind: 'root' };
  const bob: Identity = { accessKeyId: 'b', accountId: '222', kind: 'root' };
  const req = (method: string, host: string, path: string, body?: unknown, query = ''): EmuRequest => ({
    id: randomUUID(),
    method,
    rawPath: path,
    path,
    rawQuery: query,
    query: new URLSearchParams(query),
    headers: { host, 'content-type': 'application/json' },
    rawHeaders: [],
    body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
    host,
    remoteAddress: '127.0.0.1',
    receivedAt: Date.now(),
  });
  const H = 'cn-hangzhou.log.aliyuncs.com:9100';
  after(() => {
    store.close();
    tmp.cleanup();
  });

  test('project names are global: another account gets ProjectAlreadyExist, and Unauthorized on use', async () => {
    assert.equal((await sls.handle(req('POST', H, '/', { projectName: 'shared-proj' }), alice)).status, 200);
    const again = await sls.handle(req('POST', H, '/', { projectName: 'shared-proj' }), bob);
    assert.equal(again.status, 400);
    assert.equal(again.errorCode, 'ProjectAlreadyExist');
    assert.deepEqual(JSON.parse(String(again.body)).errorCode, 'ProjectAlreadyExist');
    assert.equal((await sls.handle(req('GET', `shared-proj.${H}`, '/'), bob)).errorCode, 'Unauthorized');
    const list = JSON.parse(String((await sls.handle(req('GET', H, '/'), bob)).body));
    assert.equal(list.total, 0);
  });

  test('empty success bodies carry no JSON content-type (the SDK would fail to parse them)', async () => {
    const r = await sls.handle(req('POST', `shared-proj.${H}`, '/logstores', { logstoreName: 'fc', ttl: 3, shardCount: 1 }), alice);
    assert.equal(r.status, 200);
    assert.equal(r.action, 'CreateLogStore');
    assert.equal(r.body, '');
    assert.ok(!Object.keys(r.headers ?? {}).includes('content-type'));
  });

  test('the log sink writes FC rows (topic = service name) and drops rows for missing logstores', async () => {
    await sls.handle(req('POST', `shared-proj.${H}`, '/logstores/fc/index', { line: { token: DEFAULT_TOKENS } }), alice);
    const meta = { serviceName: 'svc', functionName: 'api', qualifier: 'LATEST', versionId: '', instanceID: 'c-1' };
    const now = Date.now();
    sls.logSink.writeFunctionLogs({ project: 'shared-proj', logstore: 'fc' }, meta, [
      { timeMs: now, message: 'FC Invoke Start RequestId: r-1' },
      { timeMs: now, message: 'FC Invoke End RequestId: r-1' },
    ]);
    sls.logSink.writeFunctionLogs({ project: 'shared-proj', logstore: 'missing' }, meta, [{ timeMs: now, message: 'dropped' }]);
    sls.logSink.writeFunctionLogs({ project: 'missing-proj', logstore: 'fc' }, meta, [{ timeMs: now, message: 'dropped' }]);
    const s = Math.floor(now / 1000);
    const r = await sls.handle(req('GET', `shared-proj.${H}`, '/logstores/fc', undefined, `type=log&from=${s - 5}&to=${s + 5}&query=r-1&topic=svc`), alice);
    const rows = JSON.parse(String(r.body));
    assert.equal(rows.length, 2);
    assert.deepEqual(rows[0], { __time__: String(s), __time_ns_part__: String((now % 1000) * 1e6), __source__: 'c-1', __topic__: 'svc', serviceName: 'svc', functionName: 'api', qualifier: 'LATEST', versionId: '', instanceID: 'c-1', message: 'FC Invoke Start RequestId: r-1' });
    const h = r.headers as Record<string, string>;
    assert.equal(h['x-log-progress'], 'Complete');
    assert.equal(h['x-log-count'], '2');
    assert.ok(h['x-log-processed-rows']);
    assert.ok(h['x-log-requestid']);
  });

  test('markNextGetLogsIncomplete: the next GetLogs answers x-log-progress: Incomplete, then Complete again', async () => {
    const s = Math.floor(Date.now() / 1000);
    const get = () => sls.handle(req('GET', `shared-proj.${H}`, '/logstores/fc', undefined, `type=log&from=${s - 60}&to=${s + 60}`), alice);
    sls.markNextGetLogsIncomplete(1);
    const first = await get();
    assert.equal(first.status, 200);
    assert.equal((first.headers as Record<string, string>)['x-log-progress'], 'Incomplete');
    assert.equal(((await get()).headers as Record<string, string>)['x-log-progress'], 'Complete');
  });

  test('projectFromRequest reads the project from the Host', () => {
    assert.equal(projectFromRequest({ host: 'my-proj.cn-hangzhou.log.aliyuncs.com:9100' }), 'my-proj');
    assert.equal(projectFromRequest({ host: 'my-proj.127.0.0.1:9100' }), 'my-proj');
    assert.equal(projectFromRequest({ host: 'cn-hangzhou.log.aliyuncs.com:9100' }), undefined);
    assert.equal(projectFromRequest({ host: '127.0.0.1:9100' }), undefined);
  });
});
