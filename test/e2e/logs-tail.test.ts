// `fcx logs --tail` as a user runs it: a child process following the emulator's logstore while new rows arrive,
// stopped with SIGINT (Ctrl-C). Checks the filter, that no line prints twice across overlapping polls, exit 0,
// and that `--tail --request-id` stops by itself after the request's End line.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fcxBin } from '../helpers/paths';
import { startLogsFixture, pyLog, start, end, type App, type LogsFixture } from './logs-fixture';

let fx: LogsFixture;
let app: App;

before(async () => {
  fx = await startLogsFixture();
  app = await fx.makeApp('svc-tail', { index: 'fields' });
});

after(async () => {
  await fx?.close();
});

interface Running {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  waitFor(re: RegExp, where?: 'out' | 'err', ms?: number): Promise<void>;
  exited: Promise<number | null>;
}

function runTail(args: string[]): Running {
  const child = spawn(process.execPath, [fcxBin, 'logs', ...args], { cwd: app.dir, env: fx.env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const kill = setTimeout(() => child.kill('SIGKILL'), 40_000);
  exited.then(() => clearTimeout(kill));
  return {
    child,
    out: () => out,
    err: () => err,
    exited,
    async waitFor(re, where = 'out', ms = 15_000) {
      const t0 = Date.now();
      while (!re.test(where === 'out' ? out : err)) {
        if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${re}\nstdout:\n${out}\nstderr:\n${err}`);
        if (child.exitCode !== null) throw new Error(`fcx exited (${child.exitCode}) before ${re}\nstdout:\n${out}\nstderr:\n${err}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

const now = () => Math.floor(Date.now() / 1000);

test('--tail --search: history then live lines, filtered, none twice, exit 0 on SIGINT', async () => {
  await app.put([
    { t: now() - 60, inst: 'i-1', msg: 'keep: old line' },
    { t: now() - 60, inst: 'i-1', msg: 'drop: old line' },
  ]);
  const run = runTail(['--tail', '--search', 'keep', '--json']);
  await run.waitFor(/Following new lines/, 'err');
  await run.waitFor(/keep: old line/);

  // New rows in two batches; each poll looks back 10 s, so later polls read the earlier rows again.
  await app.put([
    { t: now(), inst: 'i-1', msg: 'keep: live 1' },
    { t: now(), inst: 'i-1', msg: 'drop: live 1' },
    { t: now(), inst: 'i-2', msg: 'keep: twin' },
    { t: now(), inst: 'i-2', msg: 'keep: twin' }, // two identical rows are two lines
  ]);
  await run.waitFor(/keep: live 1/);
  await new Promise((r) => setTimeout(r, 1800)); // at least one more poll over the same seconds
  // A late arrival: stamped a few seconds back, inside the look-back.
  await app.put([{ t: now() - 3, inst: 'i-1', msg: 'keep: late arrival' }]);
  await run.waitFor(/keep: late arrival/);
  await new Promise((r) => setTimeout(r, 1800));

  run.child.kill('SIGINT');
  const code = await run.exited;
  assert.equal(code, 0, run.err());
  const lines = run.out().trim().split('\n').map((l) => JSON.parse(l).message as string);
  assert.deepEqual(lines.sort(), ['keep: late arrival', 'keep: live 1', 'keep: old line', 'keep: twin', 'keep: twin'].sort());
});

test('--tail --request-id follows one request until its End line, then exits 0 by itself', async () => {
  const id = 'aaaa1111-2222-4333-8444-555566667777';
  const run = runTail(['--tail', '--request-id', id, '--since', '5m']);
  await run.waitFor(/waiting for its lines/, 'err');
  await app.put([
    { t: now(), inst: 'i-7', msg: start(id) },
    { t: now(), inst: 'i-7', msg: pyLog(now(), id, 'working') },
    { t: now(), inst: 'i-7', msg: 'plain print' },
  ]);
  await run.waitFor(/plain print/);
  assert.equal(run.child.exitCode, null, 'still following: no End yet');
  await app.put([{ t: now(), inst: 'i-7', msg: end(id) }]);
  const code = await run.exited;
  assert.equal(code, 0, run.err());
  const out = run.out();
  for (const want of [start(id), 'working', 'plain print', end(id)]) assert.equal(out.split(want).length - 1, 1, `${want} exactly once in\n${out}`);
});

test('--tail without a filter attributes live plain prints to the request running on their instance', async () => {
  const id = 'bbbb1111-2222-4333-8444-555566667777';
  const run = runTail(['--tail', '--json', '--since', '1s']);
  await run.waitFor(/Following new lines/, 'err');
  await app.put([{ t: now(), inst: 'i-8', msg: start(id) }]);
  await run.waitFor(/FC Invoke Start RequestId: bbbb1111/);
  await app.put([{ t: now(), inst: 'i-8', msg: 'live plain print' }, { t: now(), inst: 'i-8', msg: end(id) }]);
  await run.waitFor(/FC Invoke End RequestId: bbbb1111/);
  run.child.kill('SIGINT');
  assert.equal(await run.exited, 0, run.err());
  const plain = run.out().trim().split('\n').map((l) => JSON.parse(l)).find((l) => l.message === 'live plain print');
  assert.equal(plain.requestId, id);
  assert.equal(plain.attributed, 'inferred');
});
