/**
 * Two-body (Keplerian) propagation of a Cartesian state with universal variables, valid for
 * elliptic, parabolic and hyperbolic motion alike, and the 6×6 state transition matrix of
 * two-body motion.
 *
 * Sources:
 * - Battin, "An Introduction to the Mathematics and Methods of Astrodynamics", rev. ed. (1999),
 *   §4.5 (universal functions U_n(χ; α), universal Kepler equation, f and g functions) and
 *   §9.7 (state transition matrix of two-body motion, here obtained by differentiating the same
 *   f and g expressions with the implicit-function theorem for χ);
 * - Vallado, "Fundamentals of Astrodynamics and Applications", 4th ed. (2013), Alg. 8 (KEPLER),
 *   §2.2 (Stumpff functions c2, c3 and their series near ψ = 0).
 *
 * Universal functions: U_n(χ) = χⁿ c_n(αχ²), with α = 1/a = 2/r₀ − v₀²/μ, and
 *   √μ Δt = r₀U₁ + σ₀U₂ + U₃,   σ₀ = r₀·v₀/√μ,   r = r₀U₀ + σ₀U₁ + U₂,
 *   f = 1 − U₂/r₀, g = (r₀U₁ + σ₀U₂)/√μ, ḟ = −√μ U₁/(r r₀), ġ = 1 − U₂/r.
 * (g is written without Δt, which avoids the cancellation Δt − U₃/√μ for long arcs.)
 *
 * Robustness: d(√μΔt)/dχ = r ≥ q (periapsis radius) > 0, so the Kepler equation is monotonic
 * and its root lies in [0, √μΔt/q]; a Halley iteration is kept inside that bracket (bisection
 * fallback). Elliptic arcs longer than half a period are reduced modulo the period first.
 * Limits: rectilinear motion (zero angular momentum) is refused; hyperbolic arcs so long that
 * cosh(√(−α)χ) overflows (≈ e^710) are refused.
 */
import { MU_EARTH_KM3_S2, TWO_PI } from './constants';
import { cross, dot, norm, type Vec3 } from './vec';
import type { CartesianState } from './elements';

/**
 * Stumpff functions c_0 … c_5 of ψ (Vallado §2.2; Battin §4.5): c_n(ψ) = Σ_k (−ψ)^k/(n + 2k)!.
 * Series for |ψ| < 1 (exact to machine precision with ≤ 14 terms), closed forms otherwise,
 * and c_4, c_5 from the recurrence c_n = 1/n! − ψ c_{n+2}.
 */
export function stumpff(psi: number): [number, number, number, number, number, number] {
  if (Math.abs(psi) < 1) {
    const c: [number, number, number, number, number, number] = [0, 0, 0, 0, 0, 0];
    for (let n = 0; n < 6; n++) {
      // term_k = (−ψ)^k/(n+2k)!
      let fact = 1;
      for (let j = 2; j <= n; j++) fact *= j;
      let term = 1 / fact;
      let sum = term;
      for (let k = 1; k < 20; k++) {
        term *= -psi / ((n + 2 * k - 1) * (n + 2 * k));
        sum += term;
        if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
      }
      c[n] = sum;
    }
    return c;
  }
  let c0: number, c1: number, c2: number, c3: number;
  if (psi > 0) {
    const s = Math.sqrt(psi);
    const sh = Math.sin(s / 2);
    c0 = Math.cos(s);
    c1 = Math.sin(s) / s;
    c2 = (2 * sh * sh) / psi; // (1 − cos s)/ψ without cancellation
    c3 = (s - Math.sin(s)) / (psi * s);
  } else {
    const s = Math.sqrt(-psi);
    const sh = Math.sinh(s / 2);
    c0 = Math.cosh(s);
    c1 = Math.sinh(s) / s;
    c2 = (2 * sh * sh) / -psi; // (cosh s − 1)/(−ψ)
    c3 = (Math.sinh(s) - s) / (-psi * s);
  }
  const c4 = (0.5 - c2) / psi;
  const c5 = (1 / 6 - c3) / psi;
  return [c0, c1, c2, c3, c4, c5];
}

/** U_0 … U_5 at (χ, α). */
function universal(chi: number, alpha: number): number[] {
  const c = stumpff(alpha * chi * chi);
  const u: number[] = new Array(6);
  let p = 1;
  for (let n = 0; n < 6; n++) {
    u[n] = p * c[n];
    p *= chi;
  }
  return u;
}

interface Solved {
  r0: number;
  sigma0: number;
  alpha: number;
  sqrtMu: number;
  /** χ for the full Δt (including whole revolutions removed for the solve). */
  chi: number;
  u: number[];
  r: number;
}

function checkInputs(posKm: readonly number[], velKmS: readonly number[], dtS: number, mu: number, what: string): void {
  if (posKm.length !== 3 || velKmS.length !== 3 || ![...posKm, ...velKmS].every(Number.isFinite)) {
    throw new RangeError(`${what}: position and velocity must be 3 finite numbers each, got [${posKm.join(', ')}] km, [${velKmS.join(', ')}] km/s`);
  }
  if (!Number.isFinite(dtS)) throw new RangeError(`${what}: time step must be finite, got ${dtS} s`);
  if (!(mu > 0)) throw new RangeError(`${what}: μ must be > 0, got ${mu}`);
  if (norm(posKm) === 0) throw new RangeError(`${what}: position is the zero vector`);
}

/** Solves the universal Kepler equation for χ (Battin §4.5; Vallado Alg. 8), bracketed Halley. */
function solveUniversal(posKm: readonly number[], velKmS: readonly number[], dtS: number, mu: number, what: string): Solved {
  checkInputs(posKm, velKmS, dtS, mu, what);
  const sqrtMu = Math.sqrt(mu);
  const r0 = norm(posKm);
  const v2 = dot(velKmS, velKmS);
  const sigma0 = dot(posKm, velKmS) / sqrtMu;
  const alpha = 2 / r0 - v2 / mu;
  const h = norm(cross(posKm, velKmS));
  if (h <= 1e-12 * r0 * Math.sqrt(v2)) throw new RangeError(`${what}: rectilinear motion (zero angular momentum) is not supported`);
  const p = (h * h) / mu;
  const e = Math.sqrt(Math.max(0, 1 - p * alpha));
  const q = p / (1 + e); // periapsis radius: lower bound of r along the conic

  // Reduce elliptic arcs to |Δt| ≤ P/2; χ advances by 2π/√α per revolution (χ = √a ΔE).
  let dtSolve = dtS;
  let chiTurns = 0;
  if (alpha > 0) {
    const period = TWO_PI / (sqrtMu * alpha * Math.sqrt(alpha));
    const turns = Math.round(dtS / period);
    if (turns !== 0) {
      dtSolve = dtS - turns * period;
      chiTurns = (turns * TWO_PI) / Math.sqrt(alpha);
    }
  }
  const target = sqrtMu * dtSolve;
  let chi = 0;
  if (target !== 0) {
    let lo = Math.min(0, target / q);
    let hi = Math.max(0, target / q);
    // Starter: Vallado Alg. 8 guesses (elliptic: √μ α Δt; otherwise the bracket midpoint),
    // then Halley steps (F' = r, F'' = σ₀U₀ + (1 − αr₀)U₁) kept inside [lo, hi].
    chi = alpha > 0 ? target * alpha : 0.5 * (lo + hi);
    if (!(chi > lo && chi < hi)) chi = 0.5 * (lo + hi);
    for (let i = 0; i < 200; i++) {
      const u = universal(chi, alpha);
      const F = r0 * u[1] + sigma0 * u[2] + u[3] - target;
      if (!Number.isFinite(F)) throw new RangeError(`${what}: universal functions overflow for χ = ${chi} (hyperbolic arc too long: Δt = ${dtS} s)`);
      if (F === 0) break;
      if (F > 0) hi = chi;
      else lo = chi;
      const d1 = r0 * u[0] + sigma0 * u[1] + u[2];
      const d2 = sigma0 * u[0] + (1 - alpha * r0) * u[1];
      let next = chi - (2 * F * d1) / (2 * d1 * d1 - F * d2);
      // Converged when the Halley step is at the rounding level; tested before the bracket test
      // (at the root the step lands on a bracket end and must not trigger a bisection).
      if (Math.abs(next - chi) <= 2 * Number.EPSILON * Math.abs(chi)) {
        chi = next;
        break;
      }
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      chi = next;
      if (hi - lo <= 4 * Number.EPSILON * Math.max(Math.abs(lo), Math.abs(hi))) break;
    }
  }
  chi += chiTurns;
  const u = universal(chi, alpha);
  const r = r0 * u[0] + sigma0 * u[1] + u[2];
  return { r0, sigma0, alpha, sqrtMu, chi, u, r };
}

/**
 * Propagates a state by Δt under two-body motion (universal variables). Any conic; Δt may be
 * negative. Units km, km/s, s; the output is in the same inertial frame as the input.
 */
export function propagateTwoBody(posKm: readonly number[], velKmS: readonly number[], dtS: number, muKm3S2: number = MU_EARTH_KM3_S2): CartesianState {
  const s = solveUniversal(posKm, velKmS, dtS, muKm3S2, 'propagateTwoBody');
  const { f, g, fDot, gDot } = fg(s);
  return {
    posKm: [f * posKm[0] + g * velKmS[0], f * posKm[1] + g * velKmS[1], f * posKm[2] + g * velKmS[2]],
    velKmS: [fDot * posKm[0] + gDot * velKmS[0], fDot * posKm[1] + gDot * velKmS[1], fDot * posKm[2] + gDot * velKmS[2]],
  };
}

function fg(s: Solved): { f: number; g: number; fDot: number; gDot: number } {
  const { r0, sigma0, sqrtMu, u, r } = s;
  return {
    f: 1 - u[2] / r0,
    g: (r0 * u[1] + sigma0 * u[2]) / sqrtMu,
    fDot: (-sqrtMu * u[1]) / (r * r0),
    gDot: 1 - u[2] / r,
  };
}

/** The state after Δt and the 6×6 state transition matrix ∂(r, v)(t₀ + Δt)/∂(r, v)(t₀), row-major. */
export interface TwoBodyTransition extends CartesianState {
  stm: number[][];
}

/**
 * Two-body state transition matrix Φ(t₀ + Δt, t₀) (Battin §9.7), computed by differentiating
 * r = f r₀ + g v₀, v = ḟ r₀ + ġ v₀ exactly: f, g, ḟ, ġ depend on the initial state through
 * r₀, σ₀, α and χ, and χ through the Kepler equation (∂χ/∂x = −(∂F/∂x)/r), with
 * ∂U_n/∂χ = U_{n−1} (∂U₀/∂χ = −αU₁) and ∂U_n/∂α = −(χU_{n+1} − nU_{n+2})/2 (from the series).
 * Whole revolutions are kept in χ, so the secular growth of Φ with the number of turns is right.
 */
export function twoBodyTransition(posKm: readonly number[], velKmS: readonly number[], dtS: number, muKm3S2: number = MU_EARTH_KM3_S2): TwoBodyTransition {
  const s = solveUniversal(posKm, velKmS, dtS, muKm3S2, 'twoBodyTransition');
  const { r0, sigma0, alpha, sqrtMu, chi, u, r } = s;
  const { f, g, fDot, gDot } = fg(s);
  const mu = muKm3S2;
  const r0v = posKm;
  const v0v = velKmS;
  // Gradients (6-vectors) of the scalar parameters with respect to x₀ = (r₀, v₀).
  const gR0 = [r0v[0] / r0, r0v[1] / r0, r0v[2] / r0, 0, 0, 0];
  const gSigma = [v0v[0] / sqrtMu, v0v[1] / sqrtMu, v0v[2] / sqrtMu, r0v[0] / sqrtMu, r0v[1] / sqrtMu, r0v[2] / sqrtMu];
  const r03 = r0 * r0 * r0;
  const gAlpha = [(-2 * r0v[0]) / r03, (-2 * r0v[1]) / r03, (-2 * r0v[2]) / r03, (-2 * v0v[0]) / mu, (-2 * v0v[1]) / mu, (-2 * v0v[2]) / mu];
  // ∂U_n/∂α is needed for n ≤ 3, which uses U_4 and U_5.
  const dUdAlpha = (n: number): number => -0.5 * (chi * u[n + 1] - n * u[n + 2]);
  const dUdChi = (n: number): number => (n === 0 ? -alpha * u[1] : u[n - 1]);
  const Fa = r0 * dUdAlpha(1) + sigma0 * dUdAlpha(2) + dUdAlpha(3);
  const gChi = new Array<number>(6);
  for (let j = 0; j < 6; j++) gChi[j] = -(u[1] * gR0[j] + u[2] * gSigma[j] + Fa * gAlpha[j]) / r;
  const gU = (n: number): number[] => gChi.map((gc, j) => dUdChi(n) * gc + dUdAlpha(n) * gAlpha[j]);
  const gU0 = gU(0);
  const gU1 = gU(1);
  const gU2 = gU(2);
  const gF = new Array<number>(6);
  const gG = new Array<number>(6);
  const gRr = new Array<number>(6);
  const gFd = new Array<number>(6);
  const gGd = new Array<number>(6);
  for (let j = 0; j < 6; j++) {
    gF[j] = -gU2[j] / r0 + (u[2] * gR0[j]) / (r0 * r0);
    gG[j] = (u[1] * gR0[j] + r0 * gU1[j] + u[2] * gSigma[j] + sigma0 * gU2[j]) / sqrtMu;
    gRr[j] = u[0] * gR0[j] + r0 * gU0[j] + u[1] * gSigma[j] + sigma0 * gU1[j] + gU2[j];
  }
  for (let j = 0; j < 6; j++) {
    gFd[j] = -sqrtMu * (gU1[j] / (r * r0) - (u[1] * (gRr[j] * r0 + r * gR0[j])) / (r * r0 * r * r0));
    gGd[j] = -gU2[j] / r + (u[2] * gRr[j]) / (r * r);
  }
  const stm: number[][] = [];
  for (let i = 0; i < 3; i++) {
    const row = new Array<number>(6);
    for (let j = 0; j < 6; j++) row[j] = r0v[i] * gF[j] + v0v[i] * gG[j] + (j === i ? f : 0) + (j === i + 3 ? g : 0);
    stm.push(row);
  }
  for (let i = 0; i < 3; i++) {
    const row = new Array<number>(6);
    for (let j = 0; j < 6; j++) row[j] = r0v[i] * gFd[j] + v0v[i] * gGd[j] + (j === i ? fDot : 0) + (j === i + 3 ? gDot : 0);
    stm.push(row);
  }
  const pos: Vec3 = [f * r0v[0] + g * v0v[0], f * r0v[1] + g * v0v[1], f * r0v[2] + g * v0v[2]];
  const vel: Vec3 = [fDot * r0v[0] + gDot * v0v[0], fDot * r0v[1] + gDot * v0v[1], fDot * r0v[2] + gDot * v0v[2]];
  return { posKm: pos, velKmS: vel, stm };
}
