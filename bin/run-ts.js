#!/usr/bin/env node
'use strict';
// Runs a TypeScript entry point with the project's loader: `node bin/run-ts.js FILE [ARGS...]`.
require('./register');
const path = require('node:path');
const file = process.argv[2];
if (!file) { process.stderr.write('usage: run-ts FILE [ARGS...]\n'); process.exit(2); }
process.argv.splice(1, 1);
require(path.resolve(file));
