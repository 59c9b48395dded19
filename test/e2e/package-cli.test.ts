// Packaging through the built CLI, the way a user meets it: `fcx deploy --dry-run --list-files` (no cloud call)
// lists what goes in, and packaging mistakes stop with exit 2 and a message that says what to do.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runFcx } from '../helpers/cli';
import { makeTmpDir } from '../helpers/tmp';

const tmp = makeTmpDir('fcx-pkg-cli-');
after(() => tmp.cleanup());
let n = 0;

function project(fn: Record<string, unknown>, files: Record<string, string>): string {
  const dir = join(tmp.dir, `app${n++}`);
  mkdirSync(dir, { recursive: true });
  const manifest = { name: 'pkg-cli', region: 'cn-hangzhou', functions: { web: { runtime: 'python3.10', handler: 'index.handler', source: '.', build: 'none', ...fn } } };
  writeFileSync(join(dir, 'fcx.yaml'), JSON.stringify(manifest, null, 2));
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  return dir;
}

const env = (home: string): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, HOME: home, NO_COLOR: '1', ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' });

test('deploy --dry-run --list-files lists the package without .env, fcx.yaml, .git or ignored files', async () => {
  const dir = project({}, { 'index.py': 'def handler(e, s): pass\n', '.env': 'SECRET=1', '.git/HEAD': 'x', 'docs/notes.md': 'n', 'lib/util.py': 'U=1', '.fcignore': 'docs/\n' });
  const r = await runFcx(['deploy', '--dry-run', '--list-files'], { cwd: dir, env: env(tmp.dir) });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /web: 2 files/);
  assert.match(r.stdout, /index\.py/);
  assert.match(r.stdout, /lib\/util\.py/);
  for (const gone of ['.env', 'fcx.yaml', '.git', 'docs/notes.md', '.fcignore']) assert.ok(!r.stdout.includes(gone), `${gone} listed:\n${r.stdout}`);
});

test('a missing handler file: exit 2, the expected path and what to do', async () => {
  const dir = project({ handler: 'app.main.handler' }, { 'index.py': '' });
  const r = await runFcx(['deploy', '--dry-run', '--list-files'], { cwd: dir, env: env(tmp.dir) });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /app\/main\.py/);
  assert.match(r.stderr, /\.fcignore/);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+|undefined|\[object Object\]/);
});

test('a symlink leaving the project: exit 2 naming the link', async () => {
  const outside = join(tmp.dir, 'outside.txt');
  writeFileSync(outside, 'secret');
  const dir = project({}, { 'index.py': '' });
  symlinkSync(outside, join(dir, 'leak.txt'));
  const r = await runFcx(['deploy', '--dry-run', '--list-files'], { cwd: dir, env: env(tmp.dir) });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /leak\.txt: is a symbolic link to .*outside the project folder/);
});
