// "Already exists" is not an error: when something appears between the plan and the apply (a previous run whose
// answer was lost, a second deploy at the same time), each create step converges by updating instead.
// Drives the deploy library directly (plan → someone else creates everything → apply) on the in-process emulator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { startInProcessEmulator, type TestEmulator } from '../helpers/emulator';
import { App, fcClient, fn } from '../e2e/deploy-fixture';
import { makeContext } from '../../src/core/context';
import { loadApp, packageAll, targetFor } from '../../src/deploy/app';
import { makeApis } from '../../src/deploy/apis';
import { buildPlan } from '../../src/deploy/plan';
import { applyPlan } from '../../src/deploy/apply';
import { Progress } from '../../src/deploy/progress';

let emu: TestEmulator;
let a: App;
before(async () => {
  emu = await startInProcessEmulator();
  a = new App(emu, { name: 'race-app', region: 'cn-hangzhou', functions: { web: fn({ memory: 256 }) } });
});
after(async () => {
  a.cleanup();
  await emu.close();
});

function sink(): Writable & { text: string } {
  const w = new Writable({
    write(chunk, _enc, cb) {
      w.text += String(chunk);
      cb();
    },
  }) as Writable & { text: string };
  w.text = '';
  return w;
}

async function planAndApply(between: () => Promise<void>) {
  const err = sink();
  const ctx = makeContext(
    { json: false, yes: true, config: 'fcx.yaml', local: false, debug: false, color: false, endpoint: emu.url },
    { cwd: a.dir, env: a.env(), stdout: sink(), stderr: err },
  );
  const m = await loadApp(ctx);
  const target = await targetFor(ctx, m);
  const packages = await packageAll(ctx, m, m.functions);
  const plan = await buildPlan({ ctx, apis: await makeApis(ctx, target), manifest: m, packages });
  await between();
  const progress = new Progress(ctx.ui, false);
  const outcome = await applyPlan(plan, { progress, prune: false, signal: new AbortController().signal });
  progress.stop();
  return { plan, outcome, stderr: err.text };
}

test('every create step converges when the resource appeared after the plan was made', async () => {
  const fc = fcClient(emu);
  const { plan, outcome, stderr } = await planAndApply(async () => {
    // Someone else (or a lost answer of an earlier run) creates everything the plan is about to create.
    const { RamApi } = await import('../../src/cloud/ram.js');
    const { SlsApi, FC_LOG_INDEX } = await import('../../src/cloud/sls.js');
    const target = { region: 'cn-hangzhou', accountId: '1234567890123456', local: true, endpoint: emu.url, credentials: { accessKeyId: 'fcx-local-key', accessKeySecret: 'fcx-local-secret', source: 't' }, endpoints: { fc: emu.url, oss: emu.url, sls: emu.url, ram: emu.url, sts: emu.url } };
    await new RamApi(target, undefined).createRole('fcx-race-app-role', 'made by the other run');
    const sls = new SlsApi(target, undefined);
    await sls.createProject('fcx-race-app-1234567890123456', 'other');
    await sls.createLogStore('fcx-race-app-1234567890123456', 'fcx-logs', { ttl: 30, shardCount: 2 });
    await sls.createIndex('fcx-race-app-1234567890123456', 'fcx-logs', FC_LOG_INDEX);
    await fc.createService('race-app', { description: 'other run' });
    await fc.createFunction('race-app', { functionName: 'web', runtime: 'python3.10', handler: 'index.handler', memorySize: 128, code: { zipFile: Buffer.from(require('../helpers/zip').makeZip([{ name: 'index.py', data: 'x=1' }])).toString('base64') } });
    await fc.createTrigger('race-app', 'web', { triggerName: 'http', triggerType: 'http', triggerConfig: { authType: 'function', methods: ['GET'] } });
  });
  assert.deepEqual(
    plan.items.map((i) => `${i.kind}:${i.action}`),
    ['role:create', 'log-project:create', 'logstore:create', 'log-index:create', 'service:create', 'function:create', 'trigger:create'],
  );
  assert.equal(outcome.failed, undefined, `failed: ${String((outcome.failed?.error as Error)?.message)}\n${stderr}`);
  assert.equal(outcome.done.length, 7);
  // and what is there now is what fcx.yaml says, not what the other run made
  const svc = (await fc.getService('race-app')).data;
  assert.match(svc.description, /managed by fcx/);
  assert.equal(svc.logConfig.logstore, 'fcx-logs');
  const f = (await fc.getFunction('race-app', 'web')).data;
  assert.equal(f.memorySize, 256);
  assert.equal(String(f.codeChecksum), plan.functions[0].codeChecksum);
  const t = (await fc.getTrigger('race-app', 'web', 'http')).data;
  assert.equal(t.triggerConfig.authType, 'anonymous');
});
