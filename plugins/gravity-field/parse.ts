/**
 * Parsers of geopotential coefficient files. Pure functions: text in, model out (the plugin
 * reads and gunzips the files).
 *
 * - ICGEM `.gfc` (ICGEM format description, Barthelmes & Förste, GFZ, "ICGEM-Format-2011" and
 *   its 2.0 revision): free text, then a header of `keyword value` lines ending with
 *   `end_of_head`; mandatory keywords `earth_gravity_constant` (m³/s²), `radius` (m),
 *   `max_degree`; optional `modelname`, `product_type` (must be gravity_field), `norm`
 *   (`fully_normalized` default, or `unnormalized`), `tide_system`, `errors`, `format`.
 *   Data lines `key L M C S [sigmaC sigmaS] …`; numbers may use a Fortran `D` exponent.
 *   Keys: `gfc` static coefficient; time-variable parts `gfct` (coefficient at a reference
 *   epoch t0), `trnd`/`dot` (drift per year), `acos`/`asin` (periodic terms with a period in
 *   years). Format 1.0 writes `gfct … t0` then `trnd …`, `acos … period` that refer to it;
 *   format 2.0 writes validity intervals `t0 t1` on every time-variable line
 *   (`gfct … t0 t1`, `trnd … t0 t1`, `acos … t0 t1 period`). Epochs are `yyyymmdd[.hhmm]`.
 * - NGA EGM format (`egm96_to360.ascii`, `EGM2008_to2190_*`): lines `n m C S sigmaC sigmaS`,
 *   no header: GM, radius and tide system come from the caller (defaults: EGM96 values).
 *
 * Time-variable terms (what we do with them): the model keeps them; `fieldAt(model, epoch)`
 * evaluates the ICGEM formula
 *     G(t) = gfct + trnd·(t − t0) + Σ_p [asin_p·sin(2π(t − t0)/p) + acos_p·cos(2π(t − t0)/p)]
 * with t − t0 in Julian years (365.25 d), using, for each coefficient, the interval [t0, t1)
 * that contains t (the first/last interval before/after them). Without an epoch the MEAN field
 * at the reference epoch is used: gfct alone (the periodic terms average to zero over their
 * period and the drift is zero at t0). The plugin's `epochUtc` configuration chooses.
 *
 * Missing coefficients: C00 = 1 and the degree-1 terms = 0 are implied when absent (origin at
 * the centre of mass); any other (n, m) ≤ max_degree that the file does not give is recorded,
 * and asking for a truncation that includes it is an error naming it.
 */

export type TideSystem = 'zero_tide' | 'tide_free' | 'mean_tide' | 'unknown';

export interface TimeVariableTerm {
  kind: 'trnd' | 'acos' | 'asin';
  n: number;
  m: number;
  c: number;
  s: number;
  /** Validity interval (UTC MJD); for format 1.0 those of the gfct line it follows. */
  t0Mjd: number;
  t1Mjd?: number;
  periodYears?: number;
  line: number;
}

export interface GfctTerm {
  n: number;
  m: number;
  c: number;
  s: number;
  t0Mjd: number;
  t1Mjd?: number;
  line: number;
}

export interface GravityModel {
  name: string;
  source: string;
  format: 'icgem' | 'egm';
  muKm3S2: number;
  radiusKm: number;
  /** Highest degree in the file (max_degree for ICGEM). */
  maxDegree: number;
  tideSystem: TideSystem;
  /** Fully normalized static coefficients, packed: index n(n+1)/2 + m. gfct terms are NOT included here. */
  c: Float64Array;
  s: Float64Array;
  /** 1 where the file gives (n, m) (or it is implied: C00, degree 1). */
  present: Uint8Array;
  gfct: GfctTerm[];
  timeVariable: TimeVariableTerm[];
  /** Largest N such that every coefficient of degree ≤ N is present. */
  completeDegree: number;
  warnings: string[];
}

export class GravityFormatError extends Error {
  constructor(
    readonly source: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(`${source}${line !== undefined ? `:${line}` : ''}: ${reason}`);
    this.name = 'GravityFormatError';
  }
}

export const packedIndex = (n: number, m: number): number => (n * (n + 1)) / 2 + m;

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eEdD][+-]?\d+)?$/;

function num(text: string | undefined): number | undefined {
  if (text === undefined || !NUMBER_RE.test(text)) return undefined;
  return Number(text.replace(/[dD]/, 'e'));
}

/** `yyyymmdd[.hhmm]` → UTC MJD. */
export function mjdFromIcgemEpoch(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(?:\.(\d{2})(\d{2})?)?$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d, hh, mm] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0)];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 || mm > 59) return undefined;
  const ms = Date.UTC(y, mo - 1, d, hh, mm);
  if (new Date(ms).getUTCDate() !== d) return undefined;
  return ms / 86_400_000 + 40587;
}

const TIDE_SYSTEMS: Record<string, TideSystem> = { zero_tide: 'zero_tide', tide_free: 'tide_free', mean_tide: 'mean_tide', non_tidal: 'tide_free', unknown: 'unknown' };

/** Parses an ICGEM `.gfc` file (format 1.0 or 2.0). */
export function parseIcgem(text: string, source = 'model.gfc'): GravityModel {
  const lines = text.split(/\r?\n/);
  const fail = (line: number | undefined, reason: string): never => {
    throw new GravityFormatError(source, line, reason);
  };
  const endHead = lines.findIndex((l) => /^end_of_head\b/.test(l.trim()));
  if (endHead < 0) fail(undefined, "no 'end_of_head' line: not an ICGEM file");
  const beginHead = lines.findIndex((l, i) => i < endHead && /^begin_of_head\b/.test(l.trim()));
  const header = new Map<string, { value: string; line: number }>();
  for (let i = beginHead + 1; i < endHead; i++) {
    const parts = lines[i].trim().split(/\s+/);
    const key = parts[0];
    if (['product_type', 'modelname', 'earth_gravity_constant', 'radius', 'max_degree', 'errors', 'norm', 'tide_system', 'format'].includes(key) && parts.length >= 2) {
      header.set(key, { value: parts[1], line: i + 1 });
    }
  }
  const need = (key: string): { value: string; line: number } => header.get(key) ?? fail(endHead + 1, `header has no '${key}' keyword`);
  const pt = header.get('product_type');
  if (pt && pt.value !== 'gravity_field') fail(pt.line, `product_type '${pt.value}' is not gravity_field`);
  const gmH = need('earth_gravity_constant');
  const gm = num(gmH.value);
  if (gm === undefined || !(gm > 0)) fail(gmH.line, `earth_gravity_constant '${gmH.value}' is not a positive number (m³/s²)`);
  const rH = need('radius');
  const radius = num(rH.value);
  if (radius === undefined || !(radius > 0)) fail(rH.line, `radius '${rH.value}' is not a positive number (m)`);
  const dH = need('max_degree');
  const maxDegree = Number(dH.value);
  if (!Number.isInteger(maxDegree) || maxDegree < 0 || maxDegree > 5400) fail(dH.line, `max_degree '${dH.value}' is not a degree 0…5400`);
  const normH = header.get('norm');
  const norm = normH?.value ?? 'fully_normalized';
  if (norm !== 'fully_normalized' && norm !== 'unnormalized') fail(normH!.line, `norm '${norm}' is neither fully_normalized nor unnormalized`);
  const tideH = header.get('tide_system');
  const tideSystem = tideH ? TIDE_SYSTEMS[tideH.value] : 'unknown';
  if (tideH && !tideSystem) fail(tideH.line, `tide_system '${tideH.value}' is not zero_tide, tide_free, mean_tide or unknown`);

  const model = emptyModel(header.get('modelname')?.value ?? source.replace(/^.*[\\/]/, ''), source, 'icgem', gm! / 1e9, radius! / 1e3, maxDegree, tideSystem);
  const lastGfct = new Map<number, GfctTerm>();
  for (let i = endHead + 1; i < lines.length; i++) {
    const lineNo = i + 1;
    const t = lines[i].trim();
    if (t === '') continue;
    const f = t.split(/\s+/);
    const key = f[0];
    if (!['gfc', 'gfct', 'trnd', 'dot', 'acos', 'asin'].includes(key)) fail(lineNo, `unknown key '${key}' (expected gfc, gfct, trnd, dot, acos or asin)`);
    const n = Number(f[1]);
    const m = Number(f[2]);
    if (!Number.isInteger(n) || !Number.isInteger(m) || n < 0 || m < 0 || m > n) fail(lineNo, `degree/order '${f[1]} ${f[2]}' invalid (need integers 0 ≤ M ≤ L)`);
    if (n > maxDegree) fail(lineNo, `degree ${n} above max_degree ${maxDegree} (line ${dH.line})`);
    const c = num(f[3]);
    const s = num(f[4]);
    if (c === undefined || s === undefined) fail(lineNo, `C/S '${f[3]} ${f[4] ?? ''}' are not numbers`);
    const k = packedIndex(n, m);
    // fields after C S sigmaC sigmaS (epochs, period)
    const rest = f.length > 7 ? f.slice(7) : [];
    const epoch = (text: string | undefined, what: string): number => mjdFromIcgemEpoch(text ?? '') ?? fail(lineNo, `${what} '${text ?? ''}' is not an epoch yyyymmdd[.hhmm]`);
    if (key === 'gfc') {
      if (model.present[k]) fail(lineNo, `coefficient (${n}, ${m}) given twice`);
      model.c[k] = c!;
      model.s[k] = s!;
      model.present[k] = 1;
    } else if (key === 'gfct') {
      if (f.length < 8) fail(lineNo, `gfct needs a reference epoch t0 after the sigmas`);
      const g: GfctTerm = { n, m, c: c!, s: s!, t0Mjd: epoch(f[7], 't0'), line: lineNo };
      if (f.length >= 9) g.t1Mjd = epoch(f[8], 't1');
      if (model.present[k] && !lastGfct.has(k)) fail(lineNo, `coefficient (${n}, ${m}) given by gfc and gfct`);
      model.gfct.push(g);
      model.present[k] = 1;
      lastGfct.set(k, g);
    } else {
      const kind = key === 'dot' ? 'trnd' : (key as 'trnd' | 'acos' | 'asin');
      const periodic = kind !== 'trnd';
      let t0Mjd: number;
      let t1Mjd: number | undefined;
      let periodYears: number | undefined;
      if (rest.length >= (periodic ? 3 : 2)) {
        // format 2.0: t0 t1 [period]
        t0Mjd = epoch(rest[0], 't0');
        t1Mjd = epoch(rest[1], 't1');
        if (periodic) periodYears = num(rest[2]);
      } else {
        const g = lastGfct.get(k) ?? fail(lineNo, `${key} (${n}, ${m}) without a preceding gfct line for that coefficient`);
        t0Mjd = g.t0Mjd;
        t1Mjd = g.t1Mjd;
        if (periodic) periodYears = num(rest[0]);
      }
      if (periodic && !(periodYears !== undefined && periodYears > 0)) fail(lineNo, `${key} needs a positive period in years (got '${rest[rest.length - 1] ?? ''}')`);
      const term: TimeVariableTerm = { kind, n, m, c: c!, s: s!, t0Mjd, line: lineNo };
      if (t1Mjd !== undefined) term.t1Mjd = t1Mjd;
      if (periodYears !== undefined) term.periodYears = periodYears;
      model.timeVariable.push(term);
    }
  }
  if (norm === 'unnormalized') normalize(model);
  return finish(model);
}

export interface EgmOptions {
  name?: string;
  /** GM, km³/s² (default EGM96: 398600.4415, NGA egm96_to360.ascii README / Lemoine et al. 1998). */
  muKm3S2?: number;
  /** Reference radius, km (default EGM96: 6378.1363). */
  radiusKm?: number;
  /** Default tide_free (EGM96 coefficients are tide-free, Lemoine et al. 1998, NASA/TP-1998-206861). */
  tideSystem?: TideSystem;
}

/** Parses the NGA EGM column format `n m C S sigmaC sigmaS` (fully normalized). */
export function parseEgmNga(text: string, source = 'egm.ascii', options: EgmOptions = {}): GravityModel {
  const lines = text.split(/\r?\n/);
  const rows: { n: number; m: number; c: number; s: number; line: number }[] = [];
  let maxDegree = 0;
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t === '') continue;
    const f = t.split(/\s+/);
    const n = Number(f[0]);
    const m = Number(f[1]);
    const c = num(f[2]);
    const s = num(f[3]);
    if (f.length < 4 || !Number.isInteger(n) || !Number.isInteger(m) || n < 0 || m < 0 || m > n || n > 5400) {
      throw new GravityFormatError(source, i + 1, `expected 'n m C S [sigmaC sigmaS]' with integers 0 ≤ m ≤ n, got '${t.slice(0, 60)}'`);
    }
    if (c === undefined || s === undefined) throw new GravityFormatError(source, i + 1, `C/S '${f[2]} ${f[3]}' are not numbers`);
    rows.push({ n, m, c, s, line: i + 1 });
    maxDegree = Math.max(maxDegree, n);
  }
  if (rows.length === 0) throw new GravityFormatError(source, undefined, 'no coefficient lines');
  const model = emptyModel(options.name ?? source.replace(/^.*[\\/]/, '').replace(/\.gz$/, ''), source, 'egm', options.muKm3S2 ?? 398600.4415, options.radiusKm ?? 6378.1363, maxDegree, options.tideSystem ?? 'tide_free');
  for (const r of rows) {
    const k = packedIndex(r.n, r.m);
    if (model.present[k]) throw new GravityFormatError(source, r.line, `coefficient (${r.n}, ${r.m}) given twice`);
    model.c[k] = r.c;
    model.s[k] = r.s;
    model.present[k] = 1;
  }
  return finish(model);
}

/** ICGEM when the text has an `end_of_head` line, NGA EGM columns otherwise. */
export function parseGravityField(text: string, source = 'gravity field', egm: EgmOptions = {}): GravityModel {
  return /^\s*end_of_head\b/m.test(text) ? parseIcgem(text, source) : parseEgmNga(text, source, egm);
}

function emptyModel(name: string, source: string, format: 'icgem' | 'egm', muKm3S2: number, radiusKm: number, maxDegree: number, tideSystem: TideSystem): GravityModel {
  const size = packedIndex(maxDegree, maxDegree) + 1;
  return { name, source, format, muKm3S2, radiusKm, maxDegree, tideSystem, c: new Float64Array(size), s: new Float64Array(size), present: new Uint8Array(size), gfct: [], timeVariable: [], completeDegree: -1, warnings: [] };
}

function finish(model: GravityModel): GravityModel {
  // implied by the choice of origin and scale (ICGEM format description): C00 = 1, degree 1 = 0
  if (!model.present[0]) {
    model.c[0] = 1;
    model.present[0] = 1;
  }
  for (const k of [packedIndex(1, 0), packedIndex(1, 1)]) {
    if (k < model.present.length && !model.present[k]) model.present[k] = 1; // value already 0
  }
  let complete = -1;
  outer: for (let n = 0; n <= model.maxDegree; n++) {
    for (let m = 0; m <= n; m++) if (!model.present[packedIndex(n, m)]) break outer;
    complete = n;
  }
  model.completeDegree = complete;
  if (complete < model.maxDegree) {
    const missing: string[] = [];
    for (let n = complete + 1; n <= model.maxDegree && missing.length < 5; n++) for (let m = 0; m <= n && missing.length < 5; m++) if (!model.present[packedIndex(n, m)]) missing.push(`(${n}, ${m})`);
    model.warnings.push(`${model.source}: coefficients missing, e.g. ${missing.join(', ')}: complete to degree ${complete} only`);
  }
  return model;
}

/**
 * Unnormalized → fully normalized: C̄nm = Cnm / N̄nm with N̄nm = sqrt((2 − δ0m)(2n + 1)(n − m)!/(n + m)!)
 * (Heiskanen & Moritz 1967, eq. 1-73; Montenbruck & Gill, Satellite Orbits, eq. 3.32).
 * The factorial ratio is formed in logarithms so high degrees do not overflow.
 */
function normalize(model: GravityModel): void {
  const lf = logFactorials(2 * model.maxDegree + 1);
  const scale = (n: number, m: number) => Math.sqrt((m === 0 ? 1 : 2) * (2 * n + 1) * Math.exp(lf[n - m] - lf[n + m]));
  for (let n = 0; n <= model.maxDegree; n++) {
    for (let m = 0; m <= n; m++) {
      const k = packedIndex(n, m);
      const f = scale(n, m);
      model.c[k] /= f;
      model.s[k] /= f;
    }
  }
  for (const g of model.gfct) {
    const f = scale(g.n, g.m);
    g.c /= f;
    g.s /= f;
  }
  for (const t of model.timeVariable) {
    const f = scale(t.n, t.m);
    t.c /= f;
    t.s /= f;
  }
}

function logFactorials(n: number): Float64Array {
  const out = new Float64Array(n + 1);
  for (let i = 2; i <= n; i++) out[i] = out[i - 1] + Math.log(i);
  return out;
}

const JULIAN_YEAR_DAYS = 365.25;

/**
 * The coefficients of (n, m) at an epoch: static `gfc` value, or the ICGEM time-variable formula
 * (module comment). `epochMjd` undefined → the mean field at the reference epoch (gfct alone).
 */
export function coefficientAt(model: GravityModel, n: number, m: number, epochMjd?: number): [number, number] {
  const k = packedIndex(n, m);
  const gfcts = model.gfct.filter((g) => g.n === n && g.m === m);
  if (gfcts.length === 0) return [model.c[k], model.s[k]];
  return evaluate(model, gfcts, epochMjd);
}

function evaluate(model: GravityModel, gfcts: GfctTerm[], epochMjd?: number): [number, number] {
  if (epochMjd === undefined) return [gfcts[0].c, gfcts[0].s];
  // interval containing the epoch; before the first / after the last: that interval
  let g = gfcts[0];
  for (const cand of gfcts) if (cand.t0Mjd <= epochMjd) g = cand;
  const dtYears = (epochMjd - g.t0Mjd) / JULIAN_YEAR_DAYS;
  let c = g.c;
  let s = g.s;
  for (const t of model.timeVariable) {
    if (t.n !== g.n || t.m !== g.m || t.t0Mjd !== g.t0Mjd) continue;
    if (t.kind === 'trnd') {
      c += t.c * dtYears;
      s += t.s * dtYears;
    } else {
      const phase = (2 * Math.PI * dtYears) / t.periodYears!;
      const f = t.kind === 'acos' ? Math.cos(phase) : Math.sin(phase);
      c += t.c * f;
      s += t.s * f;
    }
  }
  return [c, s];
}

export interface Truncated {
  cnm: number[][];
  snm: number[][];
}

/**
 * Coefficients to degree `degree` and order `order` (rows n = 0 … degree, each of length
 * min(n, order) + 1), at `epochMjd` for the time-variable ones. Throws naming the first missing
 * coefficient when the truncation needs one the file does not give.
 */
export function truncate(model: GravityModel, degree: number, order: number, epochMjd?: number): Truncated {
  if (!Number.isInteger(degree) || !Number.isInteger(order) || degree < 0 || order < 0 || order > degree) {
    throw new Error(`gravity-field: degree ${degree} / order ${order} invalid (integers, 0 ≤ order ≤ degree)`);
  }
  if (degree > model.maxDegree) throw new Error(`gravity-field: ${model.name} goes to degree ${model.maxDegree}, ${degree} requested`);
  const byKey = new Map<number, GfctTerm[]>();
  for (const g of model.gfct) {
    const k = packedIndex(g.n, g.m);
    const list = byKey.get(k);
    if (list) list.push(g);
    else byKey.set(k, [g]);
  }
  const cnm: number[][] = [];
  const snm: number[][] = [];
  for (let n = 0; n <= degree; n++) {
    const cr: number[] = [];
    const sr: number[] = [];
    for (let m = 0; m <= Math.min(n, order); m++) {
      const k = packedIndex(n, m);
      if (!model.present[k]) throw new Error(`gravity-field: ${model.source} has no coefficient (${n}, ${m}); it is complete to degree ${model.completeDegree}`);
      const g = byKey.get(k);
      const [c, s] = g ? evaluate(model, g, epochMjd) : [model.c[k], model.s[k]];
      cr.push(c);
      sr.push(s);
    }
    cnm.push(cr);
    snm.push(sr);
  }
  return { cnm, snm };
}
