// What goes into the package and the checks that stop a broken deploy before any upload: built-in excludes,
// handler/initializer/bootstrap files, bootstrap made executable, CRLF scripts, symlinks (inside, outside,
// dangling, looping).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FcxError, UsageError } from '../../src/core/errors';
import { listPackageFiles, packageFunction } from '../../src/package/package';
import { makeTmpDir } from '../helpers/tmp';
import { opts, pyZipListing, writeTree } from './package-fixtures';

const tmp = makeTmpDir('fcx-files-');
after(() => tmp.cleanup());
let n = 0;
const fresh = (): string => {
  const d = join(tmp.dir, `p${n++}`);
  mkdirSync(d, { recursive: true });
  return d;
};
const paths = async (o: Parameters<typeof listPackageFiles>[0]): Promise<string[]> => (await listPackageFiles(o)).map((f) => f.path);

test('built-in excludes leave out VCS, secrets, fcx files and editor/OS junk; .fcignore can bring some back', async () => {
  const p = fresh();
  writeTree(p, {
    'main.py': 'x', 'fcx.yaml': 'name: x', '.env': 'SECRET=1', '.env.local': 'S=2', '.env.example': 'S=', '.fcignore': '',
    '.git/HEAD': 'ref', '.hg/x': '', '.svn/x': '', '.fcx/state.json': '{}', '.DS_Store': '', 'sub/Thumbs.db': '', 'a.swp': '', 'b.py~': '',
    '.idea/x.xml': '', '.vscode/settings.json': '', '__pycache__/m.cpython-310.pyc': '', 'lib/x.pyc': '', 'lib/x.py': '',
    'node_modules/left/index.js': '', 'sub/fcx.yaml': 'not the manifest', '.venv/bin/activate': '',
  });
  assert.deepEqual(await paths(opts(p)), ['lib/x.py', 'main.py', 'sub/fcx.yaml']);
  // node_modules stays for Node.js runtimes.
  writeFileSync(join(p, 'index.js'), '');
  assert.ok((await paths(opts(p, { runtime: 'nodejs18', handler: 'index.handler' }))).includes('node_modules/left/index.js'));
  // A negation in .fcignore re-includes a built-in exclude (but never .git or .fcx).
  writeFileSync(join(p, '.fcignore'), '!.env.example\n!.git\n!.fcx/\n');
  const withExample = await paths(opts(p));
  assert.ok(withExample.includes('.env.example'));
  assert.ok(!withExample.includes('.env'));
  assert.ok(!withExample.some((x) => x.startsWith('.git/') || x.startsWith('.fcx/')));
});

test('the build folder is never packaged, even when it is inside the source under another name', async () => {
  const p = fresh();
  writeTree(p, { 'main.py': 'x', 'out/build/old.zip': 'zip' });
  assert.deepEqual(await paths(opts(p, { buildDir: join(p, 'out', 'build') })), ['main.py']);
});

test('.fcignore: re-including a file under an excluded folder does not work, like git', async () => {
  const p = fresh();
  writeTree(p, { 'main.py': 'x', 'build/keep.js': '', 'build/drop.js': '', 'dist/keep.js': '', 'dist/drop.js': '', '.fcignore': 'build/\n!build/keep.js\ndist/*\n!dist/keep.js\n' });
  assert.deepEqual(await paths(opts(p)), ['dist/keep.js', 'main.py']);
});

test('a missing handler file stops packaging and names the expected path', async () => {
  const p = fresh();
  writeTree(p, { 'src/app/other.py': '', 'index.ts': '' });
  await assert.rejects(packageFunction(opts(p, { handler: 'src.app.main.handler' })), (e: unknown) => {
    assert.ok(e instanceof UsageError);
    assert.equal(e.exitCode, 2);
    assert.match(e.message, /src\/app\/main\.py \(or src\/app\/main\/__init__\.py\)/);
    assert.match(e.hint ?? '', /\.fcignore/);
    return true;
  });
  await assert.rejects(packageFunction(opts(p, { runtime: 'nodejs18', handler: 'index.handler' })), /index\.js \(or index\.mjs or index\.cjs\)/);
  await assert.rejects(packageFunction(opts(p, { handler: 'handler' })), (e: unknown) => e instanceof UsageError && /no module part/.test(e.message));
  // A package (folder with __init__.py) and .mjs are accepted.
  writeTree(p, { 'src/app/main/__init__.py': '', 'index.mjs': '' });
  await packageFunction(opts(p, { handler: 'src.app.main.handler' }));
  await packageFunction(opts(p, { runtime: 'nodejs20', handler: 'index.handler' }));
  // The initializer is checked too.
  await assert.rejects(packageFunction(opts(p, { handler: 'src.app.main.handler', initializer: 'boot.init' })), /initializer "boot\.init" needs boot\.py/);
  // A handler excluded by .fcignore is missing too.
  writeFileSync(join(p, '.fcignore'), 'src/\n');
  await assert.rejects(packageFunction(opts(p, { handler: 'src.app.main.handler' })), /src\/app\/main\.py/);
  assert.deepEqual(readdirSync(join(p, '.fcx', 'build')).filter((f) => f.includes('tmp')), []);
});

test('custom runtime: bootstrap is required and made executable (0755)', async () => {
  const p = fresh();
  writeTree(p, { 'server.js': 'x' });
  await assert.rejects(packageFunction(opts(p, { runtime: 'custom', handler: 'index.handler' })), /bootstrap/);
  await packageFunction(opts(p, { runtime: 'custom', handler: 'index.handler', hasCommand: true }));
  writeTree(p, { bootstrap: { content: '#!/bin/bash\nexec node server.js\n', mode: 0o644 } });
  const pkg = await packageFunction(opts(p, { runtime: 'custom.debian10', handler: 'index.handler' }));
  assert.equal(pyZipListing(pkg.zipPath)['bootstrap'][0], 0o755);
  assert.equal(pkg.files.find((f) => f.path === 'bootstrap')!.mode, 0o755);
});

test('a CRLF bootstrap or executable shebang script is rejected with the file and the fix', async () => {
  const p = fresh();
  writeTree(p, { bootstrap: { content: '#!/bin/bash\r\nexec node server.js\r\n', mode: 0o755 }, 'server.js': '' });
  await assert.rejects(packageFunction(opts(p, { runtime: 'custom', handler: 'x.y' })), (e: unknown) => {
    assert.ok(e instanceof FcxError);
    assert.equal(e.exitCode, 2);
    assert.match(e.details.join('\n'), /^bootstrap has Windows \(CRLF\) line endings.*sed -i 's\/\\r\$\/\/' bootstrap/);
    return true;
  });
  assert.deepEqual(readdirSync(join(p, '.fcx', 'build')), []); // no zip, no temp left behind
  const q = fresh();
  writeTree(q, {
    'main.py': '',
    'tools/run.sh': { content: '#!/bin/sh\r\necho hi\r\n', mode: 0o755 },
    'notes/readme.txt': 'windows\r\ntext\r\n', // not a script: fine
    'lib/mod.py': { content: '#!/usr/bin/env python\r\nX = 1\r\n', mode: 0o644 }, // not executable: imported, not run
  });
  await assert.rejects(packageFunction(opts(q)), (e: unknown) => e instanceof FcxError && e.details.length === 1 && e.details[0].startsWith('tools/run.sh'));
  // A bootstrap that is neither a script with #! nor a binary cannot be started either.
  const r = fresh();
  writeTree(r, { bootstrap: 'node server.js\n' });
  await assert.rejects(packageFunction(opts(r, { runtime: 'custom', handler: 'x.y' })), (e: unknown) => e instanceof FcxError && /no #! line/.test(e.details.join('')));
});

test('symlinks inside the project are packaged as the files/folders they point to', async () => {
  const p = fresh();
  writeTree(p, { 'shared/util.py': 'U = 1\n', 'fn/main.py': 'x', 'fn/data/a.txt': 'A' });
  symlinkSync('../shared/util.py', join(p, 'fn', 'util.py'));
  symlinkSync('../shared', join(p, 'fn', 'sharedlib'));
  symlinkSync('data/a.txt', join(p, 'fn', 'alias.txt'));
  const pkg = await packageFunction(opts(p, { source: join(p, 'fn') }));
  const listing = pyZipListing(pkg.zipPath);
  assert.deepEqual(Object.keys(listing), ['alias.txt', 'data/a.txt', 'main.py', 'sharedlib/util.py', 'util.py']);
  assert.equal(listing['util.py'][1], listing['sharedlib/util.py'][1]);
});

test('a link outside the project, a dangling link and a loop are all reported with their paths, and a loop ends fast', async () => {
  const outside = fresh();
  writeTree(outside, { 'secret.txt': 's' });
  const p = fresh();
  writeTree(p, { 'main.py': 'x', 'a/b/c.txt': '' });
  symlinkSync(join(outside, 'secret.txt'), join(p, 'out.txt'));
  symlinkSync('nothing-here', join(p, 'dangling'));
  symlinkSync('..', join(p, 'a', 'b', 'up')); // a/b/up → a: a folder that contains the link
  symlinkSync('self', join(p, 'self')); // ELOOP
  const t0 = Date.now();
  await assert.rejects(packageFunction(opts(p)), (e: unknown) => {
    assert.ok(e instanceof FcxError);
    assert.equal(e.exitCode, 2);
    const d = e.details.join('\n');
    assert.match(d, /a\/b\/up: is a symbolic link that loops back to a /);
    assert.match(d, /dangling: is a symbolic link to nothing-here, which does not exist/);
    assert.match(d, /out\.txt: is a symbolic link to .*secret\.txt.*outside the project folder/);
    assert.match(d, /self: is a symbolic link that loops/);
    assert.match(e.hint ?? '', /\.fcignore/);
    return true;
  });
  assert.ok(Date.now() - t0 < 5000);
  // Listing the bad links in .fcignore makes the package fine.
  writeFileSync(join(p, '.fcignore'), '/out.txt\n/dangling\nup\nself\n');
  assert.deepEqual(await paths(opts(p)), ['a/b/c.txt', 'main.py']);
});
