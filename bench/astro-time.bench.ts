import { parseFinals2000A } from '../sdk/astro/eop-parsers';
import { Epoch } from '../sdk/astro/time';
import { readReferenceText } from '../sdk/reference-data';
import { percentile, type BenchResult } from './lib';

/**
 * Cost of the time and EOP primitives every propagation and frame conversion calls: building an
 * Epoch from text, reading it in TT/UTC/UT1, shifting it, EOP interpolation, and parsing the full
 * finals2000A file. Median over repeated batches (the machine is shared).
 */
function perCallNs(batch: number, repeats: number, body: () => void): { median: number; max: number } {
  const samples: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < batch; k++) body();
    samples.push(Number(process.hrtime.bigint() - t0) / batch);
  }
  samples.sort((a, b) => a - b);
  return { median: percentile(samples, 50), max: samples[samples.length - 1] };
}

export async function run(): Promise<BenchResult[]> {
  const t0 = process.hrtime.bigint();
  const eop = parseFinals2000A(readReferenceText('eop/iers-finals2000A.all'), 'finals2000A.all');
  const parseMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const opts = { ut1: eop };
  const e = Epoch.parse('2024-03-01T12:34:56.789', 'UTC', opts);
  let sink = 0;
  const results: BenchResult[] = [{ name: 'parseFinals2000A (20 012 lines, 3.7 MB)', value: parseMs, unit: 'ms' }];
  const cases: Array<[string, () => void]> = [
    ['Epoch.parse ISO UTC', () => (sink += Epoch.parse('2024-03-01T12:34:56.789Z').minus(e))],
    ['epoch.jd("TT")', () => (sink += e.jd('TT')[1])],
    ['epoch.jd("UTC")', () => (sink += e.jd('UTC')[1])],
    ['epoch.jd("UT1") (EOP interpolation)', () => (sink += e.jd('UT1')[1])],
    ['epoch.toIso("UTC", 6)', () => (sink += e.toIso('UTC', 6).length)],
    ['epoch.plusSeconds', () => (sink += e.plusSeconds(0.125).minus(e))],
    ['eop.at(mjd)', () => (sink += eop.at(60370.523).xpArcsec)],
  ];
  for (const [name, body] of cases) {
    const r = perCallNs(20000, 15, body);
    results.push({ name, value: r.median, unit: 'ns/call (median)' });
  }
  if (!Number.isFinite(sink)) throw new Error('unexpected non-finite sink');
  return results;
}
