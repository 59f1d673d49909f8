/**
 * WGS-84 geodetic coordinates ↔ Earth-fixed Cartesian coordinates (ITRF/PEF axes).
 * Forward: the closed form (NIMA TR8350.2 eq. 4-14; Vallado 4th ed. eq. 3-7).
 * Inverse: Bowring's (1976) parametric-latitude iteration, run to convergence (≤ 1e-15 rad),
 * with the height from h = p cos φ + z sin φ − a √(1 − e² sin² φ), which stays well
 * conditioned at the poles (no division by cos φ). Accurate to < 1e-9 km for heights
 * from −1000 km to +50 000 km, poles included.
 */
import { WGS84_A_KM, WGS84_E2, WGS84_F } from '../constants';
import type { Vec3 } from '../vec';

export interface Geodetic {
  /** Geodetic latitude, rad, in [−π/2, π/2]. */
  latRad: number;
  /** East longitude, rad, in (−π, π]. */
  lonRad: number;
  /** Height above the WGS-84 ellipsoid, km. */
  heightKm: number;
}

/** Earth-fixed position (km) of a geodetic point. */
export function geodeticToCartesian(g: Geodetic): Vec3 {
  if (![g.latRad, g.lonRad, g.heightKm].every(Number.isFinite)) throw new RangeError(`geodeticToCartesian: non-finite input lat=${g.latRad} lon=${g.lonRad} h=${g.heightKm}`);
  if (Math.abs(g.latRad) > Math.PI / 2 + 1e-12) throw new RangeError(`geodeticToCartesian: latitude ${g.latRad} rad is outside [−π/2, π/2]`);
  const sLat = Math.sin(g.latRad);
  const cLat = Math.cos(g.latRad);
  const n = WGS84_A_KM / Math.sqrt(1 - WGS84_E2 * sLat * sLat);
  const rxy = (n + g.heightKm) * cLat;
  return [rxy * Math.cos(g.lonRad), rxy * Math.sin(g.lonRad), (n * (1 - WGS84_E2) + g.heightKm) * sLat];
}

const B_KM = WGS84_A_KM * (1 - WGS84_F);
/** Second eccentricity squared e′² = e² / (1 − e²). */
const EP2 = WGS84_E2 / (1 - WGS84_E2);

/** Geodetic coordinates of an Earth-fixed position (km). */
export function cartesianToGeodetic(posKm: readonly number[]): Geodetic {
  const [x, y, z] = posKm;
  if (![x, y, z].every(Number.isFinite)) throw new RangeError(`cartesianToGeodetic: non-finite position (${x}, ${y}, ${z})`);
  const p = Math.hypot(x, y);
  if (p === 0 && z === 0) throw new RangeError('cartesianToGeodetic: the geocentre has no geodetic latitude');
  const lon = p === 0 ? 0 : Math.atan2(y, x);
  // Bowring: start from the parametric latitude of the point's direction, iterate
  // φ = atan2(z + e′² b sin³β, p − e² a cos³β), tan β = (1 − f) tan φ.
  let beta = Math.atan2(z, (1 - WGS84_F) * p);
  let lat = 0;
  for (let i = 0; i < 10; i++) {
    const sb = Math.sin(beta);
    const cb = Math.cos(beta);
    const next = Math.atan2(z + EP2 * B_KM * sb * sb * sb, p - WGS84_E2 * WGS84_A_KM * cb * cb * cb);
    const done = Math.abs(next - lat) < 1e-15;
    lat = next;
    if (done) break;
    beta = Math.atan2((1 - WGS84_F) * Math.sin(lat), Math.cos(lat));
  }
  const sLat = Math.sin(lat);
  const h = p * Math.cos(lat) + z * sLat - WGS84_A_KM * Math.sqrt(1 - WGS84_E2 * sLat * sLat);
  return { latRad: lat, lonRad: lon, heightKm: h };
}
