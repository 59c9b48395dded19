import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveCredentials } from '../../src/cloud/credentials';
import { UsageError } from '../../src/core/errors';
import { makeTmpDir } from '../helpers/tmp';

test('a broken ~/.aliyun/config.json is named as broken, not reported as "no credentials"', async (t) => {
  const tmp = makeTmpDir('fcx-creds-');
  t.after(tmp.cleanup);
  mkdirSync(join(tmp.dir, '.aliyun'));
  writeFileSync(join(tmp.dir, '.aliyun', 'config.json'), '{garbage');
  await assert.rejects(resolveCredentials({ env: { HOME: tmp.dir }, local: false }), (err: unknown) => {
    assert.ok(err instanceof UsageError);
    assert.match(err.message, /config\.json is not valid JSON/);
    assert.equal(err.exitCode, 2);
    return true;
  });
});

test('environment variables win and --local uses the emulator defaults', async () => {
  const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: 'id-from-env', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret-from-env' };
  assert.equal((await resolveCredentials({ env, local: false })).accessKeyId, 'id-from-env');
  const local = await resolveCredentials({ env, local: true });
  assert.deepEqual([local.accessKeyId, local.accessKeySecret], ['fcx-local-key', 'fcx-local-secret']);
});
