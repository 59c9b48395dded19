// The emulator's control API (DESIGN §5): health, the request log, injected faults in each service's own error
// shape (and stalls, and connection resets), reset, and loopback-only access.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { startInProcessEmulator, LOCAL_CREDS, type TestEmulator } from '../helpers/emulator';
import { makeTmpDir } from '../helpers/tmp';
import { startEmulator } from '../../src/emulator/index';
import { fcClient, fcRejects, type FcClient } from './fc-helpers';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const OSS = require('ali-oss');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const RPC = require('@alicloud/pop-core');

describe('control API', () => {
  let emu: TestEmulator;
  let fc: FcClient;
  before(async () => {
    emu = await startInProcessEmulator();
    fc = fcClient(emu);
  });
  after(async () => {
    await emu.close();
  });

  test('GET /_emulator/health', async () => {
    const res = await fetch(`${emu.url}/_emulator/health`);
    assert.equal(res.status, 200);
    const h = await res.json();
    assert.equal(h.ok, true);
    assert.equal(h.accountId, LOCAL_CREDS.accountId);
    assert.equal(h.url, emu.url);
  });

  test('GET /_emulator/requests lists cloud calls in order, never control calls', async () => {
    await emu.reset();
    await fc.createService('log-a');
    await fcRejects(fc.getService('log-missing'), 'ServiceNotFound');
    await fetch(`${emu.url}/_emulator/health`);
    const calls = await emu.requests();
    assert.deepEqual(
      calls.map((c) => [c.seq, c.service, c.action, c.method, c.path, c.status, c.errorCode]),
      [
        [1, 'fc', 'CreateService', 'POST', '/2016-08-15/services', 200, undefined],
        [2, 'fc', 'GetService', 'GET', '/2016-08-15/services/log-missing', 404, 'ServiceNotFound'],
      ],
    );
  });

  test('faults: FC error in FC shape, for `times` calls, then normal again', async () => {
    await emu.faults([{ service: 'fc', action: 'CreateService', status: 503, errorCode: 'ServiceUnavailable', message: 'try later', times: 2 }]);
    await fcRejects(fc.createService('flt-1'), 'ServiceUnavailable', 503);
    const e = await fcRejects(fc.createService('flt-1'), 'ServiceUnavailable', 503);
    assert.match(e.message, /try later/);
    await fc.getService('log-a'); // another action is not affected
    const ok = await fc.createService('flt-1');
    assert.equal(ok.data.serviceName, 'flt-1');
    const last = (await emu.requests()).slice(-4);
    assert.deepEqual(last.map((c) => c.errorCode), ['ServiceUnavailable', 'ServiceUnavailable', undefined, undefined]);
  });

  test('faults in the OSS (XML) and RPC (JSON Code) shapes; matching by service only', async () => {
    const oss = new OSS({ endpoint: emu.url, region: `oss-${LOCAL_CREDS.region}`, accessKeyId: LOCAL_CREDS.accessKeyId, accessKeySecret: LOCAL_CREDS.accessKeySecret, bucket: 'fault-bucket' });
    await emu.faults([{ service: 'oss', action: 'PutBucket', status: 503, errorCode: 'ServiceUnavailable' }]);
    await assert.rejects(oss.putBucket('fault-bucket'), (err: any) => err.code === 'ServiceUnavailable' && err.status === 503);
    await oss.putBucket('fault-bucket');
    const ram = new RPC({ endpoint: emu.url, apiVersion: '2015-05-01', accessKeyId: LOCAL_CREDS.accessKeyId, accessKeySecret: LOCAL_CREDS.accessKeySecret });
    await emu.faults([{ service: 'ram', status: 400, errorCode: 'Throttling.User' }]);
    await assert.rejects(ram.request('GetRole', { RoleName: 'whatever' }), (err: any) => err.code === 'Throttling.User');
  });

  test('a fault with a status and no errorCode gets the service\'s own code for that status', async () => {
    await emu.faults([{ service: 'fc', action: 'CreateService', status: 400 }]);
    const e = await fcRejects(fc.createService('flt-400'), 'InvalidArgument', 400);
    assert.doesNotMatch(e.message, /InternalServerError/);
    await emu.faults([{ service: 'fc', action: 'GetFunction', status: 404 }, { service: 'fc', action: 'CreateFunction', status: 404 }, { service: 'fc', action: 'CreateService', status: 409 }]);
    await fcRejects(fc.getFunction('log-a', 'nope'), 'FunctionNotFound', 404);
    await fcRejects(fc.createFunction('log-a', { functionName: 'f', runtime: 'python3.10', handler: 'index.handler', code: { zipFile: 'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==' } }), 'ServiceNotFound', 404);
    await fcRejects(fc.createService('flt-409'), 'ServiceAlreadyExists', 409);
    await emu.faults([{ service: 'fc', action: 'ListServices', status: 429 }, { service: 'fc', action: 'ListServices', status: 403 }, { service: 'fc', action: 'ListServices', status: 503 }]);
    await fcRejects(fc.listServices(), 'ResourceThrottled', 429);
    await fcRejects(fc.listServices(), 'AccessDenied', 403);
    await fcRejects(fc.listServices(), 'ServiceUnavailable', 503);

    const oss = new OSS({ endpoint: emu.url, region: `oss-${LOCAL_CREDS.region}`, accessKeyId: LOCAL_CREDS.accessKeyId, accessKeySecret: LOCAL_CREDS.accessKeySecret, bucket: 'fault-bucket' });
    await emu.faults([{ service: 'oss', action: 'GetObject', status: 404 }, { service: 'oss', action: 'PutObject', status: 500 }]);
    await assert.rejects(oss.get('some/key'), (err: any) => err.code === 'NoSuchKey' && err.status === 404);
    await assert.rejects(oss.put('some/key', Buffer.from('x')), (err: any) => err.code === 'InternalError' && err.status === 500);
    const ram = new RPC({ endpoint: emu.url, apiVersion: '2015-05-01', accessKeyId: LOCAL_CREDS.accessKeyId, accessKeySecret: LOCAL_CREDS.accessKeySecret });
    await emu.faults([{ service: 'ram', action: 'GetRole', status: 404 }, { service: 'ram', action: 'GetRole', status: 400 }]);
    await assert.rejects(ram.request('GetRole', { RoleName: 'whatever' }), (err: any) => err.code === 'EntityNotExist.Role');
    await assert.rejects(ram.request('GetRole', { RoleName: 'whatever' }), (err: any) => err.code === 'InvalidParameter');
    const codes = (await emu.requests()).filter((c) => c.status >= 400).slice(-11).map((c) => c.errorCode);
    assert.deepEqual(codes, ['InvalidArgument', 'FunctionNotFound', 'ServiceNotFound', 'ServiceAlreadyExists', 'ResourceThrottled', 'AccessDenied', 'ServiceUnavailable', 'NoSuchKey', 'InternalError', 'EntityNotExist.Role', 'InvalidParameter']);
  });

  test('POST /_emulator/faults refuses what is not a list of valid faults, saying what is expected', async () => {
    await emu.clearFaults();
    const post = async (body: string) => {
      const res = await fetch(`${emu.url}/_emulator/faults`, { method: 'POST', body });
      return { status: res.status, error: String((await res.json()).error) };
    };
    const single = await post('{"service":"fc","status":500}');
    assert.equal(single.status, 400);
    assert.match(single.error, /must be a JSON list/);
    assert.match(single.error, /expected \[\{"service"/);
    for (const [fault, pattern] of [
      [{ status: 500, times: -1 }, /"times" must be a whole number >= 1.*got -1/],
      [{ status: 500, times: '2' }, /"times" must be a whole number >= 1.*got "2"/],
      [{ status: 500, times: 1.5 }, /"times"/],
      [{ status: 'x' }, /"status" must be an error status/],
      [{ status: 200 }, /"status" must be an error status/],
      [{ service: 'fc', action: 'GetService' }, /it does nothing: give "status"/],
      [{ delayMs: -5 }, /"delayMs" must be a number of milliseconds >= 0/],
      [{ service: 'ecs', status: 500 }, /"service" must be one of fc, oss, ram, sts, sls/],
      [{ status: 500, time: 3 }, /unknown key "time"/],
      [{ errorCode: 42 }, /"errorCode" must be a string/],
      [7, /is not an object/],
    ] as const) {
      const r = await post(JSON.stringify([{ service: 'fc', action: 'ListServices', status: 500 }, fault]));
      assert.equal(r.status, 400, JSON.stringify(fault));
      assert.match(r.error, /^fault 2: /);
      assert.match(r.error, pattern);
    }
    assert.deepEqual(await (await fetch(`${emu.url}/_emulator/faults`)).json(), [], 'a refused list adds nothing');
    await emu.faults([{ service: 'fc', action: 'ListServices', status: 500 }]);
    assert.deepEqual(await (await fetch(`${emu.url}/_emulator/faults`)).json(), [{ service: 'fc', action: 'ListServices', status: 500, times: 1 }], 'times defaults to 1');
    await fcRejects(fc.listServices(), 'InternalServerError', 500);
    await fc.listServices();
  });

  test('a fault with only delayMs stalls the call, which then succeeds', async () => {
    await emu.faults([{ service: 'fc', action: 'GetService', delayMs: 300 }]);
    const t0 = Date.now();
    const r = await fc.getService('log-a');
    assert.equal(r.data.serviceName, 'log-a');
    assert.ok(Date.now() - t0 >= 280, 'the call was held back');
  });

  test('errorCode ECONNRESET drops the connection', async () => {
    await emu.faults([{ service: 'fc', action: 'ListServices', errorCode: 'ECONNRESET' }]);
    await assert.rejects(fc.listServices(), (err: any) => /ECONNRESET|socket hang up/i.test(`${err.code} ${err.message}`));
    const after = await fc.listServices();
    assert.ok(after.data.services.length > 0);
  });

  test('DELETE /_emulator/faults clears pending faults; bad fault lists are refused', async () => {
    await emu.faults([{ service: 'fc', status: 500, errorCode: 'InternalServerError', times: 5 }]);
    await emu.clearFaults();
    await fc.getService('log-a');
    const bad = await fetch(`${emu.url}/_emulator/faults`, { method: 'POST', body: '{nope' });
    assert.equal(bad.status, 400);
  });

  test('POST /_emulator/reset clears resources, the request log and faults', async () => {
    await emu.faults([{ service: 'fc', status: 500, errorCode: 'InternalServerError', times: 5 }]);
    await emu.reset();
    assert.deepEqual(await emu.requests(), []);
    await fcRejects(fc.getService('log-a'), 'ServiceNotFound', 404);
    const list = await fc.listServices();
    assert.deepEqual(list.data.services, []);
  });

  test('the control API answers loopback clients only', async () => {
    const external = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!external) return; // no non-loopback interface on this machine: nothing to check from outside
    const tmp = makeTmpDir('fcx-emu-');
    const open = await startEmulator({ host: '0.0.0.0', port: 0, dataDir: tmp.dir, quiet: true });
    try {
      const outside = await fetch(`http://${external.address}:${open.port}/_emulator/health`);
      assert.equal(outside.status, 403);
      const inside = await fetch(`http://127.0.0.1:${open.port}/_emulator/health`);
      assert.equal(inside.status, 200);
    } finally {
      await open.close();
      tmp.cleanup();
    }
  });
});
