/**
 * Analytical theories over osculating or mean Keplerian elements (pure functions; km, s, rad).
 *
 * - `keplerian`: two-body motion, M(t) = M₀ + n t.
 * - `j2-secular`: the first-order secular effect of J2 on the mean elements (Vallado,
 *   "Fundamentals of Astrodynamics and Applications", 4th ed., §9.6, eqs. 9-41 to 9-43;
 *   Brouwer 1959 secular terms to first order):
 *     p = a(1 − e²), n = √(μ/a³), η = √(1 − e²)
 *     Ω̇ = −(3/2) n J2 (R/p)² cos i
 *     ω̇ =  (3/4) n J2 (R/p)² (4 − 5 sin² i)
 *     Ṁ = n [1 + (3/4) J2 (R/p)² η (2 − 3 sin² i)]
 *   a, e, i constant. No short-period terms: the elements are mean elements of the theory,
 *   positions carry the short-period oscillation amplitude ~ (3/2) J2 (R/a)² a (≈ 10 km in LEO)
 *   when osculating elements are fed in as mean ones.
 * - `eckstein-hechler`: mean elements with secular and short-period effects of J2…J6 for
 *   near-circular orbits, mean ↔ osculating conversion (eckstein-hechler.ts).
 */
import { keplerianToCartesian, type CartesianState } from '../../sdk/astro/elements';
import { meanToTrue } from '../../sdk/astro/kepler';
import { EcksteinHechlerModel, keplerianToCircular, meanFromOsculating } from './eckstein-hechler';

export interface MeanElements {
  aKm: number;
  e: number;
  iRad: number;
  raanRad: number;
  argpRad: number;
  meanAnomalyRad: number;
}

export interface J2Constants {
  muKm3S2: number;
  j2: number;
  radiusKm: number;
}

/** Constants of every theory: J2 for `j2-secular`, J2…J6 for `eckstein-hechler`. */
export interface TheoryConstants extends J2Constants {
  j3: number;
  j4: number;
  j5: number;
  j6: number;
}

export type TheoryName = 'keplerian' | 'j2-secular' | 'eckstein-hechler';
export const THEORY_NAMES: readonly TheoryName[] = ['keplerian', 'j2-secular', 'eckstein-hechler'];

/** A propagated orbit: the state (km, km/s, axes of the initial elements) at t seconds after the epoch. */
export interface Trajectory {
  stateAt(t: number): CartesianState;
}

/**
 * The trajectory of a theory from Keplerian elements at the epoch. `mean` says whether the
 * elements are the theory's mean elements; osculating ones are converted (Eckstein–Hechler)
 * or used as the mean ones (`keplerian`, `j2-secular`, which have no short-period terms).
 */
export function trajectory(theory: TheoryName, el: MeanElements, mean: boolean, k: TheoryConstants): Trajectory {
  if (theory === 'eckstein-hechler') {
    const zonal = { muKm3S2: k.muKm3S2, radiusKm: k.radiusKm, j: [k.j2, k.j3, k.j4, k.j5, k.j6] as const };
    const circ = keplerianToCircular(el);
    const model = new EcksteinHechlerModel(mean ? circ : meanFromOsculating(circ, zonal).mean, zonal);
    return { stateAt: (t) => model.stateAt(t) };
  }
  return { stateAt: (t) => stateOf(elementsAt(theory, el, t, k), k.muKm3S2) };
}

/** Secular rates (rad/s) of Ω, ω and M under J2. */
export function j2SecularRates(el: MeanElements, k: J2Constants): { raanDot: number; argpDot: number; meanAnomalyDot: number } {
  const n = Math.sqrt(k.muKm3S2 / (el.aKm * el.aKm * el.aKm));
  const p = el.aKm * (1 - el.e * el.e);
  const q = k.j2 * (k.radiusKm / p) ** 2;
  const s2 = Math.sin(el.iRad) ** 2;
  const eta = Math.sqrt(1 - el.e * el.e);
  return {
    raanDot: -1.5 * n * q * Math.cos(el.iRad),
    argpDot: 0.75 * n * q * (4 - 5 * s2),
    meanAnomalyDot: n * (1 + 0.75 * q * eta * (2 - 3 * s2)),
  };
}

/** Elements at t (s after their epoch) under a theory. Elliptic orbits only (checked by the caller). */
export function elementsAt(theory: 'keplerian' | 'j2-secular', el: MeanElements, t: number, k: J2Constants): MeanElements {
  if (theory === 'keplerian') {
    const n = Math.sqrt(k.muKm3S2 / (el.aKm * el.aKm * el.aKm));
    return { ...el, meanAnomalyRad: el.meanAnomalyRad + n * t };
  }
  const r = j2SecularRates(el, k);
  return { ...el, raanRad: el.raanRad + r.raanDot * t, argpRad: el.argpRad + r.argpDot * t, meanAnomalyRad: el.meanAnomalyRad + r.meanAnomalyDot * t };
}

export function stateOf(el: MeanElements, muKm3S2: number): CartesianState {
  return keplerianToCartesian({ aKm: el.aKm, e: el.e, iRad: el.iRad, raanRad: el.raanRad, argpRad: el.argpRad, trueAnomalyRad: meanToTrue(el.meanAnomalyRad, el.e) }, muKm3S2);
}
