// The emulator's data dir: a path that is a file, a damaged state file, and the lock left by an emulator that
// was killed (its pid a zombie not yet reaped, or reused by another process).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator/index';
import { FcxError } from '../../src/core/errors';
import { makeTmpDir } from '../helpers/tmp';
import { runFcx } from '../helpers/cli';

const env = { ...process.env, NO_COLOR: '1' };

function procState(pid: number): string | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

function startTime(pid: number): string {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return s.slice(s.lastIndexOf(')') + 2).split(' ')[19];
}

async function waitUntil(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('emulator data dir', () => {
  test('a --data-dir that is a file: exit 2, says it is not a folder and what to pass', async () => {
    const tmp = makeTmpDir('fcx-dd-');
    try {
      const file = join(tmp.dir, 'somefile');
      writeFileSync(file, 'x');
      const r = await runFcx(['emulator', '--port', '0', '--data-dir', file], { cwd: tmp.dir, env, timeoutMs: 20_000 });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`${file} is a file, not a folder`));
      assert.match(r.stderr, /--data-dir/);
      assert.doesNotMatch(r.stderr, /EEXIST|bug in fcx/);
      const below = await runFcx(['emulator', '--port', '0', '--data-dir', join(file, 'sub')], { cwd: tmp.dir, env, timeoutMs: 20_000 });
      assert.equal(below.code, 2, below.stderr);
      assert.match(below.stderr, /part of that path is a file/);
      assert.doesNotMatch(below.stderr, /ENOTDIR|bug in fcx/);
    } finally {
      tmp.cleanup();
    }
  });

  test('a damaged state file: the error names the file and says to move it away or use a fresh data dir', async () => {
    const tmp = makeTmpDir('fcx-dd-');
    try {
      mkdirSync(join(tmp.dir, 'state'));
      const bad = join(tmp.dir, 'state', 'fc.services.json');
      writeFileSync(bad, '{"svc": {"name": ');
      const r = await runFcx(['emulator', '--port', '0', '--data-dir', tmp.dir], { cwd: tmp.dir, env, timeoutMs: 20_000 });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`${bad} is not valid JSON`));
      assert.match(r.stderr, /move that file out of/);
      assert.match(r.stderr, /fresh --data-dir/);
      assert.doesNotMatch(r.stderr, /bug in fcx/);
      writeFileSync(bad, '[1, 2]');
      await assert.rejects(startEmulator({ port: 0, dataDir: tmp.dir, quiet: true }), (e: Error) => e instanceof FcxError && /does not hold a JSON object/.test(e.message) && e.message.includes(bad));
    } finally {
      tmp.cleanup();
    }
  });

  test('the lock of a killed emulator whose pid is a zombie (not yet reaped) does not block a restart', async () => {
    const tmp = makeTmpDir('fcx-dd-');
    // `sleep 0.05 &` then exec: the shell becomes `sleep 5`, which never reaps its child, so the child stays a zombie.
    const parent = spawn('sh', ['-c', 'sleep 0.05 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const zombie = await new Promise<number>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
      await waitUntil(() => procState(zombie) === 'Z');
      assert.doesNotThrow(() => process.kill(zombie, 0), 'kill(pid, 0) counts the zombie as alive');
      writeFileSync(join(tmp.dir, 'emulator.pid'), `${zombie}\n`);
      const emu = await startEmulator({ port: 0, dataDir: tmp.dir, quiet: true });
      await emu.close();
    } finally {
      parent.kill('SIGKILL');
      tmp.cleanup();
    }
  });

  test('a live owner holds the lock; its pid reused by another process (other start time) does not', async () => {
    const tmp = makeTmpDir('fcx-dd-');
    const other = spawn('sleep', ['5'], { stdio: 'ignore' });
    try {
      await waitUntil(() => procState(other.pid!) !== undefined);
      const lock = join(tmp.dir, 'emulator.pid');
      writeFileSync(lock, `${other.pid}\n${startTime(other.pid!)}\n`);
      await assert.rejects(startEmulator({ port: 0, dataDir: tmp.dir, quiet: true }), new RegExp(`in use by another emulator \\(process ${other.pid}\\)`));
      writeFileSync(lock, `${other.pid}\n${Number(startTime(other.pid!)) - 1}\n`);
      const emu = await startEmulator({ port: 0, dataDir: tmp.dir, quiet: true });
      const [pid, started] = readFileSync(lock, 'utf8').trim().split('\n');
      assert.equal(Number(pid), process.pid);
      assert.equal(started, startTime(process.pid), 'the lock records the owner\'s start time');
      await emu.close();
    } finally {
      other.kill('SIGKILL');
      tmp.cleanup();
    }
  });
});
