// Cloud calls have a short, bounded timeout and a timed-out call is retried: the real SDKs (fc2, @alicloud/log,
// pop-core) against the in-process emulator, whose fault API holds one answer back longer than the timeout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CloudError } from '../../src/core/errors';
import { FcApi } from '../../src/cloud/fc';
import { FC_LOG_INDEX, SlsApi } from '../../src/cloud/sls';
import { RamApi } from '../../src/cloud/ram';
import { endpointsFor, type CloudTarget } from '../../src/cloud/target';
import { normalizeError } from '../../src/cloud/errors';
import { LOCAL_CREDS, startInProcessEmulator, type TestEmulator } from '../helpers/emulator';

let emu: TestEmulator;
before(async () => {
  emu = await startInProcessEmulator();
});
after(async () => {
  await emu.close();
});

const target = (): CloudTarget => ({
  region: LOCAL_CREDS.region,
  accountId: LOCAL_CREDS.accountId,
  local: true,
  endpoint: emu.url,
  credentials: { accessKeyId: LOCAL_CREDS.accessKeyId, accessKeySecret: LOCAL_CREDS.accessKeySecret, source: 'test' },
  endpoints: endpointsFor(LOCAL_CREDS.region, LOCAL_CREDS.accountId, emu.url),
});

function recorder(env: NodeJS.ProcessEnv) {
  const lines: string[] = [];
  return { lines, ctx: { ui: { info: (s: string) => lines.push(s) } as any, env: { FCX_RETRY_BASE_MS: '1', FCX_RETRY_MAX_MS: '5', ...env } } };
}

test('SLS GetLogs that stalls past the timeout is retried and succeeds (not failed after httpx\'s 3 s default)', async () => {
  const setup = new SlsApi(target(), undefined);
  await setup.createProject('timeout-proj', 'test');
  await setup.createLogStore('timeout-proj', 'store', { ttl: 1, shardCount: 1 });
  await setup.createIndex('timeout-proj', 'store', FC_LOG_INDEX);
  await emu.faults([{ service: 'sls', action: 'GetLogs', delayMs: 5000, times: 1 }]);
  const r = recorder({ FCX_HTTP_TIMEOUT_MS: '400' });
  const now = Math.floor(Date.now() / 1000);
  const rows = await new SlsApi(target(), r.ctx).getLogs('timeout-proj', 'store', { from: now - 60, to: now + 1 });
  assert.deepEqual(rows, []);
  assert.equal(r.lines.length, 1, r.lines.join('\n'));
  assert.match(r.lines[0], /SLS GetLogs: RequestTimeout, retrying/);
});

test('FC calls use the short timeout too (a stalled GetService is retried, not waited on for 10 minutes)', async () => {
  await emu.faults([{ service: 'fc', action: 'GetService', delayMs: 5000, times: 1 }]);
  const r = recorder({ FCX_HTTP_TIMEOUT_MS: '400' });
  const started = Date.now();
  assert.equal(await new FcApi(target(), r.ctx).getService('no-such-svc'), undefined);
  assert.ok(Date.now() - started < 4000, 'GetService waited for the stalled answer');
  assert.match(r.lines.join('\n'), /FC GetService: RequestTimeout, retrying/);
});

test('RAM (pop-core) timeouts are retried network errors; out of retries, the message says what happened', async () => {
  await emu.faults([{ service: 'ram', action: 'GetRole', delayMs: 5000, times: 1 }]);
  const r = recorder({ FCX_HTTP_TIMEOUT_MS: '400' });
  assert.equal(await new RamApi(target(), r.ctx).getRole('no-such-role'), undefined);
  assert.match(r.lines.join('\n'), /RAM GetRole: RequestTimeout, retrying/);

  await emu.faults([{ service: 'ram', action: 'GetRole', delayMs: 5000, times: 1 }]);
  const once = recorder({ FCX_HTTP_TIMEOUT_MS: '400', FCX_RETRY_ATTEMPTS: '1' });
  const err = await new RamApi(target(), once.ctx).getRole('no-such-role').then(() => undefined, (e) => e);
  assert.ok(err instanceof CloudError);
  assert.equal(err.code, 'RequestTimeout');
  assert.equal(err.retryable, true);
  assert.match(err.message, /^RAM GetRole failed \(RequestTimeout\): no answer from http:\/\/127\.0\.0\.1:\d+ in time \(ReadTimeout\(400\)\)$/);
  assert.match(err.hint ?? '', /FCX_HTTP_TIMEOUT_MS/);
});

test('httpx timeout errors (name only, no code) are classified as retryable timeouts', () => {
  for (const name of ['RequestTimeoutError', 'ReadTimeoutError']) {
    const raw = Object.assign(new Error('ReadTimeout(3000). GET http://x.example/logstores/s?type=log failed.'), { name });
    const e = normalizeError(raw, { service: 'sls', operation: 'GetLogs', endpoint: 'http://x.example' });
    assert.equal(e.code, 'RequestTimeout');
    assert.equal(e.retryable, true);
    assert.doesNotMatch(e.message, /GET http/);
  }
});
