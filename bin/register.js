'use strict';
// Registers the TypeScript loader used by the kernel, the CLI, the tests and the benchmarks.
// Transpile-only: type checking is done once, by `npm run typecheck` (tsc --noEmit), not at
// every start; this keeps `scoop run` quick to start.
const path = require('node:path');
const Module = require('node:module');

// Plugins and their tests may live outside the project (`scoop plugin new NAME --dir D`,
// kernel.pluginDirs): let them resolve the project's packages (zod, chai, ...) too.
const projectModules = path.join(__dirname, '..', 'node_modules');
const current = (process.env.NODE_PATH || '').split(path.delimiter).filter(Boolean);
if (!current.includes(projectModules)) {
  process.env.NODE_PATH = [...current, projectModules].join(path.delimiter);
  Module._initPaths();
}

require('ts-node').register({
  transpileOnly: true,
  project: path.join(__dirname, '..', 'tsconfig.json'),
});
require('reflect-metadata');
process.setSourceMapsEnabled(true);
