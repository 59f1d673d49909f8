/**
 * IAU-1976 precession, IAU-1980 nutation, IAU-1982 sidereal time and the equation of the
 * equinoxes (with the 1994 kinematic terms): the classical "IAU-76/FK5" reduction as given
 * in Vallado, Fundamentals of Astrodynamics and Applications, 4th ed. (2013), §3.7, and in
 * the IERS Conventions (1996), ch. 5. Pure functions of explicit numbers (Julian centuries
 * of TT, two-part Julian dates of UT1) so the frame code can be checked piece by piece.
 */
import { ARCSEC, DAYS_PER_JULIAN_CENTURY, JD_J2000, TWO_PI } from '../constants';
import { type Mat3, mulMM, rot1, rot2, rot3 } from '../vec';

/** 1e-4 arcsec, the unit of the IAU-1980 series coefficients. */
const UNIT_1E4_ARCSEC = 1e-4 * ARCSEC;

/**
 * The 1980 IAU theory of nutation: 106 terms (Seidelmann 1982, "1980 IAU Theory of
 * Nutation: the final report of the IAU Working Group on Nutation", Celest. Mech. 27,
 * 79–106; same table as Vallado 4th ed. Appendix D.6 / nut80.dat, and in that order).
 * Each row: multipliers of [l (Moon mean anomaly), l' (Sun mean anomaly), F (Moon
 * argument of latitude), D (Moon elongation), Ω (Moon node)], then Δψ = (A + A'·T) sin(arg)
 * and Δε = (B + B'·T) cos(arg) with A, B in 1e-4" and A', B' in 1e-4"/century.
 */
// prettier-ignore
const NUT80: readonly (readonly number[])[] = [
  [ 0,  0,  0,  0,  1, -171996, -174.2, 92025,  8.9],
  [ 0,  0,  2, -2,  2,  -13187,   -1.6,  5736, -3.1],
  [ 0,  0,  2,  0,  2,   -2274,   -0.2,   977, -0.5],
  [ 0,  0,  0,  0,  2,    2062,    0.2,  -895,  0.5],
  [ 0, -1,  0,  0,  0,   -1426,    3.4,    54, -0.1],
  [ 1,  0,  0,  0,  0,     712,    0.1,    -7,  0  ],
  [ 0,  1,  2, -2,  2,    -517,    1.2,   224, -0.6],
  [ 0,  0,  2,  0,  1,    -386,   -0.4,   200,  0  ],
  [ 1,  0,  2,  0,  2,    -301,    0,     129, -0.1],
  [ 0, -1,  2, -2,  2,     217,   -0.5,   -95,  0.3],
  [-1,  0,  0,  2,  0,     158,    0,      -1,  0  ],
  [ 0,  0,  2, -2,  1,     129,    0.1,   -70,  0  ],
  [-1,  0,  2,  0,  2,     123,    0,     -53,  0  ],
  [ 1,  0,  0,  0,  1,      63,    0.1,   -33,  0  ],
  [ 0,  0,  0,  2,  0,      63,    0,      -2,  0  ],
  [-1,  0,  2,  2,  2,     -59,    0,      26,  0  ],
  [-1,  0,  0,  0,  1,     -58,   -0.1,    32,  0  ],
  [ 1,  0,  2,  0,  1,     -51,    0,      27,  0  ],
  [-2,  0,  0,  2,  0,     -48,    0,       1,  0  ],
  [-2,  0,  2,  0,  1,      46,    0,     -24,  0  ],
  [ 0,  0,  2,  2,  2,     -38,    0,      16,  0  ],
  [ 2,  0,  2,  0,  2,     -31,    0,      13,  0  ],
  [ 2,  0,  0,  0,  0,      29,    0,      -1,  0  ],
  [ 1,  0,  2, -2,  2,      29,    0,     -12,  0  ],
  [ 0,  0,  2,  0,  0,      26,    0,      -1,  0  ],
  [ 0,  0,  2, -2,  0,     -22,    0,       0,  0  ],
  [-1,  0,  2,  0,  1,      21,    0,     -10,  0  ],
  [ 0,  2,  0,  0,  0,      17,   -0.1,     0,  0  ],
  [ 0,  2,  2, -2,  2,     -16,    0.1,     7,  0  ],
  [-1,  0,  0,  2,  1,      16,    0,      -8,  0  ],
  [ 0,  1,  0,  0,  1,     -15,    0,       9,  0  ],
  [ 1,  0,  0, -2,  1,     -13,    0,       7,  0  ],
  [ 0, -1,  0,  0,  1,     -12,    0,       6,  0  ],
  [ 2,  0, -2,  0,  0,      11,    0,       0,  0  ],
  [-1,  0,  2,  2,  1,     -10,    0,       5,  0  ],
  [ 1,  0,  2,  2,  2,      -8,    0,       3,  0  ],
  [ 0, -1,  2,  0,  2,      -7,    0,       3,  0  ],
  [ 0,  0,  2,  2,  1,      -7,    0,       3,  0  ],
  [ 1,  1,  0, -2,  0,      -7,    0,       0,  0  ],
  [ 0,  1,  2,  0,  2,       7,    0,      -3,  0  ],
  [-2,  0,  0,  2,  1,      -6,    0,       3,  0  ],
  [ 0,  0,  0,  2,  1,      -6,    0,       3,  0  ],
  [ 2,  0,  2, -2,  2,       6,    0,      -3,  0  ],
  [ 1,  0,  0,  2,  0,       6,    0,       0,  0  ],
  [ 1,  0,  2, -2,  1,       6,    0,      -3,  0  ],
  [ 0,  0,  0, -2,  1,      -5,    0,       3,  0  ],
  [ 0, -1,  2, -2,  1,      -5,    0,       3,  0  ],
  [ 2,  0,  2,  0,  1,      -5,    0,       3,  0  ],
  [ 1, -1,  0,  0,  0,       5,    0,       0,  0  ],
  [ 1,  0,  0, -1,  0,      -4,    0,       0,  0  ],
  [ 0,  0,  0,  1,  0,      -4,    0,       0,  0  ],
  [ 0,  1,  0, -2,  0,      -4,    0,       0,  0  ],
  [ 1,  0, -2,  0,  0,       4,    0,       0,  0  ],
  [ 2,  0,  0, -2,  1,       4,    0,      -2,  0  ],
  [ 0,  1,  2, -2,  1,       4,    0,      -2,  0  ],
  [ 1,  1,  0,  0,  0,      -3,    0,       0,  0  ],
  [ 1, -1,  0, -1,  0,      -3,    0,       0,  0  ],
  [-1, -1,  2,  2,  2,      -3,    0,       1,  0  ],
  [ 0, -1,  2,  2,  2,      -3,    0,       1,  0  ],
  [ 1, -1,  2,  0,  2,      -3,    0,       1,  0  ],
  [ 3,  0,  2,  0,  2,      -3,    0,       1,  0  ],
  [-2,  0,  2,  0,  2,      -3,    0,       1,  0  ],
  [ 1,  0,  2,  0,  0,       3,    0,       0,  0  ],
  [-1,  0,  2,  4,  2,      -2,    0,       1,  0  ],
  [ 1,  0,  0,  0,  2,      -2,    0,       1,  0  ],
  [-1,  0,  2, -2,  1,      -2,    0,       1,  0  ],
  [ 0, -2,  2, -2,  1,      -2,    0,       1,  0  ],
  [-2,  0,  0,  0,  1,      -2,    0,       1,  0  ],
  [ 2,  0,  0,  0,  1,       2,    0,      -1,  0  ],
  [ 3,  0,  0,  0,  0,       2,    0,       0,  0  ],
  [ 1,  1,  2,  0,  2,       2,    0,      -1,  0  ],
  [ 0,  0,  2,  1,  2,       2,    0,      -1,  0  ],
  [ 1,  0,  0,  2,  1,      -1,    0,       0,  0  ],
  [ 1,  0,  2,  2,  1,      -1,    0,       1,  0  ],
  [ 1,  1,  0, -2,  1,      -1,    0,       0,  0  ],
  [ 0,  1,  0,  2,  0,      -1,    0,       0,  0  ],
  [ 0,  1,  2, -2,  0,      -1,    0,       0,  0  ],
  [ 0,  1, -2,  2,  0,      -1,    0,       0,  0  ],
  [ 1,  0, -2,  2,  0,      -1,    0,       0,  0  ],
  [ 1,  0, -2, -2,  0,      -1,    0,       0,  0  ],
  [ 1,  0,  2, -2,  0,      -1,    0,       0,  0  ],
  [ 1,  0,  0, -4,  0,      -1,    0,       0,  0  ],
  [ 2,  0,  0, -4,  0,      -1,    0,       0,  0  ],
  [ 0,  0,  2,  4,  2,      -1,    0,       0,  0  ],
  [ 0,  0,  2, -1,  2,      -1,    0,       0,  0  ],
  [-2,  0,  2,  4,  2,      -1,    0,       1,  0  ],
  [ 2,  0,  2,  2,  2,      -1,    0,       0,  0  ],
  [ 0, -1,  2,  0,  1,      -1,    0,       0,  0  ],
  [ 0,  0, -2,  0,  1,      -1,    0,       0,  0  ],
  [ 0,  0,  4, -2,  2,       1,    0,       0,  0  ],
  [ 0,  1,  0,  0,  2,       1,    0,       0,  0  ],
  [ 1,  1,  2, -2,  2,       1,    0,      -1,  0  ],
  [ 3,  0,  2, -2,  2,       1,    0,       0,  0  ],
  [-2,  0,  2,  2,  2,       1,    0,      -1,  0  ],
  [-1,  0,  0,  0,  2,       1,    0,      -1,  0  ],
  [ 0,  0, -2,  2,  1,       1,    0,       0,  0  ],
  [ 0,  1,  2,  0,  1,       1,    0,       0,  0  ],
  [-1,  0,  4,  0,  2,       1,    0,       0,  0  ],
  [ 2,  1,  0, -2,  0,       1,    0,       0,  0  ],
  [ 2,  0,  0,  2,  0,       1,    0,       0,  0  ],
  [ 2,  0,  2, -2,  1,       1,    0,      -1,  0  ],
  [ 2,  0, -2,  0,  1,       1,    0,       0,  0  ],
  [ 1, -1,  0, -2,  0,       1,    0,       0,  0  ],
  [-1,  0,  0,  1,  1,       1,    0,       0,  0  ],
  [-1, -1,  0,  2,  1,       1,    0,       0,  0  ],
  [ 0,  1,  0,  1,  0,       1,    0,       0,  0  ],
];

/** Number of terms of the IAU-1980 series (exported for the tests that check the table). */
export const NUT80_TERM_COUNT = NUT80.length;

/** Julian centuries since J2000.0 of a two-part Julian date (any scale). */
export function centuriesSinceJ2000(jd: readonly [number, number]): number {
  return (jd[0] - JD_J2000 + jd[1]) / DAYS_PER_JULIAN_CENTURY;
}

/** Reduces an angle in arcseconds modulo 360° (1 296 000") and converts it to radians. */
const arcsecToRadMod = (a: number): number => (a % 1296000) * ARCSEC;

/**
 * Delaunay arguments of the IAU-1980 theory, radians (Seidelmann 1982 / Explanatory
 * Supplement 1992, Table 3.222.2; Vallado 4th ed. eq. 3-82), T in Julian centuries of TT.
 * One revolution = 1 296 000"; the polynomials are evaluated in arcseconds so that the
 * large secular terms keep their full precision before the modulo.
 */
export function delaunayArgs1980(tTt: number): { l: number; lp: number; f: number; d: number; om: number } {
  const t = tTt;
  const t2 = t * t;
  const t3 = t2 * t;
  return {
    l: arcsecToRadMod(485866.733 + (1325 * 1296000 + 715922.633) * t + 31.31 * t2 + 0.064 * t3),
    lp: arcsecToRadMod(1287099.804 + (99 * 1296000 + 1292581.224) * t - 0.577 * t2 - 0.012 * t3),
    f: arcsecToRadMod(335778.877 + (1342 * 1296000 + 295263.137) * t - 13.257 * t2 + 0.011 * t3),
    d: arcsecToRadMod(1072261.307 + (1236 * 1296000 + 1105601.328) * t - 6.891 * t2 + 0.019 * t3),
    om: arcsecToRadMod(450160.28 - (5 * 1296000 + 482890.539) * t + 7.455 * t2 + 0.008 * t3),
  };
}

/** Mean obliquity of the ecliptic, IAU 1976 (Lieske et al. 1977; Vallado 4th ed. eq. 3-81), rad. */
export function meanObliquity1980(tTt: number): number {
  const t = tTt;
  return (84381.448 + t * (-46.815 + t * (-0.00059 + t * 0.001813))) * ARCSEC;
}

export interface Nutation1980 {
  /** Nutation in longitude Δψ including the celestial-pole correction dψ, rad. */
  dPsiRad: number;
  /** Nutation in obliquity Δε including the correction dε, rad. */
  dEpsRad: number;
  /** Mean obliquity ε̄ (IAU 1976), rad. */
  meanEpsRad: number;
  /** True obliquity ε = ε̄ + Δε, rad. */
  trueEpsRad: number;
  /** Longitude of the Moon's ascending node Ω (needed by the equation of the equinoxes), rad. */
  omegaMoonRad: number;
}

/**
 * IAU-1980 nutation (106 terms) plus the IERS celestial-pole offsets dψ, dε (rad), which
 * are simply added to the series (Vallado 4th ed. eq. 3-85 with the "δΔψ, δΔε" of §3.7.2;
 * IERS Conventions 1996 ch. 5).
 */
export function nutation1980(tTt: number, dPsiCorrRad = 0, dEpsCorrRad = 0): Nutation1980 {
  const { l, lp, f, d, om } = delaunayArgs1980(tTt);
  let dPsi = 0;
  let dEps = 0;
  // Sum the small terms first: less rounding on the total.
  for (let i = NUT80.length - 1; i >= 0; i--) {
    const c = NUT80[i];
    const arg = c[0] * l + c[1] * lp + c[2] * f + c[3] * d + c[4] * om;
    dPsi += (c[5] + c[6] * tTt) * Math.sin(arg);
    dEps += (c[7] + c[8] * tTt) * Math.cos(arg);
  }
  const meanEps = meanObliquity1980(tTt);
  const dPsiRad = dPsi * UNIT_1E4_ARCSEC + dPsiCorrRad;
  const dEpsRad = dEps * UNIT_1E4_ARCSEC + dEpsCorrRad;
  return { dPsiRad, dEpsRad, meanEpsRad: meanEps, trueEpsRad: meanEps + dEpsRad, omegaMoonRad: om };
}

/**
 * IAU-1976 precession angles ζ, θ, z from J2000.0 (Lieske et al. 1977, A&A 58, 1–16;
 * Vallado 4th ed. eq. 3-89), rad.
 */
export function precessionAngles1976(tTt: number): { zeta: number; theta: number; z: number } {
  const t = tTt;
  const t2 = t * t;
  const t3 = t2 * t;
  return {
    zeta: (2306.2181 * t + 0.30188 * t2 + 0.017998 * t3) * ARCSEC,
    theta: (2004.3109 * t - 0.42665 * t2 - 0.041833 * t3) * ARCSEC,
    z: (2306.2181 * t + 1.09468 * t2 + 0.018203 * t3) * ARCSEC,
  };
}

/**
 * Precession matrix P such that r_MOD = P · r_J2000 (mean equator and equinox of J2000.0 to
 * mean of date): P = ROT3(−z) ROT2(θ) ROT3(−ζ), the transpose of Vallado eq. 3-88.
 */
export function precessionMatrix1976(tTt: number): Mat3 {
  const { zeta, theta, z } = precessionAngles1976(tTt);
  return mulMM(mulMM(rot3(-z), rot2(theta)), rot3(-zeta));
}

/**
 * Nutation matrix N such that r_TOD = N · r_MOD: N = ROT1(−ε) ROT3(−Δψ) ROT1(ε̄), the
 * transpose of Vallado eq. 3-86.
 */
export function nutationMatrix1980(nut: Nutation1980): Mat3 {
  return mulMM(mulMM(rot1(-nut.trueEpsRad), rot3(-nut.dPsiRad)), rot1(nut.meanEpsRad));
}

/**
 * Greenwich mean sidereal time, IAU 1982 (Aoki et al. 1982; Vallado 4th ed. eq. 3-47), rad
 * in [0, 2π). Argument: two-part Julian date of UT1.
 * GMST(s) = 67310.54841 + (876600 h + 8640184.812866 s) T + 0.093104 T² − 6.2e-6 T³.
 */
export function gmst1982(jdUt1: readonly [number, number]): number {
  const t = centuriesSinceJ2000(jdUt1);
  const seconds = 67310.54841 + (876600 * 3600 + 8640184.812866) * t + 0.093104 * t * t - 6.2e-6 * t * t * t;
  const rad = ((seconds % 86400) / 86400) * TWO_PI;
  return rad < 0 ? rad + TWO_PI : rad;
}

/**
 * JD(TT) from which the 1994 kinematic terms of the equation of the equinoxes apply
 * (1997-02-27, IERS Conventions 1996 ch. 5; Vallado 4th ed. eq. 3-79).
 */
const EQE_KINEMATIC_FROM_JD = 2450506.5;

/**
 * Equation of the equinoxes (GAST − GMST), rad: Δψ cos ε̄ + 0.00264" sin Ω + 0.000063" sin 2Ω,
 * the last two terms only after 1997-02-27 (IERS Conventions 1996, ch. 5, eq. 28;
 * Vallado 4th ed. eq. 3-79).
 */
export function equationOfEquinoxes1994(nut: Nutation1980, tTt: number): number {
  let eqe = nut.dPsiRad * Math.cos(nut.meanEpsRad);
  const jdTt = JD_J2000 + tTt * DAYS_PER_JULIAN_CENTURY;
  if (jdTt > EQE_KINEMATIC_FROM_JD) eqe += (0.00264 * Math.sin(nut.omegaMoonRad) + 0.000063 * Math.sin(2 * nut.omegaMoonRad)) * ARCSEC;
  return eqe;
}

/**
 * Mean angular velocity of the Earth used with the IAU-1982 sidereal time, rad/s: the
 * sidereal rate 1.002737909350795 rev per UT1 day (Aoki et al. 1982), 7.292115146706979e-5
 * (Vallado 4th ed. §3.7, eq. 3-40). The rounded WGS-84 value in constants.ts differs by
 * 1.5e-13 rad/s (1e-9 km/s at GEO), we keep the full value to match the published examples.
 */
export const EARTH_ROTATION_RATE_RAD_S = 7.292115146706979e-5;

/**
 * Earth angular velocity corrected for the excess length of day: ω = ω̄ (1 − LOD/86400)
 * (Vallado 4th ed. eq. 3-40; IERS Conventions 2010 §5.4.1 note on LOD).
 */
export const earthRotationRate = (lodS: number): number => EARTH_ROTATION_RATE_RAD_S * (1 - lodS / 86400);

/** Polar-motion matrix W, r_PEF = W · r_ITRF, W = ROT2(xp) ROT1(yp) (IERS Conventions 2010 eq. 5.3 without s′; Vallado eq. 3-77). */
export function polarMotionMatrix(xpRad: number, ypRad: number): Mat3 {
  return mulMM(rot2(xpRad), rot1(ypRad));
}
