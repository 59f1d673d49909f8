/**
 * Kepler's equation (elliptic and hyperbolic) and conversions between the mean, eccentric
 * (or hyperbolic) and true anomalies. All angles in radians.
 *
 * Sources: Vallado, "Fundamentals of Astrodynamics and Applications", 4th ed. (2013),
 * §2.2–2.3 (Alg. 2 KepEqtnE, Alg. 4 KepEqtnH, Alg. 5/6 ν↔E/H); Battin, "An Introduction to
 * the Mathematics and Methods of Astrodynamics" (1999), §4.3–4.5 (Barker's equation).
 *
 * Robustness: both equations are solved by Halley iterations kept inside a bracket that
 * provably contains the root (the Kepler functions are monotonic), falling back to bisection
 * whenever a step would leave the bracket. Near the parabola (e → 1) and for small anomalies the
 * residuals are evaluated in a cancellation-free form: E − e sin E = (1 − e)E + e(E − sin E) with
 * E − sin E from its series, and likewise for sinh, so the root is found to machine precision
 * even at e = 0.999999 and M ≈ 1e-9.
 */
import { TWO_PI } from './constants';

const MAX_ITERATIONS = 100;

/** x − sin x without cancellation for small |x| (series x³/3! − x⁵/5! + …). */
function xMinusSin(x: number): number {
  if (Math.abs(x) > 0.5) return x - Math.sin(x);
  const x2 = x * x;
  let term = (x * x2) / 6;
  let sum = term;
  for (let k = 2; k < 30; k++) {
    term *= -x2 / ((2 * k) * (2 * k + 1));
    sum += term;
    if (Math.abs(term) < 1e-18 * Math.abs(sum)) break;
  }
  return sum;
}

/** sinh x − x without cancellation for small |x| (series x³/3! + x⁵/5! + …). */
function sinhMinusX(x: number): number {
  if (Math.abs(x) > 0.5) return Math.sinh(x) - x;
  const x2 = x * x;
  let term = (x * x2) / 6;
  let sum = term;
  for (let k = 2; k < 30; k++) {
    term *= x2 / ((2 * k) * (2 * k + 1));
    sum += term;
    if (Math.abs(term) < 1e-18 * Math.abs(sum)) break;
  }
  return sum;
}

/** Angle wrapped to [−π, π). */
export function wrapPi(a: number): number {
  const w = a - TWO_PI * Math.floor((a + Math.PI) / TWO_PI);
  return w >= Math.PI ? w - TWO_PI : w;
}

/** Angle wrapped to [0, 2π). */
export function wrapTwoPi(a: number): number {
  const w = a - TWO_PI * Math.floor(a / TWO_PI);
  return w >= TWO_PI ? 0 : w;
}

function checkEccentricity(e: number, what: string, elliptic: boolean): void {
  if (!Number.isFinite(e) || e < 0) throw new RangeError(`${what}: eccentricity must be a finite number ≥ 0, got ${e}`);
  if (elliptic && e >= 1) throw new RangeError(`${what}: elliptic form needs e < 1, got ${e}`);
  if (!elliptic && e <= 1) throw new RangeError(`${what}: hyperbolic form needs e > 1, got ${e}`);
}

/**
 * Solves Kepler's equation M = E − e sin E (Vallado §2.2, Alg. 2) for the eccentric anomaly E, rad.
 * Valid for 0 ≤ e < 1 and any M; the result has the same number of whole turns as M
 * (E − M ∈ [−π, π]), so E is continuous in M.
 */
export function solveKeplerElliptic(meanAnomalyRad: number, e: number): number {
  checkEccentricity(e, 'solveKeplerElliptic', true);
  if (!Number.isFinite(meanAnomalyRad)) throw new RangeError(`solveKeplerElliptic: mean anomaly must be finite, got ${meanAnomalyRad}`);
  if (e === 0) return meanAnomalyRad;
  // Reduce to m ∈ [−π, π); by odd symmetry solve for |m| ∈ [0, π] where E ∈ [|m|, |m| + e] ∩ [0, π].
  const m = wrapPi(meanAnomalyRad);
  const turns = meanAnomalyRad - m;
  const sign = m < 0 ? -1 : 1;
  const ma = Math.abs(m);
  if (ma === 0) return turns;
  // f(E) = (1 − e)E + e(E − sin E) − M, increasing on [0, π].
  const f = (x: number): number => (1 - e) * x + e * xMinusSin(x) - ma;
  let lo = ma;
  let hi = Math.min(ma + e, Math.PI);
  // Starter: for e near 1 and small M the cubic E ≈ (6M)^{1/3} (from M ≈ (1−e)E + eE³/6) is much
  // closer than M + e sin M (Vallado §2.2 discusses the difficulty of high-e starters).
  let x = e > 0.8 && ma < 0.5 ? Math.min(Math.max(Math.cbrt((6 * ma) / e), lo), hi) : Math.min(Math.max(ma + e * Math.sin(ma), lo), hi);
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    const fx = f(x);
    if (fx === 0) return turns + sign * x;
    if (fx > 0) hi = x;
    else lo = x;
    const d1 = 1 - e * Math.cos(x);
    const d2 = e * Math.sin(x);
    // Halley step (third-order Newton variant; Danby, "Fundamentals of Celestial Mechanics", ch. 6).
    let next = x - (2 * fx * d1) / (2 * d1 * d1 - fx * d2);
    // Converged when the Halley step is at the rounding level (relative test, x > 0 here: an
    // absolute one would stop early for small anomalies). Tested before the bracket test: at the
    // root the step lands on a bracket end and must not trigger a bisection.
    if (Math.abs(next - x) <= 2 * Number.EPSILON * Math.abs(x)) return turns + sign * next;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    x = next;
    if (hi - lo <= 2 * Number.EPSILON * hi) break;
  }
  return turns + sign * x;
}

/**
 * Solves the hyperbolic Kepler equation M = e sinh H − H (Vallado §2.2, Alg. 4) for H, rad (e > 1).
 */
export function solveKeplerHyperbolic(meanAnomalyRad: number, e: number): number {
  checkEccentricity(e, 'solveKeplerHyperbolic', false);
  if (!Number.isFinite(meanAnomalyRad)) throw new RangeError(`solveKeplerHyperbolic: mean anomaly must be finite, got ${meanAnomalyRad}`);
  const sign = meanAnomalyRad < 0 ? -1 : 1;
  const ma = Math.abs(meanAnomalyRad);
  if (ma === 0) return 0;
  // f(H) = (e − 1) sinh H + (sinh H − H) − M, increasing. Bracket: e sinh H ≥ M ⇒ H ≥ asinh(M/e);
  // (e − 1) sinh H ≤ M ⇒ H ≤ asinh(M/(e − 1)).
  const f = (x: number): number => (e - 1) * Math.sinh(x) + sinhMinusX(x) - ma;
  let lo = Math.asinh(ma / e);
  let hi = Math.asinh(ma / (e - 1));
  // Starter: ln(2M/e + 1.8) for large M (Vallado §2.2.5), cubic (6M)^{1/3} near the parabola.
  let x = ma > 1 ? Math.log((2 * ma) / e + 1.8) : e < 1.2 ? Math.cbrt((6 * ma) / e) : ma / (e - 1);
  x = Math.min(Math.max(x, lo), hi);
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    const fx = f(x);
    if (fx === 0) return sign * x;
    if (fx > 0) hi = x;
    else lo = x;
    const d1 = e * Math.cosh(x) - 1;
    const d2 = e * Math.sinh(x);
    let next = x - (2 * fx * d1) / (2 * d1 * d1 - fx * d2);
    // Converged when the Halley step is at the rounding level (relative test, x > 0 here: an
    // absolute one would stop early for small anomalies). Tested before the bracket test: at the
    // root the step lands on a bracket end and must not trigger a bisection.
    if (Math.abs(next - x) <= 2 * Number.EPSILON * Math.abs(x)) return sign * next;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    x = next;
    if (hi - lo <= 2 * Number.EPSILON * hi) break;
  }
  return sign * x;
}

/** Mean anomaly from eccentric anomaly, M = E − e sin E (cancellation-free near e → 1). */
export function eccentricToMean(eccentricAnomalyRad: number, e: number): number {
  checkEccentricity(e, 'eccentricToMean', true);
  return (1 - e) * eccentricAnomalyRad + e * xMinusSin(eccentricAnomalyRad);
}

/** Mean anomaly from hyperbolic anomaly, M = e sinh H − H. */
export function hyperbolicToMean(hyperbolicAnomalyRad: number, e: number): number {
  checkEccentricity(e, 'hyperbolicToMean', false);
  return (e - 1) * Math.sinh(hyperbolicAnomalyRad) + sinhMinusX(hyperbolicAnomalyRad);
}

/**
 * True anomaly from eccentric anomaly (Vallado Alg. 6 in atan2 form:
 * sin ν = √(1 − e²) sin E / (1 − e cos E), cos ν = (cos E − e)/(1 − e cos E)); keeps the turn of E.
 */
export function eccentricToTrue(eccentricAnomalyRad: number, e: number): number {
  checkEccentricity(e, 'eccentricToTrue', true);
  const E = eccentricAnomalyRad;
  // cos E − e written as (1 − e) − 2 sin²(E/2): no cancellation near periapsis when e → 1.
  const sHalf = Math.sin(E / 2);
  const nu = Math.atan2(Math.sqrt((1 - e) * (1 + e)) * Math.sin(E), 1 - e - 2 * sHalf * sHalf);
  return nu + TWO_PI * Math.round((E - nu) / TWO_PI);
}

/** Eccentric anomaly from true anomaly (Vallado Alg. 5, atan2 form); keeps the turn of ν. */
export function trueToEccentric(trueAnomalyRad: number, e: number): number {
  checkEccentricity(e, 'trueToEccentric', true);
  const nu = trueAnomalyRad;
  // e + cos ν written as 2 cos²(ν/2) − (1 − e): no cancellation near apoapsis when e → 1.
  const cHalf = Math.cos(nu / 2);
  const E = Math.atan2(Math.sqrt((1 - e) * (1 + e)) * Math.sin(nu), 2 * cHalf * cHalf - (1 - e));
  return E + TWO_PI * Math.round((nu - E) / TWO_PI);
}

/** True anomaly from hyperbolic anomaly: tan(ν/2) = √((e+1)/(e−1)) tanh(H/2) (Vallado §2.2, Alg. 6). */
export function hyperbolicToTrue(hyperbolicAnomalyRad: number, e: number): number {
  checkEccentricity(e, 'hyperbolicToTrue', false);
  return 2 * Math.atan(Math.sqrt((e + 1) / (e - 1)) * Math.tanh(hyperbolicAnomalyRad / 2));
}

/**
 * Hyperbolic anomaly from true anomaly: tanh(H/2) = √((e−1)/(e+1)) tan(ν/2); ν must lie between
 * the asymptotes, |ν| < arccos(−1/e).
 */
export function trueToHyperbolic(trueAnomalyRad: number, e: number): number {
  checkEccentricity(e, 'trueToHyperbolic', false);
  const nu = wrapPi(trueAnomalyRad);
  const limit = Math.acos(-1 / e);
  if (Math.abs(nu) >= limit) {
    throw new RangeError(`trueToHyperbolic: true anomaly ${trueAnomalyRad} rad is beyond the asymptote ±${limit} rad of a hyperbola with e = ${e}`);
  }
  return 2 * Math.atanh(Math.sqrt((e - 1) / (e + 1)) * Math.tan(nu / 2));
}

/**
 * Mean anomaly from true anomaly for any conic. Elliptic: M = E − e sin E (turn of ν kept).
 * Hyperbolic: M = e sinh H − H. Parabolic (e = 1): Barker's equation, M = D + D³/3 with
 * D = tan(ν/2) — the "parabolic mean anomaly" √(μ/(2q³))·(t − T) of Vallado §2.2 (Alg. 3) with the
 * factor 2 absorbed (Battin §4.3).
 */
export function trueToMean(trueAnomalyRad: number, e: number): number {
  if (e < 1) return eccentricToMean(trueToEccentric(trueAnomalyRad, e), e);
  if (e > 1) return hyperbolicToMean(trueToHyperbolic(trueAnomalyRad, e), e);
  const d = Math.tan(wrapPi(trueAnomalyRad) / 2);
  return d + (d * d * d) / 3;
}

/**
 * True anomaly from mean anomaly for any conic (inverse of `trueToMean`). Parabolic: Barker's
 * equation solved in closed form (Vallado Alg. 3: cubic via the substitution D = 2 cot 2w).
 */
export function meanToTrue(meanAnomalyRad: number, e: number): number {
  if (e < 1) return eccentricToTrue(solveKeplerElliptic(meanAnomalyRad, e), e);
  if (e > 1) return hyperbolicToTrue(solveKeplerHyperbolic(meanAnomalyRad, e), e);
  // D + D³/3 = M ⇒ (Cardano) D = s − 1/s with s = ∛(3M/2 + √((3M/2)² + 1)) = exp(asinh(3M/2)/3),
  // i.e. D = 2 sinh(asinh(3M/2)/3): the same root without cancellation for small or negative M.
  const d = 2 * Math.sinh(Math.asinh(1.5 * meanAnomalyRad) / 3);
  return 2 * Math.atan(d);
}
