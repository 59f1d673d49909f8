import { ommJsonOf } from '../../sdk/tle';
import { json2satrec, sgp4, twoline2satrec, type SatRec } from 'satellite.js';
import type { GpElementSet } from '../../interfaces/domain/catalog';
import { MU_EARTH_KM3_S2, WGS84_A_KM } from '../../sdk/astro/constants';

/**
 * The objects screening works on. The screening core only needs, for each object, a way to
 * get its TEME state at any UTC instant and a conservative bound on its radius over the
 * window: `TrajectorySource`. Catalog objects are SGP4 element sets (`Sgp4Source`); operator
 * ephemerides (OEM, read by the future `ephemeris` module) will be another implementation of
 * the same interface (interpolated states, radius range from the ephemeris points), with no
 * change to the filters, the refinement or the merge.
 */
export type Regime = 'LEO' | 'MEO' | 'GEO' | 'HEO' | 'GTO' | 'OTHER';

export interface TrajectorySource {
  /** Object id as in the catalog (NORAD number as text, no leading zeros) or an ephemeris id. */
  readonly id: string;
  readonly noradId?: number;
  readonly name?: string;
  readonly regime: Regime;
  /** Where the states come from (for the Conjunction record), e.g. 'sgp4:TLE epoch 2026-05-07T10:00:00.000Z'. */
  readonly source: string;
  /**
   * Conservative [min, max] geocentric radius over [startMs, stopMs], km: used by the
   * apogee/perigee filter before anything is propagated.
   */
  radiusRangeKm(startMs: number, stopMs: number): [number, number];
  /**
   * Bound on the error of the filters' interpolant (quintic Hermite on positions, velocities
   * and two-body + J2 accelerations, screen.ts) between samples `stepS` apart, km. It is added
   * to the filters' pads.
   */
  hermitePadKm(stepS: number): number;
  /**
   * TEME position (km) and velocity (km/s) at `ms` (UTC, ms since 1970) into `out[0..5]`;
   * returns null, or the reason the state is unavailable (decay, SGP4 error, outside the ephemeris).
   */
  stateAt(ms: number, out: Float64Array): string | null;
}

/** SGP4 uses the WGS-72 Earth radius (Hoots & Roehrich 1980, Spacetrack Report #3; Vallado et al. 2006). */
const SGP4_EARTH_RADIUS_KM = 6378.135;

/**
 * Pad of the apogee/perigee filter beyond the mean-element perigee/apogee radii, km. SGP4
 * radii oscillate about the mean-element values by the J2 short-period terms, of order
 * (3/4)·J2·R²/a·(…) ≈ 10 km in LEO (Brouwer 1959; Vallado 4th ed. §9.6), plus the drag term
 * over the window (added separately from ṅ). 25 km covers the measured excursion over the
 * 15,347-object CelesTrak snapshot (README, "Filters") with margin.
 */
export const RADIUS_PAD_KM = 25;

export function regimeOf(perigeeAltKm: number, apogeeAltKm: number, inclinationDeg: number): Regime {
  // ESA Space Environment Report 2023, Table 2.1 orbit classes, merged into the six classes
  // of interfaces/domain/catalog.ts (the same reading as the tle-catalog module).
  if (inclinationDeg <= 25 && perigeeAltKm >= 35_586 && apogeeAltKm <= 35_986) return 'GEO';
  if (apogeeAltKm <= 2_000) return 'LEO';
  if (inclinationDeg < 90 && perigeeAltKm <= 2_000 && apogeeAltKm >= 31_570 && apogeeAltKm <= 40_000) return 'GTO';
  if (perigeeAltKm >= 2_000 && apogeeAltKm <= 31_570) return 'MEO';
  if (perigeeAltKm < 31_570 && apogeeAltKm > 40_000) return 'HEO';
  return 'OTHER';
}

/** UTC ms since 1970 of an ISO-8601 UTC text, keeping sub-millisecond digits. */
export function isoToMs(iso: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?Z?$/.exec(iso);
  if (!m) throw new RangeError(`'${iso}' is not an ISO-8601 UTC date-time YYYY-MM-DDThh:mm:ss[.fff][Z]`);
  const whole = Date.parse(`${m[1]}Z`);
  if (!Number.isFinite(whole)) throw new RangeError(`'${iso}' is not a valid date`);
  return whole + (m[2] ? Number(`0${m[2]}`) * 1000 : 0);
}

/** ISO-8601 UTC text with microseconds (TCAs are refined far below a millisecond). */
export function msToIso(ms: number): string {
  const whole = Math.floor(ms);
  const micro = Math.round((ms - whole) * 1000);
  const base = new Date(whole + (micro === 1000 ? 1 : 0)).toISOString(); // …ss.mmmZ
  return `${base.slice(0, 23)}${String(micro === 1000 ? 0 : micro).padStart(3, '0')}Z`;
}


/**
 * A catalog object propagated by SGP4 (satellite.js, the library the `sgp4` module runs:
 * same initialisation — `twoline2satrec` on the TLE text when there is one, `json2satrec` on
 * the OMM fields otherwise — and same `sgp4()` function, so states agree with the
 * `propagator.sgp4` service; checked in the tests). Screening calls SGP4 millions of times
 * with single instants during refinement, which a batch service cannot serve at that rate.
 */
export class Sgp4Source implements TrajectorySource {
  readonly id: string;
  readonly noradId: number;
  readonly name?: string;
  readonly regime: Regime;
  readonly source: string;
  readonly satrec: SatRec;
  /** Epoch of the element set, UTC ms since 1970 (full precision of the TLE epoch field). */
  readonly epochMs: number;
  private readonly perigeeKm: number;
  private readonly apogeeKm: number;
  /** |da/dt| from the first derivative of mean motion, km/ms. */
  private readonly decayKmPerMs: number;
  /** Perigee angular rate for the Hermite error bound, rad/s. */
  private readonly omegaPerigeeRadS: number;
  private readonly eccentricity: number;

  constructor(readonly elements: GpElementSet) {
    const gp = elements;
    this.noradId = gp.noradId;
    this.id = String(gp.noradId);
    this.name = gp.objectName;
    if (gp.line1 && gp.line2) {
      this.satrec = twoline2satrec(gp.line1, gp.line2);
      // The TLE epoch field (YYDDD.DDDDDDDD) at full precision, as SGP4 counts time from it.
      const s = this.satrec as SatRec & { epochyr: number; epochdays: number };
      const year = s.epochyr < 57 ? 2000 + s.epochyr : 1900 + s.epochyr;
      this.epochMs = Date.UTC(year, 0, 1) + (s.epochdays - 1) * 86_400_000;
    } else {
      this.satrec = json2satrec(ommJsonOf(gp));
      this.epochMs = isoToMs(gp.epochUtc);
    }
    if (this.satrec.error !== 0) throw new RangeError(`NORAD ${gp.noradId}: SGP4 initialisation error ${this.satrec.error}`);
    // Mean motion (rev/day) → semi-major axis (two-body, Vallado 4th ed. eq. 1-27 with n² a³ = μ).
    const nRadS = (gp.meanMotionRevPerDay * 2 * Math.PI) / 86_400;
    const aKm = Math.cbrt(MU_EARTH_KM3_S2 / (nRadS * nRadS));
    this.perigeeKm = aKm * (1 - gp.eccentricity);
    this.apogeeKm = aKm * (1 + gp.eccentricity);
    this.regime = regimeOf(this.perigeeKm - WGS84_A_KM, this.apogeeKm - WGS84_A_KM, gp.inclinationDeg);
    // a ∝ n^(-2/3) ⇒ da/dt = −(2/3)·a·ṅ/n; the TLE field is ṅ/2 in rev/day².
    const nDotRevPerDay2 = 2 * Math.abs(gp.meanMotionDotRevPerDay2);
    this.decayKmPerMs = ((2 / 3) * aKm * nDotRevPerDay2) / gp.meanMotionRevPerDay / 86_400_000;
    // Angular rate at perigee of the osculating ellipse: θ̇ = h/r² = sqrt(μ(1+e)/r_p³).
    this.eccentricity = gp.eccentricity;
    this.omegaPerigeeRadS = Math.sqrt((MU_EARTH_KM3_S2 * (1 + gp.eccentricity)) / this.perigeeKm ** 3);
    this.source = `sgp4:${gp.line1 ? 'TLE' : 'OMM'} epoch ${msToIso(this.epochMs)}`;
  }

  radiusRangeKm(startMs: number, stopMs: number): [number, number] {
    const far = Math.max(Math.abs(startMs - this.epochMs), Math.abs(stopMs - this.epochMs));
    const drift = this.decayKmPerMs * far * 2; // ×2: ṅ is not constant over the window (n̈, B* drag)
    return [Math.max(SGP4_EARTH_RADIUS_KM * 0.5, this.perigeeKm - RADIUS_PAD_KM - drift), this.apogeeKm + RADIUS_PAD_KM + drift];
  }

  hermitePadKm(stepS: number): number {
    // Quintic Hermite remainder h⁶/46080·max|r⁽⁶⁾| (screen.ts pieceCoefficients), with
    // |r⁽⁶⁾| ≈ ω⁶·r for orbital motion (exact for a circular orbit: n⁶a) and ω the angular
    // rate at perigee; factor 3·(1 + e)³ because on eccentric orbits the derivatives peak more
    // sharply at perigee than this estimate (measured over the whole CelesTrak snapshot at 600
    // and 900 s steps: the error reaches 7.2× the plain estimate at e = 0.73, which the factor
    // covers twice; README "Filters"). Plus the acceleration model error (SGP4 beyond two-body + J2: ≤ 1e-6 km/s²)
    // times its weight 2·0.0173·h², and a 0.1 km floor (WASM sampling time quantisation,
    // SGP4's velocity vs the derivative of its position).
    const w = this.omegaPerigeeRadS;
    return 3 * (1 + this.eccentricity) ** 3 * ((stepS ** 6) / 46080) * w ** 6 * this.perigeeKm + 2 * 0.0173 * 1e-6 * stepS * stepS + 0.1;
  }

  stateAt(ms: number, out: Float64Array): string | null {
    const pv = sgp4(this.satrec, (ms - this.epochMs) / 60_000);
    if (!pv || this.satrec.error !== 0) return `SGP4 error ${this.satrec.error || 'no state'} at ${msToIso(ms)} (NORAD ${this.noradId}${this.satrec.error === 6 ? ', decayed' : ''})`;
    const p = pv.position;
    const v = pv.velocity;
    if (!Number.isFinite(p.x) || !Number.isFinite(v.x)) return `SGP4 gave a non-finite state at ${msToIso(ms)} (NORAD ${this.noradId})`;
    out[0] = p.x;
    out[1] = p.y;
    out[2] = p.z;
    out[3] = v.x;
    out[4] = v.y;
    out[5] = v.z;
    return null;
  }
}
