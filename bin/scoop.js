#!/usr/bin/env node
'use strict';
require('./register');
const { main } = require('../kernel/cli/main');
main(process.argv.slice(2)).then(
  (code) => { if (typeof code === 'number') process.exitCode = code; },
  (err) => { process.stderr.write(`scoop: ${err && err.stack ? err.stack : err}\n`); process.exitCode = 1; },
);
