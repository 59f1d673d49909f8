import type { TrajectorySource } from './objects';
import { refineTca, type PairStates } from './refine';
import { boundingRadiusKm, insideVolume, relativeGeometry, type RelativeGeometry, type Volume } from './volume';

/**
 * The screening core: pure and deterministic (same inputs → same events, same order), so a
 * catalog-wide job can be split into parts — secondary chunks or time sub-windows — run in
 * other processes and merged (`mergeEvents`) into exactly the events a single run gives.
 *
 * Pipeline for one part, window split into blocks (memory stays bounded on long windows):
 *  1. apogee/perigee filter (Hoots, Crawford & Roehrich 1984, "An analytic method to determine
 *     future close approaches between satellites", Celest. Mech. 33, filter 1): a secondary
 *     whose radius range, padded, does not overlap the primary's is never propagated;
 *  2. each object is sampled with its propagator every `stepS` (TEME, km, km/s);
 *  3. between two samples the motion is the cubic Hermite interpolant of positions and
 *     velocities, whose error is bounded (`hermitePadKm`). Written as a Bézier curve, the
 *     cubic lies in the convex hull of its four control points (Farin, "Curves and Surfaces
 *     for CAGD", §4.3): the relative curve's control points give a box; if the origin is
 *     farther from that box than the screening radius plus both pads, no approach is possible
 *     in that interval. Few primaries: every primary–secondary pair is tested this way per
 *     interval. Many primaries (all-vs-all): every object's sub-interval box (`gridStepS`),
 *     grown by half the radius and its pad, goes into a uniform spatial hash grid; only
 *     objects whose boxes overlap are tested (each pair once, in the cell holding the corner
 *     of the boxes' intersection);
 *  4. on a pair's surviving interval the minima of the interpolated range are located, and
 *     those within the padded radius are refined on the propagator itself: root of ρ·ρ̇
 *     (refine.ts) to `tcaToleranceS`;
 *  5. the event is kept if the relative position at TCA lies in the primary's volume.
 * All the pads are conservative, so a miss can only come from a pad that is too small; the
 * tests compare with a brute-force search on real catalog data.
 */
export interface ScreenOptions {
  /** Propagator sample step of the filters, s. */
  stepS: number;
  /** Sub-step of the spatial grid (all-vs-all), s; a divisor of `stepS` is best. */
  gridStepS: number;
  /** Window blocks, hours: bounds memory (objects × samples per block). */
  blockHours: number;
  /** Width of the final TCA bracket, s. */
  tcaToleranceS: number;
  /** From this many primaries on, pairs are found with the spatial grid instead of one by one. */
  gridMinPrimaries: number;
  /** Screening volume of a primary (by orbit regime, request, configuration). */
  volumeFor(primary: TrajectorySource): Volume;
  /** Checked between intervals; when it returns true the screening stops with an error. */
  shouldStop?: () => boolean;
  /** How the filters' samples are made (default: each object's `stateAt`; sampler.ts has a WASM bulk path for SGP4). */
  sampler?: Sampler;
}

export interface ScreenEvent {
  primary: TrajectorySource;
  secondary: TrajectorySource;
  tcaMs: number;
  geometry: RelativeGeometry;
  states: PairStates;
  volume: Volume;
}

export interface PartStats {
  /** Primary–secondary pairs considered (before any filter). */
  pairs: number;
  /** Pairs left after the apogee/perigee filter (few-primaries mode). */
  pairsAfterRadiusFilter: number;
  /** Objects propagated for the filters. */
  objectsSampled: number;
  /** Propagator calls of the filters (objects × samples). */
  samples: number;
  /** Intervals whose interpolated range came within the padded radius. */
  candidates: number;
  /** TCA refinements run on the propagator. */
  refined: number;
  skipped: { id: string; reason: string }[];
  /** Wall time spent sampling, filtering (intervals, grid) and refining, ms. */
  timeMs: { sampling: number; filtering: number; refining: number };
}

export interface Window {
  startMs: number;
  stopMs: number;
}

export class ScreeningStopped extends Error {
  constructor() {
    super('screening stopped (plugin stopping or request cancelled)');
    this.name = 'ScreeningStopped';
  }
}

/** Orders two ids numerically when both are NORAD numbers, else as text. */
export function compareIds(a: string, b: string): number {
  const na = Number(a), nb = Number(b);
  if (Number.isInteger(na) && Number.isInteger(nb) && /^\d+$/.test(a) && /^\d+$/.test(b)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Deterministic order: TCA, then primary id, then secondary id. */
export function compareEvents(a: { tcaMs: number; primary: { id: string }; secondary: { id: string } }, b: typeof a): number {
  return a.tcaMs - b.tcaMs || compareIds(a.primary.id, b.primary.id) || compareIds(a.secondary.id, b.secondary.id);
}

/**
 * Merges the events of several parts (or blocks): sorted by TCA, primary, secondary; the same
 * approach found twice (a part boundary, a block boundary) is kept once — same pair, TCAs
 * within `sameEventS` (default 1 s: two distinct minima of one pair are a fraction of an orbit
 * apart).
 */
export function mergeEvents<E extends { tcaMs: number; primary: { id: string }; secondary: { id: string } }>(parts: readonly (readonly E[])[], sameEventS = 1): E[] {
  const all = parts.flat().sort(compareEvents);
  const out: E[] = [];
  const lastByPair = new Map<string, E>();
  for (const e of all) {
    const key = `${e.primary.id}|${e.secondary.id}`;
    const prev = lastByPair.get(key);
    if (prev && Math.abs(e.tcaMs - prev.tcaMs) <= sameEventS * 1000) continue;
    lastByPair.set(key, e);
    out.push(e);
  }
  return out;
}

/** Control-point coefficients of an interpolant piece (see `pieceCoefficients`). */
type PieceCoeffs = Float64Array; // 36 numbers: for control point m = 0…5, the weights of (P0, V0, A0, P1, V1, A1)

/**
 * Between two samples (interval length H, u ∈ [0, 1]) the trajectory is the quintic Hermite
 * interpolant of positions, velocities and accelerations at both ends (Burden & Faires,
 * Numerical Analysis, §3.4, osculating polynomials):
 *   P(u) = h0 P0 + h1 H V0 + h2 H² A0 + h3 P1 + h4 H V1 + h5 H² A1, with
 *   h0 = 1 − 10u³ + 15u⁴ − 6u⁵, h1 = u − 6u³ + 8u⁴ − 3u⁵, h2 = (u² − 3u³ + 3u⁴ − u⁵)/2,
 *   h3 = 10u³ − 15u⁴ + 6u⁵,     h4 = −4u³ + 7u⁴ − 3u⁵,     h5 = (u³ − 2u⁴ + u⁵)/2.
 * Its error is h⁶/46080·max|r⁽⁶⁾| (the Hermite remainder with triple nodes at both ends),
 * against h⁴/384·max|r⁗| for the cubic: at 600 s in LEO ~10 m instead of ~3 km, so samples
 * can be 2–3 times sparser. Restricted to [u0, u1] (Δ = u1 − u0) and written as a degree-5
 * Bézier curve, its control points are (Farin, "Curves and Surfaces for CAGD", §4.3, §5.3:
 * B'(0) = 5(b1 − b0), B''(0) = 20(b2 − 2b1 + b0)):
 *   b0 = P(u0), b1 = b0 + Δ P'(u0)/5, b2 = 2 b1 − b0 + Δ² P''(u0)/20, and symmetrically
 *   b5 = P(u1), b4 = b5 − Δ P'(u1)/5, b3 = 2 b4 − b5 + Δ² P''(u1)/20.
 * Each is a fixed linear combination of (P0, V0, A0, P1, V1, A1): the coefficients below.
 */
export function pieceCoefficients(u0: number, u1: number, H: number): PieceCoeffs {
  const h = (u: number) => [1 - 10 * u ** 3 + 15 * u ** 4 - 6 * u ** 5, H * (u - 6 * u ** 3 + 8 * u ** 4 - 3 * u ** 5), H * H * 0.5 * (u ** 2 - 3 * u ** 3 + 3 * u ** 4 - u ** 5), 10 * u ** 3 - 15 * u ** 4 + 6 * u ** 5, H * (-4 * u ** 3 + 7 * u ** 4 - 3 * u ** 5), H * H * 0.5 * (u ** 3 - 2 * u ** 4 + u ** 5)];
  const d1 = (u: number) => [-30 * u ** 2 + 60 * u ** 3 - 30 * u ** 4, H * (1 - 18 * u ** 2 + 32 * u ** 3 - 15 * u ** 4), H * H * 0.5 * (2 * u - 9 * u ** 2 + 12 * u ** 3 - 5 * u ** 4), 30 * u ** 2 - 60 * u ** 3 + 30 * u ** 4, H * (-12 * u ** 2 + 28 * u ** 3 - 15 * u ** 4), H * H * 0.5 * (3 * u ** 2 - 8 * u ** 3 + 5 * u ** 4)];
  const d2 = (u: number) => [-60 * u + 180 * u ** 2 - 120 * u ** 3, H * (-36 * u + 96 * u ** 2 - 60 * u ** 3), H * H * 0.5 * (2 - 18 * u + 36 * u ** 2 - 20 * u ** 3), 60 * u - 180 * u ** 2 + 120 * u ** 3, H * (-24 * u + 84 * u ** 2 - 60 * u ** 3), H * H * 0.5 * (6 * u - 24 * u ** 2 + 20 * u ** 3)];
  const D = u1 - u0;
  const p0 = h(u0), q0 = d1(u0), r0 = d2(u0), p1 = h(u1), q1 = d1(u1), r1 = d2(u1);
  const out = new Float64Array(36);
  for (let i = 0; i < 6; i++) {
    const b0 = p0[i];
    const b1 = b0 + (D * q0[i]) / 5;
    const b2 = 2 * b1 - b0 + (D * D * r0[i]) / 20;
    const b5 = p1[i];
    const b4 = b5 - (D * q1[i]) / 5;
    const b3 = 2 * b4 - b5 + (D * D * r1[i]) / 20;
    out[i] = b0;
    out[6 + i] = b1;
    out[12 + i] = b2;
    out[18 + i] = b3;
    out[24 + i] = b4;
    out[30 + i] = b5;
  }
  return out;
}

/** Largest |h2| (= |h5|) on [0, 1]: the weight of an acceleration error in the interpolant. */
export const QUINTIC_ACCEL_WEIGHT = 0.0173;

/**
 * Acceleration of the interpolant's samples: two-body + J2 with the WGS-72 constants of SGP4
 * (Hoots & Roehrich 1980; Vallado 4th ed. eq. 8-30). What SGP4 adds beyond this (J3, J4,
 * drag, Sun and Moon for SDP4) stays below ~1e-6 km/s² and enters the pads.
 */
const MU72 = 398600.8, RE72 = 6378.135, J2_72 = 0.001082616;
export function j2Acceleration(pos: Float64Array, acc: Float64Array, count: number): void {
  for (let j = 0; j < 3 * count; j += 3) {
    const x = pos[j], y = pos[j + 1], z = pos[j + 2];
    const r2 = x * x + y * y + z * z;
    const r = Math.sqrt(r2);
    const k = -MU72 / (r2 * r);
    const f = 1.5 * J2_72 * (RE72 * RE72) / r2;
    const zz = (5 * z * z) / r2;
    acc[j] = k * x * (1 + f * (1 - zz));
    acc[j + 1] = k * y * (1 + f * (1 - zz));
    acc[j + 2] = k * z * (1 + f * (3 - zz));
  }
}

const ctrlBuf = new Float64Array(18 * 24);
/**
 * Minima of |B(τ)| below `radiusKm`, B the degree-5 Bézier curve with control points c
 * (18 numbers, xyz per point): recursive subdivision at τ = ½ (de Casteljau), dropping any
 * piece whose control-point box is farther than the radius from the origin (convex hull
 * property); a piece smaller than `leafKm`, or at depth 12, is searched by golden section
 * (Press et al., Numerical Recipes 3rd ed. §10.2). Pushes the τ of each such minimum.
 */
function bezierMinima(c: Float64Array, radiusKm: number, leafKm: number, out: number[]): void {
  ctrlBuf.set(c.subarray(0, 18), 0);
  visit(0, 0, 1, 0, radiusKm, leafKm, out);
}

function visit(off: number, t0: number, t1: number, depth: number, R: number, leafKm: number, out: number[]): void {
  const c = ctrlBuf;
  let gap2 = 0, ext = 0;
  for (let ax = 0; ax < 3; ax++) {
    let lo = Infinity, hi = -Infinity;
    for (let m = 0; m < 6; m++) {
      const v = c[off + 3 * m + ax];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const g = lo > 0 ? lo : hi < 0 ? -hi : 0;
    gap2 += g * g;
    if (hi - lo > ext) ext = hi - lo;
  }
  if (gap2 > R * R) return;
  if (ext <= leafKm || depth >= 12) {
    const tau = goldenMin(c, off);
    // the golden search stops within GOLDEN_TOL (in τ) of the minimiser: the range there
    // exceeds the minimum by at most |B'|·GOLDEN_TOL ≤ 5·√3·ext·GOLDEN_TOL (a degree-5 Bézier's
    // derivative is 5 × its control-point differences, Farin §5.3), kept in the comparison
    const r = R + 5 * Math.sqrt(3) * ext * GOLDEN_TOL;
    if (tau.d2 <= r * r) out.push(t0 + tau.t * (t1 - t0));
    return;
  }
  // de Casteljau at ½ (Farin §4.2): left half into off + 18, right half into off + 36; the
  // right half is kept in `saved` (one slot per depth) while the left one is searched.
  const L = off + 18, Rt = off + 36;
  for (let ax = 0; ax < 3; ax++) {
    let p0 = c[off + ax], p1 = c[off + 3 + ax], p2 = c[off + 6 + ax], p3 = c[off + 9 + ax], p4 = c[off + 12 + ax];
    const p5 = c[off + 15 + ax];
    for (let level = 0; level < 6; level++) {
      c[L + 3 * level + ax] = p0;
      const last = level === 0 ? p5 : level === 1 ? p4 : level === 2 ? p3 : level === 3 ? p2 : level === 4 ? p1 : p0;
      c[Rt + 3 * (5 - level) + ax] = last;
      p0 = 0.5 * (p0 + p1);
      p1 = 0.5 * (p1 + p2);
      p2 = 0.5 * (p2 + p3);
      p3 = 0.5 * (p3 + p4);
      p4 = 0.5 * (p4 + p5);
    }
  }
  const tm = 0.5 * (t0 + t1);
  saved.set(c.subarray(Rt, Rt + 18), 18 * depth);
  visit(L, t0, tm, depth + 1, R, leafKm, out);
  c.set(saved.subarray(18 * depth, 18 * depth + 18), off + 18);
  visit(off + 18, tm, t1, depth + 1, R, leafKm, out);
}

const saved = new Float64Array(18 * 16);

/** Grid cell size relative to a LEO object's cube (bench/conjunction-screening.bench.ts). */
const GRID_CELL_FACTOR = Number(process.env.SCOOP_GRID_CELL_FACTOR ?? 1);

function bezierD2(c: Float64Array, off: number, t: number): number {
  const s = 1 - t;
  const w0 = s ** 5, w1 = 5 * s ** 4 * t, w2 = 10 * s ** 3 * t * t, w3 = 10 * s * s * t ** 3, w4 = 5 * s * t ** 4, w5 = t ** 5;
  let d2 = 0;
  for (let ax = 0; ax < 3; ax++) {
    const v = w0 * c[off + ax] + w1 * c[off + 3 + ax] + w2 * c[off + 6 + ax] + w3 * c[off + 9 + ax] + w4 * c[off + 12 + ax] + w5 * c[off + 15 + ax];
    d2 += v * v;
  }
  return d2;
}

/** Golden-section stop on a leaf, fraction of the leaf: the TCA refinement on SGP4 does the rest. */
const GOLDEN_TOL = 1e-3;

function goldenMin(c: Float64Array, off: number): { t: number; d2: number } {
  const g = 0.3819660112501051;
  let a = 0, b = 1;
  let x1 = g, x2 = 1 - g;
  let f1 = bezierD2(c, off, x1), f2 = bezierD2(c, off, x2);
  for (let it = 0; it < 40 && b - a > GOLDEN_TOL; it++) {
    if (f1 < f2) {
      b = x2; x2 = x1; f2 = f1; x1 = a + g * (b - a); f1 = bezierD2(c, off, x1);
    } else {
      a = x1; x1 = x2; f1 = f2; x2 = b - g * (b - a); f2 = bezierD2(c, off, x2);
    }
  }
  const t = 0.5 * (a + b);
  // ends of the piece too: the minimum of a small piece may sit at its boundary
  let best = { t, d2: bezierD2(c, off, t) };
  for (const e of [0, 1]) {
    const d = bezierD2(c, off, e);
    if (d < best.d2) best = { t: e, d2: d };
  }
  return best;
}

/**
 * Per-object sampled trajectories of one block, object-major: position (km) and velocity
 * (km/s), 3 numbers per sample, TEME. `valid[o]`: number of leading samples that exist (a
 * propagation error — decay — stops an object there).
 */
export interface Samples {
  n: number;
  pos: Float64Array;
  vel: Float64Array;
  /** Accelerations of the interpolant (two-body + J2), filled by the screening, not by samplers. */
  acc?: Float64Array;
  valid: Int32Array;
  /** Reason an object stopped, by object index. */
  errors: Map<number, string>;
}

/** Samples `objects` at b0 + k·stepMs, k = 0…n−1. */
export type Sampler = (objects: readonly TrajectorySource[], b0Ms: number, stepMs: number, n: number) => Samples | Promise<Samples>;

/** The reference sampler: each object's own `stateAt`. */
export function sampleWithStateAt(objects: readonly TrajectorySource[], b0: number, stepMs: number, n: number): Samples {
  const pos = new Float64Array(objects.length * n * 3);
  const vel = new Float64Array(objects.length * n * 3);
  const valid = new Int32Array(objects.length);
  const errors = new Map<number, string>();
  const buf = new Float64Array(6);
  for (let o = 0; o < objects.length; o++) {
    const obj = objects[o];
    let k = 0;
    for (; k < n; k++) {
      const err = obj.stateAt(b0 + k * stepMs, buf);
      if (err !== null) {
        errors.set(o, err);
        break;
      }
      const j = (o * n + k) * 3;
      pos[j] = buf[0];
      pos[j + 1] = buf[1];
      pos[j + 2] = buf[2];
      vel[j] = buf[3];
      vel[j + 1] = buf[4];
      vel[j + 2] = buf[5];
    }
    valid[o] = k;
  }
  return { n, pos, vel, valid, errors };
}

/**
 * One part of a screening: `primaries` against `secondaries` over `window`. An object never
 * meets itself; a pair in which both objects are primaries and both secondaries (all-vs-all)
 * is screened once, with the lower id as primary. Runs block by block and lets other work
 * run between blocks; the result depends only on the inputs.
 */
export async function screenPart(primaries: readonly TrajectorySource[], secondaries: readonly TrajectorySource[], window: Window, options: ScreenOptions): Promise<{ events: ScreenEvent[]; stats: PartStats }> {
  const stats: PartStats = { pairs: 0, pairsAfterRadiusFilter: 0, objectsSampled: 0, samples: 0, candidates: 0, refined: 0, skipped: [], timeMs: { sampling: 0, filtering: 0, refining: 0 } };
  const skipped = new Map<string, string>();
  const events: ScreenEvent[] = [];
  const H = options.stepS;
  const stepMs = H * 1000;

  // Objects by identity; roles.
  const index = new Map<TrajectorySource, number>();
  const objects: TrajectorySource[] = [];
  const add = (o: TrajectorySource) => {
    let i = index.get(o);
    if (i === undefined) {
      i = objects.length;
      index.set(o, i);
      objects.push(o);
    }
    return i;
  };
  const primIdx = primaries.map(add);
  const secIdx = secondaries.map(add);
  const nU = objects.length;
  const isP = new Uint8Array(nU), isS = new Uint8Array(nU);
  for (const i of primIdx) isP[i] = 1;
  for (const i of secIdx) isS[i] = 1;
  const bothCount = primIdx.filter((i) => isS[i]).length;
  stats.pairs = primIdx.length * secIdx.length - bothCount - (bothCount * (bothCount - 1)) / 2;

  const volumes = objects.map((o, i) => (isP[i] ? options.volumeFor(o) : undefined));
  const radius = volumes.map((v) => (v ? boundingRadiusKm(v) : 0));
  const pads = objects.map((o) => o.hermitePadKm(H));
  const ranges = objects.map((o) => o.radiusRangeKm(window.startMs, window.stopMs));

  // Order of the ids (compareIds), precomputed: pairs are oriented millions of times.
  const rank = new Int32Array(nU);
  objects.map((o, i) => ({ id: o.id, i })).sort((x, y) => compareIds(x.id, y.id)).forEach((x, r) => (rank[x.i] = r));
  /** Primary of the pair (a, b), or −1 when the pair is not screened. */
  const primaryOf = (a: number, b: number): number => {
    if (a === b) return -1;
    const ab = isP[a] === 1 && isS[b] === 1;
    const ba = isP[b] === 1 && isS[a] === 1;
    if (ab && ba) return rank[a] < rank[b] ? a : b;
    return ab ? a : ba ? b : -1;
  };

  const useGrid = primIdx.length >= options.gridMinPrimaries;
  // Few primaries: the pair lists after the apogee/perigee filter.
  const pairLists: { p: number; s: number[] }[] = [];
  let sampledSet: number[];
  if (!useGrid) {
    const needed = new Uint8Array(nU);
    for (const p of primIdx) {
      const [pl, ph] = ranges[p];
      const list: number[] = [];
      for (const s of secIdx) {
        if (primaryOf(p, s) !== p) continue;
        const grow = radius[p] + pads[p] + pads[s];
        const [sl, sh] = ranges[s];
        if (sl > ph + grow || sh < pl - grow) continue;
        list.push(s);
        needed[s] = 1;
      }
      if (list.length) {
        needed[p] = 1;
        pairLists.push({ p, s: list });
        stats.pairsAfterRadiusFilter += list.length;
      }
    }
    sampledSet = [];
    for (let i = 0; i < nU; i++) if (needed[i]) sampledSet.push(i);
  } else {
    sampledSet = Array.from({ length: nU }, (_, i) => i);
  }
  stats.objectsSampled = sampledSet.length;
  const sampledObjects = sampledSet.map((i) => objects[i]);
  const slot = new Int32Array(nU).fill(-1);
  sampledSet.forEach((g, k) => (slot[g] = k));

  // Refinements already made, per pair: candidate times within ±H/2 of a previous guess or TCA are not refined again.
  const tried = new Map<number, number[]>();
  const sameS = H / 2;
  const refineOpts = { halfWidthS: Math.min(2, H / 8), maxSpanS: 2 * H, tolS: options.tcaToleranceS, minMs: window.startMs, maxMs: window.stopMs };
  const found = new Set<string>();

  const candidate = (p: number, s: number, guessMs: number) => {
    stats.candidates++;
    const key = p * nU + s;
    let list = tried.get(key);
    if (list) {
      for (const t of list) if (Math.abs(t - guessMs) <= sameS * 1000) return;
    } else tried.set(key, (list = []));
    list.push(guessMs);
    stats.refined++;
    const r0 = performance.now();
    const tca = refineTca(objects[p], objects[s], guessMs, refineOpts);
    stats.timeMs.refining += performance.now() - r0;
    if (!tca) return;
    list.push(tca.tcaMs);
    const geometry = relativeGeometry(tca.states.primary, tca.states.secondary);
    const volume = volumes[p]!;
    if (!insideVolume(volume, geometry.rtnPosKm, geometry.missKm)) return;
    const id = `${p}|${s}|${Math.round(tca.tcaMs)}`;
    if (found.has(id)) return;
    found.add(id);
    events.push({ primary: objects[p], secondary: objects[s], tcaMs: tca.tcaMs, geometry, states: tca.states, volume });
  };

  const rel = new Float64Array(18);
  const mins: number[] = [];
  // Leaf size of the Bézier subdivision: below it a piece holds at most one minimum in practice.
  const leafKm = 20;
  /** Tests the interval [k + u0, k + u1] of pair (p primary, s secondary) with piece coefficients `co`. */
  const testPiece = (S: Samples, p: number, s: number, k: number, co: PieceCoeffs, u0: number, u1: number, b0: number, R: number): void => {
    const n = S.n, pos = S.pos, vel = S.vel, acc = S.acc!;
    const ja = (slot[p] * n + k) * 3, jb = (slot[s] * n + k) * 3;
    // relative control points (secondary − primary), with an early exit per axis
    for (let ax = 0; ax < 3; ax++) {
      const dP0 = pos[jb + ax] - pos[ja + ax];
      const dV0 = vel[jb + ax] - vel[ja + ax];
      const dA0 = acc[jb + ax] - acc[ja + ax];
      const dP1 = pos[jb + 3 + ax] - pos[ja + 3 + ax];
      const dV1 = vel[jb + 3 + ax] - vel[ja + 3 + ax];
      const dA1 = acc[jb + 3 + ax] - acc[ja + 3 + ax];
      let lo = Infinity, hi = -Infinity;
      for (let m = 0; m < 6; m++) {
        const q = 6 * m;
        const c = co[q] * dP0 + co[q + 1] * dV0 + co[q + 2] * dA0 + co[q + 3] * dP1 + co[q + 4] * dV1 + co[q + 5] * dA1;
        rel[3 * m + ax] = c;
        if (c < lo) lo = c;
        if (c > hi) hi = c;
      }
      if (lo > R || hi < -R) return;
    }
    mins.length = 0;
    bezierMinima(rel, R, leafKm, mins);
    for (const tau of mins) candidate(p, s, b0 + (k + u0 + tau * (u1 - u0)) * stepMs);
  };

  const blockMs = options.blockHours * 3_600_000;
  const full = pieceCoefficients(0, 1, H);
  const m = Math.max(1, Math.round(H / options.gridStepS));
  const subPieces = Array.from({ length: m }, (_, q) => ({ u0: q / m, u1: (q + 1) / m, co: pieceCoefficients(q / m, (q + 1) / m, H)}));
  // sub-interval ends as combinations of the samples (the interpolant's value at u = q/m)
  const boundaries = Array.from({ length: m + 1 }, (_, q) => (q === 0 ? pieceCoefficients(0, 1, H).subarray(0, 6) : pieceCoefficients(0, q / m, H).subarray(30, 36)));
  // chord ends of each object's current sub-interval (start, end), km, TEME
  const chordStart = new Float64Array(3 * nU), chordEnd = new Float64Array(3 * nU);
  const maxRadius = primIdx.reduce((a, i) => Math.max(a, radius[i]), 0);
  // sagitta bound of a sub-interval (|x''|·h²/8, |x''| ≤ 1.01·μ/r_min² with J2) plus the interpolation pad
  const sagPad = new Float64Array(nU);
  for (let o = 0; o < nU; o++) sagPad[o] = ((1.01 * 398600.8) / ranges[o][0] ** 2) * ((H / m) ** 2 / 8) + pads[o];
  const grid = useGrid ? new SpatialGrid() : undefined;
  const halfRadius = maxRadius / 2;
  const maxPad = Math.max(0, ...pads);
  let lastYield = performance.now();
  let pausedMs = 0;
  for (let b0 = window.startMs; b0 < window.stopMs; b0 += blockMs) {
    const b1 = Math.min(window.stopMs, b0 + blockMs);
    const n = Math.ceil((b1 - b0) / stepMs - 1e-9) + 1;
    const s0 = performance.now();
    const S = await (options.sampler ?? sampleWithStateAt)(sampledObjects, b0, stepMs, n);
    const s1 = performance.now();
    stats.timeMs.sampling += s1 - s0;
    const refiningBefore = stats.timeMs.refining;
    S.acc = new Float64Array(S.pos.length);
    j2Acceleration(S.pos, S.acc, S.pos.length / 3);
    for (const [o, reason] of S.errors) if (!skipped.has(sampledObjects[o].id)) skipped.set(sampledObjects[o].id, reason);
    stats.samples += S.valid.reduce((a, v) => a + v, 0);
    for (let k = 0; k + 1 < n; k++) {
      if (options.shouldStop?.()) throw new ScreeningStopped();
      // Let the event loop breathe (bus, heartbeats) at most every ~50 ms of computation.
      if (performance.now() - lastYield > 50) {
        const f0 = performance.now();
        await new Promise<void>((r) => setImmediate(r));
        lastYield = performance.now();
        pausedMs += lastYield - f0;
      }
      if (!useGrid) {
        for (const { p, s: list } of pairLists) {
          if (S.valid[slot[p]] <= k + 1) continue;
          for (const s of list) {
            if (S.valid[slot[s]] <= k + 1) continue;
            testPiece(S, p, s, k, full, 0, 1, b0, radius[p] + pads[p] + pads[s]);
          }
        }
      } else {
        // Each object's sub-interval [t_q, t_q+1] lies in the box of its chord grown by the
        // sagitta bound |x''|·h²/8 (linear interpolation error, Burden & Faires Thm 3.3; |x''| ≤
        // 1.01·μ/r_min² with J2), its pad and D/2: two objects that truly come within D have
        // overlapping boxes. The chord ends are shared by consecutive sub-intervals.
        const h = H / m;
        const cellKm = GRID_CELL_FACTOR * (8 * h + maxRadius + 2 * maxPad);
        const pos = S.pos, vel = S.vel, acc = S.acc!;
        for (let q = 0; q < m; q++) {
          const piece = subPieces[q];
          grid!.reset(cellKm, nU);
          const w0 = boundaries[q], w1 = boundaries[q + 1];
          for (let o = 0; o < nU; o++) {
            if (S.valid[o] <= k + 1) continue;
            const j = (o * n + k) * 3;
            const c = 3 * o;
            if (q === 0) {
              for (let ax = 0; ax < 3; ax++) chordStart[c + ax] = w0[0] * pos[j + ax] + w0[1] * vel[j + ax] + w0[2] * acc[j + ax] + w0[3] * pos[j + 3 + ax] + w0[4] * vel[j + 3 + ax] + w0[5] * acc[j + 3 + ax];
            } else {
              chordStart[c] = chordEnd[c];
              chordStart[c + 1] = chordEnd[c + 1];
              chordStart[c + 2] = chordEnd[c + 2];
            }
            const x0 = chordStart[c], y0 = chordStart[c + 1], z0 = chordStart[c + 2];
            const x1 = w1[0] * pos[j] + w1[1] * vel[j] + w1[2] * acc[j] + w1[3] * pos[j + 3] + w1[4] * vel[j + 3] + w1[5] * acc[j + 3];
            const y1 = w1[0] * pos[j + 1] + w1[1] * vel[j + 1] + w1[2] * acc[j + 1] + w1[3] * pos[j + 4] + w1[4] * vel[j + 4] + w1[5] * acc[j + 4];
            const z1 = w1[0] * pos[j + 2] + w1[1] * vel[j + 2] + w1[2] * acc[j + 2] + w1[3] * pos[j + 5] + w1[4] * vel[j + 5] + w1[5] * acc[j + 5];
            chordEnd[c] = x1;
            chordEnd[c + 1] = y1;
            chordEnd[c + 2] = z1;
            const g = sagPad[o] + halfRadius;
            // radius interval: |x(t)| lies within sagPad of the chord's points, whose distance to
            // the origin ranges from the segment's closest point to its farther end
            const rA = Math.sqrt(x0 * x0 + y0 * y0 + z0 * z0), rB = Math.sqrt(x1 * x1 + y1 * y1 + z1 * z1);
            const dx = x1 - x0, dy = y1 - y0, dz = z1 - z0;
            const dd = dx * dx + dy * dy + dz * dz;
            const tc = dd > 0 ? -(x0 * dx + y0 * dy + z0 * dz) / dd : 0;
            let rLo = rA < rB ? rA : rB;
            if (tc > 0 && tc < 1) {
              const px = x0 + tc * dx, py = y0 + tc * dy, pz = z0 + tc * dz;
              rLo = Math.sqrt(px * px + py * py + pz * pz);
            }
            grid!.insert(o, Math.min(x0, x1) - g, Math.min(y0, y1) - g, Math.min(z0, z1) - g, Math.max(x0, x1) + g, Math.max(y0, y1) + g, Math.max(z0, z1) + g, rLo - g, (rA > rB ? rA : rB) + g);
          }
          grid!.pairs();
          const fp = grid!.found;
          for (let f = 0, nf = grid!.nFound; f < nf; f++) {
            const a = fp[2 * f], b = fp[2 * f + 1];
            const p = primaryOf(a, b);
            if (p < 0) continue;
            const s = p === a ? b : a;
            // Relative chord test: the relative interpolant stays within sagPad[a] + sagPad[b]
            // of the segment joining the relative chord ends; if that segment passes farther
            // from the origin than the radius plus both bounds, the boxes' overlap was spurious.
            const ia = 3 * a, ib = 3 * b;
            const d0x = chordStart[ib] - chordStart[ia], d0y = chordStart[ib + 1] - chordStart[ia + 1], d0z = chordStart[ib + 2] - chordStart[ia + 2];
            const ex = chordEnd[ib] - chordEnd[ia] - d0x, ey = chordEnd[ib + 1] - chordEnd[ia + 1] - d0y, ez = chordEnd[ib + 2] - chordEnd[ia + 2] - d0z;
            const ee = ex * ex + ey * ey + ez * ez;
            let tau = ee > 0 ? -(d0x * ex + d0y * ey + d0z * ez) / ee : 0;
            tau = tau < 0 ? 0 : tau > 1 ? 1 : tau;
            const mx = d0x + tau * ex, my = d0y + tau * ey, mz = d0z + tau * ez;
            const lim = radius[p] + sagPad[a] + sagPad[b];
            if (mx * mx + my * my + mz * mz > lim * lim) continue;
            testPiece(S, p, s, k, piece.co, piece.u0, piece.u1, b0, radius[p] + pads[p] + pads[s]);
          }
        }
      }
    }
    stats.timeMs.filtering += performance.now() - s1 - (stats.timeMs.refining - refiningBefore) - pausedMs;
    pausedMs = 0;
    // let other work run between blocks (the computation itself is synchronous)
    await new Promise<void>((r) => setImmediate(r));
  }
  stats.skipped = [...skipped].map(([id, reason]) => ({ id, reason })).sort((a, b) => compareIds(a.id, b.id));
  return { events: mergeEvents([events]), stats };
}

/**
 * Uniform spatial hash grid of axis-aligned boxes (Teschner et al. 2003, "Optimized spatial
 * hashing for collision detection of deformable objects": cell → hash of the cell coordinates).
 * Each object is entered in every cell its box overlaps; a pair of overlapping boxes is
 * reported once, from the cell that holds the lower corner of their intersection. Each box
 * carries the object's geocentric radius interval too: two objects within D of each other have
 * radii within D (|x_a − x_b| ≥ |r_a − r_b|), so a pair whose intervals do not overlap is not
 * reported although the boxes do — LEO is layered in altitude, and this halves the pairs of
 * the all-vs-all survey. (A radial dimension in the cell key was measured too: more entries,
 * the same pairs, no gain.)
 */
class SpatialGrid {
  private cell = 1;
  /** Per object: x0, y0, z0, x1, y1, z1, r0, r1 (km). */
  private boxes = new Float64Array(0);
  /** Per object: cell coordinates of its box's lower corner; the intersection's lower corner is their per-axis maximum. */
  private lowCell = new Int32Array(0);
  private objOfEntry = new Int32Array(1 << 16);
  /** Cell of each entry, packed: 10 bits per Cartesian axis (±511 cells; beyond, cells are shared, which only adds candidates). */
  private keyOfEntry = new Int32Array(1 << 16);
  private next = new Int32Array(1 << 16);
  private head = new Int32Array(1 << 18).fill(-1);
  private touched = new Int32Array(1 << 16);
  private nTouched = 0;
  private nEntries = 0;
  /** Pairs found by `pairs()`, two object indices each. */
  found = new Int32Array(1 << 16);
  nFound = 0;

  reset(cellKm: number, objects: number): void {
    for (let i = 0; i < this.nTouched; i++) this.head[this.touched[i]] = -1;
    this.nTouched = 0;
    this.nEntries = 0;
    this.cell = cellKm;
    if (this.boxes.length < 8 * objects) {
      this.boxes = new Float64Array(8 * objects);
      this.lowCell = new Int32Array(3 * objects);
    }
  }

  private grow(): void {
    const n = this.objOfEntry.length * 2;
    const g = (a: Int32Array, size: number) => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.objOfEntry = g(this.objOfEntry, n);
    this.keyOfEntry = g(this.keyOfEntry, n);
    this.next = g(this.next, n);
    this.touched = g(this.touched, n);
  }

  /** Box [x0, x1] × [y0, y1] × [z0, z1] and radius interval [r0, r1] of object `o` (km). */
  insert(o: number, x0: number, y0: number, z0: number, x1: number, y1: number, z1: number, r0: number, r1: number): void {
    const box = this.boxes;
    const inv = 1 / this.cell;
    const j = 8 * o;
    box[j] = x0;
    box[j + 1] = y0;
    box[j + 2] = z0;
    box[j + 3] = x1;
    box[j + 4] = y1;
    box[j + 5] = z1;
    box[j + 6] = r0;
    box[j + 7] = r1;
    const c0 = cellIndex(x0 * inv), c1 = cellIndex(x1 * inv);
    const c2 = cellIndex(y0 * inv), c3 = cellIndex(y1 * inv);
    const c4 = cellIndex(z0 * inv), c5 = cellIndex(z1 * inv);
    const l = 3 * o;
    this.lowCell[l] = c0;
    this.lowCell[l + 1] = c2;
    this.lowCell[l + 2] = c4;
    for (let cx = c0; cx <= c1; cx++)
      for (let cy = c2; cy <= c3; cy++)
        for (let cz = c4; cz <= c5; cz++) {
          if (this.nEntries >= this.objOfEntry.length) this.grow();
          const e = this.nEntries++;
          const key = cx | (cy << 10) | (cz << 20);
          this.objOfEntry[e] = o;
          this.keyOfEntry[e] = key;
          // Fibonacci hashing of the packed key (Knuth, TAOCP vol. 3 §6.4)
          const h = Math.imul(key, -1640531535) >>> 14;
          if (this.head[h] < 0) this.touched[this.nTouched++] = h;
          this.next[e] = this.head[h];
          this.head[h] = e;
        }
  }

  /** Collects into `found` each pair of overlapping entries once (from the cell of their intersection's lower corner). */
  pairs(): void {
    const box = this.boxes, keys = this.keyOfEntry, obj = this.objOfEntry, next = this.next, low = this.lowCell, head = this.head, touched = this.touched;
    let nf = 0;
    for (let t = 0; t < this.nTouched; t++) {
      for (let e1 = head[touched[t]]; e1 >= 0; e1 = next[e1]) {
        const e2first = next[e1];
        if (e2first < 0) break;
        const key = keys[e1];
        const a = obj[e1];
        const ia = 8 * a;
        const ax0 = box[ia], ay0 = box[ia + 1], az0 = box[ia + 2], ax1 = box[ia + 3], ay1 = box[ia + 4], az1 = box[ia + 5], ar0 = box[ia + 6], ar1 = box[ia + 7];
        const la = 3 * a;
        for (let e2 = e2first; e2 >= 0; e2 = next[e2]) {
          if (keys[e2] !== key) continue;
          const b = obj[e2];
          const ib = 8 * b;
          if (ar0 > box[ib + 7] || box[ib + 6] > ar1 || ax0 > box[ib + 3] || box[ib] > ax1 || ay0 > box[ib + 4] || box[ib + 1] > ay1 || az0 > box[ib + 5] || box[ib + 2] > az1) continue;
          // cell of the intersection's lower corner: the per-axis maximum of the two lower-corner
          // cells (the cell index is monotonic in the coordinate), compared with this cell
          const lb = 3 * b;
          const cx = low[la] > low[lb] ? low[la] : low[lb], cy = low[la + 1] > low[lb + 1] ? low[la + 1] : low[lb + 1], cz = low[la + 2] > low[lb + 2] ? low[la + 2] : low[lb + 2];
          if ((cx | (cy << 10) | (cz << 20)) !== key) continue;
          if (2 * nf + 2 > this.found.length) {
            const f = new Int32Array(this.found.length * 2);
            f.set(this.found);
            this.found = f;
          }
          this.found[2 * nf] = a;
          this.found[2 * nf + 1] = b;
          nf++;
        }
      }
    }
    this.nFound = nf;
  }
}

/** Cell coordinate in 0…1023 (10 bits): floor, offset by 512, clamped. */
function cellIndex(u: number): number {
  const c = Math.floor(u) + 512;
  return c < 0 ? 0 : c > 1023 ? 1023 : c;
}
