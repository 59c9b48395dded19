// YAML aliases are expanded into the manifest tree; nested aliases (an "alias bomb": 9 levels of
// `&aN [*aN-1 ×10]`, 10⁹ values) must be refused quickly with the alias's position, not hang fcx.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { MAX_ALIASES, parseTree } from '../../src/manifest/tree';
import { load, problemsOf } from './manifest-fixtures';

function aliasBomb(levels: number): string {
  const lines = ['name: bomb', 'x-a0: &a0 boom'];
  for (let i = 1; i <= levels; i++) lines.push(`x-a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
  lines.push(`x-all: *a${levels}`, 'functions:', '  web:', '    runtime: python3.10', '    handler: index.handler');
  return lines.join('\n') + '\n';
}

test('an alias bomb is one manifest problem at the alias, found without expanding it', () => {
  // Run in a child process with a time and memory bound: before the limit this ran for minutes at 2 GB,
  // which would hang the test runner instead of failing.
  const script = `const { parseManifestText } = require(${JSON.stringify(require.resolve('../../src/manifest/load'))});
const r = parseManifestText(process.env.BOMB, '/tmp/fcx.yaml', { cwd: '/tmp', env: {} });
process.stdout.write(JSON.stringify(r.problems));`;
  const child = spawnSync(process.execPath, ['--max-old-space-size=512', '-e', script], { env: { ...process.env, BOMB: aliasBomb(9) }, encoding: 'utf8', timeout: 30_000 });
  assert.equal(child.status, 0, `the child was stopped (${child.signal ?? ''}): ${child.stderr}`);
  const problems = JSON.parse(child.stdout) as { line: number; col: number; message: string; path: string }[];
  assert.equal(problems.length, 1, child.stdout);
  const p = problems[0];
  assert.match(p.message, /^\*a\d expands to too much: more than 10,000 alias uses or 100,000 values once aliases are expanded/);
  // The position is that of an alias use on one of the anchor lines (a line of the file that holds `*aN`).
  const line = aliasBomb(9).split('\n')[p.line - 1];
  const name = p.message.slice(1, p.message.indexOf(' '));
  assert.equal(line.slice(p.col - 1, p.col - 1 + name.length + 1), `*${name}`, `${p.line}:${p.col} is not at *${name}: ${line}`);
});

test('the limit counts alias uses: 10,001 uses of a small anchor are refused too', async () => {
  const uses = Array(MAX_ALIASES + 1).fill('*v').join(', ');
  const tree = parseTree(`x-v: &v a\nlist: [${uses}]\n`, {});
  assert.equal(tree.root, undefined);
  assert.equal(tree.problems.length, 1);
  assert.match(tree.problems[0].message, /^\*v expands to too much/);
  assert.equal(`${tree.problems[0].pos.line}:${tree.problems[0].pos.col}`, `2:${8 + 4 * MAX_ALIASES}`);
  assert.equal(tree.problems[0].path, `list[${MAX_ALIASES}]`);
});

test('ordinary anchors and merge keys stay well under the limits', async () => {
  const fns = Array.from({ length: 200 }, (_, i) => `  f${i}:\n    <<: *defaults\n    env: *env\n`).join('');
  const m = await load(`name: many\nx-defaults: &defaults\n  runtime: python3.10\n  handler: index.handler\nx-env: &env { A: "1", B: "2" }\nfunctions:\n${fns}`);
  assert.equal(m.functions.length, 200);
  assert.deepEqual(m.functions[199].env, { A: '1', B: '2' });
  const small = await load(aliasBomb(3)); // 10³ values from nested aliases are fine
  assert.equal(small.name, 'bomb');
});

test('an alias to an anchor defined later, and an anchor that contains itself, are still reported', async () => {
  const p = await problemsOf(`name: xy\nx-early: *late\nx-late: &late 1\nx-self: &self [*self]\nfunctions:\n  web:\n    runtime: python3.10\n    handler: index.handler\n`);
  assert.deepEqual(
    p.map((x) => `${x.line}:${x.col} ${x.message}`),
    ['2:10 *late refers to no anchor; define &late earlier in the file', '4:16 nesting too deep (an alias that refers to itself?)'],
  );
});
