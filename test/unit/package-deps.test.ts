// Dependency builds with the real tools: pip installs a wheel built here (PyPI is unreachable, so the index is a
// local folder via --no-index --find-links, as a user would with FCX_PIP_ARGS); npm installs a tiny real package
// from the registry (skipped when the registry cannot be reached). Cache hits must not run the tool again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FcxError } from '../../src/core/errors';
import { packageFunction } from '../../src/package/package';
import { makeTmpDir } from '../helpers/tmp';
import { buildWheel } from '../helpers/wheel';
import { opts, python, writeTree } from './package-fixtures';

const tmp = makeTmpDir('fcx-deps-');
after(() => tmp.cleanup());

let wheels = '';
before(() => {
  wheels = join(tmp.dir, 'wheels');
  buildWheel(wheels, 'fcxdemo', '1.0', 'one');
  buildWheel(wheels, 'fcxother', '2.0', 'two');
});

test('requirements.txt: the wheel is installed at the zip root and importable; a cache hit runs no pip', async () => {
  const p = join(tmp.dir, 'py');
  writeTree(p, { 'main.py': 'import fcxdemo\ndef handler(e, c): return fcxdemo.VALUE\n', 'requirements.txt': '# deps\nfcxdemo==1.0\n' });
  const progress: string[] = [];
  const o = opts(p, { build: 'auto', pipIndexArgs: ['--no-index', '--find-links', wheels], onProgress: (m) => progress.push(m) });
  const pkg = await packageFunction(o);
  const paths = pkg.files.map((f) => f.path);
  assert.ok(paths.includes('fcxdemo/__init__.py'), paths.join(' '));
  assert.ok(paths.includes('main.py') && paths.includes('requirements.txt'));
  assert.ok(!paths.some((x) => x.endsWith('.pyc')));
  assert.ok(progress.some((m) => /Installing Python packages/.test(m)));
  const extracted = join(tmp.dir, 'py-extracted');
  python('import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', pkg.zipPath, extracted);
  const out = python('import sys; sys.path.insert(0, sys.argv[1]); import fcxdemo, main; print(main.handler(None, None))', extracted);
  assert.equal(out.trim(), 'one');

  // Cache hit: the index folder is gone, so pip would fail if it ran.
  const moved = wheels + '-away';
  rmSync(moved, { recursive: true, force: true });
  spawnSync('mv', [wheels, moved]);
  try {
    progress.length = 0;
    const again = await packageFunction(o);
    assert.equal(again.checksum, pkg.checksum);
    assert.ok(progress.some((m) => /unchanged: using the cached build/.test(m)), progress.join('\n'));
    assert.ok(!progress.some((m) => /Installing/.test(m)));
  } finally {
    spawnSync('mv', [moved, wheels]);
  }
  assert.equal(readdirSync(join(p, '.fcx', 'build', 'deps')).length, 1);

  // Changed requirements → a new build; build: none → no dependencies at all.
  writeFileSync(join(p, 'requirements.txt'), 'fcxdemo==1.0\nfcxother\n');
  const more = await packageFunction(o);
  assert.ok(more.files.some((f) => f.path === 'fcxother/__init__.py'));
  assert.equal(readdirSync(join(p, '.fcx', 'build', 'deps')).length, 2);
  const none = await packageFunction({ ...o, build: 'none' });
  assert.ok(!none.files.some((f) => f.path.startsWith('fcx')));
});

test('a pip failure shows pip\'s output tail and the FCX_PIP_ARGS hint; nothing is cached', async () => {
  const p = join(tmp.dir, 'py-bad');
  writeTree(p, { 'main.py': '', 'requirements.txt': 'no-such-package-fcx==9.9\n' });
  await assert.rejects(packageFunction(opts(p, { build: 'auto', pipIndexArgs: ['--no-index', '--find-links', wheels] })), (e: unknown) => {
    assert.ok(e instanceof FcxError);
    assert.match(e.message, /pip could not install requirements\.txt for python3\.10/);
    assert.match(e.details.join('\n'), /no-such-package-fcx/);
    assert.match(e.hint ?? '', /FCX_PIP_ARGS='--no-index --find-links DIR'/);
    return true;
  });
  const deps = join(p, '.fcx', 'build', 'deps');
  assert.deepEqual(existsSync(deps) ? readdirSync(deps) : [], []);
});

async function registryReachable(): Promise<boolean> {
  try {
    const r = await fetch('https://registry.npmjs.org/is-number/7.0.0', { signal: AbortSignal.timeout(5000) });
    return r.ok;
  } catch {
    return false;
  }
}

test('package.json: production dependencies are installed as node_modules/, dev ones and the local node_modules left out', async (t) => {
  if (!(await registryReachable())) {
    t.skip('the npm registry (registry.npmjs.org) is unreachable from here');
    return;
  }
  const p = join(tmp.dir, 'node');
  writeTree(p, {
    'index.js': 'const isNumber = require("is-number"); exports.handler = (e, c, cb) => cb(null, isNumber(5));',
    'package.json': JSON.stringify({ name: 'fn', version: '1.0.0', dependencies: { 'is-number': '7.0.0' }, devDependencies: {} }),
    'node_modules/dev-only/index.js': 'left over from development',
  });
  const progress: string[] = [];
  const o = opts(p, { runtime: 'nodejs18', handler: 'index.handler', build: 'auto', onProgress: (m) => progress.push(m) });
  const pkg = await packageFunction(o);
  const paths = pkg.files.map((f) => f.path);
  assert.ok(paths.includes('node_modules/is-number/index.js'), paths.join(' '));
  assert.ok(!paths.some((x) => x.startsWith('node_modules/dev-only')));
  const extracted = join(tmp.dir, 'node-extracted');
  python('import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', pkg.zipPath, extracted);
  const r = spawnSync(process.execPath, ['-e', 'require(process.argv[1]).handler({}, {}, (e, v) => console.log(v))', join(extracted, 'index.js')], { encoding: 'utf8' });
  assert.equal(r.stdout.trim(), 'true', r.stderr);
  progress.length = 0;
  const again = await packageFunction(o);
  assert.equal(again.checksum, pkg.checksum);
  assert.ok(progress.some((m) => /cached build/.test(m)));
});
