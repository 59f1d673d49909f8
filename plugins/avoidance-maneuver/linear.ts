import { MU_EARTH_KM3_S2 } from '../../sdk/astro/constants';
import { rtnRotation, localToInertial } from '../../sdk/astro/frames/local';
import { propagateTwoBody, twoBodyTransition } from '../../sdk/astro/twobody';
import { type Vec3, add, cross, dot, norm } from '../../sdk/astro/vec';

/**
 * Linear effect of an impulsive Δv on the primary's state at TCA (two-body).
 *
 * The burn happens at t_b = TCA − lead. The state at t_b is the TCA state propagated back by
 * `lead` seconds (universal variables, Vallado 4th ed. Algorithm 8 / Battin §4.5). A small
 * impulse δv (inertial) changes the state at TCA by
 *   δr(TCA) = Φ_rv(TCA, t_b) δv,   δv(TCA) = Φ_vv(TCA, t_b) δv
 * where Φ is the two-body state transition matrix (Battin §9.7, sdk/astro/twobody.ts).
 * The neglected terms are O(|δv|²): for the Δv of avoidance manoeuvres (cm/s to m/s)
 * against 7 km/s orbital speed they are below 1e-4 of the displacement per revolution of lead.
 */

export type BurnDirection = 'radial' | 'along-track' | 'cross-track';

/** Unit vector of a direction in the RTN frame of the primary at the burn. */
export function rtnUnit(direction: BurnDirection, sign: 1 | -1): Vec3 {
  if (direction === 'radial') return [sign, 0, 0];
  if (direction === 'along-track') return [0, sign, 0];
  return [0, 0, sign];
}

export interface BurnGeometry {
  leadS: number;
  /** Primary state at the burn epoch (two-body back-propagation from TCA), inertial, same frame as the TCA state. */
  burnPosKm: Vec3;
  burnVelKmS: Vec3;
  /** ∂r(TCA)/∂v(t_b), 3×3 row-major, s. */
  phiRv: number[][];
  /** ∂v(TCA)/∂v(t_b), 3×3 row-major, dimensionless. */
  phiVv: number[][];
}

/** Burn state and STM blocks for a burn `leadS` seconds before TCA. */
export function burnGeometry(posAtTcaKm: readonly number[], velAtTcaKmS: readonly number[], leadS: number, muKm3S2 = MU_EARTH_KM3_S2): BurnGeometry {
  if (!(leadS > 0)) throw new RangeError(`burnGeometry: lead time must be positive seconds, got ${leadS}`);
  const back = propagateTwoBody(posAtTcaKm, velAtTcaKmS, -leadS, muKm3S2);
  const burnPosKm = [...back.posKm] as Vec3;
  const burnVelKmS = [...back.velKmS] as Vec3;
  const { stm } = twoBodyTransition(burnPosKm, burnVelKmS, leadS, muKm3S2);
  const phiRv = [0, 1, 2].map((i) => [stm[i][3], stm[i][4], stm[i][5]]);
  const phiVv = [3, 4, 5].map((i) => [stm[i][3], stm[i][4], stm[i][5]]);
  return { leadS, burnPosKm, burnVelKmS, phiRv, phiVv };
}

const mul3 = (m: number[][], v: readonly number[]): Vec3 => [dot(m[0], v), dot(m[1], v), dot(m[2], v)];

/** Δv given in the RTN frame of the primary at the burn (km/s) → inertial km/s. */
export function rtnToInertialDv(g: BurnGeometry, dvRtnKmS: readonly number[]): Vec3 {
  return localToInertial(rtnRotation(g.burnPosKm, g.burnVelKmS), dvRtnKmS);
}

/** Linear change of the primary's TCA state for an RTN Δv (km/s) at the burn. */
export function displacementAtTca(g: BurnGeometry, dvRtnKmS: readonly number[]): { dPosKm: Vec3; dVelKmS: Vec3 } {
  const dvI = rtnToInertialDv(g, dvRtnKmS);
  return { dPosKm: mul3(g.phiRv, dvI), dVelKmS: mul3(g.phiVv, dvI) };
}

/**
 * Miss distance of a linear encounter: the relative position projected on the plane normal to
 * the relative velocity (the B-plane of the short-encounter model, Foster & Estes 1992,
 * Chan 2008 §2), km. For a conjunction at TCA the relative position is already normal to the
 * relative velocity and this is |Δr|; after a manoeuvre the TCA moves and this projection is
 * the new closest approach to first order.
 */
export function encounterMissKm(relPosKm: readonly number[], relVelKmS: readonly number[]): number {
  const v = norm(relVelKmS);
  if (v === 0) return norm(relPosKm);
  return norm(cross(relPosKm, relVelKmS)) / v;
}

/** Primary state at TCA after the burn, linear model. */
export function manoeuvredPrimary(posKm: readonly number[], velKmS: readonly number[], g: BurnGeometry, dvRtnKmS: readonly number[]): { posKm: Vec3; velKmS: Vec3 } {
  const d = displacementAtTca(g, dvRtnKmS);
  return { posKm: add(posKm, d.dPosKm), velKmS: add(velKmS, d.dVelKmS) };
}

/** Reference for tests and verification: the burned state propagated directly (two-body) to TCA. */
export function propagatedPrimary(g: BurnGeometry, dvRtnKmS: readonly number[], muKm3S2 = MU_EARTH_KM3_S2): { posKm: Vec3; velKmS: Vec3 } {
  const v = add(g.burnVelKmS, rtnToInertialDv(g, dvRtnKmS));
  const s = propagateTwoBody(g.burnPosKm, v, g.leadS, muKm3S2);
  return { posKm: [...s.posKm] as Vec3, velKmS: [...s.velKmS] as Vec3 };
}

/** Orbital period of a state (two-body, s); NaN for an open orbit. */
export function periodS(posKm: readonly number[], velKmS: readonly number[], muKm3S2 = MU_EARTH_KM3_S2): number {
  const energy = dot(velKmS, velKmS) / 2 - muKm3S2 / norm(posKm);
  if (energy >= 0) return NaN;
  const a = -muKm3S2 / (2 * energy);
  return 2 * Math.PI * Math.sqrt((a * a * a) / muKm3S2);
}

