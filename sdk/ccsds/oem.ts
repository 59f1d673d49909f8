import { expectEnd, lowerIndex, ODM_COV_KEYS, ODM_HEADER, readVersion, TIME_SYSTEM_KEY } from './common';
import type { CcsdsEpoch } from './epoch';
import { epochSyntaxError } from './epoch';
import type { Cursor, Token, XNode } from './lexer';
import type { Diagnostics, Loc } from './problems';
import { applyTimeSystem, formatNumber, K, parseReal, parseValue, R, readSections, section, type KvSection, type ReadContext } from './sections';
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

export interface OemSegment {
  metadata: KvSection;
  dataComments: string[];
  states: OemState[];
  covariances: OemCovariance[];
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
  const segments: OemSegment[] = [];
  let pending = head.trailing;
  let seg: OemSegment | undefined;
  let timeSystem: string | undefined;
  for (let tok = cur.peek(); tok !== undefined; tok = cur.peek()) {
    if (tok.t === 'open' && (tok.name === 'META' || tok.name === 'metadata')) {
      const kvn = tok.name === 'META';
      cur.next();
      const r = readSections(cur, [OEM_METADATA], ctx, { leading: pending, stopAt: (t) => t.t === 'close' || t.t === 'line' || (t.t === 'open' && t.name !== 'metadata') });
      pending = r.trailing;
      const end = cur.peek();
      if (end?.t === 'close' && end.name === (kvn ? 'META' : 'metadata')) cur.next();
      else diag.error(end?.loc ?? cur.endLoc(), kvn ? 'META_STOP' : 'metadata', kvn ? 'missing META_STOP at the end of the metadata' : 'metadata element not closed where expected');
      const metadata = r.sections[0];
      const ts = typeof metadata.fields.TIME_SYSTEM === 'string' ? metadata.fields.TIME_SYSTEM.toUpperCase() : 'UTC';
      applyTimeSystem(metadata, OEM_METADATA, ts);
      if (timeSystem !== undefined && ts !== timeSystem) {
        // Not spelled out by 502.0-B-2, but an ephemeris whose segments change time scale cannot
        // be interpolated as one trajectory: rejected (as Orekit does), naming both systems.
        diag.error(r.firstLoc[0], 'TIME_SYSTEM', `segments use different time systems (${timeSystem} then ${ts})`);
      }
      timeSystem ??= ts;
      ctx.timeSystem = ts;
      seg = { metadata, dataComments: [...pending], states: [], covariances: [] };
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
      if (seg.states.length > 0) diag.warn(tok.loc, 'COMMENT', 'comment among the ephemeris data lines moved to the start of the data section');
      seg.dataComments.push(tok.text);
      cur.next();
      continue;
    }
    if (tok.t === 'line') {
      cur.next();
      const st = parseStateLine(tok.text, tok.loc, diag, ctx.timeSystem);
      if (st) seg.states.push(st);
      continue;
    }
    if (tok.t === 'open' && tok.name === 'stateVector') {
      cur.next();
      const r = readSections(cur, [OEM_STATE], ctx, { stopAt: (t) => t.t === 'close' && t.name === 'stateVector' });
      if (cur.peek()?.t === 'close') cur.next();
      const f = r.sections[0].fields;
      if (r.sections[0].comments.length) diag.error(tok.loc, 'COMMENT', 'comments are not allowed inside a stateVector');
      if (STATE_KEYS.slice(0, 6).every((k) => typeof f[k] === 'number') && typeof f.EPOCH === 'object') {
        const st: OemState = { epoch: f.EPOCH, posKm: [f.X, f.Y, f.Z] as [number, number, number], velKmS: [f.X_DOT, f.Y_DOT, f.Z_DOT] as [number, number, number] };
        const acc = STATE_KEYS.slice(6).filter((k) => k in f).length;
        if (acc === 3) st.accKmS2 = [f.X_DDOT, f.Y_DDOT, f.Z_DDOT] as [number, number, number];
        else if (acc > 0) diag.error(tok.loc, 'X_DDOT', 'accelerations must be given for all three axes or none');
        seg.states.push(st);
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
      }
      continue;
    }
    cur.next();
    const keyword = tok.t === 'kv' ? tok.key : tok.t === 'open' || tok.t === 'close' ? tok.name : '';
    diag.error(tok.loc, keyword, tok.t === 'kv' ? 'keyword not allowed within the ephemeris data' : `unexpected ${tok.t === 'close' && tok.name === 'META' ? 'META_STOP without META_START' : 'element'}`);
  }
  if (segments.length === 0) diag.error(cur.endLoc(), 'META_START', 'an OEM needs at least one segment');
  for (const s of segments) if (s.states.length === 0) diag.error(cur.endLoc(), 'EPOCH', `segment of ${String(s.metadata.fields.OBJECT_NAME ?? '?')} has no ephemeris data line`);
  expectEnd(cur, diag, 'OEM');
  return { type: 'OEM', version, header: head.sections[0], segments };
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

function parseStateLine(line: string, loc: Loc, diag: Diagnostics, timeSystem: string): OemState | undefined {
  const f = fields(line);
  if (f.length !== 7 && f.length !== 10) {
    diag.error(loc, 'EPOCH', `ephemeris data line has ${f.length} fields (expected 7, or 10 with accelerations)`);
    return undefined;
  }
  const why = epochSyntaxError(f[0]);
  if (why) {
    diag.error(loc, 'EPOCH', why);
    return undefined;
  }
  const v = new Array<number>(f.length - 1);
  for (let i = 1; i < f.length; i++) {
    const x = parseReal(f[i]);
    if (x === undefined) {
      diag.error(loc, STATE_KEYS[i - 1], `'${f[i]}' is not a number`);
      return undefined;
    }
    v[i - 1] = x;
  }
  const st: OemState = { epoch: { text: f[0], timeSystem }, posKm: [v[0], v[1], v[2]], velKmS: [v[3], v[4], v[5]] };
  if (v.length === 9) st.accKmS2 = [v[6], v[7], v[8]];
  return st;
}

function readKvnCovariance(cur: Cursor, diag: Diagnostics, seg: OemSegment, ctx: ReadContext): void {
  let block: { comments: string[]; epoch?: CcsdsEpoch; frame?: string; rows: number[][]; loc: Loc; bad: boolean } | undefined;
  let pending: string[] = [];
  const finish = () => {
    if (!block) return;
    if (!block.bad) {
      if (block.rows.length !== 6) diag.error(block.loc, 'EPOCH', `covariance matrix has ${block.rows.length} rows (the 6×6 lower triangle needs 6)`);
      else if (block.epoch) seg.covariances.push({ comments: block.comments, epoch: block.epoch, ...(block.frame !== undefined ? { frame: block.frame } : {}), lower: block.rows.flat() });
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
    for (const st of s.states) {
      const parts = [st.epoch.text, ...[...st.posKm, ...st.velKmS, ...(st.accKmS2 ?? [])].map(formatNumber)];
      w.raw(parts.join(' '));
    }
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
    for (const st of s.states) {
      const vals = [...st.posKm, ...st.velKmS, ...(st.accKmS2 ?? [])];
      data.push(el('stateVector', [leaf('EPOCH', st.epoch.text), ...vals.map((v, i) => leaf(STATE_KEYS[i], formatNumber(v), { units: STATE_UNITS[i] }))]));
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
