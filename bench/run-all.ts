import * as fs from 'node:fs';
import * as path from 'node:path';
import { printTable, writeResults, type BenchResult } from './lib';

/**
 * `npm run bench [-- NAME...]`: runs every bench/*.bench.ts (or those named), prints a
 * table per suite and writes bench/results/<suite>.json.
 */
async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
    .sort();
  let missed = 0;
  for (const f of files) {
    const suite = f.replace(/\.bench\.ts$/, '');
    const mod = (await import(path.join(__dirname, f))) as { run(): Promise<BenchResult[]> };
    const results = await mod.run();
    printTable(suite, results);
    const file = writeResults(suite, results);
    process.stdout.write(`results: ${path.relative(process.cwd(), file)}\n`);
    missed += results.filter((r) => r.pass === false).length;
  }
  if (missed) process.stdout.write(`\n${missed} target(s) missed\n`);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err.stack ?? err}\n`);
  process.exitCode = 1;
});
