/**
 * Analytic geocentric positions of the Sun and the Moon, accurate enough for third-body
 * perturbations, solar radiation pressure and eclipse geometry (no binary ephemeris needed).
 *
 * Output frame: GCRF — geocentric, axes of the J2000 mean equator and equinox (FK5), which
 * coincide with the ICRF axes to within the frame bias (≈ 0.02″, IERS Conventions 2010
 * §5.5.5), far below the accuracy of the series, so the bias is not applied.
 * Output positions are GEOMETRIC (instantaneous, no light time, no aberration, no nutation):
 * what a force model or an eclipse test needs, and what JPL Horizons calls "geometric states".
 *
 * Sources:
 * - Sun: VSOP87D heliocentric Earth (Bretagnon & Francou 1988, A&A 202, 309) truncated as
 *   published by J. Meeus, "Astronomical Algorithms", 2nd ed. (1998), Appendix III, with the
 *   method of ch. 25 ("higher accuracy", ≈ 1″) and the FK5 correction of ch. 32 (eq. 32.3).
 * - Moon: ELP-2000/82 (Chapront-Touzé & Chapront 1983) truncated as published by Meeus,
 *   ch. 47 (Tables 47.A and 47.B, eqs. 47.1–47.6): ≈ 10″ in longitude, 4″ in latitude.
 * - Mean obliquity: IAU 1980 (Lieske et al. 1977; Meeus eq. 22.2).
 * - Precession mean-of-date → J2000: IAU 1976 (Lieske et al. 1977, A&A 58, 1; Vallado,
 *   "Fundamentals of Astrodynamics and Applications", 4th ed., §3.7 "IAU-76/FK5 reduction").
 *   Both come from sdk/astro/frames/iau1980.ts.
 *
 * Measured accuracy against JPL Horizons DE441 over 1970–2040 (sdk/astro/test/bodies.test.ts,
 * which prints and asserts the worst cases): Sun 0.62″ in direction, 376 km in distance;
 * Moon 13.8″ in direction, 11.4 km in distance.
 */
import { ARCSEC, AU_KM, DAYS_PER_JULIAN_CENTURY, DEG, JD_J2000, TWO_PI } from './constants';
import { meanObliquity1980, precessionMatrix1976 } from './frames/iau1980';
import { type Vec3, mulMtV, rot1 } from './vec';

/**
 * Anything that can give its two-part Julian date in TDB — the `Epoch` class of
 * sdk/astro/time.ts satisfies it. Plain numbers are Julian dates in TDB.
 */
export interface TdbJulianDateSource {
  jd(scale: 'TDB'): [number, number];
}
/** A TDB instant: a Julian date (TDB, days) or an Epoch-like object. TT may be passed for TDB (|TDB − TT| < 2 ms, < 2 m of lunar motion). */
export type TdbInstant = number | TdbJulianDateSource;

/** Julian centuries of TDB since J2000.0 (two-part JD kept apart for precision). */
export function tdbCenturiesSinceJ2000(t: TdbInstant): number {
  if (typeof t === 'number') {
    if (!Number.isFinite(t)) throw new RangeError(`bodies: Julian date (TDB) must be finite, got ${t}`);
    return (t - JD_J2000) / DAYS_PER_JULIAN_CENTURY;
  }
  const [jd1, jd2] = t.jd('TDB');
  return (jd1 - JD_J2000 + jd2) / DAYS_PER_JULIAN_CENTURY;
}

// ---------------------------------------------------------------------------------------------
// Precession and obliquity
// ---------------------------------------------------------------------------------------------

// The IAU-1980 mean obliquity and IAU-1976 precession are those of the frames module
// (sdk/astro/frames/iau1980.ts), so the bodies and the frames can never disagree.

/**
 * Geocentric ecliptic spherical coordinates (mean ecliptic and equinox of date) → GCRF km:
 * ecliptic → mean equator of date by R1(−ε) (Meeus eq. 13.3 in matrix form), then precession
 * back to J2000 with Pᵀ.
 */
function eclipticOfDateToGcrfKm(lonRad: number, latRad: number, distKm: number, tCenturies: number): Vec3 {
  const cb = Math.cos(latRad);
  const ecl: Vec3 = [distKm * cb * Math.cos(lonRad), distKm * cb * Math.sin(lonRad), distKm * Math.sin(latRad)];
  const eps = meanObliquity1980(tCenturies);
  // R1(−ε)·x  (vec.ts rot1 is the passive rotation; its transpose is R1(−ε)).
  const equ = mulMtV(rot1(eps), ecl);
  return mulMtV(precessionMatrix1976(tCenturies), equ);
}

// ---------------------------------------------------------------------------------------------
// Sun: VSOP87D Earth, truncated (Meeus, Astronomical Algorithms 2nd ed., Appendix III "Earth")
// Each term: [A (1e-8 rad or 1e-8 au), B (rad), C (rad per Julian millennium)], A·cos(B + C·τ).
// ---------------------------------------------------------------------------------------------

type VsopTerm = readonly [number, number, number];
type VsopSeries = readonly (readonly VsopTerm[])[];

const EARTH_L: VsopSeries = [
  [
    [175347046, 0, 0], [3341656, 4.6692568, 6283.07585], [34894, 4.6261, 12566.1517], [3497, 2.7441, 5753.3849],
    [3418, 2.8289, 3.5231], [3136, 3.6277, 77713.7715], [2676, 4.4181, 7860.4194], [2343, 6.1352, 3930.2097],
    [1324, 0.7425, 11506.7698], [1273, 2.0371, 529.691], [1199, 1.1096, 1577.3435], [990, 5.233, 5884.927],
    [902, 2.045, 26.298], [857, 3.508, 398.149], [780, 1.179, 5223.694], [753, 2.533, 5507.553],
    [505, 4.583, 18849.228], [492, 4.205, 775.523], [357, 2.92, 0.067], [317, 5.849, 11790.629],
    [284, 1.899, 796.298], [271, 0.315, 10977.079], [243, 0.345, 5486.778], [206, 4.806, 2544.314],
    [205, 1.869, 5573.143], [202, 2.458, 6069.777], [156, 0.833, 213.299], [132, 3.411, 2942.463],
    [126, 1.083, 20.775], [115, 0.645, 0.98], [103, 0.636, 4694.003], [102, 0.976, 15720.839],
    [102, 4.267, 7.114], [99, 6.21, 2146.17], [98, 0.68, 155.42], [86, 5.98, 161000.69],
    [85, 1.3, 6275.96], [85, 3.67, 71430.7], [80, 1.81, 17260.15], [79, 3.04, 12036.46],
    [75, 1.76, 5088.63], [74, 3.5, 3154.69], [74, 4.68, 801.82], [70, 0.83, 9437.76],
    [62, 3.98, 8827.39], [61, 1.82, 7084.9], [57, 2.78, 6286.6], [56, 4.39, 14143.5],
    [56, 3.47, 6279.55], [52, 0.19, 12139.55], [52, 1.33, 1748.02], [51, 0.28, 5856.48],
    [49, 0.49, 1194.45], [41, 5.37, 8429.24], [41, 2.4, 19651.05], [39, 6.17, 10447.39],
    [37, 6.04, 10213.29], [37, 2.57, 1059.38], [36, 1.71, 2352.87], [36, 1.78, 6812.77],
    [33, 0.59, 17789.85], [30, 0.44, 83996.85], [30, 2.74, 1349.87], [25, 3.16, 4690.48],
  ],
  [
    [628331966747, 0, 0], [206059, 2.678235, 6283.07585], [4303, 2.6351, 12566.1517], [425, 1.59, 3.523],
    [119, 5.796, 26.298], [109, 2.966, 1577.344], [93, 2.59, 18849.23], [72, 1.14, 529.69],
    [68, 1.87, 398.15], [67, 4.41, 5507.55], [59, 2.89, 5223.69], [56, 2.17, 155.42],
    [45, 0.4, 796.3], [36, 0.47, 775.52], [29, 2.65, 7.11], [21, 5.34, 0.98],
    [19, 1.85, 5486.78], [19, 4.97, 213.3], [17, 2.99, 6275.96], [16, 0.03, 2544.31],
    [16, 1.43, 2146.17], [15, 1.21, 10977.08], [12, 2.83, 1748.02], [12, 3.26, 5088.63],
    [12, 5.27, 1194.45], [12, 2.08, 4694], [11, 0.77, 553.57], [10, 1.3, 6286.6],
    [10, 4.24, 1349.87], [9, 2.7, 242.73], [9, 5.64, 951.72], [8, 5.3, 2352.87],
    [6, 2.65, 9437.76], [6, 4.67, 4690.48],
  ],
  [
    [52919, 0, 0], [8720, 1.0721, 6283.0758], [309, 0.867, 12566.152], [27, 0.05, 3.52],
    [16, 5.19, 26.3], [16, 3.68, 155.42], [10, 0.76, 18849.23], [9, 2.06, 77713.77],
    [7, 0.83, 775.52], [5, 4.66, 1577.34], [4, 1.03, 7.11], [4, 3.44, 5573.14],
    [3, 5.14, 796.3], [3, 6.05, 5507.55], [3, 1.19, 242.73], [3, 6.12, 529.69],
    [3, 0.31, 398.15], [3, 2.28, 553.57], [2, 4.38, 5223.69], [2, 3.75, 0.98],
  ],
  [
    [289, 5.844, 6283.076], [35, 0, 0], [17, 5.49, 12566.15], [3, 5.2, 155.42],
    [1, 4.72, 3.52], [1, 5.3, 18849.23], [1, 5.97, 242.73],
  ],
  [
    [114, 3.142, 0], [8, 4.13, 6283.08], [1, 3.84, 12566.15],
  ],
  [[1, 3.14, 0]],
];

const EARTH_B: VsopSeries = [
  [
    [280, 3.199, 84334.662], [102, 5.422, 5507.553], [80, 3.88, 5223.69], [44, 3.7, 2352.87],
    [32, 4, 1577.34],
  ],
  [
    [9, 3.9, 5507.55], [6, 1.73, 5223.69],
  ],
];

const EARTH_R: VsopSeries = [
  [
    [100013989, 0, 0], [1670700, 3.0984635, 6283.07585], [13956, 3.05525, 12566.1517], [3084, 5.1985, 77713.7715],
    [1628, 1.1739, 5753.3849], [1576, 2.8469, 7860.4194], [925, 5.453, 11506.77], [542, 4.564, 3930.21],
    [472, 3.661, 5884.927], [346, 0.964, 5507.553], [329, 5.9, 5223.694], [307, 0.299, 5573.143],
    [243, 4.273, 11790.629], [212, 5.847, 1577.344], [186, 5.022, 10977.079], [175, 3.012, 18849.228],
    [110, 5.055, 5486.778], [98, 0.89, 6069.78], [86, 5.69, 15720.84], [86, 1.27, 161000.69],
    [65, 0.27, 17260.15], [63, 0.92, 529.69], [57, 2.01, 83996.85], [56, 5.24, 71430.7],
    [49, 3.25, 2544.31], [47, 2.58, 775.52], [45, 5.54, 9437.76], [43, 6.01, 6275.96],
    [39, 5.36, 4694], [38, 2.39, 8827.39], [37, 0.83, 19651.05], [37, 4.9, 12139.55],
    [36, 1.67, 12036.46], [35, 1.84, 2942.46], [33, 0.24, 7084.9], [32, 0.18, 5088.63],
    [32, 1.78, 398.15], [28, 1.21, 6286.6], [28, 1.9, 6279.55], [26, 4.59, 10447.39],
  ],
  [
    [103019, 1.10749, 6283.07585], [1721, 1.0644, 12566.1517], [702, 3.142, 0], [32, 1.02, 18849.23],
    [31, 2.84, 5507.55], [25, 1.32, 5223.69], [18, 1.42, 1577.34], [10, 5.91, 10977.08],
    [9, 1.42, 6275.96], [9, 0.27, 5486.78],
  ],
  [
    [4359, 5.7846, 6283.0758], [124, 5.579, 12566.152], [12, 3.14, 0], [9, 3.63, 77713.77],
    [6, 1.87, 5573.14], [3, 5.47, 18849.23],
  ],
  [
    [145, 4.273, 6283.076], [7, 3.92, 12566.15],
  ],
  [[4, 2.56, 6283.08]],
];

/** Σ_k τ^k Σ_i A cos(B + C τ), in units of 1e-8 (Meeus eq. 32.2). */
function vsopSum(series: VsopSeries, tau: number): number {
  let total = 0;
  let tauPower = 1;
  for (const terms of series) {
    let s = 0;
    for (const [a, b, c] of terms) s += a * Math.cos(b + c * tau);
    total += s * tauPower;
    tauPower *= tau;
  }
  return total * 1e-8;
}

/** Heliocentric ecliptic coordinates of the Earth (VSOP87D: mean dynamical ecliptic and equinox of date). */
export interface EarthHeliocentricVsop87 {
  /** Heliocentric longitude L, rad (not normalized). */
  lonRad: number;
  /** Heliocentric latitude B, rad. */
  latRad: number;
  /** Radius vector R, au. */
  distAu: number;
}

/** Earth heliocentric L, B, R from truncated VSOP87D (Meeus ch. 32; τ in Julian millennia of TDB from J2000). */
export function earthHeliocentricVsop87(tCenturies: number): EarthHeliocentricVsop87 {
  const tau = tCenturies / 10;
  return { lonRad: vsopSum(EARTH_L, tau), latRad: vsopSum(EARTH_B, tau), distAu: vsopSum(EARTH_R, tau) };
}

/** Geometric geocentric Sun in the mean ecliptic and equinox of date (FK5 system), rad / km. */
export interface EclipticOfDate {
  lonRad: number;
  latRad: number;
  distKm: number;
}

/**
 * Geometric geocentric Sun, mean ecliptic/equinox of date, FK5 (no nutation, no aberration):
 * Θ = L + 180°, β = −B (Meeus ch. 25 "higher accuracy"), then the VSOP → FK5 correction of
 * Meeus eq. 32.3 (ΔΘ = −0.09033″ + 0.03916″(cos λ′ + sin λ′) tan β, Δβ = 0.03916″(cos λ′ − sin λ′),
 * λ′ = Θ − 1.397°T − 0.00031°T²).
 */
export function sunEclipticOfDate(t: TdbInstant): EclipticOfDate {
  const tc = tdbCenturiesSinceJ2000(t);
  const earth = earthHeliocentricVsop87(tc);
  const theta = earth.lonRad + Math.PI;
  const beta = -earth.latRad;
  const lambdaPrime = theta - (1.397 * tc + 0.00031 * tc * tc) * DEG;
  const cl = Math.cos(lambdaPrime);
  const sl = Math.sin(lambdaPrime);
  const dTheta = (-0.09033 + 0.03916 * (cl + sl) * Math.tan(beta)) * ARCSEC;
  const dBeta = 0.03916 * (cl - sl) * ARCSEC;
  return { lonRad: theta + dTheta, latRad: beta + dBeta, distKm: earth.distAu * AU_KM };
}

/**
 * Geometric geocentric position of the Sun's centre, GCRF (ICRF axes), km.
 * Measured against DE441 over 1970–2040 (bodies.test.ts): worst direction error 0.62″,
 * worst distance error 376 km (≈ 2.5e-6 au, the truncation level of the R series).
 * @param t TDB Julian date or Epoch.
 */
export function sunPositionGcrfKm(t: TdbInstant): Vec3 {
  const tc = tdbCenturiesSinceJ2000(t);
  const s = sunEclipticOfDate(t);
  return eclipticOfDateToGcrfKm(s.lonRad, s.latRad, s.distKm, tc);
}

// ---------------------------------------------------------------------------------------------
// Moon: ELP-2000/82 truncated (Meeus ch. 47)
// ---------------------------------------------------------------------------------------------

/** Table 47.A: multiples of D, M, M′, F; Σl coefficient (1e-6 deg, sine); Σr coefficient (1e-3 km, cosine). */
const MOON_LR: readonly (readonly [number, number, number, number, number, number])[] = [
  [0, 0, 1, 0, 6288774, -20905355], [2, 0, -1, 0, 1274027, -3699111], [2, 0, 0, 0, 658314, -2955968],
  [0, 0, 2, 0, 213618, -569925], [0, 1, 0, 0, -185116, 48888], [0, 0, 0, 2, -114332, -3149],
  [2, 0, -2, 0, 58793, 246158], [2, -1, -1, 0, 57066, -152138], [2, 0, 1, 0, 53322, -170733],
  [2, -1, 0, 0, 45758, -204586], [0, 1, -1, 0, -40923, -129620], [1, 0, 0, 0, -34720, 108743],
  [0, 1, 1, 0, -30383, 104755], [2, 0, 0, -2, 15327, 10321], [0, 0, 1, 2, -12528, 0],
  [0, 0, 1, -2, 10980, 79661], [4, 0, -1, 0, 10675, -34782], [0, 0, 3, 0, 10034, -23210],
  [4, 0, -2, 0, 8548, -21636], [2, 1, -1, 0, -7888, 24208], [2, 1, 0, 0, -6766, 30824],
  [1, 0, -1, 0, -5163, -8379], [1, 1, 0, 0, 4987, -16675], [2, -1, 1, 0, 4036, -12831],
  [2, 0, 2, 0, 3994, -10445], [4, 0, 0, 0, 3861, -11650], [2, 0, -3, 0, 3665, 14403],
  [0, 1, -2, 0, -2689, -7003], [2, 0, -1, 2, -2602, 0], [2, -1, -2, 0, 2390, 10056],
  [1, 0, 1, 0, -2348, 6322], [2, -2, 0, 0, 2236, -9884], [0, 1, 2, 0, -2120, 5751],
  [0, 2, 0, 0, -2069, 0], [2, -2, -1, 0, 2048, -4950], [2, 0, 1, -2, -1773, 4130],
  [2, 0, 0, 2, -1595, 0], [4, -1, -1, 0, 1215, -3958], [0, 0, 2, 2, -1110, 0],
  [3, 0, -1, 0, -892, 3258], [2, 1, 1, 0, -810, 2616], [4, -1, -2, 0, 759, -1897],
  [0, 2, -1, 0, -713, -2117], [2, 2, -1, 0, -700, 2354], [2, 1, -2, 0, 691, 0],
  [2, -1, 0, -2, 596, 0], [4, 0, 1, 0, 549, -1423], [0, 0, 4, 0, 537, -1117],
  [4, -1, 0, 0, 520, -1571], [1, 0, -2, 0, -487, -1739], [2, 1, 0, -2, -399, 0],
  [0, 0, 2, -2, -381, -4421], [1, 1, 1, 0, 351, 0], [3, 0, -2, 0, -340, 0],
  [4, 0, -3, 0, 330, 0], [2, -1, 2, 0, 327, 0], [0, 2, 1, 0, -323, 1165],
  [1, 1, -1, 0, 299, 0], [2, 0, 3, 0, 294, 0], [2, 0, -1, -2, 0, 8752],
];

/** Table 47.B: multiples of D, M, M′, F; Σb coefficient (1e-6 deg, sine). */
const MOON_B: readonly (readonly [number, number, number, number, number])[] = [
  [0, 0, 0, 1, 5128122], [0, 0, 1, 1, 280602], [0, 0, 1, -1, 277693], [2, 0, 0, -1, 173237],
  [2, 0, -1, 1, 55413], [2, 0, -1, -1, 46271], [2, 0, 0, 1, 32573], [0, 0, 2, 1, 17198],
  [2, 0, 1, -1, 9266], [0, 0, 2, -1, 8822], [2, -1, 0, -1, 8216], [2, 0, -2, -1, 4324],
  [2, 0, 1, 1, 4200], [2, 1, 0, -1, -3359], [2, -1, -1, 1, 2463], [2, -1, 0, 1, 2211],
  [2, -1, -1, -1, 2065], [0, 1, -1, -1, -1870], [4, 0, -1, -1, 1828], [0, 1, 0, 1, -1794],
  [0, 0, 0, 3, -1749], [0, 1, -1, 1, -1565], [1, 0, 0, 1, -1491], [0, 1, 1, 1, -1475],
  [0, 1, 1, -1, -1410], [0, 1, 0, -1, -1344], [1, 0, 0, -1, -1335], [0, 0, 3, 1, 1107],
  [4, 0, 0, -1, 1021], [4, 0, -1, 1, 833], [0, 0, 1, -3, 777], [4, 0, -2, 1, 671],
  [2, 0, 0, -3, 607], [2, 0, 2, -1, 596], [2, -1, 1, -1, 491], [2, 0, -2, 1, -451],
  [0, 0, 3, -1, 439], [2, 0, 2, 1, 422], [2, 0, -3, -1, 421], [2, 1, -1, 1, -366],
  [2, 1, 0, 1, -351], [4, 0, 0, 1, 331], [2, -1, 1, 1, 315], [2, -2, 0, -1, 302],
  [0, 0, 1, 3, -283], [2, 1, 1, -1, -229], [1, 1, 0, -1, 223], [1, 1, 0, 1, 223],
  [0, 1, -2, -1, -220], [2, 1, -1, -1, -220], [1, 0, 1, 1, -185], [2, -1, -2, -1, 181],
  [0, 1, 2, 1, -177], [4, 0, -2, -1, 176], [4, -1, -1, -1, 166], [1, 0, 1, -1, -164],
  [4, 0, 1, -1, 132], [1, 0, -1, -1, -119], [4, -1, 0, -1, 115], [2, -2, 0, 1, 107],
];

/**
 * Meeus's mean longitude L′ (eq. 47.1) includes the constant part of the light-time effect,
 * −0.70″ (Meeus ch. 47, text under eq. 47.1). We want the geometric Moon, so it is removed.
 */
const MOON_LIGHT_TIME_CONSTANT_ARCSEC = -0.7;

/** Geometric geocentric Moon, mean ecliptic and equinox of date (Meeus ch. 47), rad / km. */
export function moonEclipticOfDate(t: TdbInstant): EclipticOfDate {
  const tc = tdbCenturiesSinceJ2000(t);
  const t2 = tc * tc;
  const t3 = t2 * tc;
  const t4 = t3 * tc;
  // Fundamental arguments, degrees (Meeus eqs. 47.1–47.5, 2nd ed.).
  const lp = 218.3164477 + 481267.88123421 * tc - 0.0015786 * t2 + t3 / 538841 - t4 / 65194000;
  const d = 297.8501921 + 445267.1114034 * tc - 0.0018819 * t2 + t3 / 545868 - t4 / 113065000;
  const m = 357.5291092 + 35999.0502909 * tc - 0.0001536 * t2 + t3 / 24490000;
  const mp = 134.9633964 + 477198.8675055 * tc + 0.0087414 * t2 + t3 / 69699 - t4 / 14712000;
  const f = 93.272095 + 483202.0175233 * tc - 0.0036539 * t2 - t3 / 3526000 + t4 / 863310000;
  const a1 = 119.75 + 131.849 * tc;
  const a2 = 53.09 + 479264.29 * tc;
  const a3 = 313.45 + 481266.484 * tc;
  // Eccentricity of the Earth's orbit factor for terms in M (Meeus eq. 47.6).
  const e = 1 - 0.002516 * tc - 0.0000074 * t2;
  const eFactor = (mult: number): number => (mult === 0 ? 1 : Math.abs(mult) === 1 ? e : e * e);

  const dR = ((d % 360) + 360) % 360 * DEG;
  const mR = ((m % 360) + 360) % 360 * DEG;
  const mpR = ((mp % 360) + 360) % 360 * DEG;
  const fR = ((f % 360) + 360) % 360 * DEG;
  const lpR = ((lp % 360) + 360) % 360 * DEG;

  let sumL = 0;
  let sumR = 0;
  for (const [cd, cm, cmp, cf, cl, cr] of MOON_LR) {
    const arg = cd * dR + cm * mR + cmp * mpR + cf * fR;
    const ef = eFactor(cm);
    sumL += cl * ef * Math.sin(arg);
    sumR += cr * ef * Math.cos(arg);
  }
  let sumB = 0;
  for (const [cd, cm, cmp, cf, cb] of MOON_B) {
    sumB += cb * eFactor(cm) * Math.sin(cd * dR + cm * mR + cmp * mpR + cf * fR);
  }
  // Additive terms: Venus (A1), Jupiter (A2) and the Earth's flattening (L′ terms) — Meeus ch. 47.
  const a1R = a1 * DEG;
  const a2R = a2 * DEG;
  const a3R = a3 * DEG;
  sumL += 3958 * Math.sin(a1R) + 1962 * Math.sin(lpR - fR) + 318 * Math.sin(a2R);
  sumB +=
    -2235 * Math.sin(lpR) + 382 * Math.sin(a3R) + 175 * Math.sin(a1R - fR) + 175 * Math.sin(a1R + fR) + 127 * Math.sin(lpR - mpR) - 115 * Math.sin(lpR + mpR);

  const lonRad = lpR + sumL * 1e-6 * DEG - MOON_LIGHT_TIME_CONSTANT_ARCSEC * ARCSEC;
  const latRad = sumB * 1e-6 * DEG;
  const distKm = 385000.56 + sumR * 1e-3;
  return { lonRad: lonRad % TWO_PI, latRad, distKm };
}

/**
 * Geometric geocentric position of the Moon's centre, GCRF (ICRF axes), km.
 * Measured against DE441 over 1970–2040 (bodies.test.ts): worst direction error 13.8″,
 * worst distance error 11.4 km.
 * @param t TDB Julian date or Epoch.
 */
export function moonPositionGcrfKm(t: TdbInstant): Vec3 {
  const tc = tdbCenturiesSinceJ2000(t);
  const m = moonEclipticOfDate(t);
  return eclipticOfDateToGcrfKm(m.lonRad, m.latRad, m.distKm, tc);
}
