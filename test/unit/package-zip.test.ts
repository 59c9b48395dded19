// The zip itself: valid for independent readers (python's zipfile, Info-ZIP unzip), contents round-trip, modes
// kept, byte-identical across runs and across copies of the tree with other mtimes, CRC-64 = checksum, Zip64
// beyond 65535 entries, big files streamed, a .zip source used as is.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, readFileSync, statSync, utimesSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { crc64 } from '../../src/core/crc64';
import { packageFunction, listPackageFiles } from '../../src/package/package';
import { writeZip } from '../../src/package/zip-writer';
import { readZipEntries } from '../../src/core/zip/read';
import { centralHeader, endOfCentralDirectory, localHeader } from '../../src/package/zip-format';
import { makeTmpDir } from '../helpers/tmp';
import { opts, pyZipListing, python, writeTree } from './package-fixtures';

const tmp = makeTmpDir('fcx-zip-');
after(() => tmp.cleanup());

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');
const rnd = randomBytes(300_000);
const SPEC = {
  'main.py': 'def handler(event, context):\n    return "hello"\n',
  'lib/util.py': 'X = 1\n'.repeat(2000),
  'lib/__init__.py': '',
  'bin/run.sh': { content: '#!/bin/sh\necho run\n', mode: 0o755 },
  'static/logo.png': rnd.subarray(0, 5000),
  'data/random.bin': rnd,
  'data/empty.txt': '',
  'unicode/naïve-日本.txt': 'utf-8 name\n',
  'private.txt': { content: 'only me\n', mode: 0o600 },
};

let projA = '';
let projB = '';
before(() => {
  projA = join(tmp.dir, 'a', 'proj');
  projB = join(tmp.dir, 'b', 'elsewhere', 'copy');
  writeTree(projA, SPEC);
  cpSync(projA, projB, { recursive: true }); // cp does not keep mtimes
  // Make the copies' times clearly different.
  const t = new Date('2011-11-11T11:11:11Z');
  for (const p of ['main.py', 'lib/util.py', 'data/random.bin']) utimesSync(join(projB, p), t, t);
});

test('the zip is valid, round-trips every file and keeps modes (python zipfile)', async () => {
  const pkg = await packageFunction(opts(projA));
  const listing = pyZipListing(pkg.zipPath);
  assert.deepEqual(Object.keys(listing), Object.keys(SPEC).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
  for (const [p, v] of Object.entries(SPEC)) {
    const content = typeof v === 'string' || Buffer.isBuffer(v) ? v : v.content;
    assert.equal(listing[p][1], sha(content), p);
  }
  assert.equal(listing['bin/run.sh'][0], 0o755);
  assert.equal(listing['main.py'][0], 0o644);
  assert.equal(listing['private.txt'][0], 0o600);
  const t = spawnSync('python3', ['-m', 'zipfile', '-t', pkg.zipPath], { encoding: 'utf8' });
  assert.equal(t.status, 0, t.stderr);
  assert.equal(pkg.files.length, Object.keys(SPEC).length);
  assert.equal(pkg.size, statSync(pkg.zipPath).size);
});

test('unzip extracts the same files, with a 0755 script still 0755', { skip: spawnSync('unzip', ['-v']).status !== 0 ? 'unzip is not installed' : false }, async () => {
  const pkg = await packageFunction(opts(projA, { buildDir: join(tmp.dir, 'build-unzip') }));
  const out = join(tmp.dir, 'unzipped');
  const r = spawnSync('unzip', ['-q', pkg.zipPath, '-d', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(statSync(join(out, 'bin/run.sh')).mode & 0o777, 0o755);
  assert.equal(readFileSync(join(out, 'data/random.bin')).equals(rnd), true);
  assert.equal(readFileSync(join(out, 'unicode/naïve-日本.txt'), 'utf8'), 'utf-8 name\n');
});

test('same files → byte-identical zip: two runs, and two copies in different folders with other mtimes', async () => {
  const one = await packageFunction(opts(projA, { buildDir: join(tmp.dir, 'b1') }));
  const two = await packageFunction(opts(projA, { buildDir: join(tmp.dir, 'b2') }));
  const copy = await packageFunction(opts(projB, { buildDir: join(tmp.dir, 'b3') }));
  const bytes = readFileSync(one.zipPath);
  assert.ok(bytes.equals(readFileSync(two.zipPath)));
  assert.ok(bytes.equals(readFileSync(copy.zipPath)));
  assert.equal(one.checksum, crc64(bytes));
  assert.equal(copy.checksum, one.checksum);
  // Fixed attributes: no extra fields, 1980-01-01 00:00, made by Unix.
  for (const e of await readZipEntries(one.zipPath)) {
    assert.equal(e.extraLength, 0);
    assert.equal(e.dosDate, 33);
    assert.equal(e.dosTime, 0);
    assert.equal(e.madeBy >> 8, 3);
  }
  // A changed byte changes the checksum.
  writeFileSync(join(projB, 'main.py'), SPEC['main.py'] + '#\n');
  const changed = await packageFunction(opts(projB, { buildDir: join(tmp.dir, 'b4') }));
  assert.notEqual(changed.checksum, one.checksum);
  writeFileSync(join(projB, 'main.py'), SPEC['main.py']);
});

test('already-compressed files are stored, text is deflated', async () => {
  const pkg = await packageFunction(opts(projA, { buildDir: join(tmp.dir, 'b5') }));
  const byPath = new Map((await readZipEntries(pkg.zipPath)).map((e) => [e.path, e]));
  assert.equal(byPath.get('static/logo.png')!.method, 0);
  assert.equal(byPath.get('data/random.bin')!.method, 0); // deflate would make it bigger
  assert.equal(byPath.get('lib/util.py')!.method, 8);
  assert.ok(byPath.get('lib/util.py')!.compressedSize < 200);
});

test('a file over the streaming threshold (16 MiB) is deflated through a temp file and round-trips', async () => {
  const proj = join(tmp.dir, 'big');
  const text = Buffer.from('line of text that compresses well 0123456789\n'.repeat(400_000)); // ~18 MB
  writeTree(proj, { 'main.py': 'def handler(e, c): pass\n', 'big.txt': text, 'big.gz': Buffer.concat([rnd, text]) });
  const pkg = await packageFunction(opts(proj));
  const listing = pyZipListing(pkg.zipPath);
  assert.equal(listing['big.txt'][1], sha(text));
  assert.equal(listing['big.gz'][1], sha(Buffer.concat([rnd, text])));
  assert.ok(pkg.size < text.length + rnd.length + 1_000_000);
  assert.deepEqual(readdirSync(join(proj, '.fcx', 'build')), ['web.zip']); // no temp files left
});

test('more than 65535 entries → a valid Zip64 archive', async () => {
  const src = join(tmp.dir, 'one.txt');
  writeFileSync(src, 'x');
  const n = 66_000;
  const files = Array.from({ length: n }, (_, i) => ({ path: `d${String(i % 100).padStart(2, '0')}/f${String(i).padStart(6, '0')}.txt`, absPath: src, size: 1, mode: 0o644 }));
  files.sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  const out = join(tmp.dir, 'many.zip');
  const r = await writeZip(out, files, { tmpDir: tmp.dir });
  assert.equal(r.entries.length, n);
  const count = python('import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nprint(len(z.infolist()), z.read(z.infolist()[-1]).decode())', out).trim();
  assert.equal(count, `${n} x`);
  assert.equal((await readZipEntries(out)).length, n);
});

test('a .zip source is used as is: same path, checksum of its bytes, files listed from it', async () => {
  const built = await packageFunction(opts(projA, { buildDir: join(tmp.dir, 'b6') }));
  const zipSrc = join(tmp.dir, 'prebuilt', 'code.zip');
  mkdirSync(join(tmp.dir, 'prebuilt'));
  cpSync(built.zipPath, zipSrc);
  const pkg = await packageFunction(opts(projA, { source: zipSrc, buildDir: join(tmp.dir, 'b7') }));
  assert.equal(pkg.zipPath, zipSrc);
  assert.equal(pkg.checksum, crc64(readFileSync(zipSrc)));
  assert.deepEqual(pkg.files.map((f) => f.path), built.files.map((f) => f.path));
  const listed = await listPackageFiles(opts(projA, { source: zipSrc }));
  assert.equal(listed.find((f) => f.path === 'bin/run.sh')!.mode, 0o755);
  // The handler check applies to zips too.
  await assert.rejects(packageFunction(opts(projA, { source: zipSrc, handler: 'missing.handler' })), /missing\.py/);
});

test('packagings running at once share the worker pool and give the same bytes as one at a time', async () => {
  const trees = [join(tmp.dir, 'conc1'), join(tmp.dir, 'conc2')];
  trees.forEach((root, t) => {
    const spec: Record<string, string> = { 'main.py': 'def handler(e, c): pass\n' };
    for (let i = 0; i < 600; i++) spec[`m${i % 7}/f${i}.py`] = `# tree ${t} file ${i}\n` + 'print("x")\n'.repeat(i % 50);
    writeTree(root, spec);
  });
  const alone = [];
  for (const root of trees) alone.push((await packageFunction(opts(root, { buildDir: join(root, '..', `${root.split('/').pop()}-b1`) }))).checksum);
  const together = await Promise.all(trees.map((root) => packageFunction(opts(root, { buildDir: join(root, '..', `${root.split('/').pop()}-b2`) }))));
  assert.deepEqual(together.map((p) => p.checksum), alone);
  assert.notEqual(alone[0], alone[1]);
  for (const p of together) assert.equal(Object.keys(pyZipListing(p.zipPath)).length, 601);
});

test('sizes and offsets past 4 GiB are written as Zip64 fields (header bytes)', () => {
  const h = { name: Buffer.from('huge.bin'), method: 0, crc32: 1, compressedSize: 5_000_000_000, size: 5_000_000_000, mode: 0o644 };
  const local = localHeader(h);
  assert.equal(local.readUInt32LE(18), 0xffffffff);
  assert.equal(local.readUInt32LE(22), 0xffffffff);
  assert.equal(local.readUInt16LE(28), 20); // one Zip64 extra: id, length, size, compressed size
  assert.equal(local.readBigUInt64LE(30 + 8 + 4), 5_000_000_000n);
  const central = centralHeader(h, 6_000_000_000);
  assert.equal(central.readUInt32LE(42), 0xffffffff);
  assert.equal(central.readUInt16LE(30), 4 + 3 * 8);
  assert.equal(central.readBigUInt64LE(46 + 8 + 4 + 16), 6_000_000_000n);
  const small = centralHeader({ ...h, compressedSize: 10, size: 10 }, 100);
  assert.equal(small.readUInt16LE(30), 0); // no extra field when nothing overflows
  const end = endOfCentralDirectory(3, 5_000_000_000, 200);
  assert.equal(end.readUInt32LE(0), 0x06064b50); // Zip64 end record, then locator, then the classic record
  assert.equal(end.readUInt32LE(56), 0x07064b50);
  assert.equal(end.readUInt32LE(76), 0x06054b50);
  assert.equal(endOfCentralDirectory(3, 100, 200).length, 22);
});
