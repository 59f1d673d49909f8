/**
 * Earth orientation parameters (EOP): a daily table and its interpolation. Pure: build a table
 * from rows, or from file TEXT with the parsers in `eop-parsers.ts`.
 *
 * Quantities (IERS conventions): pole coordinates x_p, y_p (arcsec), UT1 − UTC (s), excess
 * length of day LOD (s), celestial pole offsets dX, dY w.r.t. IAU 2006/2000A (arcsec) and/or
 * dψ, dε w.r.t. IAU 1980 nutation (arcsec).
 *
 * Interpolation at a UTC MJD: 4-point Lagrange (cubic) of each quantity over the two nodes on
 * each side, as recommended for daily IERS series (IERS Conventions 2010, §5.5.1 and the IERS
 * `interp.f` routine, which uses 4-point Lagrange); near the ends of the table the 4-point
 * stencil is shifted inwards, and 2-point (linear) is used if the table has 2 or 3 rows.
 * Tables of non-daily rows are accepted (the Lagrange weights use the actual node dates).
 * The interpolant passes exactly through the tabulated values at the nodes.
 *
 * Leap seconds: UT1 − UTC jumps by +1 s at each leap second while UT1 itself is smooth, so
 * UT1 − UTC is never interpolated directly. At each node UT1 − TAI = (UT1 − UTC) − (TAI − UTC)
 * is formed with the leap-second table, UT1 − TAI is interpolated, and TAI − UTC at the query
 * date is added back (IERS Conventions 2010 §5.5.1 / IERS Rapid Service notes: "remove the leap
 * seconds before interpolating UT1 − UTC"). The same is done for pre-1972 drift terms.
 *
 * Outside the table (documented fallback, flagged `outOfRange: true` so callers can warn):
 * every quantity holds the value of the nearest end row; UT1 − UTC (not UT1 − TAI) is held,
 * because UTC is steered to stay within 0.9 s of UT1 whatever leap seconds intervene.
 *
 * `predicted` is true when either node bracketing the date (or the node itself, at a node) is a
 * prediction for polar motion or UT1 (nutation flags are ignored: old rows flag model values).
 */
import { LeapSecondTable, Ut1Provider } from './time';

/** Thrown for invalid EOP input: unparsable lines, non-increasing dates, implausible values. */
export class EopError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EopError';
  }
}

export interface EopValues {
  ut1MinusUtcS: number;
  lodS: number;
  xpArcsec: number;
  ypArcsec: number;
  dPsiArcsec?: number;
  dEpsArcsec?: number;
  dXArcsec?: number;
  dYArcsec?: number;
}

/**
 * The EOP values of a record that travelled over the bus (an `EopRecord` of the eop module,
 * with provenance fields and optional nutation corrections): only the fields the frames use,
 * optional ones kept only when present. Both celestial-pole pairs (dψ/dε and dX/dY) are kept:
 * dropping dX/dY when a table gives only them moves an ITRF state by decimetres.
 */
export function eopValuesOf(r: EopValues): EopValues {
  const v: EopValues = { ut1MinusUtcS: r.ut1MinusUtcS, lodS: r.lodS, xpArcsec: r.xpArcsec, ypArcsec: r.ypArcsec };
  if (r.dPsiArcsec !== undefined) v.dPsiArcsec = r.dPsiArcsec;
  if (r.dEpsArcsec !== undefined) v.dEpsArcsec = r.dEpsArcsec;
  if (r.dXArcsec !== undefined) v.dXArcsec = r.dXArcsec;
  if (r.dYArcsec !== undefined) v.dYArcsec = r.dYArcsec;
  return v;
}

/** One tabulated day (values at 0h UTC of `mjd`). */
export interface EopRow extends EopValues {
  mjd: number;
  predicted: boolean;
  /** Set when LOD was missing in the source and derived as −d(UT1 − TAI)/dt. */
  lodDerived?: true;
}

/** A row as read from a file: LOD may be missing (e.g. finals2000A predictions). */
export type EopRowInput = Omit<EopRow, 'lodS' | 'lodDerived'> & { lodS?: number };

export type EopAt = EopValues & { predicted: boolean; outOfRange: boolean };

export interface EopTableOptions {
  /** Leap seconds used to remove/restore the UT1 − UTC jumps (default: the bundled table). */
  leapSeconds?: LeapSecondTable;
  /** Names the data in errors and reports (file name). */
  source?: string;
}

const OPTIONAL_KEYS = ['dPsiArcsec', 'dEpsArcsec', 'dXArcsec', 'dYArcsec'] as const;
type OptionalKey = (typeof OPTIONAL_KEYS)[number];

export class EopTable implements Ut1Provider {
  readonly rows: readonly Readonly<EopRow>[];
  readonly source: string;
  readonly leapSeconds: LeapSecondTable;
  /** Rows whose LOD was missing in the source and was derived as −d(UT1 − TAI)/dt (central difference). */
  readonly derivedLodCount: number;
  /** UT1 − TAI at each node, s. */
  private readonly ut1MinusTai: Float64Array;
  private readonly mjds: Float64Array;
  private readonly uniformStart: number;
  private readonly uniformStep: number;

  constructor(rows: readonly EopRowInput[], opts: EopTableOptions = {}) {
    this.source = opts.source ?? 'EOP table';
    this.leapSeconds = opts.leapSeconds ?? LeapSecondTable.DEFAULT;
    if (rows.length === 0) throw new EopError(`${this.source}: no EOP rows`);
    const n = rows.length;
    this.mjds = new Float64Array(n);
    this.ut1MinusTai = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const r = rows[i];
      for (const k of ['mjd', 'xpArcsec', 'ypArcsec', 'ut1MinusUtcS'] as const) {
        if (!Number.isFinite(r[k])) throw new EopError(`${this.source}: row ${i + 1} (MJD ${r.mjd}) has a non-finite ${k} (${r[k]})`);
      }
      if (i > 0 && !(r.mjd > rows[i - 1].mjd)) throw new EopError(`${this.source}: row ${i + 1} MJD ${r.mjd} is not after the previous row's MJD ${rows[i - 1].mjd}`);
      this.mjds[i] = r.mjd;
      this.ut1MinusTai[i] = r.ut1MinusUtcS - this.leapSeconds.taiMinusUtcS(r.mjd);
    }
    let derived = 0;
    const out: EopRow[] = rows.map((r, i) => {
      let lodS = r.lodS;
      if (lodS === undefined || !Number.isFinite(lodS)) {
        // LOD − 86400 s = −d(UT1 − TAI)/dt per day (IERS Conventions 2010, ch. 5: LOD is the
        // excess of the day over 86400 SI s); central difference where possible.
        const a = Math.max(0, i - 1);
        const b = Math.min(n - 1, i + 1);
        lodS = a === b ? 0 : -(this.ut1MinusTai[b] - this.ut1MinusTai[a]) / (this.mjds[b] - this.mjds[a]);
        derived++;
      }
      const row: EopRow = { mjd: r.mjd, predicted: r.predicted, ut1MinusUtcS: r.ut1MinusUtcS, lodS, xpArcsec: r.xpArcsec, ypArcsec: r.ypArcsec };
      if (lodS !== r.lodS) row.lodDerived = true;
      for (const k of OPTIONAL_KEYS) if (r[k] !== undefined && Number.isFinite(r[k])) row[k] = r[k];
      return Object.freeze(row);
    });
    this.rows = Object.freeze(out);
    this.derivedLodCount = derived;
    // most series are daily: a direct index makes lookups O(1); else binary search
    const step = n > 1 ? this.mjds[1] - this.mjds[0] : 1;
    let uniform = n > 1;
    for (let i = 1; i < n && uniform; i++) if (Math.abs(this.mjds[i] - this.mjds[0] - i * step) > 1e-9) uniform = false;
    this.uniformStart = uniform ? this.mjds[0] : NaN;
    this.uniformStep = uniform ? step : NaN;
  }

  get firstMjd(): number {
    return this.mjds[0];
  }

  get lastMjd(): number {
    return this.mjds[this.mjds.length - 1];
  }

  /** First MJD flagged as a prediction, or undefined. */
  get firstPredictedMjd(): number | undefined {
    return this.rows.find((r) => r.predicted)?.mjd;
  }

  /** Interpolated EOP at a UTC modified Julian date. */
  at(mjdUtc: number): EopAt {
    const st = this.stencil(mjdUtc);
    if (!st) {
      const r = this.nearestEnd(mjdUtc);
      const held: EopAt = { ut1MinusUtcS: r.ut1MinusUtcS, lodS: r.lodS, xpArcsec: r.xpArcsec, ypArcsec: r.ypArcsec, predicted: r.predicted, outOfRange: mjdUtc !== r.mjd };
      for (const k of OPTIONAL_KEYS) if (r[k] !== undefined) held[k] = r[k];
      return held;
    }
    const { s, w, predicted } = st;
    const m = w.length;
    const mix = (get: (r: Readonly<EopRow>) => number): number => {
      let v = 0;
      for (let k = 0; k < m; k++) v += w[k] * get(this.rows[s + k]);
      return v;
    };
    const out: EopAt = {
      ut1MinusUtcS: this.ut1At(s, w, mjdUtc),
      lodS: mix((r) => r.lodS),
      xpArcsec: mix((r) => r.xpArcsec),
      ypArcsec: mix((r) => r.ypArcsec),
      predicted,
      outOfRange: false,
    };
    for (const k of OPTIONAL_KEYS) {
      let all = true;
      for (let j = s; j < s + m && all; j++) all = this.rows[j][k] !== undefined;
      if (all) out[k] = mix((r) => r[k as OptionalKey] as number);
    }
    return out;
  }

  /** UT1 − UTC (s) at a UTC MJD (Ut1Provider); same interpolation and fallback as `at`. */
  ut1MinusUtcS(mjdUtc: number): number {
    const st = this.stencil(mjdUtc);
    return st ? this.ut1At(st.s, st.w, mjdUtc) : this.nearestEnd(mjdUtc).ut1MinusUtcS;
  }

  /** True when `mjdUtc` lies within the table (no fallback needed). */
  covers(mjdUtc: number): boolean {
    return mjdUtc >= this.firstMjd && mjdUtc <= this.lastMjd;
  }

  /** UT1 − TAI interpolated, then TAI − UTC of the query date restored. */
  private ut1At(s: number, w: number[], mjdUtc: number): number {
    let u = 0;
    for (let k = 0; k < w.length; k++) u += w[k] * this.ut1MinusTai[s + k];
    return u + this.leapSeconds.taiMinusUtcS(mjdUtc);
  }

  private nearestEnd(mjdUtc: number): Readonly<EopRow> {
    return this.rows[mjdUtc < this.mjds[0] ? 0 : this.rows.length - 1];
  }

  /** Interpolation stencil (first index, Lagrange weights, predicted flag), or undefined outside the table. */
  private stencil(mjdUtc: number): { s: number; w: number[]; predicted: boolean } | undefined {
    if (!Number.isFinite(mjdUtc)) throw new EopError(`${this.source}: EOP requested at non-finite MJD ${mjdUtc}`);
    const n = this.rows.length;
    if (n === 1 || mjdUtc < this.mjds[0] || mjdUtc > this.mjds[n - 1]) return undefined;
    const i = this.bracket(mjdUtc); // mjds[i] ≤ mjd < mjds[i+1] (or i = n−2 at the last node)
    const atNode = mjdUtc === this.mjds[i] ? i : mjdUtc === this.mjds[i + 1] ? i + 1 : -1;
    const predicted = atNode >= 0 ? this.rows[atNode].predicted : this.rows[i].predicted || this.rows[i + 1].predicted;
    // 4 nodes i−1 … i+2, shifted inwards at the ends; 2 (linear) for tables of 2–3 rows
    const m = n >= 4 ? 4 : 2;
    const s = Math.max(0, Math.min(m === 4 ? i - 1 : i, n - m));
    return { s, w: this.lagrangeWeights(mjdUtc, s, m), predicted };
  }

  /** Index i with mjds[i] ≤ x < mjds[i+1], for mjds[0] ≤ x ≤ last (i ≤ n − 2). */
  private bracket(x: number): number {
    const n = this.mjds.length;
    let i: number;
    if (Number.isFinite(this.uniformStart)) i = Math.floor((x - this.uniformStart) / this.uniformStep);
    else {
      let lo = 0;
      let hi = n - 1;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (this.mjds[mid] <= x) lo = mid;
        else hi = mid;
      }
      i = lo;
    }
    return Math.max(0, Math.min(i, n - 2));
  }

  /** Lagrange basis weights of nodes s … s+m−1 at x. */
  private lagrangeWeights(x: number, s: number, m: number): number[] {
    const w: number[] = [];
    for (let k = 0; k < m; k++) {
      let p = 1;
      const xk = this.mjds[s + k];
      for (let j = 0; j < m; j++) if (j !== k) p *= (x - this.mjds[s + j]) / (xk - this.mjds[s + j]);
      w.push(p);
    }
    return w;
  }
}
