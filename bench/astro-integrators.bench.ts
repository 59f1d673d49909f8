import { MU_EARTH_KM3_S2 } from '../sdk/astro/constants';
import { integrate, type IntegrationMethod } from '../sdk/astro/integrators';
import { percentile, type BenchResult } from './lib';

/**
 * Integrator cost on the two-body problem (LEO, a = 7000 km, i = 51.6°, 10 days):
 * wall time per propagation, per accepted step and per right-hand-side evaluation, with
 * the raw cost of the same evaluations in a bare loop beside it (the integrator's own
 * overhead is the difference). Median and maximum over repeated runs, since hand-written
 * numeric kernels can fall into slow V8 paths (see DESIGN.md, performance notes).
 */
const MU = MU_EARTH_KM3_S2;

function twoBody(_t: number, y: Float64Array, d: Float64Array): void {
  const r2 = y[0] * y[0] + y[1] * y[1] + y[2] * y[2];
  const k = -MU / (r2 * Math.sqrt(r2));
  d[0] = y[3];
  d[1] = y[4];
  d[2] = y[5];
  d[3] = k * y[0];
  d[4] = k * y[1];
  d[5] = k * y[2];
}

const A = 7000;
const INC = 51.6 * (Math.PI / 180);
const V = Math.sqrt(MU / A);
const Y0 = [A, 0, 0, 0, V * Math.cos(INC), V * Math.sin(INC)];
const T_END = 10 * 86400;

function once(method: IntegrationMethod, tol: number): { ms: number; steps: number; evaluations: number } {
  const t0 = process.hrtime.bigint();
  const r = integrate({ f: twoBody, t0: 0, y0: Y0, tEnd: T_END, method, rtol: tol, atol: tol });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, steps: r.steps, evaluations: r.evaluations };
}

function rawEvaluationNs(n: number): number {
  const y = Float64Array.from(Y0);
  const d = new Float64Array(6);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    twoBody(0, y, d);
    y[0] += d[0] * 1e-12; // keep the loop from being optimised away
  }
  return Number(process.hrtime.bigint() - t0) / n;
}

export async function run(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const runs = 9;
  for (const [method, tol] of [
    ['dp853', 1e-12],
    ['dp54', 1e-10],
  ] as const) {
    once(method, tol); // warm-up
    const res = Array.from({ length: runs }, () => once(method, tol));
    const ms = res.map((r) => r.ms).sort((a, b) => a - b);
    const { steps, evaluations } = res[0];
    const med = percentile(ms, 50);
    out.push({ name: `${method} tol ${tol}: LEO 10 days, median of ${runs}`, value: med, unit: 'ms', target: '<= 200 ms', pass: med <= 200 });
    out.push({ name: `${method} tol ${tol}: LEO 10 days, max of ${runs}`, value: ms[ms.length - 1], unit: 'ms' });
    out.push({ name: `${method} tol ${tol}: accepted steps`, value: steps, unit: 'steps' });
    out.push({ name: `${method} tol ${tol}: time per f evaluation (incl. integrator)`, value: (med * 1e6) / evaluations, unit: 'ns' });
  }
  rawEvaluationNs(1e6);
  out.push({ name: 'two-body f evaluation in a bare loop', value: rawEvaluationNs(5e6), unit: 'ns', reference: 'raw cost of f' });
  return out;
}
