/**
 * Local orbital frames built from an inertial state:
 *  - RTN (= RSW, RIC; Vallado 4th ed. §3.3.3): R along r, N along h = r × v, T = N × R.
 *  - TNW (CCSDS ODM 502.0-B-3 Annex A and CDM "TNW"): T along v, W along h, N = W × T
 *    (in-plane, towards the inside of the orbit for a circular orbit).
 * The rotation matrix has the local axes as rows: x_local = R · x_inertial.
 *
 * Covariance: by default the position and velocity blocks are rotated by the same R
 * (J = diag(R, R)), the convention of CCSDS CDM RTN covariances, i.e. the velocity
 * uncertainty is that of the inertial velocity expressed along the local axes, and the
 * frame's own rotation is ignored. With `includeFrameRotation`, the local frame is treated as
 * rotating with the angular velocity of a two-body orbit (RTN: |h|/r² about N; TNW:
 * μ|h|/(r³ v²) about W, from the turn rate of v under a central force) and J gets the
 * −[ω×]R block, as for the Earth-fixed frames.
 */
import { MU_EARTH_KM3_S2 } from '../constants';
import { type Mat3, type Vec3, cross, mulMM, mulMtV, mulMV, norm, transpose3, unit } from '../vec';

export type LocalFrameName = 'RTN' | 'TNW';

export function rtnRotation(posKm: readonly number[], velKmS: readonly number[]): Mat3 {
  const r = unit(posKm);
  const n = unit(cross(posKm, velKmS));
  const t = cross(n, r);
  return [r, t, n];
}

export function tnwRotation(posKm: readonly number[], velKmS: readonly number[]): Mat3 {
  const t = unit(velKmS);
  const w = unit(cross(posKm, velKmS));
  const n = cross(w, t);
  return [t, n, w];
}

export function localRotation(kind: LocalFrameName, posKm: readonly number[], velKmS: readonly number[]): Mat3 {
  if (kind === 'RTN') return rtnRotation(posKm, velKmS);
  if (kind === 'TNW') return tnwRotation(posKm, velKmS);
  throw new RangeError(`unknown local orbital frame '${String(kind)}' (expected RTN or TNW)`);
}

/** Angular velocity of the local frame for two-body motion, in local axes, rad/s. */
export function localFrameRate(kind: LocalFrameName, posKm: readonly number[], velKmS: readonly number[], muKm3S2 = MU_EARTH_KM3_S2): Vec3 {
  const h = norm(cross(posKm, velKmS));
  const r = norm(posKm);
  if (kind === 'RTN') return [0, 0, h / (r * r)];
  const v = norm(velKmS);
  return [0, 0, (muKm3S2 * h) / (r * r * r * v * v)];
}

/** Vector inertial → local (R · x). */
export const inertialToLocal = (rot: Mat3, vec: readonly number[]): Vec3 => mulMV(rot, vec);
/** Vector local → inertial (Rᵀ · x). */
export const localToInertial = (rot: Mat3, vec: readonly number[]): Vec3 => mulMtV(rot, vec);

export interface LocalCovarianceOptions {
  /** Include the frame's rotation rate (two-body) in the velocity block; default false. */
  includeFrameRotation?: boolean;
  muKm3S2?: number;
}

function jacobian(rot: Mat3, w: Vec3 | null): number[][] {
  const J: number[][] = Array.from({ length: 6 }, () => new Array<number>(6).fill(0));
  const WR: Mat3 | null = w
    ? mulMM(
        [
          [0, -w[2], w[1]],
          [w[2], 0, -w[0]],
          [-w[1], w[0], 0],
        ],
        rot,
      )
    : null;
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      J[i][j] = rot[i][j];
      J[i + 3][j + 3] = rot[i][j];
      if (WR) J[i + 3][j] = -WR[i][j];
    }
  }
  return J;
}

function sandwich(J: number[][], C: readonly (readonly number[])[]): number[][] {
  if (C.length !== 6 || C.some((row) => row.length !== 6)) throw new RangeError(`covariance must be 6×6, got ${C.length}×${C[0]?.length ?? 0}`);
  const out: number[][] = Array.from({ length: 6 }, () => new Array<number>(6).fill(0));
  for (let i = 0; i < 6; i++) {
    for (let j = i; j < 6; j++) {
      let s = 0;
      for (let k = 0; k < 6; k++) {
        if (J[i][k] === 0) continue;
        for (let l = 0; l < 6; l++) s += J[i][k] * C[k][l] * J[j][l];
      }
      out[i][j] = s;
      out[j][i] = s;
    }
  }
  return out;
}

/** 6×6 covariance inertial → local frame of the given state (units preserved). */
export function covarianceInertialToLocal(
  kind: LocalFrameName,
  posKm: readonly number[],
  velKmS: readonly number[],
  covInertial: readonly (readonly number[])[],
  opts: LocalCovarianceOptions = {},
): number[][] {
  const rot = localRotation(kind, posKm, velKmS);
  const w = opts.includeFrameRotation ? localFrameRate(kind, posKm, velKmS, opts.muKm3S2) : null;
  return sandwich(jacobian(rot, w), covInertial);
}

/** 6×6 covariance local frame → inertial (inverse of `covarianceInertialToLocal` with the same options). */
export function covarianceLocalToInertial(
  kind: LocalFrameName,
  posKm: readonly number[],
  velKmS: readonly number[],
  covLocal: readonly (readonly number[])[],
  opts: LocalCovarianceOptions = {},
): number[][] {
  const rot = localRotation(kind, posKm, velKmS);
  const rT = transpose3(rot);
  // Inverse of [[R,0],[−[ω×]R,R]] is [[Rᵀ,0],[Rᵀ[ω×],Rᵀ]] = [[Rᵀ,0],[−[(−Rᵀω)×]Rᵀ, Rᵀ]].
  const w = opts.includeFrameRotation ? localFrameRate(kind, posKm, velKmS, opts.muKm3S2) : null;
  const wInv: Vec3 | null = w ? (mulMV(rT, w).map((x) => -x) as Vec3) : null;
  return sandwich(jacobian(rT, wInv), covLocal);
}
