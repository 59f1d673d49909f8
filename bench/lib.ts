import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** One measured figure; `reference` names the raw library or peer it is compared with. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  reference?: string;
  target?: string;
  /** Whether the target is met (omitted when there is no target). */
  pass?: boolean;
}

export const RESULTS_DIR = path.join(__dirname, 'results');

export function writeResults(suite: string, results: BenchResult[]): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${suite}.json`);
  const doc = {
    suite,
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    results,
  };
  fs.writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
  return file;
}

export function printTable(suite: string, results: BenchResult[]): void {
  const rows = results.map((r) => [r.name, fmt(r.value), r.unit, r.reference ?? '', r.target ?? '', r.pass === undefined ? '' : r.pass ? 'PASS' : 'MISS']);
  const head = ['benchmark', 'value', 'unit', 'compared with', 'target', ''];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 1 ? c.padStart(w[i]) : c.padEnd(w[i]))).join('  ').trimEnd();
  process.stdout.write(`\n== ${suite} ==\n${line(head)}\n${w.map((n) => '-'.repeat(n)).join('  ')}\n${rows.map(line).join('\n')}\n`);
}

function fmt(v: number): string {
  if (Math.abs(v) >= 1e5) return Math.round(v).toLocaleString('en-US');
  if (Math.abs(v) >= 100) return v.toFixed(0);
  if (Math.abs(v) >= 1) return v.toFixed(2);
  return v.toPrecision(3);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}
