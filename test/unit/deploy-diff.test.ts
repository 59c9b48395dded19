// The plan's words: what differs between fcx.yaml and what FC reports, field by field (pure functions).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffEnv, diffFunction, diffService, diffTrigger } from '../../src/deploy/diff';
import { desiredFunction, desiredLogs, desiredRole, desiredService, fitsInline, base64Size } from '../../src/deploy/desired';
import { autoCodeBucket, autoLogProject, autoRoleName, codeObjectKey } from '../../src/deploy/names';
import type { FunctionSpec, Manifest } from '../../src/manifest/types';

const spec = (o: Partial<FunctionSpec> = {}): FunctionSpec => ({
  name: 'web', runtime: 'python3.10', handler: 'index.handler', source: '/x', memory: 256, timeout: 30, concurrency: 1, env: {}, build: 'auto', ...o,
});

const manifest = (o: Partial<Manifest['service']> = {}): Manifest => ({
  file: '/app/fcx.yaml', dir: '/app', name: 'hello-api', region: 'cn-hangzhou',
  service: { name: 'hello-api', role: { kind: 'auto' }, logs: { kind: 'auto' }, internetAccess: true, ...o },
  codeBucket: { kind: 'auto' }, functions: [spec()], domains: [],
});

test('function diff names each changed field, and env names but never values', () => {
  const want = desiredFunction(spec({ memory: 256, env: { A: 'new-secret', B: 'same', C: 'added' }, initializer: 'index.init' }));
  const have = { runtime: 'python3.10', handler: 'index.handler', memorySize: 128, timeout: 30, instanceConcurrency: 1, initializer: '', initializationTimeout: 3, environmentVariables: { A: 'old-secret', B: 'same', D: 'gone' }, codeChecksum: '111' };
  const d = diffFunction(want, have, '222');
  assert.deepEqual(d, [
    'memory 128 → 256',
    'initializer (none) → index.init',
    'initializationTimeout 3 → 30',
    'env.A changed',
    'env.C added',
    'env.D removed',
    'code changed (checksum 111 → 222)',
  ]);
  assert.ok(!d.join(' ').includes('secret'));
});

test('an identical function is unchanged, whatever FC adds to its answer', () => {
  const want = desiredFunction(spec({ env: { X: '0.10' } }));
  const have = { functionName: 'web', functionId: 'id', runtime: 'python3.10', handler: 'index.handler', memorySize: 256, timeout: 30, instanceConcurrency: 1, environmentVariables: { X: '0.10' }, codeChecksum: '5', codeSize: 10, initializationTimeout: 3, createdTime: 't' };
  assert.deepEqual(diffFunction(want, have, '5'), []);
  // a removed initializer is an explicit empty string, so FC clears it
  assert.equal(want.initializer, '');
});

test('env comparison is exact: "0.10" is not "0.1", "007" is not "7"', () => {
  assert.deepEqual(diffEnv({ A: '0.10', B: '007', C: 'true' }, { A: '0.1', B: '7', C: 'true' }), ['env.A changed', 'env.B changed']);
});

test('service diff covers role, logs and description; a remote without optional fields matches', () => {
  const m = manifest();
  const logs = desiredLogs(m, '123');
  const role = desiredRole(m, '123', logs);
  const want = desiredService(m, role, logs);
  assert.equal(want.role, 'acs:ram::123:role/fcx-hello-api-role');
  assert.equal(want.logConfig.project, 'fcx-hello-api-123');
  assert.deepEqual(diffService(want, { description: want.description, role: want.role, logConfig: { project: 'fcx-hello-api-123', logstore: 'fcx-logs' } }), []);
  assert.deepEqual(diffService(want, { description: 'x', role: '', internetAccess: true, logConfig: { project: '', logstore: '' } }), [
    `description x → ${want.description}`,
    'role (none) → acs:ram::123:role/fcx-hello-api-role',
    'logs.project (none) → fcx-hello-api-123',
    'logs.logstore (none) → fcx-logs',
  ]);
});

test('the role is created only when logs need it; a named role is used as is', () => {
  const noLogs = manifest({ logs: { kind: 'none' } });
  assert.equal(desiredRole(noLogs, '1', desiredLogs(noLogs, '1')), undefined);
  const named = manifest({ role: { kind: 'name', name: 'MyRole' } });
  assert.deepEqual(desiredRole(named, '1', desiredLogs(named, '1')), { kind: 'existing', name: 'MyRole', arn: 'acs:ram::1:role/myrole', policies: [] });
  const none = manifest({ role: { kind: 'none' } });
  assert.equal(desiredService(none, undefined, desiredLogs(none, '1')).role, '');
});

test('trigger diff: auth and methods (order-insensitive); FC 2021 string configs are read too', () => {
  assert.deepEqual(diffTrigger({ authType: 'anonymous', methods: ['GET', 'POST'] }, { triggerType: 'http', triggerConfig: { authType: 'anonymous', methods: ['POST', 'GET'] } }), []);
  assert.deepEqual(diffTrigger({ authType: 'function', methods: ['GET'] }, { triggerType: 'http', triggerConfig: JSON.stringify({ authType: 'anonymous', methods: ['GET', 'POST'] }) }), [
    'auth anonymous → function',
    'methods GET,POST → GET',
  ]);
});

test('auto names fit the cloud\'s limits and the inline limit counts base64 bytes', () => {
  const long = 'a'.repeat(40);
  assert.ok(autoRoleName(long).length <= 64);
  assert.ok(autoLogProject(long, '1234567890123456').length <= 63);
  assert.match(autoCodeBucket('1234567890123456', 'ap-southeast-1'), /^[a-z0-9-]{3,63}$/);
  assert.equal(codeObjectKey('app', 'web', '42'), 'fcx/app/web/42.zip');
  assert.equal(base64Size(3), 4);
  assert.equal(fitsInline(75, { FCX_INLINE_CODE_LIMIT: '100' }), true);
  assert.equal(fitsInline(76, { FCX_INLINE_CODE_LIMIT: '100' }), false);
  assert.equal(fitsInline(30 * 1024 * 1024, {}), true);
  assert.equal(fitsInline(40 * 1024 * 1024, {}), false);
});
