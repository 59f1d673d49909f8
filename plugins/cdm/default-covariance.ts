import { cartesianToKeplerian, MU_EARTH_KM3_S2, WGS84_A_KM } from '../../sdk/astro';
import type { Matrix6 } from '../../interfaces/domain/common';
import type { RegimeModel } from './config';

/**
 * Default covariance for objects known only by general-perturbation elements (TLE/OMM +
 * SGP4), which carry no covariance. An OPERATIONAL ASSUMPTION, stated as such in every CDM
 * that uses it (COVARIANCE_METHOD = DEFAULT and a COMMENT line with the numbers).
 *
 * Model: the 1-σ position errors along R, T, N grow with the propagation span
 * Δt = |TCA − element epoch| (days) as σ_i(Δt) = σ0_i + rate_i·Δt + accel_i·Δt², with one set
 * of coefficients per orbit regime (config.ts, README "Default covariance model"). The shape
 * follows the published behaviour of TLE errors: small radial and cross-track errors, an
 * along-track error that dominates and grows fastest — linearly from the mean-motion error,
 * quadratically where drag mis-modelling accumulates (Vallado & Cefola 2012, IAC-12.C1.6.3;
 * Flohrer, Krag & Klinkrad 2008, AMOS).
 *
 * The position block is diagonal (no published correlation is assumed). The velocity block is
 * diagonal with σ_v,i = n·σ_i, n the mean motion: a position error of amplitude σ on an orbit
 * of mean motion n oscillates with a velocity error of amplitude n·σ (Clohessy-Wiltshire
 * relative motion, Vallado 4th ed. §6.8). It makes the 6×6 matrix complete as the CDM requires
 * (508.0-B-1 Table 3-4); the 2D Pc methods use the position block only.
 */

export type OrbitRegime = 'LEO' | 'MEO' | 'GEO' | 'HEO' | 'GTO' | 'OTHER';

/**
 * Orbit regime from an inertial state (osculating two-body elements), with the class limits of
 * the ESA Space Environment Report (ESA Space Debris Office 2023, Table 2.1) merged into the six
 * classes of interfaces/domain/catalog.ts: GEO (i ≤ 25°, perigee and apogee altitudes within
 * 35,586-35,986 km), LEO (both ≤ 2,000 km), GTO (i < 90°, perigee ≤ 2,000 km, apogee
 * 31,570-40,000 km), MEO (both within 2,000-31,570 km), HEO (perigee < 31,570 km, apogee
 * > 40,000 km), OTHER (the rest, and unbound orbits).
 */
export function orbitRegimeOfState(posKm: readonly number[], velKmS: readonly number[]): OrbitRegime {
  const el = cartesianToKeplerian(posKm, velKmS, MU_EARTH_KM3_S2);
  if (!(el.aKm > 0) || !(el.e < 1)) return 'OTHER';
  const hp = el.aKm * (1 - el.e) - WGS84_A_KM;
  const ha = el.aKm * (1 + el.e) - WGS84_A_KM;
  const iDeg = (el.iRad * 180) / Math.PI;
  if (iDeg <= 25 && hp >= 35_586 && ha <= 35_986) return 'GEO';
  if (ha <= 2_000) return 'LEO';
  if (iDeg < 90 && hp <= 2_000 && ha >= 31_570 && ha <= 40_000) return 'GTO';
  if (hp >= 2_000 && ha <= 31_570) return 'MEO';
  if (hp < 31_570 && ha > 40_000) return 'HEO';
  return 'OTHER';
}

/** The element epoch written by the screening module in `ephemerisSource` ("sgp4:TLE epoch 2026-05-07T10:00:00.000Z"). */
export function elementEpochFromSource(source: string | undefined): string | undefined {
  const m = source ? /epoch\s+(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?)/i.exec(source) : null;
  return m ? m[1] : undefined;
}

export interface DefaultCovariance {
  regime: OrbitRegime;
  /** Propagation span used, days. */
  ageDays: number;
  /** true when the element epoch was unknown and the configured span was assumed. */
  ageAssumed: boolean;
  sigmaRtnM: [number, number, number];
  /** 6×6 RTN covariance, m², m²/s, m²/s² (CDM convention). */
  covRtnM2: Matrix6;
}

/** Parses an ISO UTC text to Unix ms (UTC day arithmetic; a leap second is not an issue at day scale). */
function isoMs(iso: string): number {
  return Date.parse(iso.endsWith('Z') ? iso : iso + 'Z');
}

export function defaultCovariance(input: {
  posKm: readonly number[];
  velKmS: readonly number[];
  tcaUtc: string;
  elementEpochUtc?: string;
  models: Record<OrbitRegime, RegimeModel>;
  assumedAgeDaysWhenUnknown: number;
}): DefaultCovariance {
  const regime = orbitRegimeOfState(input.posKm, input.velKmS);
  const model = input.models[regime];
  const epochMs = input.elementEpochUtc ? isoMs(input.elementEpochUtc) : NaN;
  const tcaMs = isoMs(input.tcaUtc);
  if (!Number.isFinite(tcaMs)) throw new Error(`default covariance: TCA '${input.tcaUtc}' is not an ISO-8601 UTC date-time`);
  const ageAssumed = !Number.isFinite(epochMs);
  const ageDays = ageAssumed ? input.assumedAgeDaysWhenUnknown : Math.abs(tcaMs - epochMs) / 86_400_000;
  const sigmaKm = [0, 1, 2].map((i) => model.sigma0RtnKm[i] + model.rateRtnKmPerDay[i] * ageDays + model.accelRtnKmPerDay2[i] * ageDays * ageDays);
  const sigmaRtnM = sigmaKm.map((s) => s * 1000) as [number, number, number];
  // Mean motion from the osculating semi-major axis (Kepler's third law); bound orbits only.
  const a = cartesianToKeplerian(input.posKm, input.velKmS, MU_EARTH_KM3_S2).aKm;
  const nRadS = a > 0 ? Math.sqrt(MU_EARTH_KM3_S2 / (a * a * a)) : 0;
  const cov: number[][] = Array.from({ length: 6 }, () => new Array<number>(6).fill(0));
  for (let i = 0; i < 3; i++) {
    cov[i][i] = sigmaRtnM[i] ** 2;
    cov[i + 3][i + 3] = (nRadS * sigmaRtnM[i]) ** 2;
  }
  return { regime, ageDays, ageAssumed, sigmaRtnM, covRtnM2: cov };
}

/** The COMMENT line written in the object's metadata of a CDM using the model. */
export function defaultCovarianceComment(d: DefaultCovariance): string {
  const f = (x: number) => x.toFixed(0);
  return (
    `DEFAULT COVARIANCE (operational assumption, no covariance from the object's source): regime ${d.regime}, ` +
    `element age ${d.ageDays.toFixed(2)} d${d.ageAssumed ? ' (epoch unknown: assumed)' : ''}, ` +
    `sigma R/T/N = ${f(d.sigmaRtnM[0])}/${f(d.sigmaRtnM[1])}/${f(d.sigmaRtnM[2])} m`
  );
}
