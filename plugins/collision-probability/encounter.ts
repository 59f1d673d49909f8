/**
 * The short-term encounter geometry shared by every 2D method: states and covariances at TCA
 * → relative state → encounter (conjunction) plane → 2×2 covariance and miss vector, then the
 * principal axes of that covariance.
 *
 * Conventions (Foster & Estes 1992, NASA JSC-25898; Chan 2008 "Spacecraft Collision
 * Probability", ch. 2–3; CARA's encounter frame):
 *  - relative position r = r₂ − r₁ and velocity v = v₂ − v₁ (m, m/s, inertial);
 *  - encounter frame: ŷ along v, ẑ along r × v, x̂ = ŷ × ẑ; the encounter plane is (x̂, ẑ),
 *    normal to the relative velocity. Under the short-encounter hypotheses (straight-line
 *    relative motion, constant covariance, no velocity uncertainty) the collision
 *    probability is the integral of the 2D Gaussian N(0, C₂ₓ₂) over the hard-body disc
 *    centred on the projected miss vector.
 *  - covariances: each object's position covariance is given in its own RTN frame (R along r,
 *    N along r × v, T = N × R; CCSDS 508.0-B-1 §3.5.2), rotated to inertial as C = Rᵀ C_RTN R,
 *    and the two are added (independent errors).
 */
import { nearestPositiveDefinite } from '../../sdk/astro/linalg';
import { MU_EARTH_KM3_S2 } from '../../sdk/astro/constants';
import { rtnRotation } from '../../sdk/astro/frames/local';
import { cross, dot, norm, type Mat3, type Vec3 } from '../../sdk/astro/vec';

export type PcFlag = 'covariance-repaired' | 'covariance-missing' | 'low-relative-speed' | 'long-encounter' | 'non-positive-definite' | 'itrf-converted';

/** One object at TCA: inertial state (km, km/s) and covariance in its RTN frame (m², 3×3 or 6×6). */
export interface ObjectAtTca {
  posKm: readonly number[];
  velKmS: readonly number[];
  covRtnM2?: readonly (readonly number[])[];
  /** Alternatively the covariance in the inertial frame of the state (m², 3×3 or 6×6). */
  covInertialM2?: readonly (readonly number[])[];
}

/** A 2D problem in the principal axes of the encounter-plane covariance. */
export interface PlaneProblem {
  /** Standard deviations along the principal axes (m), sx ≥ sy ≥ 0. */
  sx: number;
  sy: number;
  /** Miss vector components along those axes (m). */
  mx: number;
  my: number;
}

export interface Encounter {
  /** |r₂ − r₁| (m) and |v₂ − v₁| (m/s). */
  missDistanceM: number;
  relativeSpeedMS: number;
  /** Relative position and velocity, inertial (m, m/s). */
  relPosM: Vec3;
  relVelMS: Vec3;
  /** Encounter frame unit vectors (inertial components). */
  xHat: Vec3;
  yHat: Vec3;
  zHat: Vec3;
  /** Miss vector in the encounter plane (m): (r·x̂, r·ẑ). r·ẑ = 0 by construction. */
  planeMissM: [number, number];
  /** Combined inertial position covariance (m²), after any repair; undefined when both are missing. */
  combinedCovM2?: Mat3;
  /** Per-object inertial position covariances (m²), undefined when missing. */
  covInertialM2: [Mat3 | undefined, Mat3 | undefined];
  /** Encounter-plane covariance [[xx, xz], [xz, zz]] (m²). */
  planeCovM2?: [[number, number], [number, number]];
  /** The same problem in principal axes (undefined without covariance). */
  principal?: PlaneProblem;
  flags: PcFlag[];
  /** Notes explaining each flag (for logs and the CLI). */
  notes: string[];
  /** Duration of the encounter (s) from the ±γσ extent along v (Coppola 2012), when known. */
  encounterDurationS?: number;
  /** Orbital period of the primary (s), two-body, when bound. */
  primaryPeriodS?: number;
}

export interface EncounterOptions {
  /** Relative speed below which 2D Pc is flagged (m/s). */
  lowRelativeSpeedMS?: number;
  /** Encounter duration / orbital period above which 2D Pc is flagged. */
  longEncounterFraction?: number;
  /** Number of σ (along the relative velocity) defining the encounter extent. */
  encounterSigma?: number;
  /**
   * In-plane miss vector: 'projected' (default) projects r on the plane normal to v — the
   * straight-line closest approach, right even when the given TCA is slightly off (CDM TCAs
   * are rounded to the millisecond); 'norm' puts |r| along x̂, which assumes r ⊥ v as CARA's
   * PcCircle does (its "Pc2D_NoAdj" figures).
   */
  missConvention?: 'projected' | 'norm';
}

export const DEFAULT_ENCOUNTER_OPTIONS: Required<EncounterOptions> = {
  lowRelativeSpeedMS: 10,
  longEncounterFraction: 0.05,
  encounterSigma: 8,
  missConvention: 'projected',
};

/** The position block (3×3) of a 3×3 or 6×6 covariance, checked. */
export function positionBlock(cov: readonly (readonly number[])[], what: string): Mat3 {
  const n = cov.length;
  if ((n !== 3 && n !== 6) || cov.some((row) => row.length !== n)) {
    throw new RangeError(`${what}: covariance must be 3×3 or 6×6, got ${n}×${cov[0]?.length ?? 0}`);
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (!Number.isFinite(cov[i][j])) throw new RangeError(`${what}: covariance element [${i}][${j}] is not a finite number (${cov[i][j]})`);
    }
  }
  return [
    [cov[0][0], cov[0][1], cov[0][2]],
    [cov[1][0], cov[1][1], cov[1][2]],
    [cov[2][0], cov[2][1], cov[2][2]],
  ];
}

/** C_inertial = Rᵀ C_RTN R, with R the RTN rotation (rows R, T, N) of the object's state. */
export function rtnToInertial3(posKm: readonly number[], velKmS: readonly number[], covRtn: Mat3): Mat3 {
  return congruenceT(rtnRotation(posKm, velKmS), covRtn);
}

/** C_RTN = R C_inertial Rᵀ. */
export function inertialToRtn3(posKm: readonly number[], velKmS: readonly number[], covInertial: Mat3): Mat3 {
  const R = rtnRotation(posKm, velKmS);
  const out = zero3();
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) for (let l = 0; l < 3; l++) s += R[i][k] * covInertial[k][l] * R[j][l];
      out[i][j] = s;
    }
  }
  return symmetrize3(out);
}

/** Rᵀ C R. */
function congruenceT(R: Mat3, C: Mat3): Mat3 {
  const out = zero3();
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) for (let l = 0; l < 3; l++) s += R[k][i] * C[k][l] * R[l][j];
      out[i][j] = s;
    }
  }
  return symmetrize3(out);
}

function zero3(): Mat3 {
  return [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
}

function symmetrize3(m: Mat3): Mat3 {
  for (let i = 0; i < 3; i++) {
    for (let j = i + 1; j < 3; j++) {
      const a = 0.5 * (m[i][j] + m[j][i]);
      m[i][j] = a;
      m[j][i] = a;
    }
  }
  return m;
}

function checkState(o: ObjectAtTca, what: string): void {
  for (const [name, v] of [
    ['posKm', o.posKm],
    ['velKmS', o.velKmS],
  ] as const) {
    if (!Array.isArray(v) || v.length !== 3 || v.some((x) => !Number.isFinite(x))) throw new RangeError(`${what}.${name}: expected 3 finite numbers, got ${JSON.stringify(v)}`);
  }
}

/** A unit vector normal to `a` (any; used when r ∥ v). */
function anyNormal(a: Vec3): Vec3 {
  const ax = Math.abs(a[0]);
  const ay = Math.abs(a[1]);
  const az = Math.abs(a[2]);
  const e: Vec3 = ax <= ay && ax <= az ? [1, 0, 0] : ay <= az ? [0, 1, 0] : [0, 0, 1];
  const c = cross(a, e);
  const n = norm(c);
  return [c[0] / n, c[1] / n, c[2] / n];
}

/**
 * Checks a position covariance; repairs a non-positive-definite one by eigenvalue clipping
 * (Hall et al., AAS 17-567, 2017; sdk/astro/linalg `nearestPositiveDefinite`) and says so.
 */
function checkedInertialCov(o: ObjectAtTca, what: string, flags: Set<PcFlag>, notes: string[]): Mat3 | undefined {
  const given = o.covRtnM2 ?? o.covInertialM2;
  if (!given) return undefined;
  let inertial = o.covRtnM2 ? rtnToInertial3(o.posKm, o.velKmS, positionBlock(o.covRtnM2, what)) : positionBlock(o.covInertialM2!, what);
  const rep = nearestPositiveDefinite(inertial, { floor: 0 });
  if (rep.minEigenvalueBefore < 0) {
    flags.add('non-positive-definite');
    flags.add('covariance-repaired');
    notes.push(`${what}: position covariance not positive semi-definite (smallest eigenvalue ${rep.minEigenvalueBefore.toExponential(3)} m²); negative eigenvalues clipped to 0`);
    inertial = rep.matrix as Mat3;
  }
  if (given.length === 6) {
    // The full 6×6 matters to the Monte Carlo methods only; flag it here so the result says so.
    const full = nearestPositiveDefinite(given as number[][], { floor: 0 });
    if (full.minEigenvalueBefore < -1e-12 * Math.max(1, Math.abs(full.floor)) && !flags.has('non-positive-definite')) {
      flags.add('non-positive-definite');
      notes.push(`${what}: 6×6 covariance not positive semi-definite (smallest eigenvalue ${full.minEigenvalueBefore.toExponential(3)}); the position block is valid`);
    }
  }
  return inertial;
}

/** Builds the encounter: relative geometry, combined covariance, plane projection, flags. */
export function buildEncounter(primary: ObjectAtTca, secondary: ObjectAtTca, options: EncounterOptions = {}): Encounter {
  const opts = { ...DEFAULT_ENCOUNTER_OPTIONS, ...options };
  checkState(primary, 'primary');
  checkState(secondary, 'secondary');
  const flags = new Set<PcFlag>();
  const notes: string[] = [];
  const relPosM: Vec3 = [(secondary.posKm[0] - primary.posKm[0]) * 1000, (secondary.posKm[1] - primary.posKm[1]) * 1000, (secondary.posKm[2] - primary.posKm[2]) * 1000];
  const relVelMS: Vec3 = [(secondary.velKmS[0] - primary.velKmS[0]) * 1000, (secondary.velKmS[1] - primary.velKmS[1]) * 1000, (secondary.velKmS[2] - primary.velKmS[2]) * 1000];
  const missDistanceM = norm(relPosM);
  const relativeSpeedMS = norm(relVelMS);
  // Zero relative velocity: there is no encounter plane. The encounter still gets its flags;
  // the 2D methods refuse it (see `requirePlane`), the two-body Monte Carlo does not need it.
  const yHat: Vec3 = relativeSpeedMS > 0 ? [relVelMS[0] / relativeSpeedMS, relVelMS[1] / relativeSpeedMS, relVelMS[2] / relativeSpeedMS] : missDistanceM > 0 ? anyNormal(relPosM) : [1, 0, 0];
  const h = cross(relPosM, relVelMS);
  const hn = norm(h);
  // r ∥ v (or r = 0): any normal to v will do, the miss vector has no in-plane component.
  const zHat: Vec3 = hn > 1e-12 * missDistanceM * relativeSpeedMS && hn > 0 ? [h[0] / hn, h[1] / hn, h[2] / hn] : anyNormal(yHat);
  const xHat = cross(yHat, zHat);
  const planeMissM: [number, number] = opts.missConvention === 'norm' ? [missDistanceM, 0] : [dot(relPosM, xHat), dot(relPosM, zHat)];

  const c1 = checkedInertialCov(primary, 'primary', flags, notes);
  const c2 = checkedInertialCov(secondary, 'secondary', flags, notes);
  const enc: Encounter = {
    missDistanceM,
    relativeSpeedMS,
    relPosM,
    relVelMS,
    xHat,
    yHat,
    zHat,
    planeMissM,
    covInertialM2: [c1, c2],
    flags: [],
    notes,
  };
  if (!c1 || !c2) {
    flags.add('covariance-missing');
    notes.push(`${!c1 && !c2 ? 'both covariances are' : !c1 ? 'the primary covariance is' : 'the secondary covariance is'} missing`);
  }
  if (c1 || c2) {
    const C = zero3();
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) C[i][j] = (c1 ? c1[i][j] : 0) + (c2 ? c2[i][j] : 0);
    enc.combinedCovM2 = C;
    const q = (a: Vec3, b: Vec3) => dot(a, mulM3(C, b));
    const cxx = q(xHat, xHat);
    const cxz = q(xHat, zHat);
    const czz = q(zHat, zHat);
    enc.planeCovM2 = [
      [cxx, cxz],
      [cxz, czz],
    ];
    enc.principal = principalProblem(enc.planeCovM2, planeMissM);
    if (enc.principal.sy <= 0) {
      notes.push('the encounter-plane covariance is singular (a zero principal variance): the Gaussian is degenerate in that direction');
    }
    // Encounter duration (Coppola 2012, AAS 12-248 "Including velocity uncertainty in the
    // probability of collision between space objects", §conjunction time bounds): the relative
    // position is uncertain by σ_v = sqrt(ŷᵀCŷ) along the relative velocity, so the objects
    // can be closest anywhere within ±γσ_v/|v| of the nominal TCA.
    const sigmaAlong = Math.sqrt(Math.max(0, q(yHat, yHat)));
    enc.encounterDurationS = relativeSpeedMS > 0 ? (2 * opts.encounterSigma * sigmaAlong) / relativeSpeedMS : Infinity;
  }
  // The linear-motion hypothesis needs the encounter to last a small fraction of an orbit
  // (Chan 2008 §2.3; Hall et al. AAS 18-248 "Implementation recommendations and usage
  // boundaries for the two-dimensional probability of collision calculation").
  const rKm = norm(primary.posKm);
  const v2 = dot(primary.velKmS, primary.velKmS);
  const energy = v2 / 2 - MU_EARTH_KM3_S2 / rKm;
  if (energy < 0) {
    const a = -MU_EARTH_KM3_S2 / (2 * energy);
    enc.primaryPeriodS = 2 * Math.PI * Math.sqrt((a * a * a) / MU_EARTH_KM3_S2);
  }
  if (relativeSpeedMS < opts.lowRelativeSpeedMS) {
    flags.add('low-relative-speed');
    notes.push(`relative speed ${relativeSpeedMS.toPrecision(4)} m/s is below ${opts.lowRelativeSpeedMS} m/s: straight-line relative motion is doubtful`);
  }
  if (enc.encounterDurationS !== undefined && enc.primaryPeriodS !== undefined && enc.encounterDurationS > opts.longEncounterFraction * enc.primaryPeriodS) {
    flags.add('long-encounter');
    notes.push(
      `encounter lasts ~${enc.encounterDurationS.toPrecision(3)} s (±${opts.encounterSigma}σ along the relative velocity), more than ${opts.longEncounterFraction} of the ${enc.primaryPeriodS.toPrecision(4)} s orbit: the 2D hypotheses do not hold`,
    );
  }
  enc.flags = [...flags];
  return enc;
}

/** The encounter-plane problem, or a clear error when the 2D formulation does not exist. */
export function requirePlane(enc: Encounter): PlaneProblem {
  if (!(enc.relativeSpeedMS > 0)) throw new RangeError('2D Pc is undefined: the relative velocity is zero (no encounter plane); use the two-body Monte Carlo');
  if (!enc.principal) throw new RangeError('2D Pc needs at least one covariance (both are missing); use max-pc');
  return enc.principal;
}

function mulM3(m: Mat3, v: Vec3): Vec3 {
  return [m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2], m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2], m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2]];
}

/**
 * Principal axes of a 2×2 covariance (closed-form eigen-decomposition) and the miss vector in
 * them. Negative eigenvalues (round-off or a non-PD input) are clipped to 0.
 */
export function principalProblem(cov: readonly (readonly number[])[], miss: readonly [number, number] | readonly number[]): PlaneProblem {
  const a = cov[0][0];
  const b = 0.5 * (cov[0][1] + cov[1][0]);
  const c = cov[1][1];
  const half = 0.5 * (a - c);
  const rad = Math.hypot(half, b);
  const mean = 0.5 * (a + c);
  const l1 = mean + rad;
  // Smaller eigenvalue from the determinant when possible (no cancellation): l1·l2 = ac − b².
  const det = a * c - b * b;
  const l2 = l1 > 0 ? det / l1 : mean - rad;
  // Eigenvector of l1: angle θ with tan 2θ = 2b / (a − c).
  const theta = 0.5 * Math.atan2(2 * b, a - c);
  const ct = Math.cos(theta);
  const st = Math.sin(theta);
  return {
    sx: Math.sqrt(Math.max(0, l1)),
    sy: Math.sqrt(Math.max(0, l2)),
    mx: ct * miss[0] + st * miss[1],
    my: -st * miss[0] + ct * miss[1],
  };
}
