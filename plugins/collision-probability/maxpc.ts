/**
 * Maximum collision probability when the covariance is missing, partial or not trusted.
 *
 *  - Both covariances known, size not trusted (Alfriend et al., "Probability of collision
 *    error analysis", Space Debris 1(1), 1999, eq. 21): scale the combined covariance by k²
 *    and take the largest Pc over k. For R ≪ miss, Pc(k) ≈ R²/(2k²σxσy)·exp(−d_m²/(2k²)) is
 *    largest at k² = d_m²/2, giving the closed form Pc_max = R²/(e·σx·σy·d_m²) (d_m the
 *    Mahalanobis miss distance). `alfriendMaxPc` maximises the exact Foster integral over k
 *    (golden-section search on ln k around that optimum) and also returns the closed form.
 *  - One covariance known (Frisbee's upper bound, as used by NASA CARA): the unknown object's
 *    position error is taken as a degenerate Gaussian V·ûûᵀ along the miss direction û. With
 *    C the known plane covariance and K² = rᵀC⁻¹r, Sherman–Morrison gives
 *    rᵀ(C + Vûûᵀ)⁻¹r = K²/w and det(C + Vûûᵀ) = det C · w with w = 1 + V ûᵀC⁻¹û, so the
 *    small-disc Pc ∝ exp(−K²/(2w))/√w, largest at w = K², i.e. V = |r|²(K² − 1)/K² when K > 1
 *    (V = 0 otherwise). The Pc of the augmented covariance is then computed exactly (Foster).
 *    Closed form at the optimum (small disc): R²/(2·K·√det C·√e).
 *  - Both missing: the worst Gaussian of any shape. The degenerate line density along û with
 *    variance σ² gives P = Φ((d+R)/σ) − Φ((d−R)/σ), largest at σ² = 2dR / ln((d+R)/(d−R))
 *    (setting the derivative to zero: (d+R)φ((d+R)/σ) = (d−R)φ((d−R)/σ)); 1 when d ≤ R.
 */
import { fosterCircle, type Pc2DResult } from './pc2d';
import { principalProblem, type PlaneProblem } from './encounter';
import { halfErfDiffScaled } from './special';

const SQRT2 = Math.SQRT2;

export interface MaxPcResult extends Pc2DResult {
  /** Which bound was used. */
  kind: 'alfriend-scaling' | 'frisbee-one-covariance' | 'no-covariance';
  /** Closed-form (small-disc) value of the same bound, for comparison. */
  closedForm?: number;
  /** Covariance scale factor k (Alfriend) or added variance V (Frisbee, m²) at the maximum. */
  scale?: number;
}

/** Mahalanobis distance squared of the miss vector in the plane problem. */
export function mahalanobis2(p: PlaneProblem): number {
  return (p.mx * p.mx) / (p.sx * p.sx) + (p.my * p.my) / (p.sy * p.sy);
}

/** Alfriend et al. (1999) eq. 21, closed form (valid for R ≪ miss distance). */
export function alfriendMaxPcClosedForm(p: PlaneProblem, radiusM: number): number {
  return (radiusM * radiusM) / (Math.E * p.sx * p.sy * mahalanobis2(p));
}

/** Largest Foster Pc over a scaling k of the covariance. */
export function alfriendMaxPc(p: PlaneProblem, radiusM: number, relTol = 1e-10): MaxPcResult {
  const dm2 = mahalanobis2(p);
  const closedForm = alfriendMaxPcClosedForm(p, radiusM);
  const at = (lnk: number) => {
    const k = Math.exp(lnk);
    return fosterCircle({ sx: p.sx * k, sy: p.sy * k, mx: p.mx, my: p.my }, radiusM, { relTol });
  };
  // Bracket around the small-disc optimum k² = d_m²/2 (or k = 1 for a centred miss, where Pc
  // grows as k → 0: the limit is then 1 if the disc contains the centre).
  const k0 = dm2 > 0 ? Math.sqrt(dm2 / 2) : 1e-6;
  let a = Math.log(k0) - 3;
  let b = Math.log(k0) + 3;
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = at(c).log10Pc;
  let fd = at(d).log10Pc;
  let evaluations = 2;
  while (b - a > 1e-7) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = at(c).log10Pc;
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = at(d).log10Pc;
    }
    evaluations++;
  }
  const best = at(0.5 * (a + b));
  return { ...best, evaluations: evaluations + 1, kind: 'alfriend-scaling', closedForm, scale: Math.exp(0.5 * (a + b)) };
}

/**
 * Frisbee's bound with one known plane covariance `known` (2×2, m²) and the miss vector
 * (m) in the same plane axes.
 */
export function frisbeeMaxPc(known: readonly (readonly number[])[], missM: readonly [number, number], radiusM: number, relTol = 1e-10): MaxPcResult {
  const [a, b0, c] = [known[0][0], 0.5 * (known[0][1] + known[1][0]), known[1][1]];
  const det = a * c - b0 * b0;
  if (!(det > 0)) throw new RangeError('max-pc (Frisbee): the known covariance is singular in the encounter plane');
  const [rx, rz] = missM;
  const d2 = rx * rx + rz * rz;
  const K2 = (c * rx * rx - 2 * b0 * rx * rz + a * rz * rz) / det;
  const V = K2 > 1 ? (d2 * (K2 - 1)) / K2 : 0;
  const ux = d2 > 0 ? rx / Math.sqrt(d2) : 1;
  const uz = d2 > 0 ? rz / Math.sqrt(d2) : 0;
  const cov = [
    [a + V * ux * ux, b0 + V * ux * uz],
    [b0 + V * ux * uz, c + V * uz * uz],
  ];
  const res = fosterCircle(principalProblem(cov, missM), radiusM, { relTol });
  const closedForm = K2 > 1 ? (radiusM * radiusM) / (2 * Math.sqrt(K2) * Math.sqrt(det) * Math.sqrt(Math.E)) : undefined;
  return { ...res, kind: 'frisbee-one-covariance', ...(closedForm !== undefined ? { closedForm } : {}), scale: V };
}

/** Worst case over every Gaussian when no covariance is known (closed form, see above). */
export function noCovarianceMaxPc(missM: number, radiusM: number): MaxPcResult {
  const d = missM;
  const R = radiusM;
  if (d <= R) return { pc: 1, log10Pc: 0, evaluations: 0, kind: 'no-covariance', closedForm: 1 };
  const sigma = Math.sqrt((2 * d * R) / Math.log((d + R) / (d - R)));
  const sc = { e: 0, m: 0 };
  halfErfDiffScaled((d + R) / (SQRT2 * sigma), (d - R) / (SQRT2 * sigma), sc);
  const ln = -sc.e + Math.log(sc.m);
  return { pc: Math.exp(ln), log10Pc: ln / Math.LN10, evaluations: 1, kind: 'no-covariance', closedForm: Math.exp(ln), scale: sigma };
}
