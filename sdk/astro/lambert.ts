/**
 * Lambert's problem — the conic arc joining two position vectors in a given time of flight —
 * with multiple revolutions, after D. Izzo, "Revisiting Lambert's problem", Celestial
 * Mechanics and Dynamical Astronomy 121 (2015) 1–15.
 *
 * Izzo's formulation: with c = |r₂ − r₁|, s = (r₁ + r₂ + c)/2, λ² = 1 − c/s and the
 * non-dimensional time T = √(2μ/s³)·Δt, every solution is a root x of T(x) = T with
 *   T(x) = [ (ψ + Mπ)/√|1 − x²| − x + λy ] / (1 − x²),  y = √(1 − λ²(1 − x²))   (eq. 18)
 *   cos ψ = xy + λ(1 − x²) (ellipse, |x| < 1),  cosh ψ = xy − λ(x² − 1) (hyperbola, x > 1);
 * near x = 1 (parabola) T is evaluated with Battin's hypergeometric series (eq. 20) to avoid
 * cancellation. Derivatives T′, T″, T‴ are eq. 22; the iteration is Householder's third-order
 * method (§4) from the starters of eqs. 30–31. The velocities follow from x by §3 (eqs. 6–8
 * with the radial/transverse split of Algorithm 1).
 *
 * Additions of this implementation (not in the paper): every Householder iteration is kept
 * inside a bracket known to contain the root (T is monotonic on each branch: decreasing on
 * (−1, ∞) for M = 0; for M ≥ 1 decreasing on (−1, x_Tmin) and increasing on (x_Tmin, 1)), with a
 * bisection fallback, so each branch converges to its own root; and the 0-rev starter between
 * T₁ and T₀ interpolates so that it is continuous at both ends (x₀ = (T₀/T)^{ln 2/ln(T₀/T₁)} − 1).
 *
 * Units: km, s, km/s; μ default Earth. The plane and the sense of motion: prograde (default)
 * means motion counter-clockwise about +z (angular momentum with h_z ≥ 0); retrograde the other
 * way. Transfer angles of exactly 0 or π (collinear r₁, r₂) leave the plane undefined and are
 * refused.
 */
import { MU_EARTH_KM3_S2 } from './constants';
import { cross, norm, sub, type Vec3 } from './vec';

export interface LambertOptions {
  /** Gravitational parameter, km³/s² (default Earth). */
  muKm3S2?: number;
  /** Motion clockwise about +z instead of counter-clockwise (default false). */
  retrograde?: boolean;
  /** Largest number of complete revolutions to look for (default: every feasible one). */
  maxRevolutions?: number;
}

export interface LambertSolution {
  /** Number of complete revolutions M. */
  revolutions: number;
  /** 'single' for M = 0; for M ≥ 1 Izzo's 'left' (x < x_Tmin) and 'right' (x > x_Tmin) branches. */
  branch: 'single' | 'left' | 'right';
  /** Velocity at r₁, km/s. */
  v1KmS: Vec3;
  /** Velocity at r₂, km/s. */
  v2KmS: Vec3;
  /** Izzo's x of the solution (x < 1 ellipse, x = 1 parabola, x > 1 hyperbola). */
  x: number;
  /** Iterations used. */
  iterations: number;
}

/** ₂F₁(3, 1; 5/2; z) by its series (|z| < 1), used by Battin's form of T near x = 1. */
function hypergeometric(z: number): number {
  let term = 1;
  let sum = 1;
  for (let j = 0; j < 1000; j++) {
    term *= ((3 + j) / (2.5 + j)) * z;
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return sum;
}

/** Non-dimensional time of flight T(x) for M revolutions (Izzo 2015 eqs. 18 and 20). */
export function lambertTimeOfFlight(x: number, lambda: number, revolutions: number): number {
  const E = x * x - 1;
  const z = Math.sqrt(1 + lambda * lambda * E);
  if (revolutions === 0 && Math.abs(x - 1) < 0.01) {
    // Battin's series (Izzo eq. 20): η = y − λx, S₁ = (1 − λ − xη)/2, Q = 4/3 ₂F₁(3,1;5/2;S₁).
    const eta = z - lambda * x;
    const s1 = 0.5 * (1 - lambda - x * eta);
    const q = (4 / 3) * hypergeometric(s1);
    return 0.5 * (eta * eta * eta * q + 4 * lambda * eta);
  }
  const y = Math.sqrt(Math.abs(E));
  const g = x * z - lambda * E;
  let d: number;
  if (E < 0) d = Math.acos(Math.max(-1, Math.min(1, g))) + revolutions * Math.PI;
  else d = Math.log(y * (z - lambda * x) + g); // acosh(g) in a form exact for g → 1
  return (x - lambda * z - d / y) / E;
}

/** T′, T″, T‴ (Izzo 2015 eq. 22), with y = √(1 − λ²(1 − x²)). */
function derivatives(x: number, T: number, lambda: number): [number, number, number] {
  const omx2 = 1 - x * x;
  const y = Math.sqrt(1 - lambda * lambda * omx2);
  const l2 = lambda * lambda;
  const l3 = l2 * lambda;
  const d1 = (3 * T * x - 2 + (2 * l3 * x) / y) / omx2;
  const d2 = (3 * T + 5 * x * d1 + (2 * (1 - l2) * l3) / (y * y * y)) / omx2;
  const d3 = (7 * x * d2 + 8 * d1 - (6 * (1 - l2) * l2 * l3 * x) / (y * y * y * y * y)) / omx2;
  return [d1, d2, d3];
}

/**
 * Root of T(x) = target inside [lo, hi] where T − target changes sign, by Householder's
 * third-order iteration (Izzo §4) with bisection whenever a step leaves the bracket.
 */
function solveBracketed(target: number, lambda: number, m: number, lo: number, hi: number, x0: number): { x: number; iterations: number } {
  const fLo = lambertTimeOfFlight(lo, lambda, m) - target;
  let x = x0 > lo && x0 < hi ? x0 : 0.5 * (lo + hi);
  let a = lo;
  let b = hi;
  const signLo = Math.sign(fLo);
  for (let it = 1; it <= 100; it++) {
    const T = lambertTimeOfFlight(x, lambda, m);
    const delta = T - target;
    if (delta === 0) return { x, iterations: it };
    if (Math.sign(delta) === signLo) a = x;
    else b = x;
    const [d1, d2, d3] = derivatives(x, T, lambda);
    let next = x - (delta * (d1 * d1 - (delta * d2) / 2)) / (d1 * (d1 * d1 - delta * d2) + (d3 * delta * delta) / 6);
    // A third-order step of size s leaves an error O(s³): a Householder step below 1e-13 means x
    // is at the root to within the ≈1e-15 noise of T itself. (Tested before the bracket test: at
    // the root, the step lands on a bracket end and must not trigger a bisection.)
    if (Math.abs(next - x) <= 1e-13 * Math.max(1, Math.abs(x))) return { x: next, iterations: it };
    const lower = Math.min(a, b);
    const upper = Math.max(a, b);
    if (!(next > lower && next < upper)) next = 0.5 * (a + b);
    x = next;
    if (upper - lower <= 4 * Number.EPSILON * Math.max(1, Math.abs(x))) return { x, iterations: it };
  }
  return { x, iterations: 100 };
}

/** x where T(x) is smallest for M ≥ 1 revolutions (root of T′ in (−1, 1); Izzo §4 uses Halley from x = 0). */
function xOfMinimumTime(lambda: number, m: number): number {
  let a = -1 + 1e-12;
  let b = 1 - 1e-12;
  let x = 0;
  for (let it = 0; it < 100; it++) {
    const T = lambertTimeOfFlight(x, lambda, m);
    const [d1, d2, d3] = derivatives(x, T, lambda);
    if (d1 === 0) return x;
    if (d1 < 0) a = x;
    else b = x;
    let next = x - (2 * d1 * d2) / (2 * d2 * d2 - d1 * d3); // Halley on T′
    if (!(next > a && next < b)) next = 0.5 * (a + b);
    const step = Math.abs(next - x);
    x = next;
    if (step <= 4 * Number.EPSILON || b - a <= 4 * Number.EPSILON) break;
  }
  return x;
}

/**
 * Solves Lambert's problem: all conic arcs from r₁ to r₂ in Δt with 0 … M_max complete
 * revolutions in the chosen sense of motion. Returns the single-revolution solution first,
 * then for each M ≥ 1 the left and right branches. An empty list cannot happen for Δt > 0
 * (the 0-revolution solution always exists).
 */
export function solveLambert(r1Km: readonly number[], r2Km: readonly number[], tofS: number, options: LambertOptions = {}): LambertSolution[] {
  const mu = options.muKm3S2 ?? MU_EARTH_KM3_S2;
  if (r1Km.length !== 3 || r2Km.length !== 3 || ![...r1Km, ...r2Km].every(Number.isFinite)) {
    throw new RangeError(`solveLambert: r1 and r2 must be 3 finite numbers each, got [${r1Km.join(', ')}], [${r2Km.join(', ')}] km`);
  }
  if (!(tofS > 0) || !Number.isFinite(tofS)) throw new RangeError(`solveLambert: time of flight must be finite and > 0 s, got ${tofS}`);
  if (!(mu > 0)) throw new RangeError(`solveLambert: μ must be > 0, got ${mu}`);
  const maxRevs = options.maxRevolutions ?? Infinity;
  if (!(maxRevs >= 0)) throw new RangeError(`solveLambert: maxRevolutions must be ≥ 0, got ${maxRevs}`);

  const R1 = norm(r1Km);
  const R2 = norm(r2Km);
  if (R1 === 0 || R2 === 0) throw new RangeError('solveLambert: r1 and r2 must be non-zero');
  const c = norm(sub(r2Km, r1Km));
  const s = (R1 + R2 + c) / 2;
  const ir1: Vec3 = [r1Km[0] / R1, r1Km[1] / R1, r1Km[2] / R1];
  const ir2: Vec3 = [r2Km[0] / R2, r2Km[1] / R2, r2Km[2] / R2];
  const hVec = cross(ir1, ir2);
  const hN = norm(hVec);
  if (hN < 1e-12) {
    throw new RangeError(`solveLambert: r1 and r2 are collinear (sin of the transfer angle = ${hN.toExponential(2)}): the transfer plane is undefined`);
  }
  const ih: Vec3 = [hVec[0] / hN, hVec[1] / hN, hVec[2] / hN];
  let lambda = Math.sqrt(Math.max(0, 1 - c / s));
  // Izzo §3 / Algorithm 1: λ < 0 when the motion goes the long way (transfer angle > π).
  let it1: Vec3;
  let it2: Vec3;
  if (ih[2] < 0) {
    lambda = -lambda;
    it1 = cross(ir1, ih);
    it2 = cross(ir2, ih);
  } else {
    it1 = cross(ih, ir1);
    it2 = cross(ih, ir2);
  }
  if (options.retrograde) {
    lambda = -lambda;
    it1 = [-it1[0], -it1[1], -it1[2]];
    it2 = [-it2[0], -it2[1], -it2[2]];
  }
  const T = Math.sqrt((2 * mu) / (s * s * s)) * tofS;

  // Feasible number of revolutions (Izzo §4): M ≤ T/π, and for the largest M the minimum time
  // T_min(M) must not exceed T.
  const T00 = Math.acos(lambda) + lambda * Math.sqrt(1 - lambda * lambda);
  const T1 = (2 / 3) * (1 - lambda * lambda * lambda);
  let mMax = Math.min(Math.floor(T / Math.PI), maxRevs);
  const xMins = new Map<number, number>();
  while (mMax > 0) {
    const xm = xOfMinimumTime(lambda, mMax);
    if (lambertTimeOfFlight(xm, lambda, mMax) <= T) {
      xMins.set(mMax, xm);
      break;
    }
    mMax -= 1;
  }

  const results: LambertSolution[] = [];
  // M = 0: T decreasing on (−1, ∞). Starters: Izzo eq. 30.
  {
    let x0: number;
    if (T >= T00) x0 = (T00 / T) ** (2 / 3) - 1;
    else if (T < T1) x0 = ((2.5 * T1) / T) * ((T1 - T) / (1 - lambda ** 5)) + 1;
    else x0 = (T00 / T) ** (Math.LN2 / Math.log(T00 / T1)) - 1;
    let hi = Math.max(2, x0 + 1);
    while (lambertTimeOfFlight(hi, lambda, 0) > T) hi *= 2;
    const { x, iterations } = solveBracketed(T, lambda, 0, -1 + 1e-15, hi, x0);
    results.push({ revolutions: 0, branch: 'single', x, iterations, ...velocities(x) });
  }
  for (let m = 1; m <= mMax; m++) {
    const xm = xMins.get(m) ?? xOfMinimumTime(lambda, m);
    // Izzo eq. 31 starters for the left and right branches.
    const kl = (((m + 1) * Math.PI) / (8 * T)) ** (2 / 3);
    const kr = ((8 * T) / (m * Math.PI)) ** (2 / 3);
    const x0l = (kl - 1) / (kl + 1);
    const x0r = (kr - 1) / (kr + 1);
    const left = solveBracketed(T, lambda, m, -1 + 1e-15, xm, x0l);
    const right = solveBracketed(T, lambda, m, xm, 1 - 1e-15, x0r);
    results.push({ revolutions: m, branch: 'left', x: left.x, iterations: left.iterations, ...velocities(left.x) });
    results.push({ revolutions: m, branch: 'right', x: right.x, iterations: right.iterations, ...velocities(right.x) });
  }
  return results;

  /** Velocities at both ends from x (Izzo §3, Algorithm 1 lines 20–27). */
  function velocities(x: number): { v1KmS: Vec3; v2KmS: Vec3 } {
    const gamma = Math.sqrt((mu * s) / 2);
    const rho = (R1 - R2) / c;
    const sigma = Math.sqrt(Math.max(0, 1 - rho * rho));
    const y = Math.sqrt(1 - lambda * lambda + lambda * lambda * x * x);
    const vr1 = (gamma * (lambda * y - x - rho * (lambda * y + x))) / R1;
    const vr2 = (-gamma * (lambda * y - x + rho * (lambda * y + x))) / R2;
    const vt = gamma * sigma * (y + lambda * x);
    const vt1 = vt / R1;
    const vt2 = vt / R2;
    return {
      v1KmS: [vr1 * ir1[0] + vt1 * it1[0], vr1 * ir1[1] + vt1 * it1[1], vr1 * ir1[2] + vt1 * it1[2]],
      v2KmS: [vr2 * ir2[0] + vt2 * it2[0], vr2 * ir2[1] + vt2 * it2[1], vr2 * ir2[2] + vt2 * it2[2]],
    };
  }
}
