/**
 * Topocentric frames of a ground station (SEZ and ENU) and the look angles of a satellite:
 * azimuth (from north, through east), elevation, range and range rate (Vallado 4th ed. §4.4,
 * Algorithm 27 RAZEL, done in the Earth-fixed frame so the station is at rest).
 */
import { type Mat3, type Vec3, dot, mulMV, norm, sub } from '../vec';
import { type Geodetic, geodeticToCartesian } from './geodetic';

/**
 * Rotation Earth-fixed → ENU (rows: east, north, up) at a geodetic point. The "up" axis is
 * the ellipsoid normal (geodetic, not geocentric, vertical).
 */
export function enuRotation(station: Geodetic): Mat3 {
  const sl = Math.sin(station.latRad);
  const cl = Math.cos(station.latRad);
  const so = Math.sin(station.lonRad);
  const co = Math.cos(station.lonRad);
  return [
    [-so, co, 0],
    [-sl * co, -sl * so, cl],
    [cl * co, cl * so, sl],
  ];
}

/** Rotation Earth-fixed → SEZ (rows: south, east, zenith) = ROT2(π/2 − φ) ROT3(λ) (Vallado eq. 3-28). */
export function sezRotation(station: Geodetic): Mat3 {
  const [e, n, u] = enuRotation(station);
  return [[-n[0], -n[1], -n[2]], e, u];
}

export interface LookAngles {
  /** Azimuth from north towards east, rad in [0, 2π). */
  azimuthRad: number;
  /** Elevation above the local horizontal plane (ellipsoid normal), rad. */
  elevationRad: number;
  rangeKm: number;
  /** d(range)/dt, km/s (positive when receding). */
  rangeRateKmS: number;
  /** Line of sight in ENU, km. */
  enuKm: Vec3;
}

/**
 * Look angles of a satellite from a station. `posKm`, `velKmS` are the satellite's position
 * and velocity in the Earth-fixed frame the station is given in (ITRF), so the station has no
 * velocity and ρ̇ = ρ · v / |ρ|. No refraction, no light time.
 */
export function lookAngles(station: Geodetic, posKm: readonly number[], velKmS: readonly number[]): LookAngles {
  const rho = sub(posKm, geodeticToCartesian(station));
  const range = norm(rho);
  if (range === 0) throw new RangeError('lookAngles: satellite position coincides with the station');
  const enu = mulMV(enuRotation(station), rho);
  let az = Math.atan2(enu[0], enu[1]);
  if (az < 0) az += 2 * Math.PI;
  const el = Math.atan2(enu[2], Math.hypot(enu[0], enu[1]));
  return { azimuthRad: az, elevationRad: el, rangeKm: range, rangeRateKmS: dot(rho, velKmS) / range, enuKm: enu };
}
