/**
 * Reference frames of the IAU-76/FK5 family and the rotations between them, at an epoch and
 * with Earth orientation parameters (Vallado, Fundamentals of Astrodynamics and Applications,
 * 4th ed., §3.7; Vallado et al. 2006, "Revisiting Spacetrack Report #3", AIAA 2006-6753, for
 * TEME). The frame tree:
 *
 *   GCRF ─B─ EME2000          (fixed frame bias, IERS Conventions 2010 §5.5.1)
 *   base ─P(T_TT)─ MOD ─N(T_TT, dψ, dε)─ TOD ─R3(GAST)─ PEF ─Wᵀ(xp, yp)─ ITRF
 *                                        TEME ─R3(GMST)─ PEF
 *
 * "base" is the frame in which the precession starts. The IERS celestial-pole offsets dψ, dε
 * with respect to IAU 1980 are referred to the GCRS (they absorb the frame bias of the pole
 * and the IAU-1976 precession-rate error), so with offsets the chain P·N maps GCRF to TOD
 * (Vallado 4th ed. §3.7.3, Example 3-15 "GCRF with corrections"). Without any offset the
 * chain is the plain FK5 theory, whose origin is the mean equator and equinox of J2000.0:
 * base = EME2000 (Vallado's "J2000" row of Table 3-6) and GCRF follows through the bias.
 *
 * Neglected, as in Vallado's reduction: the rates of precession, nutation and polar motion in
 * the velocity transformation (≤ 1e-11 rad/s, i.e. ≤ 0.1 mm/s at GEO), and the TIO locator s′
 * (≤ 0.1 mas over a century).
 */
import { ARCSEC, MJD_OFFSET } from '../constants';
import type { EopValues } from '../eop';
import type { Epoch } from '../time';
import { type Mat3, type Vec3, cross, identity3, mulMM, mulMV, rot1, rot2, rot3, transpose3 } from '../vec';
import {
  centuriesSinceJ2000,
  delaunayArgs1980,
  earthRotationRate,
  equationOfEquinoxes1994,
  gmst1982,
  nutation1980,
  nutationMatrix1980,
  polarMotionMatrix,
  precessionMatrix1976,
} from './iau1980';

export type FrameName = 'GCRF' | 'EME2000' | 'MOD' | 'TOD' | 'TEME' | 'PEF' | 'ITRF';
export const FRAME_NAMES: readonly FrameName[] = ['GCRF', 'EME2000', 'MOD', 'TOD', 'TEME', 'PEF', 'ITRF'];
/** Frames that rotate with the Earth (velocities there include the ω × r term). */
export const EARTH_FIXED_FRAMES: readonly FrameName[] = ['PEF', 'ITRF'];

export function isFrameName(name: string): name is FrameName {
  return (FRAME_NAMES as readonly string[]).includes(name);
}

/**
 * Earth orientation parameters (sdk/astro/eop.ts `EopValues`: UT1−UTC and LOD in s, polar
 * motion and celestial-pole offsets in arcsec). dPsi/dEps are offsets with respect to
 * IAU 1980; dX/dY with respect to IAU 2006/2000A.
 */
export type FrameEopValues = EopValues;
/** Anything that gives EOP values at a UTC modified Julian date (e.g. `EopTable`). */
export interface FrameEopProvider {
  at(mjdUtc: number): FrameEopValues;
}
export type FrameEop = FrameEopValues | FrameEopProvider;

/**
 * Zero Earth orientation: UT1 = UTC, no polar motion, no LOD excess, no celestial-pole offset.
 * Must be passed explicitly (the frame functions never assume it). Used with real EOP
 * available it costs up to 0.9 s of UT1 (≈ 420 m of Earth rotation at the equator) and
 * ~0.5" of polar motion (≈ 15 m on the ground).
 */
export const ZERO_EOP: Readonly<FrameEopValues> = Object.freeze({ ut1MinusUtcS: 0, lodS: 0, xpArcsec: 0, ypArcsec: 0 });

/** The instants a frame rotation needs: two-part Julian dates of TT and UTC (UT1 = UTC + ΔUT1). */
export interface FrameTimes {
  jdTt: readonly [number, number];
  jdUtc: readonly [number, number];
}

/** What the frame functions need from an instant (an sdk/astro/time.ts `Epoch`). */
export type FrameEpoch = Pick<Epoch, 'jd'>;

/**
 * A rotation between two frames at one instant: r_to = R · r_from and
 * v_to = R · v_from − ω × r_to, where ω is the angular velocity of `to` with respect to
 * `from`, expressed in `to` axes (zero between inertial frames).
 */
export interface FrameTransform {
  from: FrameName;
  to: FrameName;
  /** R, row-major: r_to = R · r_from. */
  rotation: Mat3;
  /** ω of `to` relative to `from`, in `to` axes, rad/s. */
  angularVelocityRadS: Vec3;
}

export class FrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameError';
  }
}

/**
 * Frame-bias matrix B, r_EME2000 = B · r_GCRF (IERS Conventions 2010 §5.5.1 eq. 5.21–5.22,
 * Chapront et al. 2002): ξ0 = −0.0166170", η0 = −0.0068192", dα0 = −0.01460";
 * B = R1(−η0) R2(ξ0) R3(dα0) (IERS "R" matrices = Vallado ROT).
 */
export const FRAME_BIAS_XI0_ARCSEC = -0.016617;
export const FRAME_BIAS_ETA0_ARCSEC = -0.0068192;
export const FRAME_BIAS_DALPHA0_ARCSEC = -0.0146;
export function frameBiasMatrix(): Mat3 {
  return mulMM(mulMM(rot1(-FRAME_BIAS_ETA0_ARCSEC * ARCSEC), rot2(FRAME_BIAS_XI0_ARCSEC * ARCSEC)), rot3(FRAME_BIAS_DALPHA0_ARCSEC * ARCSEC));
}

/**
 * Frame bias of the pole and IAU-2000 corrections to the IAU-1976 precession rates, in
 * longitude and obliquity: δψ_B = −0.041775", δε_B = −0.0068192" (IERS Conventions 2010
 * eq. 5.21); δψ_A = −0.29965"/cy, δω_A = −0.02524"/cy (IERS Conventions 2003 §5.5.2,
 * Mathews et al. 2002). They are the secular part of the IAU-1980 celestial-pole offsets.
 */
const BIAS_DPSI_ARCSEC = -0.041775;
const BIAS_DEPS_ARCSEC = -0.0068192;
const PREC_RATE_DPSI_ARCSEC_CY = -0.29965;
const PREC_RATE_DEPS_ARCSEC_CY = -0.02524;

/**
 * Converts celestial-pole offsets dX, dY (arcsec, w.r.t. IAU 2006/2000A) into offsets dψ, dε
 * (arcsec) usable with the IAU-1976/1980 chain.
 *
 * 1. The first-order relation between the two parametrisations (IERS Conventions 2003 §5.5.4
 *    and 2010 §5.5.4, with ψ_A, χ_A of IAU 2006, Capitaine et al. 2003):
 *      dX = dψ sin ε_A + (ψ_A cos ε0 − χ_A) dε,   dY = dε − (ψ_A cos ε0 − χ_A) dψ sin ε_A,
 *    solved for dψ, dε.
 * 2. Plus the secular difference between the GCRS-referred IAU-2000 pole and the IAU-1980
 *    model: frame bias and precession-rate corrections (constants above).
 * 3. Plus the differences between the IAU 2000 and IAU 1980 amplitudes of the five largest
 *    nutation terms (18.6-yr, semi-annual, 9.3-yr, annual; IAU 2000B coefficients of
 *    McCarthy & Luzum 2003, Celest. Mech. 85, 37, Table 1, minus the IAU 1980 ones), which
 *    are the bulk (≈ 5–10 mas) of the periodic difference between the two models.
 * Checked against the IERS C04 series, which gives both pairs: the converted dψ, dε agree with
 * the published IAU-1980 offsets to a few mas (sdk/astro/test/frames.test.ts). Supply
 * dPsi/dEps directly (CelesTrak EOP, IERS finals.all IAU1980) when that matters (≈ 0.1 m at LEO).
 */
export function dxdyToDpsiDeps(dXArcsec: number, dYArcsec: number, tTt: number): { dPsiArcsec: number; dEpsArcsec: number } {
  const t = tTt;
  const eps0 = 84381.406 * ARCSEC;
  const psiA = (5038.481507 * t - 1.0790069 * t * t) * ARCSEC;
  const chiA = (10.556403 * t - 2.3814292 * t * t) * ARCSEC;
  const epsA = eps0 + (-46.836769 * t - 0.0001831 * t * t) * ARCSEC;
  const a = psiA * Math.cos(eps0) - chiA;
  const s = Math.sin(epsA);
  const dPsi = (dXArcsec - a * dYArcsec) / (s * (1 + a * a));
  const dEps = dYArcsec + a * s * dPsi;
  const m = nutationModelDifference(t);
  return {
    dPsiArcsec: dPsi + BIAS_DPSI_ARCSEC + PREC_RATE_DPSI_ARCSEC_CY * t + m.dPsiArcsec,
    dEpsArcsec: dEps + BIAS_DEPS_ARCSEC + PREC_RATE_DEPS_ARCSEC_CY * t + m.dEpsArcsec,
  };
}

/**
 * IAU 2000B minus IAU 1980 for the five largest nutation terms, arcsec. Rows: argument
 * multipliers of (l, l′, F, D, Ω); then, in 1e-7", IAU 2000B in-phase ψ (sin) with its
 * T-rate, out-of-phase ψ (cos), in-phase ε (cos) with its T-rate, out-of-phase ε (sin)
 * (McCarthy & Luzum 2003, Table 1); then the IAU 1980 ψ and ε amplitudes and rates (1e-4",
 * the NUT80 table of iau1980.ts).
 */
// prettier-ignore
const NUT_2000B_MINUS_1980: readonly (readonly number[])[] = [
  [0, 0, 0, 0, 1, -172064161, -174666, 33386, 92052331, 9086, 15377, -171996, -174.2, 92025, 8.9],
  [0, 0, 2, -2, 2, -13170906, -1675, -13696, 5730336, -3015, -4587, -13187, -1.6, 5736, -3.1],
  [0, 0, 2, 0, 2, -2276413, -234, 2796, 978459, -485, 1374, -2274, -0.2, 977, -0.5],
  [0, 0, 0, 0, 2, 2074554, 207, -698, -897492, 470, -291, 2062, 0.2, -895, 0.5],
  [0, 1, 0, 0, 0, 1475877, -3633, 11817, 73871, -184, -1924, 1426, -3.4, 54, -0.1],
];

function nutationModelDifference(tTt: number): { dPsiArcsec: number; dEpsArcsec: number } {
  const { l, lp, f, d, om } = delaunayArgs1980(tTt);
  let dPsi = 0;
  let dEps = 0;
  for (const c of NUT_2000B_MINUS_1980) {
    const arg = c[0] * l + c[1] * lp + c[2] * f + c[3] * d + c[4] * om;
    const sa = Math.sin(arg);
    const ca = Math.cos(arg);
    dPsi += ((c[5] + c[6] * tTt) * sa + c[7] * ca) * 1e-7 - (c[11] + c[12] * tTt) * 1e-4 * sa;
    dEps += ((c[8] + c[9] * tTt) * ca + c[10] * sa) * 1e-7 - (c[13] + c[14] * tTt) * 1e-4 * ca;
  }
  return { dPsiArcsec: dPsi, dEpsArcsec: dEps };
}

/** Celestial-pole offsets to add to IAU 1980 (rad) and the frame the precession starts from. */
function poleOffsets(eop: FrameEopValues, tTt: number): { dPsiRad: number; dEpsRad: number; base: 'GCRF' | 'EME2000' } {
  if (eop.dPsiArcsec !== undefined || eop.dEpsArcsec !== undefined) {
    return { dPsiRad: (eop.dPsiArcsec ?? 0) * ARCSEC, dEpsRad: (eop.dEpsArcsec ?? 0) * ARCSEC, base: 'GCRF' };
  }
  if (eop.dXArcsec !== undefined || eop.dYArcsec !== undefined) {
    const c = dxdyToDpsiDeps(eop.dXArcsec ?? 0, eop.dYArcsec ?? 0, tTt);
    return { dPsiRad: c.dPsiArcsec * ARCSEC, dEpsRad: c.dEpsArcsec * ARCSEC, base: 'GCRF' };
  }
  return { dPsiRad: 0, dEpsRad: 0, base: 'EME2000' };
}

function checkEop(eop: FrameEopValues, mjdUtc: number): void {
  const fields = ['ut1MinusUtcS', 'lodS', 'xpArcsec', 'ypArcsec'] as const;
  for (const f of fields) {
    if (typeof eop[f] !== 'number' || !Number.isFinite(eop[f])) throw new FrameError(`EOP value ${f} = ${String(eop[f])} at MJD(UTC) ${mjdUtc} is not a finite number`);
  }
  if (Math.abs(eop.ut1MinusUtcS) > 1) throw new FrameError(`EOP ut1MinusUtcS = ${eop.ut1MinusUtcS} s at MJD(UTC) ${mjdUtc} is outside ±1 s (not a UT1−UTC value)`);
}

/** Resolves an EOP input (values or provider) at a UTC MJD. */
export function eopAt(eop: FrameEop, mjdUtc: number): FrameEopValues {
  if (eop === undefined || eop === null) throw new FrameError('EOP input is missing: pass EOP values, an EOP provider, or ZERO_EOP explicitly');
  const values = 'at' in eop && typeof eop.at === 'function' ? eop.at(mjdUtc) : (eop as FrameEopValues);
  checkEop(values, mjdUtc);
  return values;
}

/**
 * Every frame's orientation with respect to GCRF at one instant: r_f = R_f · r_GCRF and ω_f,
 * the angular velocity of f relative to GCRF in f axes. Computed once, then any pair of frames
 * is a product of two matrices (see `transformBetween`).
 */
export interface FrameSet {
  times: FrameTimes;
  eop: FrameEopValues;
  /** Frame the IAU-76 precession starts from (GCRF when celestial-pole offsets are given). */
  precessionBase: 'GCRF' | 'EME2000';
  /** Greenwich mean / apparent sidereal time (IAU 1982 + equation of the equinoxes), rad. */
  gmstRad: number;
  gastRad: number;
  /** Earth angular velocity ω̄(1 − LOD/86400), rad/s. */
  earthRateRadS: number;
  orientation: Record<FrameName, { rotation: Mat3; angularVelocityRadS: Vec3 }>;
}

/** Builds the orientation of every frame from explicit instants (two-part JDs) and EOP values. */
export function frameSetAtTimes(times: FrameTimes, eop: FrameEopValues): FrameSet {
  const mjdUtc = times.jdUtc[0] - MJD_OFFSET + times.jdUtc[1];
  checkEop(eop, mjdUtc);
  const tTt = centuriesSinceJ2000(times.jdTt);
  const jdUt1: [number, number] = [times.jdUtc[0], times.jdUtc[1] + eop.ut1MinusUtcS / 86400];
  const offsets = poleOffsets(eop, tTt);
  const nut = nutation1980(tTt, offsets.dPsiRad, offsets.dEpsRad);
  const gmst = gmst1982(jdUt1);
  const gast = gmst + equationOfEquinoxes1994(nut, tTt);
  const omega = earthRotationRate(eop.lodS);

  const zero: Vec3 = [0, 0, 0];
  const bias = frameBiasMatrix();
  const base = offsets.base === 'GCRF' ? identity3() : bias;
  const mod = mulMM(precessionMatrix1976(tTt), base);
  const tod = mulMM(nutationMatrix1980(nut), mod);
  const pef = mulMM(rot3(gast), tod);
  const wT = transpose3(polarMotionMatrix(eop.xpArcsec * ARCSEC, eop.ypArcsec * ARCSEC));
  const earthRate: Vec3 = [0, 0, omega];
  return {
    times,
    eop,
    precessionBase: offsets.base,
    gmstRad: gmst,
    gastRad: gast,
    earthRateRadS: omega,
    orientation: {
      GCRF: { rotation: identity3(), angularVelocityRadS: zero },
      EME2000: { rotation: bias, angularVelocityRadS: zero },
      MOD: { rotation: mod, angularVelocityRadS: zero },
      TOD: { rotation: tod, angularVelocityRadS: zero },
      // r_TEME = ROT3(−GMST) r_PEF (Vallado et al. 2006, §"TEME"): TEME is PEF turned back by
      // the mean sidereal angle, hence quasi-inertial (ω ≈ 0, it drifts with the equation of
      // the equinoxes only, < 1e-12 rad/s).
      TEME: { rotation: mulMM(rot3(-gmst), pef), angularVelocityRadS: zero },
      PEF: { rotation: pef, angularVelocityRadS: earthRate },
      ITRF: { rotation: mulMM(wT, pef), angularVelocityRadS: mulMV(wT, earthRate) },
    },
  };
}

function timesOf(epoch: FrameEpoch): FrameTimes {
  return { jdTt: epoch.jd('TT'), jdUtc: epoch.jd('UTC') };
}

/** Orientation of every frame at an epoch with EOP values or a provider (queried at the epoch's UTC MJD). */
export function frameSet(epoch: FrameEpoch, eop: FrameEop): FrameSet {
  const times = timesOf(epoch);
  const mjdUtc = times.jdUtc[0] - MJD_OFFSET + times.jdUtc[1];
  return frameSetAtTimes(times, eopAt(eop, mjdUtc));
}

function checkFrame(name: string, role: string): FrameName {
  if (!isFrameName(name)) throw new FrameError(`unknown ${role} frame '${name}' (expected one of ${FRAME_NAMES.join(', ')})`);
  return name;
}

/** The transform between two frames of a frame set: R = R_to R_fromᵀ, ω = ω_to − R ω_from. */
export function transformBetween(set: FrameSet, from: FrameName, to: FrameName): FrameTransform {
  const f = set.orientation[checkFrame(from, 'source')];
  const t = set.orientation[checkFrame(to, 'target')];
  const rotation = mulMM(t.rotation, transpose3(f.rotation));
  const rw = mulMV(rotation, f.angularVelocityRadS);
  const w = t.angularVelocityRadS;
  return { from, to, rotation, angularVelocityRadS: [w[0] - rw[0], w[1] - rw[1], w[2] - rw[2]] };
}

/** Rotation (and angular velocity) from one frame to another at an epoch. */
export function frameTransform(from: FrameName, to: FrameName, epoch: FrameEpoch, eop: FrameEop): FrameTransform {
  return transformBetween(frameSet(epoch, eop), from, to);
}

/** Same, at explicit instants (two-part Julian dates of TT and UTC). */
export function frameTransformAtTimes(from: FrameName, to: FrameName, times: FrameTimes, eop: FrameEopValues): FrameTransform {
  return transformBetween(frameSetAtTimes(times, eop), from, to);
}

/** The transform that undoes `t`: Rᵀ and −Rᵀω. */
export function invertTransform(t: FrameTransform): FrameTransform {
  const rotation = transpose3(t.rotation);
  const w = mulMV(rotation, t.angularVelocityRadS);
  return { from: t.to, to: t.from, rotation, angularVelocityRadS: [-w[0], -w[1], -w[2]] };
}

/** `second` after `first` (first.to must be second.from): R = R2 R1, ω = ω2 + R2 ω1. */
export function composeTransforms(first: FrameTransform, second: FrameTransform): FrameTransform {
  if (first.to !== second.from) throw new FrameError(`cannot compose ${first.from}→${first.to} with ${second.from}→${second.to}: frames do not meet`);
  const rotation = mulMM(second.rotation, first.rotation);
  const w1 = mulMV(second.rotation, first.angularVelocityRadS);
  const w2 = second.angularVelocityRadS;
  return { from: first.from, to: second.to, rotation, angularVelocityRadS: [w1[0] + w2[0], w1[1] + w2[1], w1[2] + w2[2]] };
}

export interface StateKm {
  posKm: readonly number[];
  velKmS: readonly number[];
}

/** Applies a transform to a position/velocity (km, km/s): v_to = R v − ω × (R r). */
export function applyTransform(t: FrameTransform, state: StateKm): { posKm: Vec3; velKmS: Vec3 } {
  const r = mulMV(t.rotation, state.posKm);
  const v = mulMV(t.rotation, state.velKmS);
  const wr = cross(t.angularVelocityRadS, r);
  return { posKm: r, velKmS: [v[0] - wr[0], v[1] - wr[1], v[2] - wr[2]] };
}

/** Transforms one state between frames at an epoch (includes ω × r for Earth-fixed frames). */
export function transformState(state: StateKm, from: FrameName, to: FrameName, epoch: FrameEpoch, eop: FrameEop): { posKm: Vec3; velKmS: Vec3 } {
  return applyTransform(frameTransform(from, to, epoch, eop), state);
}

/**
 * The 6×6 Jacobian ∂(r_to, v_to)/∂(r_from, v_from) = [[R, 0], [−[ω×]R, R]] (row-major).
 */
export function stateJacobian(t: FrameTransform): number[][] {
  const R = t.rotation;
  const [wx, wy, wz] = t.angularVelocityRadS;
  const W: Mat3 = [
    [0, -wz, wy],
    [wz, 0, -wx],
    [-wy, wx, 0],
  ];
  const WR = mulMM(W, R);
  const J: number[][] = Array.from({ length: 6 }, () => new Array<number>(6).fill(0));
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      J[i][j] = R[i][j];
      J[i + 3][j + 3] = R[i][j];
      J[i + 3][j] = -WR[i][j];
    }
  }
  return J;
}

/** C' = J C Jᵀ for a 6×6 covariance (any consistent units, e.g. km and km/s, or m and m/s). */
export function applyTransformToCovariance(t: FrameTransform, cov6x6: readonly (readonly number[])[]): number[][] {
  if (cov6x6.length !== 6 || cov6x6.some((row) => row.length !== 6)) throw new FrameError(`covariance must be 6×6, got ${cov6x6.length}×${cov6x6[0]?.length ?? 0}`);
  const J = stateJacobian(t);
  const JC: number[][] = Array.from({ length: 6 }, () => new Array<number>(6).fill(0));
  for (let i = 0; i < 6; i++) for (let k = 0; k < 6; k++) if (J[i][k] !== 0) for (let j = 0; j < 6; j++) JC[i][j] += J[i][k] * cov6x6[k][j];
  const out: number[][] = Array.from({ length: 6 }, () => new Array<number>(6).fill(0));
  for (let i = 0; i < 6; i++) {
    for (let j = i; j < 6; j++) {
      let s = 0;
      for (let k = 0; k < 6; k++) s += JC[i][k] * J[j][k];
      out[i][j] = s;
      out[j][i] = s;
    }
  }
  return out;
}

/** Rotates a 6×6 position/velocity covariance between frames at an epoch (full Jacobian). */
export function transformCovariance(cov6x6: readonly (readonly number[])[], from: FrameName, to: FrameName, epoch: FrameEpoch, eop: FrameEop): number[][] {
  return applyTransformToCovariance(frameTransform(from, to, epoch, eop), cov6x6);
}

/**
 * Batch form: many states at ONE epoch, packed as [x0, y0, z0, x1, …] (km) and the same for
 * velocities (km/s). The rotation is applied as given (compute it once with
 * `frameTransform`); writes into `out` when provided (no allocation per state).
 */
export function applyTransformBatch(
  t: FrameTransform,
  posKm: ArrayLike<number>,
  velKmS: ArrayLike<number>,
  out?: { posKm: Float64Array; velKmS: Float64Array },
): { posKm: Float64Array; velKmS: Float64Array } {
  if (posKm.length !== velKmS.length || posKm.length % 3 !== 0) throw new FrameError(`batch arrays must have equal lengths, multiple of 3 (got ${posKm.length} and ${velKmS.length})`);
  const n = posKm.length;
  const rOut = out?.posKm ?? new Float64Array(n);
  const vOut = out?.velKmS ?? new Float64Array(n);
  if (rOut.length < n || vOut.length < n) throw new FrameError(`batch output arrays are shorter than the input (${n})`);
  const R = t.rotation;
  const r00 = R[0][0], r01 = R[0][1], r02 = R[0][2], r10 = R[1][0], r11 = R[1][1], r12 = R[1][2], r20 = R[2][0], r21 = R[2][1], r22 = R[2][2];
  const [wx, wy, wz] = t.angularVelocityRadS;
  for (let i = 0; i < n; i += 3) {
    const x = posKm[i], y = posKm[i + 1], z = posKm[i + 2];
    const vx = velKmS[i], vy = velKmS[i + 1], vz = velKmS[i + 2];
    const X = r00 * x + r01 * y + r02 * z;
    const Y = r10 * x + r11 * y + r12 * z;
    const Z = r20 * x + r21 * y + r22 * z;
    rOut[i] = X;
    rOut[i + 1] = Y;
    rOut[i + 2] = Z;
    vOut[i] = r00 * vx + r01 * vy + r02 * vz - (wy * Z - wz * Y);
    vOut[i + 1] = r10 * vx + r11 * vy + r12 * vz - (wz * X - wx * Z);
    vOut[i + 2] = r20 * vx + r21 * vy + r22 * vz - (wx * Y - wy * X);
  }
  return { posKm: rOut, velKmS: vOut };
}

/** Transforms many states at one epoch: the rotation is computed once, then applied to all. */
export function transformStates(
  posKm: ArrayLike<number>,
  velKmS: ArrayLike<number>,
  from: FrameName,
  to: FrameName,
  epoch: FrameEpoch,
  eop: FrameEop,
): { posKm: Float64Array; velKmS: Float64Array } {
  return applyTransformBatch(frameTransform(from, to, epoch, eop), posKm, velKmS);
}
