import { ommJsonOf } from '../../sdk/tle';
import { json2satrec, sgp4, twoline2satrec, type SatRec } from 'satellite.js';
import type { GpElementSet } from '../../interfaces/domain/catalog';
import { MU_EARTH_KM3_S2, WGS84_A_KM } from '../../sdk/astro/constants';
import { j2Acceleration } from './screen';

/**
 * The objects screening works on. The screening core only needs, for each object, a way to
 * get its TEME state at any UTC instant and a conservative bound on its radius over the
 * window: `TrajectorySource`. Catalog objects are SGP4 element sets (`Sgp4Source`); operator
 * ephemerides (OEMs known to the `ephemeris` module, or an ephemeris given in the request) are
 * `EphemerisSource`s (states re-sampled once through the `ephemeris` service, interpolated
 * here), with no change to the filters, the refinement or the merge.
 */
export type Regime = 'LEO' | 'MEO' | 'GEO' | 'HEO' | 'GTO' | 'OTHER';

export interface TrajectorySource {
  /** Object id as in the catalog (NORAD number as text, no leading zeros) or an ephemeris id. */
  readonly id: string;
  readonly noradId?: number;
  /** Designator for the records when it is not `id` (an ephemeris's OBJECT_ID). */
  readonly objectId?: string;
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

/**
 * Nodes of an ephemeris primary, re-sampled once through the `ephemeris` service: UTC ms since
 * 1970 (strictly increasing; uniform but for the last interval) and TEME states, 6 numbers per
 * node (x y z km, vx vy vz km/s).
 */
export interface EphemerisNodes {
  tMs: Float64Array;
  pv: Float64Array;
}

/** Nodes of the local interpolation (Lagrange degree 7). */
const LAGRANGE_POINTS = 8;
/** Step of the J2 continuation beyond the nodes, s (RK4: ~1e-7 km per step in LEO). */
const CONTINUATION_STEP_S = 10;

/**
 * An operator ephemeris as a screening object (README "Ephemeris primaries").
 *
 * - States: the screening calls `stateAt` synchronously and often (filters, Brent refinement),
 *   so the ephemeris is fetched once, up front, through the `ephemeris` service on a fine grid
 *   (service.ts: `ephemerisPrimaries.stepS`, 60 s by default) already converted to TEME by that
 *   module (its interpolation, its segment rules, its frame chain with EOP), and interpolated
 *   here between those nodes by barycentric Lagrange of degree 7 (Berrut & Trefethen 2004,
 *   SIAM Review 46(3), eq. 4.2) — position and velocity each from 8 nodes centred on the
 *   instant. At 60 s that adds ~1e-5 m (ephemeris README: 3.7e-6 m interior on two-body
 *   motion); what it adds on the real data is measured at the grid's midpoints
 *   (`checkMidpoints`) and enters the pad.
 * - Radius range: from the nodes, widened by the largest departure of |r| from its chord
 *   between two nodes, (v²/r + |a|)·h²/8 (|d²|r|/dt²| ≤ v²/r + |a|; Burden & Faires Thm 3.3).
 * - Interpolation pad (`hermitePadKm`): the filters sample this object every `stepS` and
 *   interpolate with the quintic Hermite of positions, velocities and two-body + J2
 *   accelerations (screen.ts). For an ephemeris that error is MEASURED on the data, interval by
 *   interval on the screening's own sample grid (the blocks of screenPart), at 7 interior
 *   points; the pad is twice the largest error found (the error curve is smooth between those
 *   points, ~u³(1−u)³), at least the analytic bound used for SGP4 objects, plus twice the
 *   re-sampling error, plus 10 m. A manoeuvre inside the ephemeris (a velocity jump the
 *   quintic cannot follow) shows up as a larger pad, never as a miss.
 * - Beyond the nodes: the filters' last sample may fall up to one step after the window's end
 *   (screenPart samples whole steps). There, and only there (at most `continuationS` beyond
 *   either end), the state is the last node continued by two-body + J2 (RK4): a smooth
 *   continuation, so the last interval's interpolant stays accurate inside the window. The
 *   refinement never goes there (it stays in the window, which the service clips to the
 *   ephemeris).
 */
export class EphemerisSource implements TrajectorySource {
  readonly id: string;
  readonly objectId: string;
  readonly noradId?: number;
  readonly name?: string;
  readonly regime: Regime;
  /** Set by the service once the re-sampling has been measured. */
  source: string;
  /** First and last node, UTC ms. */
  readonly startMs: number;
  readonly stopMs: number;
  /** Largest position difference found by `checkMidpoints`, km, and where (UTC ms). */
  resampleErrorKm = 0;
  resampleErrorAtMs = NaN;
  private readonly tMs: Float64Array;
  private readonly pv: Float64Array;
  private readonly uniformStepMs: number;
  private readonly rangeKm: [number, number];
  private readonly perigeeKm: number;
  private readonly eccentricity: number;
  private readonly pads = new Map<number, number>();

  constructor(
    info: { id: string; objectId: string; noradId?: number; name?: string; source: string },
    nodes: EphemerisNodes,
    private readonly grid: { blockHours: number; continuationS: number },
  ) {
    const n = nodes.tMs.length;
    if (n < 2 || nodes.pv.length !== 6 * n) throw new RangeError(`ephemeris ${info.id}: need at least 2 nodes with 6 numbers each (got ${n} nodes, ${nodes.pv.length} numbers)`);
    for (let i = 1; i < n; i++) if (!(nodes.tMs[i] > nodes.tMs[i - 1])) throw new RangeError(`ephemeris ${info.id}: node times must increase (node ${i} at ${msToIso(nodes.tMs[i])})`);
    for (let i = 0; i < nodes.pv.length; i++) if (!Number.isFinite(nodes.pv[i])) throw new RangeError(`ephemeris ${info.id}: non-finite state at node ${Math.floor(i / 6)} (${msToIso(nodes.tMs[Math.floor(i / 6)])})`);
    this.id = info.id;
    this.objectId = info.objectId;
    if (info.noradId !== undefined) this.noradId = info.noradId;
    if (info.name) this.name = info.name;
    this.source = info.source;
    this.tMs = nodes.tMs;
    this.pv = nodes.pv;
    this.startMs = nodes.tMs[0];
    this.stopMs = nodes.tMs[n - 1];
    this.uniformStepMs = nodes.tMs[1] - nodes.tMs[0];
    let rMin = Infinity, rMax = 0, vMax = 0, hMaxS = 0;
    let hx = 0, hy = 0, hz = 0;
    for (let i = 0; i < n; i++) {
      const o = 6 * i;
      const x = this.pv[o], y = this.pv[o + 1], z = this.pv[o + 2];
      const r = Math.hypot(x, y, z);
      rMin = Math.min(rMin, r);
      rMax = Math.max(rMax, r);
      vMax = Math.max(vMax, Math.hypot(this.pv[o + 3], this.pv[o + 4], this.pv[o + 5]));
      if (i > 0) hMaxS = Math.max(hMaxS, (this.tMs[i] - this.tMs[i - 1]) / 1000);
      if (i === 0) {
        hx = y * this.pv[o + 5] - z * this.pv[o + 4];
        hy = z * this.pv[o + 3] - x * this.pv[o + 5];
        hz = x * this.pv[o + 4] - y * this.pv[o + 3];
      }
    }
    // |a| ≤ 1.01·μ/r² with J2 (J2 adds ≤ 0.2 % in LEO).
    const sagKm = ((vMax * vMax) / rMin + (1.01 * MU_EARTH_KM3_S2) / (rMin * rMin)) * hMaxS * hMaxS / 8;
    this.rangeKm = [rMin - sagKm, rMax + sagKm];
    this.perigeeKm = rMin;
    this.eccentricity = (rMax - rMin) / (rMax + rMin);
    const incDeg = (Math.acos(Math.max(-1, Math.min(1, hz / Math.hypot(hx, hy, hz)))) * 180) / Math.PI;
    this.regime = regimeOf(rMin - WGS84_A_KM, rMax - WGS84_A_KM, incDeg);
  }

  radiusRangeKm(): [number, number] {
    return [this.rangeKm[0], this.rangeKm[1]];
  }

  /**
   * Compares the local interpolation with states the ephemeris module gave at other instants
   * (the grid's midpoints): keeps the largest position difference (km) and where it is.
   */
  checkMidpoints(tMs: Float64Array, pv: Float64Array): void {
    const s = new Float64Array(6);
    for (let i = 0; i < tMs.length; i++) {
      const err = this.stateAt(tMs[i], s);
      if (err !== null) throw new RangeError(`ephemeris ${this.id}: midpoint ${msToIso(tMs[i])}: ${err}`);
      const d = Math.hypot(s[0] - pv[6 * i], s[1] - pv[6 * i + 1], s[2] - pv[6 * i + 2]);
      if (d > this.resampleErrorKm) {
        this.resampleErrorKm = d;
        this.resampleErrorAtMs = tMs[i];
      }
    }
  }

  hermitePadKm(stepS: number): number {
    const cached = this.pads.get(stepS);
    if (cached !== undefined) return cached;
    const H = stepS;
    const stepMs = stepS * 1000;
    const blockMs = this.grid.blockHours * 3_600_000;
    const a = new Float64Array(6), b = new Float64Array(6), s = new Float64Array(6);
    const pos = new Float64Array(6), acc = new Float64Array(6);
    let worstKm = 0;
    // The intervals screenPart builds: blocks of blockHours from the window start, whole steps in each.
    for (let b0 = this.startMs; b0 < this.stopMs; b0 += blockMs) {
      const b1 = Math.min(this.stopMs, b0 + blockMs);
      const n = Math.ceil((b1 - b0) / stepMs - 1e-9) + 1;
      for (let k = 0; k + 1 < n; k++) {
        const t0 = b0 + k * stepMs;
        if (this.stateAt(t0, a) !== null || this.stateAt(t0 + stepMs, b) !== null) continue;
        pos.set(a.subarray(0, 3), 0);
        pos.set(b.subarray(0, 3), 3);
        j2Acceleration(pos, acc, 2);
        for (let q = 1; q < 8; q++) {
          const u = q / 8;
          // Quintic Hermite basis (screen.ts pieceCoefficients; Burden & Faires §3.4).
          const u3 = u * u * u, u4 = u3 * u, u5 = u4 * u;
          const h0 = 1 - 10 * u3 + 15 * u4 - 6 * u5, h1 = H * (u - 6 * u3 + 8 * u4 - 3 * u5), h2 = H * H * 0.5 * (u * u - 3 * u3 + 3 * u4 - u5);
          const h3 = 10 * u3 - 15 * u4 + 6 * u5, h4 = H * (-4 * u3 + 7 * u4 - 3 * u5), h5 = H * H * 0.5 * (u3 - 2 * u4 + u5);
          if (this.stateAt(t0 + u * stepMs, s) !== null) continue;
          let d2 = 0;
          for (let ax = 0; ax < 3; ax++) {
            const p = h0 * a[ax] + h1 * a[3 + ax] + h2 * acc[ax] + h3 * b[ax] + h4 * b[3 + ax] + h5 * acc[3 + ax];
            d2 += (p - s[ax]) ** 2;
          }
          worstKm = Math.max(worstKm, Math.sqrt(d2));
        }
      }
    }
    // The analytic bound of Sgp4Source (without its WASM floor) as a lower limit.
    const w = Math.sqrt((MU_EARTH_KM3_S2 * (1 + this.eccentricity)) / this.perigeeKm ** 3);
    const analyticKm = 3 * (1 + this.eccentricity) ** 3 * ((H ** 6) / 46080) * w ** 6 * this.perigeeKm;
    const pad = Math.max(2 * worstKm, analyticKm) + 2 * this.resampleErrorKm + 0.01;
    this.pads.set(stepS, pad);
    return pad;
  }

  stateAt(ms: number, out: Float64Array): string | null {
    const t = this.tMs;
    const n = t.length;
    if (ms >= this.startMs && ms <= this.stopMs) {
      this.interpolate(ms, out);
      return null;
    }
    const ext = this.grid.continuationS * 1000;
    if (ms < this.startMs - ext || ms > this.stopMs + ext) {
      return `${msToIso(ms)} is outside ephemeris ${this.id} (${msToIso(this.startMs)} → ${msToIso(this.stopMs)})`;
    }
    const i = ms < this.startMs ? 0 : n - 1;
    continueJ2(this.pv.subarray(6 * i, 6 * i + 6), (ms - t[i]) / 1000, out);
    return null;
  }

  /** Barycentric Lagrange through the LAGRANGE_POINTS nodes centred on `ms` (inside the nodes). */
  private interpolate(ms: number, out: Float64Array): void {
    const t = this.tMs;
    const n = t.length;
    let k = Math.floor((ms - this.startMs) / this.uniformStepMs);
    k = Math.max(0, Math.min(n - 2, k));
    while (k > 0 && t[k] > ms) k--;
    while (k < n - 2 && t[k + 1] < ms) k++;
    const m = Math.min(LAGRANGE_POINTS, n);
    const first = Math.max(0, Math.min(n - m, k - m / 2 + 1));
    for (let j = first; j < first + m; j++) {
      if (t[j] === ms) {
        for (let c = 0; c < 6; c++) out[c] = this.pv[6 * j + c];
        return;
      }
    }
    // Abscissae scaled by the step keep the weights near unity.
    const h = this.uniformStepMs;
    const x = (ms - t[first]) / h;
    let den = 0;
    const acc = [0, 0, 0, 0, 0, 0];
    for (let j = first; j < first + m; j++) {
      const xj = (t[j] - t[first]) / h;
      let p = x - xj;
      for (let l = first; l < first + m; l++) if (l !== j) p *= xj - (t[l] - t[first]) / h;
      const c = 1 / p;
      den += c;
      for (let q = 0; q < 6; q++) acc[q] += c * this.pv[6 * j + q];
    }
    for (let q = 0; q < 6; q++) out[q] = acc[q] / den;
  }
}

/**
 * State `dtS` seconds from `start` (TEME km, km/s) under two-body + J2 (WGS-72, the filters'
 * model), classical RK4 with steps ≤ CONTINUATION_STEP_S.
 */
function continueJ2(start: Float64Array, dtS: number, out: Float64Array): void {
  const steps = Math.max(1, Math.ceil(Math.abs(dtS) / CONTINUATION_STEP_S));
  const h = dtS / steps;
  const y = Float64Array.from(start);
  const k = [new Float64Array(6), new Float64Array(6), new Float64Array(6), new Float64Array(6)];
  const tmp = new Float64Array(6);
  const pos = new Float64Array(3), acc = new Float64Array(3);
  const deriv = (s: Float64Array, d: Float64Array) => {
    pos[0] = s[0];
    pos[1] = s[1];
    pos[2] = s[2];
    j2Acceleration(pos, acc, 1);
    d[0] = s[3];
    d[1] = s[4];
    d[2] = s[5];
    d[3] = acc[0];
    d[4] = acc[1];
    d[5] = acc[2];
  };
  for (let i = 0; i < steps; i++) {
    deriv(y, k[0]);
    for (let c = 0; c < 6; c++) tmp[c] = y[c] + 0.5 * h * k[0][c];
    deriv(tmp, k[1]);
    for (let c = 0; c < 6; c++) tmp[c] = y[c] + 0.5 * h * k[1][c];
    deriv(tmp, k[2]);
    for (let c = 0; c < 6; c++) tmp[c] = y[c] + h * k[2][c];
    deriv(tmp, k[3]);
    for (let c = 0; c < 6; c++) y[c] += (h / 6) * (k[0][c] + 2 * k[1][c] + 2 * k[2][c] + k[3][c]);
  }
  out.set(y);
}
