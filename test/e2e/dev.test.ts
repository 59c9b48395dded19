// fcx dev as a user runs it: serve the app, change a file, see the change, Ctrl-C.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emulatorEnv, runFcx } from '../helpers/cli';
import { fcxBin } from '../helpers/paths';
import { makeTmpDir } from '../helpers/tmp';

test('fcx dev deploys to an in-process cloud, redeploys on change, streams logs and stops on Ctrl-C', async (t) => {
  const tmp = makeTmpDir('fcx-dev-');
  t.after(tmp.cleanup);
  const env = emulatorEnv('http://unused.invalid', tmp.dir);
  delete env.FCX_ENDPOINT;
  assert.equal((await runFcx(['init', 'app', '--template', 'python-web'], { cwd: tmp.dir, env })).code, 0);
  const app = join(tmp.dir, 'app');
  // The greeting comes from the code, not from fcx.yaml's env, so a code edit shows.
  writeFileSync(join(app, 'fcx.yaml'), readFileSync(join(app, 'fcx.yaml'), 'utf8').replace(/^\s*GREETING:.*$/m, '').replace(/^(\s*)env:\s*$/m, ''));

  const child = spawn(process.execPath, [fcxBin, 'dev', '--port', '0'], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  t.after(() => child.kill('SIGKILL'));
  const waitFor = async (re: RegExp, what: string, text = () => stderr) => {
    for (let i = 0; i < 150 && !re.test(text()); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(text(), re, `${what}\nstderr:\n${stderr}`);
  };

  await waitFor(/Following new lines/, 'the first deploy and the log tail start');
  const url = /(http:\/\/127\.0\.0\.1:\d+\/2016-08-15\/proxy\/app\/web\/)/.exec(stderr)![1];
  const first = await (await fetch(url, { headers: { accept: 'application/json' } })).json();
  assert.match(first.message, /^Hello from/);

  const index = join(app, 'index.py');
  writeFileSync(index, readFileSync(index, 'utf8').replace("'Hello')", "'Bonjour')"));
  await waitFor(/update +function web/, 'the edit is redeployed');
  await waitFor(/Deployed app[\s\S]*Deployed app/, 'the redeploy finishes');
  let second: any;
  for (let i = 0; i < 50; i++) {
    second = await (await fetch(url, { headers: { accept: 'application/json' } })).json();
    if (/^Bonjour/.test(second.message)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.match(second.message, /^Bonjour from/);
  await waitFor(new RegExp(`FC Invoke End RequestId: ${second.requestId}`), "the request's log lines stream to stdout", () => stdout);

  child.kill('SIGINT');
  assert.equal(await exited, 0, stderr);
});
