import { brentRoot, goldenSectionMin } from '../../sdk/astro/integrators';
import type { TrajectorySource } from './objects';

/**
 * Time of closest approach on the trajectories themselves (SGP4, not the interpolants of the
 * filters): the root of the range-rate function f(t) = ρ·ρ̇ (ρ = r₂ − r₁), which goes from
 * negative (closing) to positive (opening) at a local minimum of |ρ| (Vallado 4th ed. §11.3,
 * "Conjunction analysis"; Alfano & Negron 1993). The root is found with Brent's method
 * (Brent 1973, "Algorithms for Minimization without Derivatives", ch. 4, the `zeroin`
 * algorithm: inverse quadratic interpolation / secant / bisection, never leaving the bracket).
 */
export interface PairStates {
  /** Primary then secondary, TEME km and km/s: [x, y, z, vx, vy, vz]. */
  primary: Float64Array;
  secondary: Float64Array;
}

export interface Tca {
  tcaMs: number;
  states: PairStates;
}

/** Relative speed below which the TCA is polished on positions alone, km/s, and the half-width searched, s. */
const SLOW_KM_S = 0.1;
const SLOW_POLISH_S = 60;

/** f(t) = ρ·ρ̇ in km²/s, or NaN when a state is unavailable. */
function rangeRate(a: TrajectorySource, b: TrajectorySource, ms: number, sa: Float64Array, sb: Float64Array): number {
  if (a.stateAt(ms, sa) !== null || b.stateAt(ms, sb) !== null) return NaN;
  const rx = sb[0] - sa[0], ry = sb[1] - sa[1], rz = sb[2] - sa[2];
  return rx * (sb[3] - sa[3]) + ry * (sb[4] - sa[4]) + rz * (sb[5] - sa[5]);
}

class StateUnavailable extends Error {}

/**
 * The root of f on [a, b] (seconds relative to the origin) with f(a) < 0 < f(b), to a final
 * bracket of `tolS`, by Brent's method (sdk/astro/integrators brentRoot); NaN when a state
 * is unavailable somewhere on the way (f gives NaN: decay, SGP4 error).
 */
function rootOf(f: (s: number) => number, a: number, b: number, fa: number, fb: number, tolS: number): number {
  const g = (s: number) => {
    const v = f(s);
    if (Number.isNaN(v)) throw new StateUnavailable();
    return v;
  };
  try {
    const r = brentRoot(g, a, b, fa, fb, tolS, 100);
    return 0.5 * (r.a + r.b);
  } catch (err) {
    if (err instanceof StateUnavailable) return NaN;
    throw err;
  }
}

/**
 * Refines a candidate close approach near `guessMs` to the local minimum of range on the
 * trajectories. The bracket [guess − δ, guess + δ] is widened (doubling, up to `maxSpanS` each
 * side) until ρ·ρ̇ is negative at its start and positive at its end; it never leaves
 * [minMs, maxMs] (the screening window): a minimum that would lie outside is not a TCA of
 * this window and gives null, as does an unavailable state (decay).
 */
export function refineTca(a: TrajectorySource, b: TrajectorySource, guessMs: number, opts: { halfWidthS: number; maxSpanS: number; tolS: number; minMs: number; maxMs: number }): Tca | null {
  const sa = new Float64Array(6);
  const sb = new Float64Array(6);
  const origin = guessMs;
  const f = (s: number) => rangeRate(a, b, origin + s * 1000, sa, sb);
  const lo = (opts.minMs - origin) / 1000;
  const hi = (opts.maxMs - origin) / 1000;
  let w = opts.halfWidthS;
  let x0 = Math.max(lo, -w), x1 = Math.min(hi, w);
  let f0 = f(x0), f1 = f(x1);
  if (Number.isNaN(f0) || Number.isNaN(f1)) return null;
  // Widen the side that is not yet on the right sign. Moving the start back while the range
  // is already opening there (f0 ≥ 0) looks for the closing phase before the minimum.
  while (f0 >= 0 || f1 <= 0) {
    if (w >= opts.maxSpanS) return null;
    w *= 2;
    if (f0 >= 0) {
      if (x0 <= lo) return null;
      x0 = Math.max(lo, -w);
      f0 = f(x0);
    }
    if (f1 <= 0) {
      if (x1 >= hi) return null;
      x1 = Math.min(hi, w);
      f1 = f(x1);
    }
    if (Number.isNaN(f0) || Number.isNaN(f1)) return null;
  }
  let root = rootOf(f, x0, x1, f0, f1, opts.tolS);
  if (Number.isNaN(root)) return null;
  if (a.stateAt(origin + root * 1000, sa) !== null || b.stateAt(origin + root * 1000, sb) !== null) return null;
  const vRel = Math.hypot(sb[3] - sa[3], sb[4] - sa[4], sb[5] - sa[5]);
  if (vRel < SLOW_KM_S) {
    // Slow, nearly co-moving pairs (formation flying, docked objects): ρ·ρ̇ uses SGP4's
    // velocities, which differ from the derivative of its positions by ~mm/s; at a relative
    // speed v that moves the root by ~|ρ|·δv/v² (seconds at 0.3 m/s). The minimum of range is
    // defined by the positions: polish it there by golden section (Numerical Recipes §10.2).
    const d2 = (s: number) => {
      if (a.stateAt(origin + s * 1000, sa) !== null || b.stateAt(origin + s * 1000, sb) !== null) return Infinity;
      return (sb[0] - sa[0]) ** 2 + (sb[1] - sa[1]) ** 2 + (sb[2] - sa[2]) ** 2;
    };
    root = goldenSectionMin(d2, Math.max(lo, root - SLOW_POLISH_S), Math.min(hi, root + SLOW_POLISH_S), opts.tolS);
  }
  const tcaMs = origin + root * 1000;
  if (a.stateAt(tcaMs, sa) !== null || b.stateAt(tcaMs, sb) !== null) return null;
  return { tcaMs, states: { primary: sa, secondary: sb } };
}
