/**
 * Eckstein–Hechler mean-element theory for near-circular orbits under the zonal harmonics
 * J2…J6 (pure functions; km, s, rad).
 *
 * Source: M. C. Eckstein & F. Hechler, "A reliable derivation of the perturbations due to any
 * zonal and tesseral harmonics of the geopotential for nearly-circular satellite orbits",
 * ESRO SR-13 (1970) — the first-order theory in the non-singular circular elements
 * (a, ex = e cos ω, ey = e sin ω, i, Ω, α = ω + M), truncated to the zonal terms J2…J6 with the
 * J2² terms of the secular rates, in the form used operationally at CNES (CelestLab's
 * `CL_ex_eckHech`; Orekit's `EcksteinHechlerPropagator`). The paper itself was not at hand: the
 * formulas below were read from those two public implementations (Scilab and Java, written out
 * here as formulas and re-implemented, no code copied). They agree except for the J6 term of ω″,
 * where a Python adaptation of CelestLab keeps only −(105/8) G6 and Orekit has the cubic
 * polynomial in s² used below — the J6 secular perigee rate must depend on the inclination like
 * the J4 one does (~0.7 % of the perigee rate of a 700 km SSO, metres of position per day).
 * Everything is checked against a numerical integration of the same zonal field
 * (test/eckstein-hechler.test.ts).
 *
 * Notation: G_n = C_n0 (R/a)^n = −J_n (R/a)^n (un-normalized zonal coefficients scaled by the
 * mean semi-major axis), s = sin i, c = cos i, n0 = √(μ/a³), all of the mean orbit.
 *
 * Secular part (mean elements at t):
 *   a, i constant;
 *   ω′  = −(3/4) G2 (4 − 5s²)                                   (J2 rate of the perigee, / n0)
 *   ω″  = (15/2) G4 (1 − 31/8 s² + 49/16 s⁴) − (105/8) G6 (1 − 8s² + 129/8 s⁴ − 297/32 s⁶)
 *   ε1 = 3/(32 ω′) [G4 s² (30 − 35s²) − 175 G6 s² (1 − 3s² + 33/16 s⁴)]
 *   ε2 = 3s/(8 ω′) [G3 (4 − 5s²) − G5 (10 − 35s² + 105/4 s⁴)]      (frozen eccentricity, ey)
 *   ξ = (ω′ + ω″) n0 t: the eccentricity vector turns on an ellipse about (0, ε2):
 *     ex(t) = ex0 cos ξ − (1 − ε1)(ey0 − ε2) sin ξ
 *     ey(t) = (1 + ε1) ex0 sin ξ + (ey0 − ε2) cos ξ + ε2
 *   Ω̇/n0 = c [(3/2) G2 − (9/4) G2² (5/2 − 19/6 s²) + (15/16) G4 (7s² − 4) + (105/32) G6 (2 − 9s² + 33/4 s⁴)]
 *   λ = 1 − (3/2) G2 (3 − 4s²)
 *   α̇/n0 = λ + (9/4) G2² (9 − 263/12 s² + 341/24 s⁴) + (15/16) G4 (8 − 31s² + 49/2 s⁴)
 *           + (105/32) G6 (−10/3 + 25s² − 195/4 s⁴ + 55/2 s⁶)
 *
 * Short-period part (osculating = mean + δ, with cₖ = cos kα, sₖ = sin kα of the mean α(t) and
 * ex, ey the mean ones at t): see `shortPeriodic` for the sums, in the same notation, with
 *   q = −(3/2) G2/λ, A = (3/4) G2² s², B = (1/4) G4 s², C = (105/16) G6 s², D = −(3/4) G3 s,
 *   E = (15/4) G5 s, kh = 3/(8 ω′), kl = kh/s.
 *
 * Validity (as stated with the theory): e < 0.1 (accuracy poor above ~0.005), not equatorial
 * (kl ∝ 1/sin i), not near the critical inclination (ω′ = 0 at sin² i = 4/5: ε1, ε2, kh ∝ 1/ω′).
 *
 * Velocities: the state at t is the two-body state of the osculating elements at t (position
 * and velocity, which is what "osculating" means). The round trip state → mean → state is then
 * exact at the epoch, and a numerical integration started from the theory's state follows the
 * theory (tested). The time derivative of the theory's positions differs from that velocity by
 * the theory's truncation (≤ 0.13 m/s in LEO, measured): the derivative of the short-period
 * terms is less accurate than the terms, so it is not used — an integration started with it
 * drifts by tens of kilometres a day (the ~0.1 m/s error is a ~0.2 km error in a).
 */
import { keplerianToCartesian, type CartesianState } from '../../sdk/astro/elements';
import { meanToTrue } from '../../sdk/astro/kepler';

/** Circular orbital elements: α is the mean argument of latitude ω + M. */
export interface CircularElements {
  aKm: number;
  ex: number;
  ey: number;
  iRad: number;
  raanRad: number;
  alphaRad: number;
}

/** Earth constants of the theory: J_n = −C_n0 un-normalized, n = 2…6 (`j[0]` = J2). */
export interface ZonalConstants {
  muKm3S2: number;
  radiusKm: number;
  j: readonly [number, number, number, number, number];
}

/** A condition outside the theory's domain (the message says which). */
export class TheoryDomainError extends Error {
  constructor(
    readonly reason: 'eccentricity' | 'equatorial' | 'critical-inclination' | 'not-converged',
    message: string,
  ) {
    super(message);
    this.name = 'TheoryDomainError';
  }
}

const TWO_PI = 2 * Math.PI;
/** Largest eccentricity of the theory (Eckstein & Hechler: near-circular orbits). */
export const EH_MAX_ECCENTRICITY = 0.1;

function wrap(a: number): number {
  const w = a % TWO_PI;
  return w < 0 ? w + TWO_PI : w;
}

function wrapPi(a: number): number {
  return a - TWO_PI * Math.round(a / TWO_PI);
}

/** The theory for one set of mean elements at t = 0: coefficients computed once, evaluated at any t. */
export class EcksteinHechlerModel {
  private readonly n0: number;
  private readonly rate: number;
  private readonly eps1: number;
  private readonly eps2: number;
  private readonly raanRate: number;
  private readonly alphaRate: number;
  private readonly kh: number;
  private readonly kl: number;
  private readonly cosI: number;
  private readonly sinI: number;
  // short-period coefficients (see shortPeriodic)
  private readonly aC: Float64Array;
  private readonly exC: Float64Array;
  private readonly eyC: Float64Array;
  private readonly raanC: Float64Array;
  private readonly incC: Float64Array;
  private readonly alphaC: Float64Array;

  constructor(
    readonly mean: CircularElements,
    readonly k: ZonalConstants,
  ) {
    const e = Math.hypot(mean.ex, mean.ey);
    if (!(e < EH_MAX_ECCENTRICITY)) throw new TheoryDomainError('eccentricity', `Eckstein-Hechler: mean eccentricity ${e.toExponential(3)} is not below ${EH_MAX_ECCENTRICITY} (near-circular orbits only)`);
    if (!(mean.aKm > 0)) throw new TheoryDomainError('eccentricity', `Eckstein-Hechler: mean semi-major axis ${mean.aKm} km must be > 0`);
    const s = Math.sin(mean.iRad);
    const c = Math.cos(mean.iRad);
    const s2 = s * s;
    const s4 = s2 * s2;
    const s6 = s4 * s2;
    if (s2 < 1e-10) throw new TheoryDomainError('equatorial', `Eckstein-Hechler: inclination ${((mean.iRad * 180) / Math.PI).toFixed(6)}° is equatorial (the theory is singular at sin i = 0)`);
    if (Math.abs(s2 - 0.8) < 1e-3) throw new TheoryDomainError('critical-inclination', `Eckstein-Hechler: inclination ${((mean.iRad * 180) / Math.PI).toFixed(4)}° is within 0.04° of the critical inclination 63.43°/116.57° (the theory is singular there)`);
    const q = k.radiusKm / mean.aKm;
    const g2 = -k.j[0] * q ** 2;
    const g3 = -k.j[1] * q ** 3;
    const g4 = -k.j[2] * q ** 4;
    const g5 = -k.j[3] * q ** 5;
    const g6 = -k.j[4] * q ** 6;
    this.n0 = Math.sqrt(k.muKm3S2 / mean.aKm) / mean.aKm;
    this.cosI = c;
    this.sinI = s;

    const w1 = -0.75 * g2 * (4 - 5 * s2);
    const w2 = 7.5 * g4 * (1 - (31 / 8) * s2 + (49 / 16) * s4) - (105 / 8) * g6 * (1 - 8 * s2 + (129 / 8) * s4 - (297 / 32) * s6);
    this.rate = (w1 + w2) * this.n0;
    this.eps1 = (3 / (32 * w1)) * (g4 * s2 * (30 - 35 * s2) - 175 * g6 * s2 * (1 - 3 * s2 + (33 / 16) * s4));
    this.eps2 = ((3 * s) / (8 * w1)) * (g3 * (4 - 5 * s2) - g5 * (10 - 35 * s2 + (105 / 4) * s4));
    this.raanRate = this.n0 * c * (1.5 * g2 - 2.25 * g2 * g2 * (2.5 - (19 / 6) * s2) + (15 / 16) * g4 * (7 * s2 - 4) + (105 / 32) * g6 * (2 - 9 * s2 + (33 / 4) * s4));
    const lam = 1 - 1.5 * g2 * (3 - 4 * s2);
    this.alphaRate =
      this.n0 *
      (lam + 2.25 * g2 * g2 * (9 - (263 / 12) * s2 + (341 / 24) * s4) + (15 / 16) * g4 * (8 - 31 * s2 + 24.5 * s4) + (105 / 32) * g6 * (-10 / 3 + 25 * s2 - (195 / 4) * s4 + 27.5 * s6));

    const qq = (-1.5 * g2) / lam;
    const qA = 0.75 * g2 * g2 * s2;
    const qB = 0.25 * g4 * s2;
    const qC = (105 / 16) * g6 * s2;
    const qD = -0.75 * g3 * s;
    const qE = 3.75 * g5 * s;
    this.kh = 3 / (8 * w1);
    this.kl = this.kh / s;
    // δa/a = aC0 ex c1 + aC1 ey s1 + aC2 s1 + aC3 c2 + aC4 (ex c3 + ey s3) + aC5 s3 + aC6 c4 + aC7 s5 + aC8 c6
    this.aC = Float64Array.of(
      qq * (2 - 3.5 * s2),
      qq * (2 - 2.5 * s2),
      qD * (4 - 5 * s2) + qE * (1 - 3.5 * s2 + 2.625 * s4),
      qq * s2 + 7 * qA * (2 - 3 * s2) + qB * (15 - 17.5 * s2) + qC * (3 * s2 - 1 - (33 / 16) * s4),
      3.5 * qq * s2,
      qD * (5 / 3) * s2 + qE * (7 / 6) * s2 * (1 - 1.125 * s2),
      qA * s2 + 4.375 * qB * s2 + 0.75 * qC * (1.1 * s4 - s2),
      (21 / 80) * qE * s4,
      (-11 / 80) * qC * s4,
    );
    // δex = exC0 c1 + exC1 ex c2 + exC2 ey s2 + exC3 c3 + exC4 (ex c4 + ey s4)
    this.exC = Float64Array.of(qq * (1 - 1.25 * s2), 0.5 * qq * (3 - 5 * s2), qq * (2 - 1.5 * s2), ((7 * qq) / 12) * s2, ((17 * qq) / 8) * s2);
    // δey = eyC0 s1 + eyC1 ex s2 + eyC2 ey c2 + eyC3 s3 + eyC4 (ex s4 − ey c4)
    this.eyC = Float64Array.of(qq * (1 - 1.75 * s2), qq * (1 - 3 * s2), qq * (2 * s2 - 1.5), ((7 * qq) / 12) * s2, ((17 * qq) / 8) * s2);
    // δΩ = −q c [7/2 ex s1 − 5/2 ey c1 − 1/2 s2 + 7/6 (ey c3 − ex s3)] + kl ex c [G3 (4 − 15s²) − 5/2 G5 (4 − 42s² + 105/2 s⁴)]
    this.raanC = Float64Array.of(-qq * c, c * (g3 * (4 - 15 * s2) - 2.5 * g5 * (4 - 42 * s2 + 52.5 * s4)));
    // δi = ½ q s c [ey s1 − ex c1 + c2 + 7/3 (ex c3 + ey s3)] + kh (ey − ε2) c [−G3 (4 − 5s²) + 5/2 G5 (4 − 14s² + 21/2 s⁴)]
    this.incC = Float64Array.of(0.5 * qq * s * c, c * (-g3 * (4 - 5 * s2) + 2.5 * g5 * (4 - 14 * s2 + 10.5 * s4)));
    // δα = q [(7 − 77/8 s²) ex s1 + (55/8 s² − 15/2) ey c1 + (5/4 s² − 1/2) s2 + (77/24 s² − 7/6)(ex s3 − ey c3)]
    //      + kl ex [G3 (53s² − 4 − 115/2 s⁴) + 5/2 G5 (4 − 96s² + 539/2 s⁴ − 735/4 s⁶)]
    this.alphaC = Float64Array.of(
      qq * (7 - (77 / 8) * s2),
      qq * ((55 / 8) * s2 - 7.5),
      qq * (1.25 * s2 - 0.5),
      qq * ((77 / 24) * s2 - 7 / 6),
      g3 * (53 * s2 - 4 - 57.5 * s4) + 2.5 * g5 * (4 - 96 * s2 + 269.5 * s4 - 183.75 * s6),
    );
  }

  /** Mean elements at t (s after the model's epoch). */
  meanAt(t: number): CircularElements {
    const m = this.mean;
    const xi = this.rate * t;
    const cx = Math.cos(xi);
    const sx = Math.sin(xi);
    const dy0 = m.ey - this.eps2;
    return {
      aKm: m.aKm,
      ex: m.ex * cx - (1 - this.eps1) * dy0 * sx,
      ey: (1 + this.eps1) * m.ex * sx + dy0 * cx + this.eps2,
      iRad: m.iRad,
      raanRad: wrap(m.raanRad + this.raanRate * t),
      alphaRad: wrap(m.alphaRad + this.alphaRate * t),
    };
  }

  /** Osculating elements at t: mean elements at t plus the short-period terms. */
  osculatingAt(t: number): CircularElements {
    const m = this.meanAt(t);
    const d = this.shortPeriodic(m);
    return { aKm: m.aKm * (1 + d[0]), ex: m.ex + d[1], ey: m.ey + d[2], iRad: m.iRad + d[3], raanRad: wrap(m.raanRad + d[4]), alphaRad: wrap(m.alphaRad + d[5]) };
  }

  /** Short-period terms [δa/a, δex, δey, δi, δΩ, δα] at the mean elements m. */
  private shortPeriodic(m: CircularElements): [number, number, number, number, number, number] {
    const c1 = Math.cos(m.alphaRad);
    const s1 = Math.sin(m.alphaRad);
    const c2 = c1 * c1 - s1 * s1;
    const s2 = 2 * s1 * c1;
    const c3 = c2 * c1 - s2 * s1;
    const s3 = c2 * s1 + s2 * c1;
    const c4 = c3 * c1 - s3 * s1;
    const s4 = c3 * s1 + s3 * c1;
    const c5 = c4 * c1 - s4 * s1;
    const s5 = c4 * s1 + s4 * c1;
    const c6 = c5 * c1 - s5 * s1;
    const { ex, ey } = m;
    const A = this.aC;
    const da = A[0] * ex * c1 + A[1] * ey * s1 + A[2] * s1 + A[3] * c2 + A[4] * (ex * c3 + ey * s3) + A[5] * s3 + A[6] * c4 + A[7] * s5 + A[8] * c6;
    const X = this.exC;
    const dex = X[0] * c1 + X[1] * ex * c2 + X[2] * ey * s2 + X[3] * c3 + X[4] * (ex * c4 + ey * s4);
    const Y = this.eyC;
    const dey = Y[0] * s1 + Y[1] * ex * s2 + Y[2] * ey * c2 + Y[3] * s3 + Y[4] * (ex * s4 - ey * c4);
    const R = this.raanC;
    const dO = R[0] * (3.5 * ex * s1 - 2.5 * ey * c1 - 0.5 * s2 + (7 / 6) * (ey * c3 - ex * s3)) + this.kl * ex * R[1];
    const I = this.incC;
    const di = I[0] * (ey * s1 - ex * c1 + c2 + (7 / 3) * (ex * c3 + ey * s3)) + this.kh * (ey - this.eps2) * I[1];
    const L = this.alphaC;
    const dl = L[0] * ex * s1 + L[1] * ey * c1 + L[2] * s2 + L[3] * (ex * s3 - ey * c3) + this.kl * ex * L[4];
    return [da, dex, dey, di, dO, dl];
  }

  /** Osculating state at t (km, km/s, axes of the elements): the two-body state of the osculating elements. */
  stateAt(t: number): CartesianState {
    return circularToCartesian(this.osculatingAt(t), this.k.muKm3S2);
  }
}

/** Circular → Keplerian (e = |(ex, ey)|, ω = atan2(ey, ex), M = α − ω); ω = 0 when e = 0. */
export function circularToKeplerian(c: CircularElements): { aKm: number; e: number; iRad: number; raanRad: number; argpRad: number; meanAnomalyRad: number } {
  const e = Math.hypot(c.ex, c.ey);
  const w = e > 0 ? Math.atan2(c.ey, c.ex) : 0;
  return { aKm: c.aKm, e, iRad: c.iRad, raanRad: c.raanRad, argpRad: wrap(w), meanAnomalyRad: wrap(c.alphaRad - w) };
}

/** Keplerian (mean anomaly) → circular. */
export function keplerianToCircular(k: { aKm: number; e: number; iRad: number; raanRad: number; argpRad: number; meanAnomalyRad: number }): CircularElements {
  return { aKm: k.aKm, ex: k.e * Math.cos(k.argpRad), ey: k.e * Math.sin(k.argpRad), iRad: k.iRad, raanRad: wrap(k.raanRad), alphaRad: wrap(k.argpRad + k.meanAnomalyRad) };
}

/** Two-body state of circular elements. */
export function circularToCartesian(c: CircularElements, muKm3S2: number): CartesianState {
  const k = circularToKeplerian(c);
  return keplerianToCartesian({ aKm: k.aKm, e: k.e, iRad: k.iRad, raanRad: k.raanRad, argpRad: k.argpRad, trueAnomalyRad: meanToTrue(k.meanAnomalyRad, k.e) }, muKm3S2);
}

/**
 * Mean elements whose osculating elements (at t = 0) are `osc`: fixed-point iteration
 * mean ← mean + (osc − osculating(mean)) from mean = osc. The map is the identity plus terms
 * of order J2 (R/a)² ≈ 1e-3, so each pass gains ~3 digits; it stops when the correction is below
 * 1e-14 (relative for a, absolute for e and the angles) or no longer shrinks (rounding floor).
 */
export function meanFromOsculating(osc: CircularElements, k: ZonalConstants, maxIterations = 50): { mean: CircularElements; iterations: number; residual: number } {
  let mean = { ...osc };
  let prev = Infinity;
  for (let it = 1; it <= maxIterations; it++) {
    const o = new EcksteinHechlerModel(mean, k).osculatingAt(0);
    const d = [(osc.aKm - o.aKm) / osc.aKm, osc.ex - o.ex, osc.ey - o.ey, osc.iRad - o.iRad, wrapPi(osc.raanRad - o.raanRad), wrapPi(osc.alphaRad - o.alphaRad)];
    const size = Math.max(...d.map(Math.abs));
    mean = { aKm: mean.aKm * (1 + d[0]), ex: mean.ex + d[1], ey: mean.ey + d[2], iRad: mean.iRad + d[3], raanRad: wrap(mean.raanRad + d[4]), alphaRad: wrap(mean.alphaRad + d[5]) };
    if (size < 1e-14 || (size < 1e-11 && size >= prev)) return { mean, iterations: it, residual: size };
    prev = size;
  }
  throw new TheoryDomainError('not-converged', `Eckstein-Hechler: osculating → mean elements did not converge in ${maxIterations} iterations (residual ${prev.toExponential(2)}); the orbit is probably outside the theory's domain`);
}
