#!/usr/bin/env node
// The command line, compiled by `npm run build` into dist/.
let cli;
try {
  cli = require('../dist/src/cli/main.js');
} catch (error) {
  if (error.code !== 'MODULE_NOT_FOUND') throw error;
  console.error('lms-import: the command line is not built yet: run npm run build');
  process.exit(1);
}
cli.main();
