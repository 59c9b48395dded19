// FC 2016-08-15 control plane through the unmodified @alicloud/fc2 SDK against the in-process emulator:
// services, functions, triggers, custom domains, paging, error codes and bodies, request quirks.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { crc64 } from '../../src/core/crc64';
import { startInProcessEmulator, LOCAL_CREDS, type TestEmulator } from '../helpers/emulator';
import { makeZip } from '../helpers/zip';
import { selfSignedCert } from './fc-cert';
import { fcClient, fcRejects, HELLO_PY, lastCall, zipBase64, type FcClient } from './fc-helpers';
import { fetchFc } from './fc-sign';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const OSS = require('ali-oss');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const SLS = require('@alicloud/log');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const RPC = require('@alicloud/pop-core');

// @alicloud/log puts the project into the host name; this agent resolves every name to 127.0.0.1.
const agent = new http.Agent({ lookup: ((_h: string, o: any, cb: any) => (o && o.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4))) as any });

describe('FC control plane with @alicloud/fc2', () => {
  let emu: TestEmulator;
  let fc: FcClient;
  before(async () => {
    emu = await startInProcessEmulator();
    fc = fcClient(emu);
    const sls = new SLS({ endpoint: `http://${LOCAL_CREDS.region}.log.aliyuncs.com:${emu.port}`, accessKeyId: LOCAL_CREDS.accessKeyId, accessKeySecret: LOCAL_CREDS.accessKeySecret });
    await sls.createProject('fc-logs', { description: 'fc tests' }, { agent });
    await sls.createLogStore('fc-logs', 'fc-store', { ttl: 7, shardCount: 1 }, { agent });
  });
  after(async () => {
    await emu.close();
  });

  test('services: a role or log config that does not exist is refused', async () => {
    await fcRejects(fc.createService('svc-norole', { role: `acs:ram::${LOCAL_CREDS.accountId}:role/missing` }), 'InvalidArgument', 400);
    await fcRejects(fc.createService('svc-nolog', { logConfig: { project: 'nope', logstore: 'nope' } }), 'InvalidArgument', 400);
    await fcRejects(fc.createService('svc-nostore', { logConfig: { project: 'fc-logs', logstore: 'missing' } }), 'InvalidArgument', 400);
    await fcRejects(fc.createService('svc-half', { logConfig: { project: 'fc-logs' } }), 'InvalidArgument', 400);
    const ram = new RPC({ endpoint: emu.url, apiVersion: '2015-05-01', accessKeyId: LOCAL_CREDS.accessKeyId, accessKeySecret: LOCAL_CREDS.accessKeySecret });
    await ram.request('CreateRole', { RoleName: 'svc-role', AssumeRolePolicyDocument: JSON.stringify({ Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['fc.aliyuncs.com'] } }], Version: '1' }) });
    const ok = await fc.createService('svc-role', { role: `acs:ram::${LOCAL_CREDS.accountId}:role/svc-role`, logConfig: { project: 'fc-logs', logstore: 'fc-store' } });
    assert.equal(ok.data.role, `acs:ram::${LOCAL_CREDS.accountId}:role/svc-role`);
    await fc.deleteService('svc-role');
  });

  test('services: create, get, update, list, delete with FC status codes and headers', async () => {
    const created = await fc.createService('svc-a', { description: 'first', logConfig: { project: 'fc-logs', logstore: 'fc-store' } });
    assert.equal(created.data.serviceName, 'svc-a');
    assert.match(created.data.serviceId, /^[0-9a-f-]{36}$/);
    assert.match(created.data.createdTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(created.data.internetAccess, true);
    assert.deepEqual(created.data.tracingConfig, { type: null, params: null });
    assert.match(created.headers['x-fc-request-id'], /^[0-9a-f-]{36}$/);
    assert.ok(created.headers.etag);

    const got = await fc.getService('svc-a');
    assert.equal(got.data.logConfig.logstore, 'fc-store');
    const q = await fc.getService('svc-a', {}, 'LATEST');
    assert.equal(q.data.serviceName, 'svc-a');

    const updated = await fc.updateService('svc-a', { description: 'second', internetAccess: false });
    assert.equal(updated.data.description, 'second');
    assert.equal(updated.data.internetAccess, false);
    assert.equal(updated.data.logConfig.project, 'fc-logs', 'a partial update keeps other fields');

    await fcRejects(fc.createService('svc-a'), 'ServiceAlreadyExists', 409);
    await fcRejects(fc.getService('nope'), 'ServiceNotFound', 404);
    await fcRejects(fc.createService('1bad'), 'InvalidArgument', 400);
    await fcRejects(fc.createService('x'.repeat(129)), 'InvalidArgument', 400);
    await fcRejects(fc.createService('svc-role', { role: 'not-an-arn' }), 'InvalidArgument', 400);

    const del = await fc.deleteService('svc-a');
    assert.equal(del.status ?? 204, 204);
    const rec = await lastCall(emu);
    assert.deepEqual([rec.service, rec.action, rec.status], ['fc', 'DeleteService', 204]);
    await fcRejects(fc.deleteService('svc-a'), 'ServiceNotFound', 404);
  });

  test('list paging: limit, nextToken, prefix, startKey', async () => {
    for (const n of ['pg-a', 'pg-b', 'pg-c', 'pg-d', 'pg-e', 'other']) await fc.createService(n);
    const first = await fc.listServices({ limit: '2', prefix: 'pg-' });
    assert.deepEqual(first.data.services.map((s: any) => s.serviceName), ['pg-a', 'pg-b']);
    assert.equal(first.data.nextToken, 'pg-c');
    const second = await fc.listServices({ limit: '2', prefix: 'pg-', nextToken: first.data.nextToken });
    assert.deepEqual(second.data.services.map((s: any) => s.serviceName), ['pg-c', 'pg-d']);
    const third = await fc.listServices({ limit: '2', prefix: 'pg-', nextToken: second.data.nextToken });
    assert.deepEqual(third.data.services.map((s: any) => s.serviceName), ['pg-e']);
    assert.equal(third.data.nextToken, undefined, 'no nextToken on the last page');
    const fromKey = await fc.listServices({ startKey: 'pg-d', prefix: 'pg-' });
    assert.deepEqual(fromKey.data.services.map((s: any) => s.serviceName), ['pg-d', 'pg-e']);
    const all = await fc.listServices();
    assert.ok(all.data.services.length >= 6);
    await fcRejects(fc.listServices({ limit: 'x' }), 'InvalidArgument', 400);
    for (const n of ['pg-a', 'pg-b', 'pg-c', 'pg-d', 'pg-e', 'other']) await fc.deleteService(n);
  });

  test('functions: inline zip, checksum, defaults, update, list, code download, not-empty rules', async () => {
    await fc.createService('svc-f');
    const zip = makeZip(HELLO_PY);
    const created = await fc.createFunction('svc-f', { functionName: 'web', runtime: 'python3.10', handler: 'index.handler', memorySize: 256, environmentVariables: { A: '1', EMPTY: '' }, code: { zipFile: zip.toString('base64') } });
    assert.equal(created.data.codeChecksum, crc64(zip));
    assert.equal(created.data.codeSize, zip.length);
    assert.equal(created.data.timeout, 3, 'default timeout is 3 s');
    assert.equal(created.data.memorySize, 256);
    assert.equal(created.data.instanceConcurrency, 1);
    assert.deepEqual(created.data.environmentVariables, { A: '1', EMPTY: '' });
    await fcRejects(fc.createFunction('svc-f', { functionName: 'web', runtime: 'python3.10', handler: 'index.handler', code: { zipFile: zip.toString('base64') } }), 'FunctionAlreadyExists', 409);
    await fcRejects(fc.createFunction('svc-f', { functionName: 'badrt', runtime: 'cobol', handler: 'h', code: { zipFile: zip.toString('base64') } }), 'InvalidArgument', 400);
    await fcRejects(fc.createFunction('svc-f', { functionName: 'badmem', runtime: 'python3.10', handler: 'h', memorySize: 100, code: { zipFile: zip.toString('base64') } }), 'InvalidArgument', 400);
    await fcRejects(fc.createFunction('svc-f', { functionName: 'nozip', runtime: 'python3.10', handler: 'h', code: { zipFile: Buffer.from('not a zip').toString('base64') } }), 'InvalidArgument', 400);
    await fcRejects(fc.createFunction('svc-f', { functionName: 'nocode', runtime: 'python3.10', handler: 'h' }), 'InvalidArgument', 400);
    await fcRejects(fc.createFunction('svc-none', { functionName: 'x', runtime: 'python3.10', handler: 'h', code: { zipFile: zip.toString('base64') } }), 'ServiceNotFound', 404);
    await fcRejects(fc.getFunction('svc-f', 'ghost'), 'FunctionNotFound', 404);

    const q = await fc.getFunction('svc-f', 'web', {}, 'LATEST');
    assert.equal(q.data.functionName, 'web');
    await fcRejects(fc.getFunction('svc-f', 'web', {}, '3'), 'VersionNotFound', 404);

    const zip2 = makeZip([...HELLO_PY, { name: 'extra.txt', data: 'x' }]);
    const updated = await fc.updateFunction('svc-f', 'web', { timeout: 30, environmentVariables: { B: '2' }, code: { zipFile: zip2.toString('base64') } });
    assert.equal(updated.data.timeout, 30);
    assert.deepEqual(updated.data.environmentVariables, { B: '2' }, 'environment variables are replaced as a whole');
    assert.equal(updated.data.codeChecksum, crc64(zip2));
    assert.equal(updated.data.memorySize, 256, 'a partial update keeps other fields');

    const code = await fc.getFunctionCode('svc-f', 'web');
    assert.equal(code.data.checksum, crc64(zip2));
    const download = await fetch(code.data.url);
    assert.equal(download.status, 200);
    assert.deepEqual(Buffer.from(await download.arrayBuffer()), zip2);

    await fc.createFunction('svc-f', { functionName: 'api', runtime: 'custom', handler: 'x', code: { zipFile: zip.toString('base64') } });
    const custom = await fc.getFunction('svc-f', 'api');
    assert.equal(custom.data.caPort, 9000, 'custom runtimes listen on 9000 by default');
    const list = await fc.listFunctions('svc-f', { limit: '1' });
    assert.deepEqual(list.data.functions.map((f: any) => f.functionName), ['api']);
    assert.equal(list.data.nextToken, 'web');

    await fc.createTrigger('svc-f', 'web', { triggerName: 'http', triggerType: 'http', triggerConfig: { authType: 'anonymous', methods: ['GET'] } });
    await fcRejects(fc.deleteFunction('svc-f', 'web'), 'FunctionNotEmpty', 409);
    await fcRejects(fc.deleteService('svc-f'), 'ServiceNotEmpty', 409);
    await fc.deleteTrigger('svc-f', 'web', 'http');
    await fc.deleteFunction('svc-f', 'web');
    await fc.deleteFunction('svc-f', 'api');
    await fc.deleteService('svc-f');
  });

  test('function code from the emulator OSS (ossBucketName/ossObjectName)', async () => {
    const zip = makeZip(HELLO_PY);
    const oss = new OSS({ endpoint: emu.url, region: `oss-${LOCAL_CREDS.region}`, accessKeyId: LOCAL_CREDS.accessKeyId, accessKeySecret: LOCAL_CREDS.accessKeySecret, bucket: 'code-bucket' });
    await oss.putBucket('code-bucket');
    await oss.put('apps/web.zip', zip);
    await fc.createService('svc-oss');
    const f = await fc.createFunction('svc-oss', { functionName: 'web', runtime: 'python3.10', handler: 'index.handler', code: { ossBucketName: 'code-bucket', ossObjectName: 'apps/web.zip' } });
    assert.equal(f.data.codeChecksum, crc64(zip));
    await fcRejects(fc.createFunction('svc-oss', { functionName: 'missing', runtime: 'python3.10', handler: 'index.handler', code: { ossBucketName: 'code-bucket', ossObjectName: 'nope.zip' } }), 'InvalidArgument', 400);
    await fc.deleteFunction('svc-oss', 'web');
    await fc.deleteService('svc-oss');
  });

  test('triggers: object or JSON-string triggerConfig, urlInternet that answers, one HTTP trigger per function', async () => {
    await fc.createService('svc-t');
    await fc.createFunction('svc-t', { functionName: 'fn', runtime: 'python3.10', handler: 'index.handler', code: { zipFile: zipBase64(HELLO_PY) } });
    const t = await fc.createTrigger('svc-t', 'fn', { triggerName: 'web', triggerType: 'http', triggerConfig: JSON.stringify({ authType: 'anonymous', methods: ['GET', 'post'] }) });
    assert.deepEqual(t.data.triggerConfig, { authType: 'anonymous', methods: ['GET', 'POST'] });
    assert.equal(t.data.urlInternet, `${emu.url}/2016-08-15/proxy/svc-t/fn/`);
    assert.match(t.data.triggerId, /^[0-9a-f-]{36}$/);
    await fcRejects(fc.createTrigger('svc-t', 'fn', { triggerName: 'web', triggerType: 'http', triggerConfig: { authType: 'anonymous', methods: ['GET'] } }), 'TriggerAlreadyExists', 409);
    await fcRejects(fc.createTrigger('svc-t', 'fn', { triggerName: 'web2', triggerType: 'http', triggerConfig: { authType: 'anonymous', methods: ['GET'] } }), 'InvalidArgument', 400);
    await fcRejects(fc.createTrigger('svc-t', 'fn', { triggerName: 'bad', triggerType: 'http', triggerConfig: { authType: 'anonymous', methods: ['FETCH'] } }), 'InvalidArgument', 400);
    const u = await fc.updateTrigger('svc-t', 'fn', 'web', { triggerConfig: { authType: 'function', methods: ['GET'] } });
    assert.equal(u.data.triggerConfig.authType, 'function');
    const got = await fc.getTrigger('svc-t', 'fn', 'web');
    assert.deepEqual(got.data.triggerConfig.methods, ['GET']);
    const list = await fc.listTriggers('svc-t', 'fn');
    assert.deepEqual(list.data.triggers.map((x: any) => x.triggerName), ['web']);
    await fcRejects(fc.getTrigger('svc-t', 'fn', 'nope'), 'TriggerNotFound', 404);
    await fc.deleteTrigger('svc-t', 'fn', 'web');
    await fc.deleteFunction('svc-t', 'fn');
    await fc.deleteService('svc-t');
  });

  test('custom domains: routes, certificate without the private key on the way back, 409 and 404', async () => {
    const { cert, key } = selfSignedCert('api.example.com');
    const created = await fc.createCustomDomain('api.example.com', {
      protocol: 'HTTP,HTTPS',
      routeConfig: { routes: [{ path: '/*', serviceName: 's', functionName: 'f' }] },
      certConfig: { certName: 'c1', certificate: cert, privateKey: key },
    });
    assert.equal(created.data.domainName, 'api.example.com');
    assert.equal(created.data.certConfig.privateKey, null);
    assert.equal(created.data.certConfig.certName, 'c1');
    assert.equal(created.data.apiVersion, '2016-08-15');
    assert.equal(created.data.accountId, LOCAL_CREDS.accountId);
    const got = await fc.getCustomDomain('api.example.com');
    assert.equal(got.data.certConfig.privateKey, null);
    assert.equal(got.data.routeConfig.routes[0].path, '/*');
    await fcRejects(fc.createCustomDomain('api.example.com'), 'DomainNameAlreadyExists', 409);
    await fcRejects(fc.getCustomDomain('none.example.com'), 'DomainNameNotFound', 404);
    await fcRejects(fc.createCustomDomain('bad_domain'), 'InvalidArgument', 400);
    await fcRejects(fc.createCustomDomain('tls.example.com', { protocol: 'HTTP,HTTPS' }), 'InvalidArgument', 400);
    await fcRejects(fc.createCustomDomain('mismatch.example.com', { protocol: 'HTTP,HTTPS', certConfig: { certName: 'c', certificate: cert, privateKey: selfSignedCert('x.example.com').key } }), 'InvalidArgument', 400);
    const updated = await fc.updateCustomDomain('api.example.com', { routeConfig: { routes: [{ path: '/a', serviceName: 's', functionName: 'g', methods: ['get'] }] } });
    assert.deepEqual(updated.data.routeConfig.routes[0].methods, ['GET']);
    assert.equal(updated.data.protocol, 'HTTP,HTTPS');
    const list = await fc.listCustomDomains({ prefix: 'api.' });
    assert.deepEqual(list.data.customDomains.map((d: any) => d.domainName), ['api.example.com']);
    await fc.deleteCustomDomain('api.example.com');
    await fcRejects(fc.deleteCustomDomain('api.example.com'), 'DomainNameNotFound', 404);
  });

  test('DomainNameNotResolved is reproducible through the fault API', async () => {
    await emu.faults([{ service: 'fc', action: 'CreateCustomDomain', status: 400, errorCode: 'DomainNameNotResolved' }]);
    const e = await fcRejects(fc.createCustomDomain('unresolved.example.com'), 'DomainNameNotResolved', 400);
    assert.match(e.message, /unresolved\.example\.com/);
    const after = await fc.createCustomDomain('unresolved.example.com');
    assert.equal(after.data.domainName, 'unresolved.example.com');
    await fc.deleteCustomDomain('unresolved.example.com');
  });

  test('request keys match case-insensitively (InstanceConcurrency, CertConfig{CertName})', async () => {
    const res = await fetchFc(emu, 'POST', '/2016-08-15/services', { ServiceName: 'svc-ci', Description: 'upper', LogConfig: { Project: 'fc-logs', LogStore: 'fc-store' } });
    assert.equal(res.status, 200);
    assert.equal(res.json.serviceName, 'svc-ci');
    assert.equal(res.json.logConfig.logstore, 'fc-store', 'LogStore (Python SDK spelling) is logstore');
    const f = await fetchFc(emu, 'POST', '/2016-08-15/services/svc-ci/functions', { FunctionName: 'fn', Runtime: 'python3.10', Handler: 'index.handler', InstanceConcurrency: 5, EnvironmentVariables: { lowerCase: 'kept' }, Code: { ZipFile: zipBase64(HELLO_PY) } });
    assert.equal(f.status, 200, JSON.stringify(f.json));
    assert.equal(f.json.instanceConcurrency, 5);
    assert.deepEqual(f.json.environmentVariables, { lowerCase: 'kept' }, 'environment variable names keep their case');
    const { cert, key } = selfSignedCert('ci.example.com');
    const d = await fetchFc(emu, 'POST', '/2016-08-15/custom-domains', { DomainName: 'ci.example.com', Protocol: 'HTTP,HTTPS', CertConfig: { CertName: 'upper', Certificate: cert, PrivateKey: key } });
    assert.equal(d.status, 200, JSON.stringify(d.json));
    assert.equal(d.json.certConfig.certName, 'upper');
    await fc.deleteCustomDomain('ci.example.com');
    await fc.deleteFunction('svc-ci', 'fn');
    await fc.deleteService('svc-ci');
  });

  test('JSON body sent chunked as application/octet-stream without Content-MD5 is accepted', async () => {
    const res = await fetchFc(emu, 'POST', '/2016-08-15/services', { serviceName: 'svc-chunked' }, { chunked: true, contentType: 'application/octet-stream' });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.equal(res.json.serviceName, 'svc-chunked');
    await fc.deleteService('svc-chunked');
  });

  test('errors: JSON {ErrorCode, ErrorMessage} with x-fc-request-id; unknown paths; If-Match', async () => {
    const res = await fetchFc(emu, 'GET', '/2016-08-15/services/ghost');
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(res.json.ErrorCode, 'ServiceNotFound');
    assert.equal(res.json.ErrorMessage, "service 'ghost' does not exist");
    assert.match(res.headers.get('x-fc-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const bad = await fetchFc(emu, 'PATCH', '/2016-08-15/services');
    assert.equal(bad.status, 400);
    assert.equal(bad.json.ErrorCode, 'PathNotSupported');
    const notJson = await fetchFc(emu, 'POST', '/2016-08-15/services', '{not json');
    assert.equal(notJson.json.ErrorCode, 'InvalidArgument');

    const created = await fc.createService('svc-etag');
    await fcRejects(fc.updateService('svc-etag', { description: 'x' }, { 'if-match': 'stale' }), 'PreconditionFailed', 412);
    const ok = await fc.updateService('svc-etag', { description: 'y' }, { 'if-match': created.headers.etag });
    assert.equal(ok.data.description, 'y');
    await fc.deleteService('svc-etag');
  });
});
