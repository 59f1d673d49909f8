/**
 * Monte Carlo collision probability: sample both objects' states from their Gaussian
 * covariances, move them, count the samples whose closest approach is within the hard-body
 * radius. The estimate is hits/N with a 95 % Wilson score interval (special.ts); the seed
 * makes a run reproducible. Accuracy is statistical only: the half-width of the interval is
 * about 1.96·√(Pc(1−Pc)/N), so Pc ≈ 1e-4 needs N ≈ 4e6 for ±1 %.
 *
 *  - 'linear': straight-line relative motion at TCA. Relative position and velocity are drawn
 *    from the combined 6×6 (or position-only 3×3) inertial covariance; the closest approach of
 *    the line r + v t is |r × v|/|v|. With a 3×3 covariance this is exactly the quantity the 2D
 *    methods integrate, so it checks them; with 6×6 it adds velocity uncertainty.
 *  - 'two-body': each sample is propagated with two-body motion (sdk/astro/twobody, universal
 *    variables) from the epoch of the given states, and the time of closest approach of each
 *    sampled pair is found by Newton's method on r·v = 0 (d/dt(r·v) = v·v + r·a), started at
 *    the nominal TCA and kept inside the search window. Curvature of the relative motion and
 *    velocity uncertainty are both included, which is what 2D Pc ignores (long, slow
 *    encounters). It finds the closest approach nearest to the nominal TCA: encounters with
 *    several minima inside the window count once.
 */
import { MU_EARTH_KM3_S2 } from '../../sdk/astro/constants';
import { covarianceLocalToInertial } from '../../sdk/astro/frames/local';
import { propagateTwoBody } from '../../sdk/astro/twobody';
import { cross, dot, norm } from '../../sdk/astro/vec';
import { Random, wilsonInterval } from './special';
import type { ObjectAtTca } from './encounter';

export interface MonteCarloResult {
  pc: number;
  log10Pc: number;
  interval: [number, number];
  hits: number;
  samples: number;
}

/** 6×6 inertial covariance (m, m/s) of an object; a 3×3 one is padded with a zero velocity block. */
export function inertialCovariance6(o: ObjectAtTca): number[][] {
  const src = o.covRtnM2 ?? o.covInertialM2;
  if (!src) return Array.from({ length: 6 }, () => new Array<number>(6).fill(0));
  const n = src.length;
  const full: number[][] = Array.from({ length: 6 }, (_, i) => Array.from({ length: 6 }, (_, j) => (i < n && j < n ? src[i][j] : 0)));
  return o.covRtnM2 ? covarianceLocalToInertial('RTN', o.posKm, o.velKmS, full) : full;
}

/**
 * Lower-triangular L with L Lᵀ = C for a positive semi-definite C (zero rows/columns and
 * round-off allowed: pivots below 1e-14 of the largest diagonal are treated as 0).
 */
export function choleskySemiDefinite(c: readonly (readonly number[])[]): number[][] {
  const n = c.length;
  const L: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const maxDiag = Math.max(...c.map((row, i) => Math.abs(row[i])), 0);
  for (let j = 0; j < n; j++) {
    let s = c[j][j];
    for (let k = 0; k < j; k++) s -= L[j][k] * L[j][k];
    if (s <= 1e-14 * maxDiag) continue;
    const d = Math.sqrt(s);
    L[j][j] = d;
    for (let i = j + 1; i < n; i++) {
      let t = c[i][j];
      for (let k = 0; k < j; k++) t -= L[i][k] * L[j][k];
      L[i][j] = t / d;
    }
  }
  return L;
}

function result(hits: number, samples: number): MonteCarloResult {
  const pc = hits / samples;
  return { pc, log10Pc: pc > 0 ? Math.log10(pc) : -Infinity, interval: wilsonInterval(hits, samples), hits, samples };
}

function sampleInto(L: number[][], rng: Random, out: Float64Array): void {
  const z = [rng.normal(), rng.normal(), rng.normal(), rng.normal(), rng.normal(), rng.normal()];
  for (let i = 0; i < 6; i++) {
    let s = 0;
    for (let k = 0; k <= i; k++) s += L[i][k] * z[k];
    out[i] = s;
  }
}

/** Straight-line relative motion at TCA. */
export function monteCarloLinear(primary: ObjectAtTca, secondary: ObjectAtTca, radiusM: number, samples: number, seed: number): MonteCarloResult {
  const c1 = inertialCovariance6(primary);
  const c2 = inertialCovariance6(secondary);
  const C = c1.map((row, i) => row.map((x, j) => x + c2[i][j]));
  const L = choleskySemiDefinite(C);
  const r0 = [0, 1, 2].map((i) => (secondary.posKm[i] - primary.posKm[i]) * 1000);
  const v0 = [0, 1, 2].map((i) => (secondary.velKmS[i] - primary.velKmS[i]) * 1000);
  const rng = new Random(seed);
  const e = new Float64Array(6);
  const R2 = radiusM * radiusM;
  let hits = 0;
  for (let n = 0; n < samples; n++) {
    sampleInto(L, rng, e);
    const r = [r0[0] + e[0], r0[1] + e[1], r0[2] + e[2]];
    const v = [v0[0] + e[3], v0[1] + e[4], v0[2] + e[5]];
    const vv = dot(v, v);
    const h = cross(r, v);
    const d2 = vv > 0 ? dot(h, h) / vv : dot(r, r);
    if (d2 <= R2) hits++;
  }
  return result(hits, samples);
}

export interface TwoBodyOptions {
  /** Time from the states' epoch to the nominal TCA (s); 0 when the states are at TCA. */
  tcaOffsetS?: number;
  /** Half-width of the search window around the nominal TCA (s). */
  windowHalfWidthS: number;
  muKm3S2?: number;
}

/** Two-body propagation of every sample from the states' epoch. */
export function monteCarloTwoBody(primary: ObjectAtTca, secondary: ObjectAtTca, radiusM: number, samples: number, seed: number, opts: TwoBodyOptions): MonteCarloResult {
  const mu = opts.muKm3S2 ?? MU_EARTH_KM3_S2;
  const t0 = opts.tcaOffsetS ?? 0;
  const lo = t0 - opts.windowHalfWidthS;
  const hi = t0 + opts.windowHalfWidthS;
  const L1 = choleskySemiDefinite(inertialCovariance6(primary));
  const L2 = choleskySemiDefinite(inertialCovariance6(secondary));
  const rng = new Random(seed);
  const e1 = new Float64Array(6);
  const e2 = new Float64Array(6);
  const Rkm = radiusM / 1000;
  let hits = 0;
  const acc = (r: readonly number[]) => {
    const rr = norm(r);
    const k = -mu / (rr * rr * rr);
    return [k * r[0], k * r[1], k * r[2]];
  };
  for (let n = 0; n < samples; n++) {
    sampleInto(L1, rng, e1);
    sampleInto(L2, rng, e2);
    const p1 = [primary.posKm[0] + e1[0] / 1000, primary.posKm[1] + e1[1] / 1000, primary.posKm[2] + e1[2] / 1000];
    const w1 = [primary.velKmS[0] + e1[3] / 1000, primary.velKmS[1] + e1[4] / 1000, primary.velKmS[2] + e1[5] / 1000];
    const p2 = [secondary.posKm[0] + e2[0] / 1000, secondary.posKm[1] + e2[1] / 1000, secondary.posKm[2] + e2[2] / 1000];
    const w2 = [secondary.velKmS[0] + e2[3] / 1000, secondary.velKmS[1] + e2[4] / 1000, secondary.velKmS[2] + e2[5] / 1000];
    let t = t0;
    let best = Infinity;
    for (let it = 0; it < 12; it++) {
      const s1 = t === 0 ? { posKm: p1, velKmS: w1 } : propagateTwoBody(p1, w1, t, mu);
      const s2 = t === 0 ? { posKm: p2, velKmS: w2 } : propagateTwoBody(p2, w2, t, mu);
      const r = [s2.posKm[0] - s1.posKm[0], s2.posKm[1] - s1.posKm[1], s2.posKm[2] - s1.posKm[2]];
      const v = [s2.velKmS[0] - s1.velKmS[0], s2.velKmS[1] - s1.velKmS[1], s2.velKmS[2] - s1.velKmS[2]];
      const a1 = acc(s1.posKm);
      const a2 = acc(s2.posKm);
      const a = [a2[0] - a1[0], a2[1] - a1[1], a2[2] - a1[2]];
      best = Math.min(best, norm(r));
      const f = dot(r, v);
      const fp = dot(v, v) + dot(r, a);
      if (!(fp > 0)) break; // not near a minimum: keep the best distance seen
      let dt = -f / fp;
      const tn = Math.min(hi, Math.max(lo, t + dt));
      dt = tn - t;
      t = tn;
      if (Math.abs(dt) < 1e-6) {
        const q1 = propagateTwoBody(p1, w1, t, mu);
        const q2 = propagateTwoBody(p2, w2, t, mu);
        best = Math.min(best, norm([q2.posKm[0] - q1.posKm[0], q2.posKm[1] - q1.posKm[1], q2.posKm[2] - q1.posKm[2]]));
        break;
      }
    }
    if (best <= Rkm) hits++;
  }
  return result(hits, samples);
}
