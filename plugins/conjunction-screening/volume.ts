import { rtnRotation } from '../../sdk/astro/frames';
import type { Vec3 } from '../../sdk/astro/vec';

/**
 * Screening volumes in the primary's RTN frame (radial, transverse, normal: Vallado 4th ed.
 * §3.3.3). `sizeRtnKm` is the radius (sphere: the first component is used) or the semi-axes
 * (ellipsoid) or half-sizes (box), km. An event is reported when the relative position at TCA
 * (secondary − primary, primary's RTN) lies inside the volume.
 */
export interface Volume {
  shape: 'sphere' | 'ellipsoid' | 'box';
  sizeRtnKm: [number, number, number];
}

/** Radius of the smallest sphere around the primary containing the volume, km (drives the coarse filters). */
export function boundingRadiusKm(v: Volume): number {
  const [a, b, c] = v.sizeRtnKm;
  if (v.shape === 'sphere') return a;
  if (v.shape === 'ellipsoid') return Math.max(a, b, c);
  return Math.hypot(a, b, c);
}

export function insideVolume(v: Volume, rtnKm: readonly number[], missKm: number): boolean {
  const [a, b, c] = v.sizeRtnKm;
  if (v.shape === 'sphere') return missKm <= a;
  if (v.shape === 'box') return Math.abs(rtnKm[0]) <= a && Math.abs(rtnKm[1]) <= b && Math.abs(rtnKm[2]) <= c;
  return (rtnKm[0] / a) ** 2 + (rtnKm[1] / b) ** 2 + (rtnKm[2] / c) ** 2 <= 1;
}

export interface RelativeGeometry {
  missKm: number;
  relativeSpeedKmS: number;
  /** Secondary − primary in the primary's RTN axes (km, km/s); velocity rotated, frame rate not added (CCSDS CDM convention). */
  rtnPosKm: Vec3;
  rtnVelKmS: Vec3;
}

export function relativeGeometry(primary: Float64Array, secondary: Float64Array): RelativeGeometry {
  const dr = [secondary[0] - primary[0], secondary[1] - primary[1], secondary[2] - primary[2]];
  const dv = [secondary[3] - primary[3], secondary[4] - primary[4], secondary[5] - primary[5]];
  const R = rtnRotation([primary[0], primary[1], primary[2]], [primary[3], primary[4], primary[5]]);
  const rot = (x: number[]): Vec3 => [R[0][0] * x[0] + R[0][1] * x[1] + R[0][2] * x[2], R[1][0] * x[0] + R[1][1] * x[1] + R[1][2] * x[2], R[2][0] * x[0] + R[2][1] * x[1] + R[2][2] * x[2]];
  return { missKm: Math.hypot(dr[0], dr[1], dr[2]), relativeSpeedKmS: Math.hypot(dv[0], dv[1], dv[2]), rtnPosKm: rot(dr), rtnVelKmS: rot(dv) };
}
