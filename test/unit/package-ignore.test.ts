// .fcignore follows gitignore exactly: a table of single-pattern cases, then whole trees compared with what git
// itself leaves untracked-but-not-ignored (`git ls-files -o --exclude-standard`, which applies folder exclusion the
// way git does), using the same rules as .gitignore and .fcignore.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { IgnoreFile, IgnoreStack } from '../../src/package/ignore';
import { walkSource } from '../../src/package/walk';
import { makeTmpDir } from '../helpers/tmp';

// [rules, path, isDir, ignored?]
const TABLE: Array<[string, string, boolean, boolean]> = [
  ['foo', 'foo', false, true],
  ['foo', 'a/b/foo', false, true],
  ['foo', 'foo', true, true],
  ['foo', 'foobar', false, false],
  ['/foo', 'foo', false, true],
  ['/foo', 'a/foo', false, false],
  ['a/foo', 'a/foo', false, true],
  ['a/foo', 'x/a/foo', false, false], // a middle slash anchors
  ['foo/', 'foo', true, true],
  ['foo/', 'foo', false, false], // dir/ matches folders only
  ['foo/', 'a/foo', true, true],
  ['*.log', 'x.log', false, true],
  ['*.log', 'deep/er/x.log', false, true],
  ['*.log', 'x.log.txt', false, false],
  ['a/*.log', 'a/b/x.log', false, false], // * does not cross /
  ['a/*', 'a/x', false, true],
  ['?.txt', 'a.txt', false, true],
  ['?.txt', 'ab.txt', false, false],
  ['[ab].txt', 'b.txt', false, true],
  ['[ab].txt', 'c.txt', false, false],
  ['[!ab].txt', 'c.txt', false, true],
  ['[^ab].txt', 'a.txt', false, false],
  ['[a-c]x', 'bx', false, true],
  ['[a-c]x', 'dx', false, false],
  ['[[:digit:]]*', '7up', false, true],
  ['**/foo', 'foo', false, true],
  ['**/foo', 'a/b/foo', false, true],
  ['**/foo/bar', 'x/foo/bar', false, true],
  ['a/**/b', 'a/b', false, true],
  ['a/**/b', 'a/x/y/b', false, true],
  ['a/**/b', 'a/xb', false, false],
  ['a/**', 'a/x/y', false, true],
  ['a/**', 'a', true, false], // trailing /** is everything inside, not the folder itself
  ['a**b', 'axxb', false, true], // ** not next to slashes is a plain *
  ['a**b', 'ax/xb', false, false],
  ['\\#hash', '#hash', false, true],
  ['#hash', '#hash', false, false], // a comment
  ['\\!bang', '!bang', false, true],
  ['trail   ', 'trail', false, true], // trailing spaces trimmed
  ['sp\\ ', 'sp ', false, true], // escaped trailing space kept
  ['*.txt\n!keep.txt', 'keep.txt', false, false],
  ['*.txt\n!keep.txt', 'other.txt', false, true],
  ['!keep.txt\n*.txt', 'keep.txt', false, true], // the last matching line wins
  ['foo\r\nbar\r\n', 'bar', false, true], // CRLF ignore file
  ['\uFEFFbom', 'bom', false, true],
  ['a\\*b', 'a*b', false, true],
  ['a\\*b', 'axb', false, false],
  ['[unclosed', '[unclosed', false, false], // git: a broken bracket never matches
  ['Foo', 'foo', false, false], // case-sensitive
  ['/*.py', 'main.py', false, true],
  ['/*.py', 'src/main.py', false, false],
];

test('gitignore table: every case matches what git does', () => {
  for (const [rules, path, isDir, expected] of TABLE) {
    const stack = new IgnoreStack([new IgnoreFile(rules, '')]);
    assert.equal(stack.isIgnored(path, isDir), expected, `rules ${JSON.stringify(rules)} on ${path}${isDir ? '/' : ''}`);
  }
  assert.ok(TABLE.length >= 30);
});

test('a nested ignore file applies relative to its folder, and the deepest match wins', () => {
  const stack = new IgnoreStack([new IgnoreFile('*.txt', ''), new IgnoreFile('!*.txt\n/keep.txt\nlocal', 'sub')]);
  assert.equal(stack.isIgnored('a.txt', false), true);
  assert.equal(stack.isIgnored('sub/b.txt', false), false);
  assert.equal(stack.isIgnored('sub/keep.txt', false), true);
  assert.equal(stack.isIgnored('sub/x/local', false), true);
  assert.equal(stack.isIgnored('local', false), false);
});

function writeTree(root: string, paths: string[]): void {
  for (const p of paths) {
    const abs = join(root, p);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, p);
  }
}

const TREE = [
  'main.py', 'app.log', 'keep.log', 'README.md', 'a.txt', 'b.txt', 'c.txt', '#hash', '!bang', 'sp ',
  'build/out.js', 'build/keep.js', 'src/build/x.js', 'src/main.js', 'src/app.log', 'src/deep/er/keep.log',
  'doc/a.txt', 'doc/sub/b.txt', 'doc/sub/c.md', 'logs/today/x.txt', 'logs/keep', 'foo/bar/baz.txt',
  'x/foo/bar', 'a/b', 'a/x/y/b', 'a/xb', 'lib/one.py', 'lib/two.pyx', 'lib/sub/three.py', 'tmp/.keep', 'tmp/data/1',
  'nested/.gitignore-src', 'nested/n1.txt', 'nested/n2.md', 'nested/inner/n3.txt', 'weird[1].txt', 'weird1.txt',
  '7up', 'up7', 'ab/cd/ef', 'ab/ef',
];

const SCENARIOS: string[] = [
  '*.log\n!keep.log',
  'build/\n!build/keep.js',               // cannot re-include under an excluded folder
  'build/*\n!build/keep.js',              // but can when only the contents are excluded
  '/build\nsrc/*.log',
  '**/keep.log\ndoc/**\n!doc/sub/c.md',   // doc/** excludes the contents; the negation brings c.md back
  'doc/**/*.txt\nlogs/**/\n',
  'a/**/b\n[abc].txt\n!b.txt',
  '*\n!*/\n!*.py',                        // only .py files
  '\\#hash\n\\!bang\nsp\\ \nweird\\[1\\].txt',
  'weird[0-9].txt\n[[:digit:]]*',
  'ab/**/ef\n/tmp/*\n!/tmp/.keep',
  'foo/**/baz.txt\nx/**\n*.md\n!README.md',
  'lib/*.py\n!lib/sub/\nnested/n?.*',
];

// Odd names and odd patterns: escapes, brackets, `**` alone, dir-only `**/`, hidden files.
const TREE2 = ['main.py', 'a/b/c.txt', 'a/b/d.md', 'a/x.txt', 'b/a/c.txt', 'foo/bar', 'foo/baz/qux', 'x/foo/y', 'dir/sub/file', 'dir/file',
  'deep/1/2/3/4.txt', '[x].txt', 'x.txt', '*.txt', 'q?.md', 'q1.md', 'back\\slash', 'sp ace.txt', 'trailsp ', '-dash', '.hidden/x', 'h/.hidden'];
const SCENARIOS2 = ['foo/**/', '**', 'a/**/*.txt\n!a/b/', '*/\n!dir/', 'dir/*/\n', '\\[x\\].txt', '[[]x].txt', '\\*.txt', 'q\\?.md',
  'back\\\\slash', 'sp ace.txt', 'trailsp\\ ', '!\n-dash', '.*\n!.hidden/', '*/b/', 'a/b', '/a/b/', '**/b/**/*.md', 'deep/**/4.txt',
  'deep/*/2', '[!a-z]*', '**/*.txt\n!**/c.txt', '/**/c.txt', 'foo/*\n!foo/baz', '[]]x', '[a-]*', '*.[mt][dx]*'];

function gitUntracked(root: string): string[] {
  const r = spawnSync('git', ['ls-files', '-o', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\0').filter((p) => p && !p.endsWith('.gitignore') && !p.endsWith('.fcignore')).sort();
}

test('walking a tree keeps exactly the files git keeps, for many .gitignore files', { skip: spawnSync('git', ['--version']).status !== 0 ? 'git is not installed' : false }, async () => {
  const { dir, cleanup } = makeTmpDir('fcx-ignore-git-');
  try {
    let n = 0;
    for (const rules of SCENARIOS) {
      const root = join(dir, `s${n++}`);
      writeTree(root, TREE);
      assert.equal(spawnSync('git', ['init', '-q'], { cwd: root }).status, 0);
      writeFileSync(join(root, '.gitignore'), rules + '\n');
      writeFileSync(join(root, '.fcignore'), rules + '\n');
      // A nested ignore file too, with a negation of a parent rule.
      writeFileSync(join(root, 'nested', '.gitignore'), '*.txt\n!n1.txt\n');
      writeFileSync(join(root, 'nested', '.fcignore'), '*.txt\n!n1.txt\n');
      const expected = gitUntracked(root);
      const ours = (await walkSource({ root, runtime: 'python3.10', allowedRoots: [root] })).map((f) => f.path).filter((p) => !p.endsWith('.gitignore')).sort();
      assert.deepEqual(ours, expected, `rules:\n${rules}`);
    }
    for (const rules of SCENARIOS2) {
      const root = join(dir, `t${n++}`);
      writeTree(root, TREE2);
      assert.equal(spawnSync('git', ['init', '-q'], { cwd: root }).status, 0);
      writeFileSync(join(root, '.gitignore'), rules + '\n');
      writeFileSync(join(root, '.fcignore'), rules + '\n');
      const ours = (await walkSource({ root, runtime: 'python3.10', allowedRoots: [root] })).map((f) => f.path).filter((p) => !p.endsWith('.gitignore')).sort();
      assert.deepEqual(ours, gitUntracked(root), `rules:\n${rules}`);
    }
  } finally {
    cleanup();
  }
});
