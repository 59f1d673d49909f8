/**
 * Time-dependent environment of a propagation, precomputed on grids so the force model costs
 * little per evaluation: the GCRF → ITRF rotation (from sdk/astro/frames, with EOP) and the
 * Sun and Moon positions (sdk/astro/bodies).
 *
 * Time argument: `t` = SI seconds since the propagation's initial epoch (a TT/TAI-uniform
 * count). Sun and Moon are evaluated at TT used for TDB (|TDB − TT| < 2 ms, i.e. < 2 m of lunar
 * motion, as allowed by bodies.ts).
 */
import { frameSetAtTimes, type FrameEopValues } from '../../sdk/astro/frames';
import { moonPositionGcrfKm, sunPositionGcrfKm } from '../../sdk/astro/bodies';
import type { Epoch } from '../../sdk/astro/time';

/** GCRF → Earth-fixed rotation at t, row-major into out[0..8] (r_itrf = R r_gcrf). */
export interface EarthRotation {
  rotation(t: number, out: Float64Array): void;
  /** Earth rotation rate (rad/s), for the co-rotating atmosphere. */
  readonly rateRadS: number;
}

/** A uniform rotation about the GCRF z axis, R = R3(θ0 + ω t): for tests of conserved quantities (Jacobi integral). */
export class UniformEarthRotation implements EarthRotation {
  constructor(
    readonly rateRadS: number,
    private readonly theta0Rad = 0,
  ) {}
  rotation(t: number, out: Float64Array): void {
    const th = this.theta0Rad + this.rateRadS * t;
    const c = Math.cos(th);
    const s = Math.sin(th);
    out[0] = c; out[1] = s; out[2] = 0;
    out[3] = -s; out[4] = c; out[5] = 0;
    out[6] = 0; out[7] = 0; out[8] = 1;
  }
}

/**
 * The IAU-76/FK5 GCRF → ITRF rotation R = Wᵀ · R3(GAST) · N · P (sdk/astro/frames) computed
 * exactly at nodes every `stepS` seconds and interpolated linearly in between: the N·P and
 * polar-motion matrices entry by entry, GAST as an angle. Over 600 s the precession–nutation
 * matrix moves by < 1e-3″ and its curvature (shortest nutation period 4.7 days) makes the
 * linear interpolation error < 1e-8″; GAST is linear to < 1e-9 rad over a node interval. The
 * matrix stays orthonormal to ~1e-12 — far below every force-model error.
 */
export class InterpolatedEarthRotation implements EarthRotation {
  readonly rateRadS: number;
  private readonly t0: number;
  private readonly np: Float64Array;
  private readonly wt: Float64Array;
  private readonly gast: Float64Array;
  private readonly count: number;
  private readonly m = new Float64Array(9);

  /**
   * @param epoch0 initial epoch (t = 0)
   * @param tMin, tMax range of t to cover (s)
   * @param eopAt EOP values at a UTC MJD
   */
  constructor(epoch0: Epoch, tMin: number, tMax: number, eopAt: (mjdUtc: number) => FrameEopValues, private readonly stepS = 600) {
    this.t0 = Math.floor(tMin / stepS) * stepS;
    this.count = Math.max(2, Math.ceil((tMax - this.t0) / stepS) + 2);
    this.np = new Float64Array(9 * this.count);
    this.wt = new Float64Array(9 * this.count);
    this.gast = new Float64Array(this.count);
    let rate = 0;
    for (let k = 0; k < this.count; k++) {
      const e = epoch0.plusSeconds(this.t0 + k * stepS);
      const jdUtc = e.jd('UTC');
      const set = frameSetAtTimes({ jdTt: e.jd('TT'), jdUtc }, eopAt(jdUtc[0] - 2400000.5 + jdUtc[1]));
      const tod = set.orientation.TOD.rotation;
      const itrf = set.orientation.ITRF.rotation;
      const pef = set.orientation.PEF.rotation;
      // W^T = R_ITRF · R_PEFᵀ
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++) {
          this.np[9 * k + 3 * i + j] = tod[i][j];
          this.wt[9 * k + 3 * i + j] = itrf[i][0] * pef[j][0] + itrf[i][1] * pef[j][1] + itrf[i][2] * pef[j][2];
        }
      let g = set.gastRad;
      if (k > 0) {
        const prev = this.gast[k - 1];
        while (g < prev) g += 2 * Math.PI; // unwrap: GAST grows by ~0.044 rad per 600 s, never by 2π
        while (g - prev > 2 * Math.PI) g -= 2 * Math.PI;
      }
      this.gast[k] = g;
      rate = set.earthRateRadS;
    }
    this.rateRadS = rate;
  }

  rotation(t: number, out: Float64Array): void {
    let k = Math.floor((t - this.t0) / this.stepS);
    if (k < 0) k = 0;
    if (k > this.count - 2) k = this.count - 2;
    const f = (t - this.t0 - k * this.stepS) / this.stepS;
    const g = this.gast[k] + f * (this.gast[k + 1] - this.gast[k]);
    const c = Math.cos(g);
    const s = Math.sin(g);
    const a = 9 * k;
    const b = a + 9;
    const np = this.np;
    const wt = this.wt;
    // M = R3(g) · NP
    const m0 = this.m;
    for (let j = 0; j < 3; j++) {
      const n0 = np[a + j] + f * (np[b + j] - np[a + j]);
      const n1 = np[a + 3 + j] + f * (np[b + 3 + j] - np[a + 3 + j]);
      const n2 = np[a + 6 + j] + f * (np[b + 6 + j] - np[a + 6 + j]);
      m0[j] = c * n0 + s * n1;
      m0[3 + j] = -s * n0 + c * n1;
      m0[6 + j] = n2;
    }
    for (let i = 0; i < 3; i++) {
      const w0 = wt[a + 3 * i] + f * (wt[b + 3 * i] - wt[a + 3 * i]);
      const w1 = wt[a + 3 * i + 1] + f * (wt[b + 3 * i + 1] - wt[a + 3 * i + 1]);
      const w2 = wt[a + 3 * i + 2] + f * (wt[b + 3 * i + 2] - wt[a + 3 * i + 2]);
      for (let j = 0; j < 3; j++) out[3 * i + j] = w0 * m0[j] + w1 * m0[3 + j] + w2 * m0[6 + j];
    }
  }
}

/**
 * Sun and Moon positions (GCRF, km) on a grid of `stepS` seconds, computed lazily from the
 * analytic series of sdk/astro/bodies.ts and interpolated with 4-point (cubic) Lagrange
 * polynomials. With stepS = 1800 s the interpolation error is ~ r (ωh)⁴/24 ≈ 1 cm for the Moon
 * (ω = 2.7e-6 rad/s), ≪ the 11 km accuracy of the series itself.
 */
export class BodyEphemeris {
  private readonly cache = new Map<number, Float64Array>();
  private readonly jdTt0: [number, number];

  constructor(epoch0: Epoch, private readonly stepS = 1800) {
    this.jdTt0 = epoch0.jd('TT');
  }

  private node(k: number): Float64Array {
    let v = this.cache.get(k);
    if (!v) {
      const jd = this.jdTt0[0] + (this.jdTt0[1] + (k * this.stepS) / 86400);
      const s = sunPositionGcrfKm(jd);
      const m = moonPositionGcrfKm(jd);
      v = Float64Array.of(s[0], s[1], s[2], m[0], m[1], m[2]);
      this.cache.set(k, v);
    }
    return v;
  }

  /** Sun (out[0..2]) and Moon (out[3..5]) at t. */
  at(t: number, out: Float64Array): void {
    const x = t / this.stepS;
    const k = Math.floor(x);
    const u = x - k; // in [0, 1): nodes k−1, k, k+1, k+2 at u = −1, 0, 1, 2
    const l0 = (-u * (u - 1) * (u - 2)) / 6;
    const l1 = ((u + 1) * (u - 1) * (u - 2)) / 2;
    const l2 = (-(u + 1) * u * (u - 2)) / 2;
    const l3 = ((u + 1) * u * (u - 1)) / 6;
    const a = this.node(k - 1);
    const b = this.node(k);
    const c = this.node(k + 1);
    const d = this.node(k + 2);
    for (let i = 0; i < 6; i++) out[i] = l0 * a[i] + l1 * b[i] + l2 * c[i] + l3 * d[i];
  }
}
