/**
 * Orbital elements ↔ Cartesian state: classical Keplerian (elliptic and hyperbolic) and
 * equinoctial (elliptic, non-singular at e = 0 and i = 0).
 *
 * Sources:
 * - Keplerian: Vallado, "Fundamentals of Astrodynamics and Applications", 4th ed. (2013),
 *   Alg. 9 (RV2COE) and Alg. 10 (COE2RV), here written with atan2 in the node frame so that
 *   every angle keeps full precision in all quadrants.
 * - Equinoctial: Broucke & Cefola, "On the equinoctial orbit elements", Celestial Mechanics 5
 *   (1972) 303–310; transformations as in Danielson et al., "Semianalytic Satellite Theory",
 *   NPS-MA-95-002 (1995), §2.1.4–2.1.5.
 *
 * Units: km, km/s, rad; μ in km³/s² (default: Earth, constants.ts). Frames: the elements are
 * referred to the axes of the Cartesian state given (GCRF, EME2000, TEME, …); the functions
 * do not rotate anything.
 */
import { MU_EARTH_KM3_S2, TWO_PI } from './constants';
import { cross, dot, norm, type Vec3 } from './vec';
import { eccentricToMean, meanToTrue, solveKeplerElliptic, trueToEccentric, trueToMean, wrapTwoPi } from './kepler';

/** Cartesian state: position km, velocity km/s, in some inertial frame. */
export interface CartesianState {
  posKm: Vec3;
  velKmS: Vec3;
}

/**
 * Classical (Keplerian) elements. Conventions for the singular cases, chosen so that
 * elements → state → elements → state is exact:
 * - equatorial orbit (sin i = 0: i = 0 or i = π): the node is undefined; `raanRad` = 0 and
 *   `argpRad` is the longitude of periapsis measured from the x axis (in the direction of motion
 *   for i = 0, retrograde for i = π);
 * - circular orbit (e = 0): the periapsis is undefined; `argpRad` = 0 and `trueAnomalyRad` is the
 *   argument of latitude (or the true longitude if also equatorial).
 * Hyperbolic orbits have `aKm` < 0 and e > 1. The exactly parabolic case (e = 1, a = ∞) has no
 * finite `aKm`: `keplerianToCartesian` accepts the semi-latus rectum `pKm` instead of `aKm`
 * for that reason (and `cartesianToKeplerian` always returns `pKm`).
 */
export interface KeplerianElements {
  /** Semi-major axis, km (negative for hyperbolas). */
  aKm: number;
  /** Eccentricity. */
  e: number;
  /** Inclination, rad, [0, π]. */
  iRad: number;
  /** Right ascension of the ascending node, rad, [0, 2π). */
  raanRad: number;
  /** Argument of periapsis, rad, [0, 2π). */
  argpRad: number;
  /** True anomaly, rad: [0, 2π) for ellipses, (−ν∞, ν∞) for hyperbolas. */
  trueAnomalyRad: number;
}

/** Keplerian elements with the semi-latus rectum and the mean anomaly (for information). */
export interface KeplerianElementsFull extends KeplerianElements {
  /** Semi-latus rectum p = h²/μ, km (well defined for every conic). */
  pKm: number;
  /** Mean anomaly, rad ([0, 2π) elliptic; signed for hyperbolas; Barker's M for parabolas). */
  meanAnomalyRad: number;
}

/** Below this, sin i or e is treated as exactly zero (the angles would be numerical noise). */
const SINGULAR_EPS = 1e-14;

function checkState(posKm: readonly number[], velKmS: readonly number[], mu: number, what: string): void {
  if (posKm.length !== 3 || velKmS.length !== 3 || ![...posKm, ...velKmS].every(Number.isFinite)) {
    throw new RangeError(`${what}: position and velocity must be 3 finite numbers each, got [${posKm.join(', ')}] km, [${velKmS.join(', ')}] km/s`);
  }
  if (!(mu > 0)) throw new RangeError(`${what}: μ must be > 0, got ${mu}`);
  if (norm(posKm) === 0) throw new RangeError(`${what}: position is the zero vector`);
}

/**
 * The node frame of an orbit: unit vectors (P̂ along the ascending node, Q̂ = ĥ × P̂) and the
 * angles i, Ω. For sin i below SINGULAR_EPS the node is set to the x axis.
 */
function nodeFrame(hVec: Vec3): { iRad: number; raanRad: number; pHat: Vec3; qHat: Vec3 } {
  const h = norm(hVec);
  const hxy = Math.hypot(hVec[0], hVec[1]);
  const iRad = Math.atan2(hxy, hVec[2]);
  const raanRad = hxy > SINGULAR_EPS * h ? wrapTwoPi(Math.atan2(hVec[0], -hVec[1])) : 0;
  const pHat: Vec3 = [Math.cos(raanRad), Math.sin(raanRad), 0];
  const wHat: Vec3 = [hVec[0] / h, hVec[1] / h, hVec[2] / h];
  const qHat = cross(wHat, pHat);
  return { iRad, raanRad, pHat, qHat };
}

/**
 * Cartesian state → classical elements (Vallado Alg. 9, RV2COE). Angles are measured in the
 * node frame with atan2, so they are exact in every quadrant; singular cases follow the
 * conventions of `KeplerianElements`. Throws for rectilinear motion (h = 0).
 */
export function cartesianToKeplerian(posKm: readonly number[], velKmS: readonly number[], muKm3S2: number = MU_EARTH_KM3_S2): KeplerianElementsFull {
  checkState(posKm, velKmS, muKm3S2, 'cartesianToKeplerian');
  const r = norm(posKm);
  const v2 = dot(velKmS, velKmS);
  const hVec = cross(posKm, velKmS);
  const h = norm(hVec);
  if (h <= 1e-15 * r * Math.sqrt(v2)) throw new RangeError('cartesianToKeplerian: rectilinear motion (angular momentum is zero); classical elements undefined');
  const rv = dot(posKm, velKmS);
  // Eccentricity vector e = ((v² − μ/r) r − (r·v) v)/μ (Vallado §2.5, Alg. 9).
  const c1 = v2 - muKm3S2 / r;
  const eVec: Vec3 = [(c1 * posKm[0] - rv * velKmS[0]) / muKm3S2, (c1 * posKm[1] - rv * velKmS[1]) / muKm3S2, (c1 * posKm[2] - rv * velKmS[2]) / muKm3S2];
  const e = norm(eVec);
  const pKm = (h * h) / muKm3S2;
  const energy = v2 / 2 - muKm3S2 / r;
  const aKm = -muKm3S2 / (2 * energy);
  const { iRad, raanRad, pHat, qHat } = nodeFrame(hVec);
  // Argument of latitude (or true longitude when equatorial), from the node direction.
  const u = Math.atan2(dot(posKm, qHat), dot(posKm, pHat));
  const argp = e > SINGULAR_EPS ? Math.atan2(dot(eVec, qHat), dot(eVec, pHat)) : 0;
  let nu = u - argp;
  const argpRad = wrapTwoPi(argp);
  if (e < 1) nu = wrapTwoPi(nu);
  else nu = nu - TWO_PI * Math.round(nu / TWO_PI);
  const meanAnomalyRad = e < 1 ? wrapTwoPi(trueToMean(nu, e)) : trueToMean(nu, e);
  return { aKm, e, iRad, raanRad, argpRad, trueAnomalyRad: nu, pKm, meanAnomalyRad };
}

/**
 * Classical elements → Cartesian state (Vallado Alg. 10, COE2RV): perifocal state
 * r = p/(1 + e cos ν)(cos ν, sin ν, 0), v = √(μ/p)(−sin ν, e + cos ν, 0), rotated by
 * R3(−Ω)R1(−i)R3(−ω). `pKm` may be given instead of `aKm` (needed for e = 1).
 */
export function keplerianToCartesian(el: KeplerianElements | (Omit<KeplerianElements, 'aKm'> & { pKm: number }), muKm3S2: number = MU_EARTH_KM3_S2): CartesianState {
  const { e, iRad, raanRad, argpRad, trueAnomalyRad: nu } = el;
  const p = 'pKm' in el && el.pKm !== undefined ? el.pKm : (el as KeplerianElements).aKm * (1 - e) * (1 + e);
  if (![e, iRad, raanRad, argpRad, nu, p].every(Number.isFinite)) {
    throw new RangeError(`keplerianToCartesian: elements must be finite, got ${JSON.stringify(el)}`);
  }
  if (e < 0) throw new RangeError(`keplerianToCartesian: eccentricity must be ≥ 0, got ${e}`);
  if (!(p > 0)) throw new RangeError(`keplerianToCartesian: semi-latus rectum must be > 0 (a > 0 with e < 1, or a < 0 with e > 1), got p = ${p} km from ${JSON.stringify(el)}`);
  if (!(muKm3S2 > 0)) throw new RangeError(`keplerianToCartesian: μ must be > 0, got ${muKm3S2}`);
  const cnu = Math.cos(nu);
  const snu = Math.sin(nu);
  const denom = 1 + e * cnu;
  if (e >= 1 && denom <= 0) throw new RangeError(`keplerianToCartesian: true anomaly ${nu} rad lies beyond the asymptotes of a conic with e = ${e}`);
  const rPqw = p / denom;
  const sq = Math.sqrt(muKm3S2 / p);
  const xP = rPqw * cnu;
  const yP = rPqw * snu;
  const vxP = -sq * snu;
  const vyP = sq * (e + cnu);
  // Columns of R3(−Ω)R1(−i)R3(−ω): P̂ (towards periapsis) and Q̂ (90° ahead in the orbit plane).
  const cO = Math.cos(raanRad);
  const sO = Math.sin(raanRad);
  const ci = Math.cos(iRad);
  const si = Math.sin(iRad);
  const cw = Math.cos(argpRad);
  const sw = Math.sin(argpRad);
  const P: Vec3 = [cO * cw - sO * sw * ci, sO * cw + cO * sw * ci, sw * si];
  const Q: Vec3 = [-cO * sw - sO * cw * ci, -sO * sw + cO * cw * ci, cw * si];
  return {
    posKm: [xP * P[0] + yP * Q[0], xP * P[1] + yP * Q[1], xP * P[2] + yP * Q[2]],
    velKmS: [vxP * P[0] + vyP * Q[0], vxP * P[1] + vyP * Q[1], vxP * P[2] + vyP * Q[2]],
  };
}

/** Builds Keplerian elements from a mean anomaly instead of a true anomaly. */
export function keplerianFromMeanAnomaly(el: Omit<KeplerianElements, 'trueAnomalyRad'> & { meanAnomalyRad: number }): KeplerianElements {
  const { meanAnomalyRad, ...rest } = el;
  return { ...rest, trueAnomalyRad: meanToTrue(meanAnomalyRad, el.e) };
}

// ---------------------------------------------------------------------------------------------
// Equinoctial elements
// ---------------------------------------------------------------------------------------------

/**
 * Equinoctial elements (Broucke & Cefola 1972), elliptic orbits only:
 *   h = e sin(ω + IΩ), k = e cos(ω + IΩ),
 *   p = tan^I(i/2) sin Ω, q = tan^I(i/2) cos Ω,
 *   λ = M + ω + IΩ (mean longitude).
 * Retrograde factor I: +1 (default, "direct" set) is singular only at i = π; I = −1
 * ("retrograde" set) is singular only at i = 0. Use I = −1 for orbits near i = 180°.
 */
export interface EquinoctialElements {
  aKm: number;
  h: number;
  k: number;
  p: number;
  q: number;
  /** Mean longitude λ, rad, [0, 2π). */
  meanLongitudeRad: number;
  /** Retrograde factor I (+1 direct, −1 retrograde). */
  retrogradeFactor: 1 | -1;
}

/** Equinoctial frame f̂, ĝ, ŵ (Danielson et al. 1995, §2.1.4). */
function equinoctialFrame(p: number, q: number, I: 1 | -1): { f: Vec3; g: Vec3; w: Vec3 } {
  const s = 1 + p * p + q * q;
  return {
    f: [(1 - p * p + q * q) / s, (2 * p * q) / s, (-2 * I * p) / s],
    g: [(2 * I * p * q) / s, (I * (1 + p * p - q * q)) / s, (2 * q) / s],
    w: [(2 * p) / s, (-2 * q) / s, (I * (1 - p * p - q * q)) / s],
  };
}

/** Solves the equinoctial Kepler equation λ = F + h cos F − k sin F for the eccentric longitude F. */
export function solveEquinoctialKepler(meanLongitudeRad: number, h: number, k: number): number {
  // With e = √(h² + k²) and ϖ = atan2(h, k): λ − ϖ = (F − ϖ) − e sin(F − ϖ), the ordinary
  // Kepler equation in the eccentric anomaly E = F − ϖ; solve that robustly.
  const e = Math.hypot(h, k);
  if (!(e < 1)) throw new RangeError(`solveEquinoctialKepler: needs h² + k² < 1, got e = ${e}`);
  if (e === 0) return meanLongitudeRad;
  const varpi = Math.atan2(h, k);
  return solveKeplerElliptic(meanLongitudeRad - varpi, e) + varpi;
}

/** Cartesian state → equinoctial elements (Danielson et al. 1995 §2.1.5); elliptic orbits only. */
export function cartesianToEquinoctial(
  posKm: readonly number[],
  velKmS: readonly number[],
  muKm3S2: number = MU_EARTH_KM3_S2,
  retrogradeFactor: 1 | -1 = 1,
): EquinoctialElements {
  checkState(posKm, velKmS, muKm3S2, 'cartesianToEquinoctial');
  const I = retrogradeFactor;
  const r = norm(posKm);
  const v2 = dot(velKmS, velKmS);
  const aKm = 1 / (2 / r - v2 / muKm3S2);
  if (!(aKm > 0)) throw new RangeError(`cartesianToEquinoctial: orbit is not elliptic (a = ${aKm} km); equinoctial elements need a > 0`);
  const hVec = cross(posKm, velKmS);
  const hN = norm(hVec);
  if (hN === 0) throw new RangeError('cartesianToEquinoctial: rectilinear motion (angular momentum is zero)');
  const w: Vec3 = [hVec[0] / hN, hVec[1] / hN, hVec[2] / hN];
  const denom = 1 + I * w[2];
  if (denom <= 1e-15) {
    throw new RangeError(`cartesianToEquinoctial: inclination ${I === 1 ? '180°' : '0°'} is singular for retrograde factor I = ${I}; use I = ${-I}`);
  }
  const p = w[0] / denom;
  const q = -w[1] / denom;
  const { f, g } = equinoctialFrame(p, q, I);
  const rv = dot(posKm, velKmS);
  const c1 = v2 - muKm3S2 / r;
  const eVec: Vec3 = [(c1 * posKm[0] - rv * velKmS[0]) / muKm3S2, (c1 * posKm[1] - rv * velKmS[1]) / muKm3S2, (c1 * posKm[2] - rv * velKmS[2]) / muKm3S2];
  const k = dot(eVec, f);
  const h = dot(eVec, g);
  // Eccentric longitude F from the position in the (f̂, ĝ) plane: X = a[(1 − h²β)cos F + hkβ sin F − k],
  // Y = a[(1 − k²β) sin F + hkβ cos F − h], β = 1/(1 + √(1 − h² − k²)); inverted (determinant √(1 − e²)).
  const X = dot(posKm, f);
  const Y = dot(posKm, g);
  const s = Math.sqrt(1 - h * h - k * k);
  const beta = 1 / (1 + s);
  const cosF = k + ((1 - k * k * beta) * X - h * k * beta * Y) / (aKm * s);
  const sinF = h + ((1 - h * h * beta) * Y - h * k * beta * X) / (aKm * s);
  const F = Math.atan2(sinF, cosF);
  const lambda = F + h * Math.cos(F) - k * Math.sin(F);
  return { aKm, h, k, p, q, meanLongitudeRad: wrapTwoPi(lambda), retrogradeFactor: I };
}

/** Equinoctial elements → Cartesian state (Danielson et al. 1995 §2.1.4). */
export function equinoctialToCartesian(el: EquinoctialElements, muKm3S2: number = MU_EARTH_KM3_S2): CartesianState {
  const { aKm: a, h, k, p, q, meanLongitudeRad, retrogradeFactor: I } = el;
  if (![a, h, k, p, q, meanLongitudeRad].every(Number.isFinite)) throw new RangeError(`equinoctialToCartesian: elements must be finite, got ${JSON.stringify(el)}`);
  if (!(a > 0)) throw new RangeError(`equinoctialToCartesian: a must be > 0 km, got ${a}`);
  if (I !== 1 && I !== -1) throw new RangeError(`equinoctialToCartesian: retrograde factor must be +1 or −1, got ${String(I)}`);
  const F = solveEquinoctialKepler(meanLongitudeRad, h, k);
  const cF = Math.cos(F);
  const sF = Math.sin(F);
  const s = Math.sqrt(1 - h * h - k * k);
  const beta = 1 / (1 + s);
  const n = Math.sqrt(muKm3S2 / (a * a * a));
  const r = a * (1 - k * cF - h * sF);
  const X1 = a * ((1 - h * h * beta) * cF + h * k * beta * sF - k);
  const Y1 = a * ((1 - k * k * beta) * sF + h * k * beta * cF - h);
  const c = (a * a * n) / r;
  const Xd = c * (h * k * beta * cF - (1 - h * h * beta) * sF);
  const Yd = c * ((1 - k * k * beta) * cF - h * k * beta * sF);
  const { f, g } = equinoctialFrame(p, q, I);
  return {
    posKm: [X1 * f[0] + Y1 * g[0], X1 * f[1] + Y1 * g[1], X1 * f[2] + Y1 * g[2]],
    velKmS: [Xd * f[0] + Yd * g[0], Xd * f[1] + Yd * g[1], Xd * f[2] + Yd * g[2]],
  };
}

/** Keplerian → equinoctial (direct algebra, Broucke & Cefola 1972 eq. 1). */
export function keplerianToEquinoctial(el: KeplerianElements, retrogradeFactor: 1 | -1 = 1): EquinoctialElements {
  if (!(el.e < 1 && el.aKm > 0)) throw new RangeError(`keplerianToEquinoctial: elliptic orbits only, got a = ${el.aKm} km, e = ${el.e}`);
  const I = retrogradeFactor;
  const zeta = el.argpRad + I * el.raanRad;
  const t = I === 1 ? Math.tan(el.iRad / 2) : 1 / Math.tan(el.iRad / 2);
  if (!Number.isFinite(t)) throw new RangeError(`keplerianToEquinoctial: inclination ${el.iRad} rad is singular for retrograde factor ${I}`);
  const M = eccentricToMean(trueToEccentric(el.trueAnomalyRad, el.e), el.e);
  return {
    aKm: el.aKm,
    h: el.e * Math.sin(zeta),
    k: el.e * Math.cos(zeta),
    p: t * Math.sin(el.raanRad),
    q: t * Math.cos(el.raanRad),
    meanLongitudeRad: wrapTwoPi(M + zeta),
    retrogradeFactor: I,
  };
}

/** Equinoctial → Keplerian (inverse of `keplerianToEquinoctial`, same singular-case conventions as KeplerianElements). */
export function equinoctialToKeplerian(el: EquinoctialElements): KeplerianElementsFull {
  const I = el.retrogradeFactor;
  const e = Math.hypot(el.h, el.k);
  const tanHalf = Math.hypot(el.p, el.q);
  const iRad = I === 1 ? 2 * Math.atan(tanHalf) : Math.PI - 2 * Math.atan(tanHalf);
  const raanRad = tanHalf > SINGULAR_EPS ? wrapTwoPi(Math.atan2(el.p, el.q)) : 0;
  const zeta = e > SINGULAR_EPS ? Math.atan2(el.h, el.k) : I * raanRad;
  const argpRad = e > SINGULAR_EPS ? wrapTwoPi(zeta - I * raanRad) : 0;
  const meanAnomalyRad = wrapTwoPi(el.meanLongitudeRad - zeta);
  const trueAnomalyRad = wrapTwoPi(meanToTrue(meanAnomalyRad, e));
  return { aKm: el.aKm, e, iRad, raanRad, argpRad, trueAnomalyRad, pKm: el.aKm * (1 - e) * (1 + e), meanAnomalyRad };
}
