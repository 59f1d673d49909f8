import { expectEnd, lowerIndex, ODM_COV_KEYS, ODM_HEADER, readVersion, TIME_SYSTEM_KEY } from './common';
import type { CcsdsEpoch } from './epoch';
import { epochSeconds, epochSyntaxError } from './epoch';
import { KvnCursor, type Cursor, type Token, type XNode } from './lexer';
import { EphemerisBuilder, scanEphemeris } from './oem-scan';
import type { Diagnostics, Loc } from './problems';
import { readMetadataBlock, formatNumber, K, parseReal, parseValue, R, readSections, section, type KvSection, type ReadContext } from './sections';
import { el, KvnWriter, leaf, sectionNodes } from './writer';

/**
 * Orbit Ephemeris Message, CCSDS 502.0-B-2 §5 (versions 1.0 and 2.0) and 502.0-B-3 (3.0:
 * adds CLASSIFICATION and MESSAGE_ID in the header). Metadata Table 5-3, ephemeris data lines
 * §5.2.4 (epoch, X Y Z km, X_DOT Y_DOT Z_DOT km/s, optional X_DDOT Y_DDOT Z_DDOT km/s**2),
 * covariance §5.2.5 (lower triangle, 6 rows, km**2, km**2/s, km**2/s**2).
 */
export const OEM_METADATA = section('metadata', [
  R('OBJECT_NAME', 'text'),
  R('OBJECT_ID', 'text'),
  R('CENTER_NAME', 'text'),
  R('REF_FRAME', 'text'),
  K('REF_FRAME_EPOCH', 'epoch'),
  TIME_SYSTEM_KEY,
  R('START_TIME', 'epoch'),
  K('USEABLE_START_TIME', 'epoch'),
  K('USEABLE_STOP_TIME', 'epoch'),
  R('STOP_TIME', 'epoch'),
  K('INTERPOLATION', 'text'),
  K('INTERPOLATION_DEGREE', 'int', undefined, { min: 1 }),
]);

const STATE_KEYS = ['X', 'Y', 'Z', 'X_DOT', 'Y_DOT', 'Z_DOT', 'X_DDOT', 'Y_DDOT', 'Z_DDOT'];
const STATE_UNITS = ['km', 'km', 'km', 'km/s', 'km/s', 'km/s', 'km/s**2', 'km/s**2', 'km/s**2'];
export const OEM_STATE = section('stateVector', [R('EPOCH', 'epoch'), ...STATE_KEYS.map((k, i) => (i < 6 ? R(k, 'real', STATE_UNITS[i]) : K(k, 'real', STATE_UNITS[i])))]);
export const OEM_COVARIANCE = section('covarianceMatrix', [R('EPOCH', 'epoch'), K('COV_REF_FRAME', 'text'), ...ODM_COV_KEYS.map((c) => R(c.key, 'real', c.unit))]);

export interface OemState {
  epoch: CcsdsEpoch;
  posKm: [number, number, number];
  velKmS: [number, number, number];
  accKmS2?: [number, number, number];
}

export interface OemCovariance {
  comments: string[];
  epoch: CcsdsEpoch;
  /** COV_REF_FRAME; absent means the segment's REF_FRAME. */
  frame?: string;
  /** 21 values, lower triangle row by row (X, Y, Z, X_DOT, Y_DOT, Z_DOT): km², km²/s, km²/s². */
  lower: number[];
}

/**
 * The ephemeris data lines of one segment, in columns: what the reader fills and the writers
 * read (a 30 MB OEM holds ~250,000 states; objects per state would cost most of the reading
 * time). `OemSegment.states` gives the same data as objects.
 */
export class OemEphemeris {
  readonly count: number;
  /** Time system of every epoch (the segment's TIME_SYSTEM). */
  readonly timeSystem: string;
  /** Each epoch in seconds from 1970-01-01 of `timeSystem`, uniform 86,400-s days (`epochSeconds`): for ordering and spans. */
  readonly epochS: Float64Array;
  /** X Y Z (km) X_DOT Y_DOT Z_DOT (km/s), 6 values per state, row by row. */
  readonly posVelKm: Float64Array;
  /** X_DDOT Y_DDOT Z_DDOT (km/s²), 3 per state, NaN for a state without them; undefined when no state has them. */
  readonly accKmS2: Float64Array | undefined;
  // The epoch texts stay where they were read (offsets into the KVN text, which the message
  // therefore keeps alive) until someone asks for them: 250,000 strings cost as much as the
  // rest of the reading.
  readonly #b: EphemerisBuilder;
  #epochs: string[] | undefined;

  constructor(b: EphemerisBuilder, timeSystem: string) {
    this.count = b.count;
    this.timeSystem = timeSystem;
    // Exact lengths (equal columns compare equal): views when little capacity is spare,
    // copies otherwise (so that a few states do not keep a large buffer).
    const fit = <T extends Float64Array>(a: T, n: number): T => (a.length - n <= a.length / 8 ? (a.subarray(0, n) as T) : (a.slice(0, n) as T));
    this.epochS = fit(b.epochS, b.count);
    this.posVelKm = fit(b.posVel, 6 * b.count);
    this.accKmS2 = b.acc === undefined ? undefined : fit(b.acc, 3 * b.count);
    this.#b = b;
  }

  /** Epoch texts as written (built on first use, then cached). */
  get epochs(): readonly string[] {
    if (this.#epochs === undefined) {
      const out = new Array<string>(this.count);
      for (let i = 0; i < this.count; i++) out[i] = this.#b.epoch(i);
      this.#epochs = Object.freeze(out) as string[];
    }
    return this.#epochs;
  }

  /** Epoch text of state i. */
  epoch(i: number): string {
    return this.#epochs?.[i] ?? this.#b.epoch(i);
  }

  /** Columns from state objects (for producers that build an OEM to write it). */
  static fromStates(states: readonly OemState[], timeSystem = states[0]?.epoch.timeSystem ?? 'UTC'): OemEphemeris {
    const b = new EphemerisBuilder();
    for (const st of states) {
      const v = [...st.posKm, ...st.velKmS, ...(st.accKmS2 ?? [])];
      b.push(st.epoch.text, epochSeconds(st.epoch.text), v, v.length);
    }
    return new OemEphemeris(b, timeSystem);
  }

  /** State i as an object. */
  state(i: number): OemState {
    const p = this.posVelKm;
    const o = 6 * i;
    const st: OemState = { epoch: { text: this.epoch(i), timeSystem: this.timeSystem }, posKm: [p[o], p[o + 1], p[o + 2]], velKmS: [p[o + 3], p[o + 4], p[o + 5]] };
    const a = this.accKmS2;
    if (a !== undefined && a[3 * i] === a[3 * i]) st.accKmS2 = [a[3 * i], a[3 * i + 1], a[3 * i + 2]];
    return st;
  }

  /** The numbers of state i as written on its data line (6, or 9 with accelerations). */
  values(i: number): number[] {
    const p = this.posVelKm;
    const o = 6 * i;
    const out = [p[o], p[o + 1], p[o + 2], p[o + 3], p[o + 4], p[o + 5]];
    const a = this.accKmS2;
    if (a !== undefined && a[3 * i] === a[3 * i]) out.push(a[3 * i], a[3 * i + 1], a[3 * i + 2]);
    return out;
  }
}

export class OemSegment {
  metadata: KvSection;
  dataComments: string[];
  ephemeris: OemEphemeris;
  covariances: OemCovariance[];
  #states: OemState[] | undefined;

  constructor(init: { metadata: KvSection; dataComments?: string[]; ephemeris?: OemEphemeris; states?: readonly OemState[]; covariances?: OemCovariance[] }) {
    this.metadata = init.metadata;
    this.dataComments = init.dataComments ?? [];
    const ts = typeof init.metadata.fields.TIME_SYSTEM === 'string' ? init.metadata.fields.TIME_SYSTEM.toUpperCase() : 'UTC';
    this.ephemeris = init.ephemeris ?? OemEphemeris.fromStates(init.states ?? [], ts);
    this.covariances = init.covariances ?? [];
  }

  /**
   * The ephemeris as state objects, built on first use and cached. Read-only (frozen): the
   * columns in `ephemeris` are what is written; build a new segment to change the states.
   */
  get states(): OemState[] {
    if (this.#states === undefined) {
      const e = this.ephemeris;
      const out = new Array<OemState>(e.count);
      for (let i = 0; i < e.count; i++) out[i] = e.state(i);
      this.#states = Object.freeze(out) as OemState[];
    }
    return this.#states;
  }
}

export interface Oem {
  type: 'OEM';
  version: string;
  header: KvSection;
  segments: OemSegment[];
}

const VERSIONS = ['1.0', '2.0', '3.0'];

export function checkV3Header(header: KvSection, version: string, diag: Diagnostics, loc: Loc | undefined): void {
  if (version === '3.0') return;
  for (const k of ['CLASSIFICATION', 'MESSAGE_ID']) if (k in header.fields) diag.error(loc, k, `keyword only defined from version 3.0 (502.0-B-3), message is version ${version}`);
}

export function readOem(cur: Cursor, diag: Diagnostics): Oem {
  const version = readVersion(cur, diag, 'OEM', VERSIONS);
  const ctx: ReadContext = { diag, timeSystem: 'UTC' };
  const head = readSections(cur, [ODM_HEADER], ctx, { stopAt: (t) => t.t === 'open' && (t.name === 'META' || t.name === 'segment' || t.name === 'body'), elsewhere: () => false });
  checkV3Header(head.sections[0], version, diag, head.firstLoc[0]);
  const segments: SegmentBeingRead[] = [];
  let pending = head.trailing;
  let seg: SegmentBeingRead | undefined;
  let timeSystem: string | undefined;
  for (let tok = cur.peek(); tok !== undefined; tok = cur.peek()) {
    if (tok.t === 'open' && (tok.name === 'META' || tok.name === 'metadata')) {
      const kvn = tok.name === 'META';
      cur.next();
      const block = readMetadataBlock(cur, OEM_METADATA, ctx, pending, kvn);
      pending = block.trailing;
      const { metadata, timeSystem: ts } = block;
      if (timeSystem !== undefined && ts !== timeSystem) {
        // Not spelled out by 502.0-B-2, but an ephemeris whose segments change time scale cannot
        // be interpolated as one trajectory: rejected (as Orekit does), naming both systems.
        diag.error(block.loc, 'TIME_SYSTEM', `segments use different time systems (${timeSystem} then ${ts})`);
      }
      timeSystem ??= ts;
      ctx.timeSystem = ts;
      seg = { metadata, dataComments: [...pending], states: new EphemerisBuilder(cur instanceof KvnCursor ? cur.source : ''), covariances: [], covLocs: [], timeSystem: ts, metaLoc: block.loc };
      pending = [];
      segments.push(seg);
      continue;
    }
    if (tok.t === 'open' && (tok.name === 'segment' || tok.name === 'data' || tok.name === 'body')) {
      cur.next();
      continue;
    }
    if (tok.t === 'close' && (tok.name === 'segment' || tok.name === 'data' || tok.name === 'body')) {
      cur.next();
      continue;
    }
    if (tok.t === 'close' && tok.name === 'oem') break;
    if (!seg) {
      diag.error(tok.loc, tok.t === 'kv' ? tok.key : '', cur.syntax === 'kvn' ? 'expected META_START (a segment begins with its metadata)' : 'expected <segment><metadata>');
      cur.next();
      continue;
    }
    if (tok.t === 'comment') {
      // 502.0-B-2 §5.2.4: comments may open the data section; later ones are kept with them.
      if (seg.states.count > 0) diag.warn(tok.loc, 'COMMENT', 'comment among the ephemeris data lines moved to the start of the data section');
      seg.dataComments.push(tok.text);
      cur.next();
      continue;
    }
    if (tok.t === 'line') {
      if (cur instanceof KvnCursor) {
        // Fast path: the scanner reads the run of plain data lines from here.
        const raw = cur.raw();
        const stop = scanEphemeris(raw.pos, raw.line, seg.states);
        cur.resume(stop.pos, stop.line);
        if (stop.pos !== raw.pos) continue;
      }
      // A line the scanner leaves (or XML/JSON text): the generic reader, which reports why.
      const line = cur.next() as Token & { t: 'line' };
      parseStateLine(line.text, line.loc, diag, seg.states);
      continue;
    }
    if (tok.t === 'open' && tok.name === 'stateVector') {
      cur.next();
      const r = readSections(cur, [OEM_STATE], ctx, { stopAt: (t) => t.t === 'close' && t.name === 'stateVector' });
      if (cur.peek()?.t === 'close') cur.next();
      const f = r.sections[0].fields;
      if (r.sections[0].comments.length) diag.error(tok.loc, 'COMMENT', 'comments are not allowed inside a stateVector');
      if (STATE_KEYS.slice(0, 6).every((k) => typeof f[k] === 'number') && typeof f.EPOCH === 'object') {
        const acc = STATE_KEYS.slice(6).filter((k) => k in f).length;
        const n = acc === 3 ? 9 : 6;
        if (acc > 0 && acc < 3) diag.error(tok.loc, 'X_DDOT', 'accelerations must be given for all three axes or none');
        seg.states.push(f.EPOCH.text, epochSeconds(f.EPOCH.text), STATE_KEYS.slice(0, n).map((k) => f[k] as number), n, tok.loc);
      }
      continue;
    }
    if (tok.t === 'open' && tok.name === 'COVARIANCE') {
      cur.next();
      readKvnCovariance(cur, diag, seg, ctx);
      continue;
    }
    if (tok.t === 'open' && tok.name === 'covarianceMatrix') {
      cur.next();
      const r = readSections(cur, [OEM_COVARIANCE], ctx, { stopAt: (t) => t.t === 'close' && t.name === 'covarianceMatrix' });
      if (cur.peek()?.t === 'close') cur.next();
      const f = r.sections[0].fields;
      if (ODM_COV_KEYS.every((c) => typeof f[c.key] === 'number') && typeof f.EPOCH === 'object') {
        const cov: OemCovariance = { comments: r.sections[0].comments, epoch: f.EPOCH, lower: ODM_COV_KEYS.map((c) => f[c.key] as number) };
        if (typeof f.COV_REF_FRAME === 'string') cov.frame = f.COV_REF_FRAME;
        seg.covariances.push(cov);
        seg.covLocs.push(tok.loc);
      }
      continue;
    }
    cur.next();
    const keyword = tok.t === 'kv' ? tok.key : tok.t === 'open' || tok.t === 'close' ? tok.name : '';
    diag.error(tok.loc, keyword, tok.t === 'kv' ? 'keyword not allowed within the ephemeris data' : `unexpected ${tok.t === 'close' && tok.name === 'META' ? 'META_STOP without META_START' : 'element'}`);
  }
  if (segments.length === 0) diag.error(cur.endLoc(), 'META_START', 'an OEM needs at least one segment');
  for (const s of segments) if (s.states.count === 0) diag.error(cur.endLoc(), 'EPOCH', `segment of ${String(s.metadata.fields.OBJECT_NAME ?? '?')} has no ephemeris data line`);
  for (const s of segments) checkTimes(s, diag);
  expectEnd(cur, diag, 'OEM');
  const out = segments.map((s) => new OemSegment({ metadata: s.metadata, dataComments: s.dataComments, ephemeris: new OemEphemeris(s.states, s.timeSystem), covariances: s.covariances }));
  return { type: 'OEM', version, header: head.sections[0], segments: out };
}

/** A segment while its data lines are read (states in growable columns). */
interface SegmentBeingRead {
  metadata: KvSection;
  dataComments: string[];
  states: EphemerisBuilder;
  covariances: OemCovariance[];
  covLocs: Loc[];
  timeSystem: string;
  metaLoc: Loc | undefined;
}

/** Problems of one kind listed per segment before they are only counted (a reversed 30 MB file would list 250,000). */
const MAX_LISTED = 10;

/**
 * Time order and span (502.0-B-2 §5.2.3 Table 5-3 and §5.2.4): START_TIME..STOP_TIME is the
 * total span of the ephemeris and covariance data that follow; the useable span lies within
 * it (data lines may extend beyond it, for interpolation); data lines and covariance
 * matrices come in increasing time. Each breach is an error in strict mode, a warning in
 * lenient mode. Epochs are compared within the segment's one time system (`epochSeconds`).
 */
function checkTimes(s: SegmentBeingRead, diag: Diagnostics): void {
  const f = s.metadata.fields;
  const text = (k: string) => (typeof f[k] === 'object' ? (f[k] as CcsdsEpoch).text : undefined);
  const sec = (k: string) => {
    const t = text(k);
    return t === undefined ? undefined : epochSeconds(t);
  };
  const start = sec('START_TIME');
  const stop = sec('STOP_TIME');
  const uStart = sec('USEABLE_START_TIME');
  const uStop = sec('USEABLE_STOP_TIME');
  const loc = s.metaLoc;
  if (start !== undefined && stop !== undefined && stop < start) diag.deviation(loc, 'STOP_TIME', `STOP_TIME ${text('STOP_TIME')} is before START_TIME ${text('START_TIME')}`);
  if (uStart !== undefined && start !== undefined && uStart < start) diag.deviation(loc, 'USEABLE_START_TIME', `USEABLE_START_TIME ${text('USEABLE_START_TIME')} is before START_TIME ${text('START_TIME')}`);
  if (uStop !== undefined && stop !== undefined && uStop > stop) diag.deviation(loc, 'USEABLE_STOP_TIME', `USEABLE_STOP_TIME ${text('USEABLE_STOP_TIME')} is after STOP_TIME ${text('STOP_TIME')}`);
  if (uStart !== undefined && uStop !== undefined && uStop < uStart) diag.deviation(loc, 'USEABLE_STOP_TIME', `USEABLE_STOP_TIME ${text('USEABLE_STOP_TIME')} is before USEABLE_START_TIME ${text('USEABLE_START_TIME')}`);
  const span = `START_TIME..STOP_TIME (${text('START_TIME') ?? '?'} .. ${text('STOP_TIME') ?? '?'})`;
  const lo = start ?? -Infinity;
  const hi = stop ?? Infinity;
  const check = (what: string, n: number, at: (i: number) => number, epoch: (i: number) => string, where: (i: number) => Loc | undefined) => {
    let listed = 0;
    let more = 0;
    let last: Loc | undefined;
    const report = (i: number, message: string) => {
      if (listed < MAX_LISTED) {
        diag.deviation(where(i), 'EPOCH', message);
        listed++;
      } else {
        more++;
        last = where(i);
      }
    };
    for (let i = 0; i < n; i++) {
      const t = at(i);
      if (i > 0 && !(t > at(i - 1))) report(i, `${what} epoch ${epoch(i)} is not after the previous one (${epoch(i - 1)}): epochs must increase`);
      if (t < lo || t > hi) report(i, `${what} epoch ${epoch(i)} is outside ${span}`);
    }
    if (more > 0) diag.deviation(last, 'EPOCH', `${more} more ${what} epoch(s) out of order or outside the span (not listed)`);
  };
  const b = s.states;
  check('ephemeris', b.count, (i) => b.epochS[i], (i) => b.epoch(i), (i) => b.loc(i));
  const covS = s.covariances.map((c) => epochSeconds(c.epoch.text));
  check('covariance', covS.length, (i) => covS[i], (i) => s.covariances[i].epoch.text, (i) => s.covLocs[i]);
}

/** Splits on blanks without a regular expression (hot path: one call per ephemeris line). */
function fields(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && line.charCodeAt(i) <= 32) i++;
    if (i >= n) break;
    const s = i;
    while (i < n && line.charCodeAt(i) > 32) i++;
    out.push(line.slice(s, i));
  }
  return out;
}

/** Reads one ephemeris data line the slow way (reports what is wrong with it). */
function parseStateLine(line: string, loc: Loc, diag: Diagnostics, out: EphemerisBuilder): void {
  const f = fields(line);
  if (f.length !== 7 && f.length !== 10) {
    diag.error(loc, 'EPOCH', `ephemeris data line has ${f.length} fields (expected 7, or 10 with accelerations)`);
    return;
  }
  const why = epochSyntaxError(f[0]);
  if (why) {
    diag.error(loc, 'EPOCH', why);
    return;
  }
  const v = new Array<number>(f.length - 1);
  for (let i = 1; i < f.length; i++) {
    const x = parseReal(f[i]);
    if (x === undefined) {
      diag.error(loc, STATE_KEYS[i - 1], `'${f[i]}' is not a number`);
      return;
    }
    v[i - 1] = x;
  }
  out.push(f[0], epochSeconds(f[0]), v, v.length, loc);
}

function readKvnCovariance(cur: Cursor, diag: Diagnostics, seg: SegmentBeingRead, ctx: ReadContext): void {
  let block: { comments: string[]; epoch?: CcsdsEpoch; frame?: string; rows: number[][]; loc: Loc; bad: boolean } | undefined;
  let pending: string[] = [];
  const finish = () => {
    if (!block) return;
    if (!block.bad) {
      if (block.rows.length !== 6) diag.error(block.loc, 'EPOCH', `covariance matrix has ${block.rows.length} rows (the 6×6 lower triangle needs 6)`);
      else if (block.epoch) {
        seg.covariances.push({ comments: block.comments, epoch: block.epoch, ...(block.frame !== undefined ? { frame: block.frame } : {}), lower: block.rows.flat() });
        seg.covLocs.push(block.loc);
      }
    }
    block = undefined;
  };
  for (let tok: Token | undefined = cur.peek(); tok !== undefined; tok = cur.peek()) {
    if (tok.t === 'close' && tok.name === 'COVARIANCE') {
      cur.next();
      finish();
      if (pending.length) diag.error(tok.loc, 'COMMENT', 'comment at the end of the covariance section');
      return;
    }
    cur.next();
    if (tok.t === 'comment') {
      pending.push(tok.text);
      continue;
    }
    if (tok.t === 'kv' && tok.key === 'EPOCH') {
      finish();
      const e = parseValue(OEM_COVARIANCE.index.get('EPOCH')!, tok, ctx);
      block = { comments: pending, rows: [], loc: tok.loc, bad: e === undefined };
      if (e !== undefined) block.epoch = e as CcsdsEpoch;
      pending = [];
      continue;
    }
    if (tok.t === 'kv' && tok.key === 'COV_REF_FRAME') {
      if (!block || block.rows.length > 0) diag.error(tok.loc, tok.key, 'COV_REF_FRAME must follow the EPOCH of a covariance matrix');
      else block.frame = tok.value;
      continue;
    }
    if (tok.t === 'line') {
      if (!block) {
        diag.error(tok.loc, 'EPOCH', 'covariance row before the EPOCH of its matrix');
        continue;
      }
      const f = fields(tok.text);
      const row = block.rows.length;
      if (row >= 6) {
        diag.error(tok.loc, 'EPOCH', 'covariance matrix has more than 6 rows (too large dimension; a new matrix starts with EPOCH)');
        block.bad = true;
        continue;
      }
      if (f.length !== row + 1) {
        diag.error(tok.loc, ODM_COV_KEYS[lowerIndex(row, 0)].key, `covariance row ${row + 1} has ${f.length} values (the lower triangle needs ${row + 1})`);
        block.bad = true;
        block.rows.push([]);
        continue;
      }
      const nums = f.map(parseReal);
      const badAt = nums.findIndex((x) => x === undefined);
      if (badAt >= 0) {
        diag.error(tok.loc, ODM_COV_KEYS[lowerIndex(row, badAt)].key, `'${f[badAt]}' is not a number`);
        block.bad = true;
      }
      block.rows.push(nums as number[]);
      continue;
    }
    const keyword = tok.t === 'kv' ? tok.key : tok.t === 'open' || tok.t === 'close' ? tok.name : '';
    diag.error(tok.loc, keyword, 'not allowed within the covariance section');
  }
  diag.error(cur.endLoc(), 'COVARIANCE_STOP', 'missing COVARIANCE_STOP');
  finish();
}

export function writeOemKvn(oem: Oem): string {
  const w = new KvnWriter(20);
  w.kv('CCSDS_OEM_VERS', oem.version);
  w.section(oem.header, ODM_HEADER);
  for (const s of oem.segments) {
    w.blank();
    w.raw('META_START');
    w.section(s.metadata, OEM_METADATA);
    w.raw('META_STOP');
    w.blank();
    w.comments(s.dataComments);
    const e = s.ephemeris;
    for (let i = 0; i < e.count; i++) w.raw(`${e.epoch(i)} ${e.values(i).map(formatNumber).join(' ')}`);
    if (s.covariances.length) {
      w.blank();
      w.raw('COVARIANCE_START');
      for (const c of s.covariances) {
        w.comments(c.comments);
        w.kv('EPOCH', c.epoch.text);
        if (c.frame !== undefined) w.kv('COV_REF_FRAME', c.frame);
        for (let i = 0; i < 6; i++) w.raw(c.lower.slice((i * (i + 1)) / 2, ((i + 1) * (i + 2)) / 2).map(formatNumber).join(' '));
      }
      w.raw('COVARIANCE_STOP');
    }
  }
  return w.toString();
}

export function oemTree(oem: Oem): XNode {
  const segs = oem.segments.map((s) => {
    const data: XNode[] = s.dataComments.map((c) => leaf('COMMENT', c));
    const e = s.ephemeris;
    for (let j = 0; j < e.count; j++) {
      data.push(el('stateVector', [leaf('EPOCH', e.epoch(j)), ...e.values(j).map((v, i) => leaf(STATE_KEYS[i], formatNumber(v), { units: STATE_UNITS[i] }))]));
    }
    for (const c of s.covariances) {
      const kids = [...c.comments.map((x) => leaf('COMMENT', x)), leaf('EPOCH', c.epoch.text)];
      if (c.frame !== undefined) kids.push(leaf('COV_REF_FRAME', c.frame));
      ODM_COV_KEYS.forEach((k, i) => kids.push(leaf(k.key, formatNumber(c.lower[i]), { units: k.unit })));
      data.push(el('covarianceMatrix', kids));
    }
    return el('segment', [el('metadata', sectionNodes(s.metadata, OEM_METADATA)), el('data', data)]);
  });
  return el('oem', [el('header', sectionNodes(oem.header, ODM_HEADER)), el('body', segs)], { id: 'CCSDS_OEM_VERS', version: oem.version });
}
