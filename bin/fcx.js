#!/usr/bin/env node
'use strict';
// Thin launcher: --version answers without loading anything else; everything else goes to the compiled CLI.
const argv = process.argv.slice(2);
// `fcx … | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(process.exitCode || 0);
    throw err;
  });
}
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(require('../package.json').version + '\n');
} else {
  let main;
  try {
    main = require('../dist/src/cli/main.js').main;
  } catch (err) {
    if (err && err.code === 'MODULE_NOT_FOUND') {
      process.stderr.write('error: fcx is not built yet.\nhint: run `npm install` (or `npm run build`) in the fcx folder first.\n');
      process.exit(1);
    }
    throw err;
  }
  main(argv).then((code) => {
    process.exitCode = code;
  });
}
