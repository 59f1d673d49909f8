import { principalProblem, type PlaneProblem } from '../plugins/collision-probability/encounter';
import { fosterCircle, naiveGrid } from '../plugins/collision-probability/pc2d';
import { Random } from '../plugins/collision-probability/special';
import type { BenchResult } from './lib';

/**
 * Foster 2D Pc throughput at 1e-6 relative accuracy, against a naive fixed-grid double
 * integral in the same run. The problems are a seeded spread of operational geometries:
 * σ from 10 m to 5 km, aspect ratios 1–50, miss 0–5σ, hard-body radius 1–20 m, random
 * orientation. Accuracy is measured on every problem against Foster at 1e-13.
 */
function problems(n: number): { p: PlaneProblem; R: number }[] {
  const rng = new Random(2024);
  const out: { p: PlaneProblem; R: number }[] = [];
  for (let i = 0; i < n; i++) {
    const s1 = 10 * Math.pow(500, rng.uniform());
    const s2 = s1 * Math.pow(50, rng.uniform());
    const th = Math.PI * rng.uniform();
    const c = Math.cos(th);
    const s = Math.sin(th);
    const cov = [
      [c * c * s1 * s1 + s * s * s2 * s2, c * s * (s2 * s2 - s1 * s1)],
      [c * s * (s2 * s2 - s1 * s1), s * s * s1 * s1 + c * c * s2 * s2],
    ];
    const k = 5 * rng.uniform();
    const a = 2 * Math.PI * rng.uniform();
    out.push({ p: principalProblem(cov, [k * s1 * Math.cos(a), k * s2 * Math.sin(a)]), R: 1 + 19 * rng.uniform() });
  }
  return out;
}

function rate(fn: () => void, count: number, minMs = 400): number {
  fn(); // warm-up
  let n = 0;
  const t0 = process.hrtime.bigint();
  let dt: number;
  do {
    fn();
    n += count;
    dt = Number(process.hrtime.bigint() - t0) / 1e6;
  } while (dt < minMs);
  return (n / dt) * 1000;
}

export async function run(): Promise<BenchResult[]> {
  const set = problems(2000);
  const exact = set.map(({ p, R }) => fosterCircle(p, R, { relTol: 1e-13 }).pc);
  let worst = 0;
  let nodes = 0;
  for (let i = 0; i < set.length; i++) {
    const r = fosterCircle(set[i].p, set[i].R, { relTol: 1e-6 });
    nodes += r.evaluations;
    if (exact[i] > 0) worst = Math.max(worst, Math.abs(r.pc - exact[i]) / exact[i]);
  }
  let sink = 0;
  const rates: number[] = [];
  for (let round = 0; round < 5; round++) {
    rates.push(
      rate(() => {
        for (const { p, R } of set) sink += fosterCircle(p, R, { relTol: 1e-6 }).pc;
      }, set.length),
    );
  }
  rates.sort((a, b) => a - b);
  const GRID = 200;
  const small = set.slice(0, 200);
  let gridWorst = 0;
  for (let i = 0; i < small.length; i++) {
    const g = naiveGrid(small[i].p, small[i].R, GRID);
    if (exact[i] > 0) gridWorst = Math.max(gridWorst, Math.abs(g - exact[i]) / exact[i]);
  }
  const gridRate = rate(() => {
    for (const { p, R } of small) sink += naiveGrid(p, R, GRID);
  }, small.length);
  if (Number.isNaN(sink)) throw new Error('NaN in benchmark');
  const median = rates[Math.floor(rates.length / 2)];
  return [
    { name: 'Foster 2D Pc, relTol 1e-6 (median of 5)', value: median, unit: 'evals/s', target: '≥ 200,000', pass: median >= 200_000 },
    { name: 'Foster 2D Pc, relTol 1e-6 (slowest of 5)', value: rates[0], unit: 'evals/s' },
    { name: 'Foster 2D Pc, relTol 1e-6: worst relative error (2000 problems)', value: worst, unit: 'relative', target: '≤ 1e-6', pass: worst <= 1e-6 },
    { name: 'Foster 2D Pc, relTol 1e-6: mean quadrature nodes', value: nodes / set.length, unit: 'nodes' },
    { name: `naive ${GRID}×${GRID} midpoint grid`, value: gridRate, unit: 'evals/s', reference: 'Foster above' },
    { name: `naive ${GRID}×${GRID} midpoint grid: worst relative error`, value: gridWorst, unit: 'relative', reference: 'Foster above' },
  ];
}
