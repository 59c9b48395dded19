#!/usr/bin/env node
'use strict';
// Runs every compiled test file (dist/test/**/*.test.js) with node's test runner and ends with one plain line:
// "N passed, N failed, N skipped". Usage: node scripts/run-tests.js [substring filter...]
const { spawnSync } = require('node:child_process');
const { readdirSync, statSync, readFileSync, mkdtempSync } = require('node:fs');
const { join } = require('node:path');
const os = require('node:os');

const root = join(__dirname, '..', 'dist', 'test');
const filters = process.argv.slice(2);
function walk(dir) {
  let out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(walk(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}
const files = walk(root).filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error('no test files found under dist/test (did the build run?)');
  process.exit(1);
}
const tapFile = join(mkdtempSync(join(os.tmpdir(), 'fcx-tests-')), 'results.tap');
const env = { ...process.env, ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true', FCX_TEST: '1' };
const res = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=2', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tapFile}`, ...files],
  { stdio: 'inherit', env },
);
let pass = 0, fail = 0, skip = 0;
try {
  const tap = readFileSync(tapFile, 'utf8');
  const num = (k) => { const m = tap.match(new RegExp(`^# ${k} (\\d+)$`, 'm')); return m ? Number(m[1]) : 0; };
  pass = num('pass'); fail = num('fail'); skip = num('skipped') + num('todo');
} catch { fail = Math.max(fail, 1); }
console.log(`${pass} passed, ${fail} failed, ${skip} skipped`);
process.exit(res.status === 0 && fail === 0 ? 0 : 1);
