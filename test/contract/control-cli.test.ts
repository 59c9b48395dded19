// `fcx emulator` as a user runs it: the URL as the first stdout line (or one JSON line with --json), the
// credentials and how-to on stderr, a clean exit 0 on SIGINT/SIGTERM, and a clear error when the port is taken.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fcxBin } from '../helpers/paths';
import { makeTmpDir } from '../helpers/tmp';
import { runFcx } from '../helpers/cli';

function startCli(args: string[], cwd: string) {
  const child = spawn(process.execPath, [fcxBin, 'emulator', ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const firstLine = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no output in 20 s; stderr: ${stderr}`)), 20_000);
    child.stdout.on('data', () => {
      const nl = stdout.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(stdout.slice(0, nl));
      }
    });
    child.on('exit', () => reject(new Error(`exited early; stderr: ${stderr}`)));
  });
  return { child, firstLine, exited, output: () => ({ stdout, stderr }) };
}

describe('fcx emulator command', () => {
  test('prints the URL first, serves, and exits 0 on SIGINT', async () => {
    const tmp = makeTmpDir('fcx-cli-');
    const run = startCli(['--port', '0', '--data-dir', 'state'], tmp.dir);
    try {
      const url = await run.firstLine;
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await (await fetch(`${url}/_emulator/health`)).json();
      assert.equal(health.ok, true);
      assert.equal(health.dataDir, `${tmp.dir}/state`);
      run.child.kill('SIGINT');
      assert.equal(await run.exited, 0);
      const { stderr } = run.output();
      assert.match(stderr, /fcx-local-key/);
      assert.match(stderr, /fcx-local-secret/);
      assert.match(stderr, new RegExp(`export FCX_ENDPOINT=${url}`));
      assert.match(stderr, /fcx deploy --local/);
    } finally {
      run.child.kill('SIGKILL');
      tmp.cleanup();
    }
  });

  test('--json prints one JSON line with the connection details; SIGTERM exits 0', async () => {
    const tmp = makeTmpDir('fcx-cli-');
    const run = startCli(['--port', '0', '--data-dir', tmp.dir, '--json', '--account-id', '42', '--region', 'cn-shanghai', '--access-key-id', 'k1', '--access-key-secret', 's1'], tmp.dir);
    try {
      const info = JSON.parse(await run.firstLine);
      assert.deepEqual(Object.keys(info).sort(), ['accessKeyId', 'accessKeySecret', 'accountId', 'dataDir', 'port', 'region', 'url']);
      assert.deepEqual([info.accessKeyId, info.accessKeySecret, info.accountId, info.region, info.dataDir], ['k1', 's1', '42', 'cn-shanghai', tmp.dir]);
      assert.equal(info.url, `http://127.0.0.1:${info.port}`);
      run.child.kill('SIGTERM');
      assert.equal(await run.exited, 0);
    } finally {
      run.child.kill('SIGKILL');
      tmp.cleanup();
    }
  });

  test('a port in use is a clear error naming the port and --port', async () => {
    const tmp = makeTmpDir('fcx-cli-');
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await runFcx(['emulator', '--port', String(port), '--data-dir', tmp.dir], { cwd: tmp.dir, env: { ...process.env, NO_COLOR: '1' }, timeoutMs: 20_000 });
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, new RegExp(`port ${port}`));
      assert.match(r.stderr, /--port/);
      const bad = await runFcx(['emulator', '--port', 'abc', '--data-dir', tmp.dir], { cwd: tmp.dir, env: { ...process.env, NO_COLOR: '1' }, timeoutMs: 20_000 });
      assert.equal(bad.code, 2);
    } finally {
      blocker.close();
      tmp.cleanup();
    }
  });
});
