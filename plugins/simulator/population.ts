import { MU_EARTH_KM3_S2, WGS84_A_KM } from '../../sdk/astro/constants';
import { Prng } from './prng';
import type { MeanElements } from './sgp4-adapter';

/**
 * The synthetic catalog: a protected fleet and a background population in the regimes
 * where real traffic is (Starlink-like 53° shell, the sun-synchronous band, the GEO belt
 * and two debris clouds shaped like the 2009 Iridium/Cosmos and 2007 FY-1C clouds).
 * Element distributions are plausible, not statistically fitted to the real catalog.
 */
export interface PopulationSpec {
  seed: number;
  epochMsUtc: number;
  /** NORAD numbers start here (the analyst range 90000+ keeps clear of real objects). */
  firstNoradId: number;
  fleet: { sso: number; leo: number; geo: number };
  background: number;
}

export interface Population {
  fleet: MeanElements[];
  background: (MeanElements & { regime: 'leo-shell' | 'sso' | 'geo' | 'debris' })[];
}

const DAY_S = 86400;
const J2 = 1.08262668e-3; // WGS-72 J2, the value SGP4 uses (Vallado et al. 2006)
/** Mean motion (rev/day) of a circular orbit of semi-major axis a (km). */
export const revPerDay = (aKm: number) => (Math.sqrt(MU_EARTH_KM3_S2 / aKm ** 3) * DAY_S) / (2 * Math.PI);

/**
 * Sun-synchronous inclination (deg) for a near-circular orbit: the J2 nodal rate equals the
 * mean motion of the Sun, 360°/365.2422 d (Vallado, Fundamentals, 4th ed., §9.6 eq. 9-41).
 */
export function ssoInclinationDeg(aKm: number): number {
  const raanRateRadS = (2 * Math.PI) / (365.2422 * DAY_S);
  const n = Math.sqrt(MU_EARTH_KM3_S2 / aKm ** 3);
  const cosI = -raanRateRadS / (1.5 * n * J2 * (WGS84_A_KM / aKm) ** 2);
  return (Math.acos(cosI) * 180) / Math.PI;
}

function designator(year: number, launch: number, piece: number): string {
  const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
  let p = '';
  let k = piece;
  do {
    p = letters[k % 24] + p;
    k = Math.floor(k / 24) - 1;
  } while (k >= 0 && p.length < 3);
  return `${year}-${String((launch % 999) + 1).padStart(3, '0')}${p}`;
}

export function generatePopulation(spec: PopulationSpec): Population {
  const rng = new Prng(spec.seed);
  const year = new Date(spec.epochMsUtc).getUTCFullYear();
  let id = spec.firstNoradId;
  let launch = 100;
  const make = (name: string, aKm: number, e: number, iDeg: number, bstar: number, piece = 0): MeanElements => ({
    noradId: id++,
    objectId: designator(year, launch, piece),
    name,
    epochMsUtc: spec.epochMsUtc - rng.uniform(0, 0.5) * DAY_S * 1000,
    meanMotionRevPerDay: revPerDay(aKm),
    eccentricity: e,
    inclinationDeg: iDeg,
    raanDeg: rng.uniform(0, 360),
    argPericenterDeg: rng.uniform(0, 360),
    meanAnomalyDeg: rng.uniform(0, 360),
    bstar,
  });

  const fleet: MeanElements[] = [];
  for (let k = 0; k < spec.fleet.sso; k++) {
    const a = WGS84_A_KM + 700 + 40 * k;
    launch++;
    fleet.push({ ...make(`SIM FLEET SSO-${k + 1}`, a, 0.0011, ssoInclinationDeg(a), 2.1e-5), epochMsUtc: spec.epochMsUtc });
  }
  for (let k = 0; k < spec.fleet.leo; k++) {
    launch++;
    fleet.push({ ...make(`SIM FLEET LEO-${k + 1}`, WGS84_A_KM + 550, 0.0002, 53.05, 1.2e-4), epochMsUtc: spec.epochMsUtc });
  }
  for (let k = 0; k < spec.fleet.geo; k++) {
    launch++;
    fleet.push({ ...make(`SIM FLEET GEO-${k + 1}`, 42164.17, 0.0002, 0.05, 0), epochMsUtc: spec.epochMsUtc });
  }

  const background: Population['background'] = [];
  const clouds = [
    { name: 'SIM DEB A', aKm: WGS84_A_KM + 790, iDeg: 86.4, raan: rng.uniform(0, 360) },
    { name: 'SIM DEB B', aKm: WGS84_A_KM + 850, iDeg: 98.8, raan: rng.uniform(0, 360) },
  ];
  for (let k = 0; k < spec.background; k++) {
    const u = rng.next();
    if (u < 0.4) {
      if (k % 60 === 0) launch++;
      const el = make(`SIM SHELL-${k + 1}`, WGS84_A_KM + rng.uniform(540, 560), rng.uniform(0.0001, 0.0015), 53 + rng.uniform(-0.1, 0.1), rng.uniform(5e-5, 4e-4), k % 60);
      background.push({ ...el, regime: 'leo-shell' });
    } else if (u < 0.65) {
      launch++;
      const a = WGS84_A_KM + rng.uniform(480, 900);
      background.push({ ...make(`SIM SSO-${k + 1}`, a, rng.uniform(0.0001, 0.003), ssoInclinationDeg(a) + rng.uniform(-0.3, 0.3), rng.uniform(1e-5, 3e-4)), regime: 'sso' });
    } else if (u < 0.75) {
      launch++;
      const el = make(`SIM GEO-${k + 1}`, 42164.17 + rng.uniform(-60, 60), rng.uniform(0, 0.001), rng.uniform(0, 1) < 0.6 ? rng.uniform(0, 0.1) : rng.uniform(0.1, 15), 0);
      background.push({ ...el, regime: 'geo' });
    } else {
      // Fragments: the parent orbit plus a few tens of m/s of spread (a ± ~100 km, e up to 0.02).
      const c = clouds[k % 2];
      const el = make(`${c.name}-${k + 1}`, c.aKm + 60 * rng.normal(), Math.abs(0.006 * rng.normal()), c.iDeg + 0.3 * rng.normal(), rng.uniform(1e-4, 2e-3), k);
      el.raanDeg = c.raan + 0.5 * rng.normal();
      background.push({ ...el, regime: 'debris' });
    }
  }
  return { fleet, background };
}
