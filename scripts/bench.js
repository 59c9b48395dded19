#!/usr/bin/env node
'use strict';
// npm run bench [-- substring...]: runs dist/test/bench/*.bench.js in name order (startup first) and prints one table.
const { readdirSync } = require('node:fs');
const { join } = require('node:path');
const dir = join(__dirname, '..', 'dist', 'test', 'bench');
const filters = process.argv.slice(2);
const order = (f) => (f.startsWith('startup') ? '0' + f : '1' + f);
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.js')).filter((f) => !filters.length || filters.some((s) => f.includes(s))).sort((a, b) => order(a).localeCompare(order(b)));
const reporter = {
  section(title) { console.log(`\n## ${title}\n\n| measure | value | note |\n|---|---|---|`); },
  row(name, value, note) { console.log(`| ${name} | ${value} | ${note ?? ''} |`); },
};
(async () => {
  console.log(`# fcx benchmarks — ${new Date().toISOString()} — node ${process.version}, ${require('node:os').cpus().length} cores`);
  console.log('Command: npm run bench');
  for (const f of files) {
    const mod = require(join(dir, f));
    try { await (mod.default || mod)(reporter); }
    catch (err) { console.log(`\n(${f} failed: ${err && err.message})`); process.exitCode = 1; }
  }
})();
