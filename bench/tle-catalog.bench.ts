import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { CatalogService } from '../plugins/tle-catalog/catalog';
import { CatalogStore } from '../plugins/tle-catalog/store';
import { readReferenceText } from '../sdk/reference-data';
import { percentile, type BenchResult } from './lib';

/**
 * tle-catalog ingest of the 15,347-object CelesTrak active catalog (2.6 MB): parse + checks +
 * history + journal append, into an empty catalog each time (the heavy case: every object is
 * new). Compared in the same run with a plain split of the same text into lines (the floor
 * any reader pays). Memory: heap used with the catalog minus heap once it is released, both
 * after a full GC.
 */
export async function run(): Promise<BenchResult[]> {
  const text = readReferenceText('tle/celestrak-active-2026-05-07.txt');
  // A full GC around the memory measurement; `npm run bench` does not pass --expose-gc, so the
  // flag is set at run time and the function taken from a fresh context (V8 installs it there).
  v8.setFlagsFromString('--expose-gc');
  const gc = (globalThis as { gc?: () => void }).gc ?? (vm.runInNewContext('gc') as () => void);
  const runs = 7;
  const ingestMs: number[] = [];
  const splitMs: number[] = [];
  const heapMb: number[] = [];
  let objects = 0;
  for (let i = 0; i < runs; i++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tle-bench-'));
    try {
      let store: CatalogStore | undefined = new CatalogStore(dir, { historyMaxSets: 1000, futureEpochToleranceDays: 1, meanMotionJumpFraction: 0.01, now: () => Date.parse('2026-05-08T00:00:00Z') });
      let svc: CatalogService | undefined = new CatalogService(store, { maxAgeDays: 14, now: () => Date.parse('2026-05-08T00:00:00Z') });
      gc();
      const t0 = process.hrtime.bigint();
      const r = svc.ingestText(text, 'celestrak-active');
      const t1 = process.hrtime.bigint();
      if (r.rejected.length) throw new Error(`ingest rejected ${r.rejected.length} lines`);
      objects = r.total;
      ingestMs.push(Number(t1 - t0) / 1e6);
      store.close();
      // Memory held by the catalog: heap with it, minus heap once it is released.
      gc();
      const held = process.memoryUsage().heapUsed;
      store = undefined;
      svc = undefined;
      gc();
      heapMb.push((held - process.memoryUsage().heapUsed) / 2 ** 20);
      const t2 = process.hrtime.bigint();
      const lines = text.split('\n');
      let n = 0;
      for (const l of lines) if (l.length > 0) n++;
      const t3 = process.hrtime.bigint();
      if (n === 0) throw new Error('no lines');
      splitMs.push(Number(t3 - t2) / 1e6);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const s = (a: number[]) => [...a].sort((x, y) => x - y);
  const ingestMedian = percentile(s(ingestMs), 50);
  const ingestMax = Math.max(...ingestMs);
  return [
    { name: `ingest ${objects} TLEs (median of ${runs})`, value: ingestMedian, unit: 'ms', reference: `plain line split ${percentile(s(splitMs), 50).toFixed(1)} ms`, target: '≤ 500 ms', pass: ingestMedian <= 500 },
    { name: `ingest ${objects} TLEs (max of ${runs})`, value: ingestMax, unit: 'ms', target: '≤ 500 ms', pass: ingestMax <= 500 },
    { name: 'plain line split of the same file (median)', value: percentile(s(splitMs), 50), unit: 'ms' },
    { name: 'ingest per element set (median)', value: (ingestMedian * 1000) / objects, unit: 'µs' },
    { name: 'heap held by the ingested catalog (after full GC)', value: percentile(s(heapMb), 50), unit: 'MB' },
  ];
}
