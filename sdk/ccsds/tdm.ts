import { expectEnd, readVersion, TIME_SYSTEM_KEY } from './common';
import { epochSeconds, epochSyntaxError, type CcsdsEpoch } from './epoch';
import type { Cursor, Token, XNode } from './lexer';
import type { Diagnostics, Loc } from './problems';
import { readMetadataBlock, E, formatNumber, K, parseReal, R, readSections, section, YES_NO, type KeySpec, type KeyType, type KvSection, type ReadContext } from './sections';
import { sameUnit } from './units';
import { el, KvnWriter, leaf, sectionNodes } from './writer';

/**
 * Tracking Data Message, CCSDS 503.0-B-2 (June 2020; version 2.0) and 503.0-B-1 (version 1.0),
 * KVN (§4) and XML (NDM/XML 2.0 schema ndmxml-2.0.0-tdm-2.0.xsd). Header Table 3-2, metadata
 * Table 3-3, data keywords Table 3-5.
 *
 * The TDM KVN writes no units (values are in the units of Table 3-5, or of RANGE_UNITS for
 * RANGE, RANGE_MODULUS and CORRECTION_RANGE) and its XML schema gives the metadata and
 * observation elements no `units` attribute; the units below are kept for documentation
 * (`unitOf`) and to check a `[unit]` a producer may still write.
 */
function T(key: string, type: KeyType, unit?: string, more: Partial<KeySpec> = {}): KeySpec {
  return K(key, type, unit, { ...more, kvnUnits: false, xmlUnits: false });
}

const N = [1, 2, 3, 4, 5];

/** TDM header (503.0-B-2 Table 3-2; MESSAGE_ID is new in version 2.0). CREATION_DATE is UTC. */
export const TDM_HEADER = section('header', [R('CREATION_DATE', 'epoch', undefined, { utc: true }), R('ORIGINATOR', 'text'), K('MESSAGE_ID', 'text')]);

/** Reference frames allowed for REFERENCE_FRAME (503.0-B-2 Table 3-3; the schema's refFrameType). */
export const TDM_REFERENCE_FRAMES = ['EME2000', 'ICRF', 'ITRF2000', 'ITRF-93', 'ITRF-97', 'TOD'] as const;

/** TDM metadata, in the order of the XML schema sequence (tdmMetadata). */
export const TDM_METADATA = section('metadata', [
  K('TRACK_ID', 'text'),
  K('DATA_TYPES', 'text'),
  TIME_SYSTEM_KEY,
  K('START_TIME', 'epoch'),
  K('STOP_TIME', 'epoch'),
  ...N.map((n) => (n === 1 ? R('PARTICIPANT_1', 'text') : K(`PARTICIPANT_${n}`, 'text'))),
  E('MODE', ['SEQUENTIAL', 'SINGLE_DIFF']),
  K('PATH', 'text'),
  K('PATH_1', 'text'),
  K('PATH_2', 'text'),
  ...N.map((n) => K(`EPHEMERIS_NAME_${n}`, 'text')),
  K('TRANSMIT_BAND', 'text'),
  K('RECEIVE_BAND', 'text'),
  T('TURNAROUND_NUMERATOR', 'int'),
  T('TURNAROUND_DENOMINATOR', 'int'),
  E('TIMETAG_REF', ['TRANSMIT', 'RECEIVE']),
  T('INTEGRATION_INTERVAL', 'real', 's', { min: 0, minExclusive: true }),
  E('INTEGRATION_REF', ['START', 'MIDDLE', 'END']),
  T('FREQ_OFFSET', 'real', 'Hz'),
  E('RANGE_MODE', ['COHERENT', 'CONSTANT', 'ONE_WAY']),
  T('RANGE_MODULUS', 'real', undefined, { min: 0 }),
  E('RANGE_UNITS', ['km', 'RU', 's']),
  E('ANGLE_TYPE', ['AZEL', 'RADEC', 'XEYN', 'XSYE']),
  // Checked against TDM_REFERENCE_FRAMES after reading (a deviation, not a hard error).
  K('REFERENCE_FRAME', 'text'),
  K('INTERPOLATION', 'text'),
  T('INTERPOLATION_DEGREE', 'int', undefined, { min: 1 }),
  T('DOPPLER_COUNT_BIAS', 'real', 'Hz', { min: 0, minExclusive: true }),
  T('DOPPLER_COUNT_SCALE', 'int', undefined, { min: 1 }),
  E('DOPPLER_COUNT_ROLLOVER', YES_NO),
  ...N.map((n) => T(`TRANSMIT_DELAY_${n}`, 'real', 's', { min: 0 })),
  ...N.map((n) => T(`RECEIVE_DELAY_${n}`, 'real', 's', { min: 0 })),
  E('DATA_QUALITY', ['RAW', 'VALIDATED', 'DEGRADED']),
  T('CORRECTION_ANGLE_1', 'real', 'deg'),
  T('CORRECTION_ANGLE_2', 'real', 'deg'),
  T('CORRECTION_DOPPLER', 'real', 'km/s'),
  T('CORRECTION_MAG', 'real'),
  T('CORRECTION_RANGE', 'real'),
  T('CORRECTION_RCS', 'real', 'm**2'),
  T('CORRECTION_RECEIVE', 'real', 'Hz'),
  T('CORRECTION_TRANSMIT', 'real', 'Hz'),
  T('CORRECTION_ABERRATION_YEARLY', 'real', 'deg'),
  T('CORRECTION_ABERRATION_DIURNAL', 'real', 'deg'),
  E('CORRECTIONS_APPLIED', YES_NO),
]);

/** One tracking data keyword (503.0-B-2 Table 3-5) with its unit and the range of the schema. */
export interface TdmDataKey {
  key: string;
  /** Unit of the values; undefined for counts and magnitudes, 'RANGE_UNITS' when the metadata says. */
  unit?: string;
  min?: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
}

function D(key: string, unit?: string, range: Partial<TdmDataKey> = {}): TdmDataKey {
  return { key, ...(unit !== undefined ? { unit } : {}), ...range };
}

/** Tracking data keywords, in the order of the schema's observation choice. */
export const TDM_DATA_KEYS: TdmDataKey[] = [
  // angleType: −180 ≤ angle < 360 deg (ndmxml common angleRange).
  D('ANGLE_1', 'deg', { min: -180, max: 360, maxExclusive: true }),
  D('ANGLE_2', 'deg', { min: -180, max: 360, maxExclusive: true }),
  D('CARRIER_POWER', 'dBW'),
  D('CLOCK_BIAS', 's'),
  D('CLOCK_DRIFT', 's/s'),
  D('DOPPLER_COUNT'),
  D('DOPPLER_INSTANTANEOUS', 'km/s'),
  D('DOPPLER_INTEGRATED', 'km/s'),
  D('DOR', 's'),
  D('MAG'),
  D('PC_N0', 'dBHz'),
  D('PR_N0', 'dBHz'),
  D('PRESSURE', 'hPa'),
  D('RANGE', 'RANGE_UNITS'),
  D('RCS', 'm**2'),
  D('RECEIVE_FREQ', 'Hz'),
  ...N.map((n) => D(`RECEIVE_FREQ_${n}`, 'Hz')),
  ...N.map((n) => D(`RECEIVE_PHASE_CT_${n}`)),
  D('RHUMIDITY', '%', { min: 0, max: 100 }),
  D('STEC', 'TECU'),
  D('TEMPERATURE', 'K', { min: 0 }),
  ...N.map((n) => D(`TRANSMIT_FREQ_${n}`, 'Hz', { min: 0, minExclusive: true })),
  ...N.map((n) => D(`TRANSMIT_FREQ_RATE_${n}`, 'Hz/s')),
  ...N.map((n) => D(`TRANSMIT_PHASE_CT_${n}`)),
  D('TROPO_DRY', 'm', { min: 0 }),
  D('TROPO_WET', 'm', { min: 0 }),
  D('VLBI_DELAY', 's'),
];
const DATA_INDEX = new Map(TDM_DATA_KEYS.map((k) => [k.key, k]));

/** One tracking measurement: `KEYWORD = epoch value` (KVN) or `<observation>` (XML). */
export interface TdmObservation {
  keyword: string;
  epoch: CcsdsEpoch;
  /** In the unit of {@link TDM_DATA_KEYS} (RANGE: the segment's RANGE_UNITS). */
  value: number;
}

export interface TdmSegment {
  metadata: KvSection;
  dataComments: string[];
  observations: TdmObservation[];
}

export interface Tdm {
  type: 'TDM';
  version: string;
  header: KvSection;
  segments: TdmSegment[];
}

const VERSIONS = ['1.0', '2.0'];

/** PARTICIPANT index that a keyword ending in `_n` refers to (TRANSMIT_FREQ_2 → 2). */
function participantIndex(key: string): number | undefined {
  const m = /^(?:TRANSMIT_FREQ|TRANSMIT_FREQ_RATE|RECEIVE_FREQ|TRANSMIT_PHASE_CT|RECEIVE_PHASE_CT|TRANSMIT_DELAY|RECEIVE_DELAY|EPHEMERIS_NAME)_(\d)$/.exec(key);
  return m ? Number(m[1]) : undefined;
}

/** Checks among metadata keywords that the tables state in words (503.0-B-2 Table 3-3). */
function checkMetadata(meta: KvSection, loc: Loc | undefined, diag: Diagnostics): void {
  const f = meta.fields;
  const has = (k: string) => f[k] !== undefined;
  for (const k of Object.keys(f)) {
    const n = participantIndex(k);
    if (n !== undefined && !has(`PARTICIPANT_${n}`)) diag.error(loc, k, `refers to participant ${n}, but PARTICIPANT_${n} is not given`);
  }
  for (const k of ['PATH', 'PATH_1', 'PATH_2']) {
    const v = f[k];
    if (typeof v !== 'string') continue;
    // Schema pathType: \d,\d(,\d)* — participant indices separated by commas.
    if (!/^\d(,\d)+$/.test(v)) {
      if (/^\d(\s*,\s*\d)+$/.test(v)) diag.deviation(loc, k, `blanks in '${v}' (a path is written like 1,2,1)`);
      else {
        diag.error(loc, k, `'${v}' is not a signal path (participant indices separated by commas, e.g. 1,2,1)`);
        continue;
      }
    }
    for (const i of v.split(',').map((s) => Number(s.trim()))) {
      if (!has(`PARTICIPANT_${i}`)) diag.error(loc, k, `path '${v}' refers to participant ${i}, but PARTICIPANT_${i} is not given`);
    }
  }
  const mode = typeof f.MODE === 'string' ? f.MODE.toUpperCase() : undefined;
  // MODE = SEQUENTIAL uses PATH; SINGLE_DIFF uses PATH_1 and PATH_2 (Table 3-3, and the
  // schema's choice between PATH and PATH_1/PATH_2).
  if (has('PATH') && (has('PATH_1') || has('PATH_2'))) diag.error(loc, 'PATH', 'PATH and PATH_1/PATH_2 are exclusive');
  if (mode === 'SEQUENTIAL' && !has('PATH')) diag.error(loc, 'PATH', 'MODE = SEQUENTIAL needs PATH');
  if (mode === 'SINGLE_DIFF' && !(has('PATH_1') && has('PATH_2'))) diag.error(loc, 'PATH_1', 'MODE = SINGLE_DIFF needs PATH_1 and PATH_2');
  if (mode === undefined && (has('PATH') || has('PATH_1'))) diag.error(loc, 'MODE', 'a signal path is given without MODE');
  if (typeof f.REFERENCE_FRAME === 'string' && !TDM_REFERENCE_FRAMES.some((r) => r === f.REFERENCE_FRAME.toString().toUpperCase())) {
    diag.deviation(loc, 'REFERENCE_FRAME', `'${f.REFERENCE_FRAME}' is not a frame of 503.0-B-2 (${TDM_REFERENCE_FRAMES.join(', ')})`);
  }
}

interface SegmentState {
  seg: TdmSegment;
  startS: number;
  stopS: number;
}

function checkValue(keyword: string, spec: TdmDataKey, text: string, value: number, loc: Loc, diag: Diagnostics): void {
  const low = spec.min !== undefined && (value < spec.min || (spec.minExclusive === true && value === spec.min));
  const high = spec.max !== undefined && (value > spec.max || (spec.maxExclusive === true && value === spec.max));
  if (low || high) {
    const range = `${spec.min ?? '-inf'} ${spec.minExclusive ? '<' : '<='} value ${spec.maxExclusive ? '<' : '<='} ${spec.max ?? 'inf'}`;
    diag.deviation(loc, keyword, `value ${text} out of the range of the standard (${range}${spec.unit ? ` ${spec.unit}` : ''})`);
  }
}

/** Checks and stores one measurement. */
function addObservation(st: SegmentState, keyword: string, epochText: string, valueText: string, unit: string | undefined, loc: Loc, ctx: ReadContext): void {
  const { diag } = ctx;
  const spec = DATA_INDEX.get(keyword);
  if (!spec) {
    diag.error(loc, keyword, /^[A-Z][A-Z0-9_]*$/.test(keyword) ? 'unknown tracking data keyword' : 'not a keyword line');
    return;
  }
  const why = epochSyntaxError(epochText);
  if (why) {
    diag.error(loc, keyword, why);
    return;
  }
  const value = parseReal(valueText);
  if (value === undefined) {
    diag.error(loc, keyword, `'${valueText}' is not a number`);
    return;
  }
  if (unit !== undefined && unit !== '') {
    const expected = tdmUnitOf(st.seg, keyword);
    if (!(spec.unit === 'RANGE_UNITS' && expected === undefined) && (expected === undefined || !sameUnit(unit, expected))) diag.deviation(loc, keyword, `unit [${unit}] where the standard requires ${expected ? `[${expected}]` : 'none'}`);
  }
  checkValue(keyword, spec, valueText, value, loc, diag);
  const n = participantIndex(keyword);
  if (n !== undefined && st.seg.metadata.fields[`PARTICIPANT_${n}`] === undefined) diag.error(loc, keyword, `refers to participant ${n}, but PARTICIPANT_${n} is not given in the metadata`);
  const t = epochSeconds(epochText);
  if (t < st.startS || t > st.stopS) {
    diag.deviation(loc, keyword, `epoch ${epochText} outside the segment's START_TIME..STOP_TIME`);
  }
  st.seg.observations.push({ keyword, epoch: { text: epochText, timeSystem: ctx.timeSystem }, value });
}

/** Splits on blanks (data line values: epoch and measurement). */
function words(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && s.charCodeAt(i) <= 32) i++;
    if (i >= s.length) break;
    const a = i;
    while (i < s.length && s.charCodeAt(i) > 32) i++;
    out.push(s.slice(a, i));
  }
  return out;
}

function readObservationElement(cur: Cursor, open: Token, st: SegmentState, ctx: ReadContext): void {
  const { diag } = ctx;
  let epoch: (Token & { t: 'kv' }) | undefined;
  let measurement: (Token & { t: 'kv' }) | undefined;
  for (let t = cur.peek(); t !== undefined && !(t.t === 'close' && t.name === 'observation'); t = cur.peek()) {
    cur.next();
    if (t.t === 'kv' && t.key === 'EPOCH') {
      if (epoch || measurement) diag.error(t.loc, 'EPOCH', epoch ? 'second EPOCH in one observation' : 'EPOCH must come first in an observation');
      epoch ??= t;
    } else if (t.t === 'kv') {
      if (measurement) diag.error(t.loc, t.key, 'an observation holds one measurement (a second one was found)');
      else measurement = t;
    } else {
      diag.error(t.loc, t.t === 'comment' ? 'COMMENT' : t.t === 'open' || t.t === 'close' ? t.name : '', 'not allowed inside an observation');
    }
  }
  if (cur.peek() !== undefined) cur.next();
  if (!epoch) {
    diag.error(open.loc, 'EPOCH', `observation${measurement ? ` of ${measurement.key}` : ''} has no EPOCH`);
    return;
  }
  if (!measurement) {
    diag.error(open.loc, 'EPOCH', `observation at ${epoch.value} has no measurement`);
    return;
  }
  addObservation(st, measurement.key, epoch.value, measurement.value, measurement.unit, measurement.loc, ctx);
}

export function readTdm(cur: Cursor, diag: Diagnostics): Tdm {
  const version = readVersion(cur, diag, 'TDM', VERSIONS);
  const kvn = cur.syntax === 'kvn';
  const ctx: ReadContext = { diag, timeSystem: 'UTC' };
  const head = readSections(cur, [TDM_HEADER], ctx, { stopAt: (t) => t.t === 'open' && (t.name === 'META' || t.name === 'segment' || t.name === 'body'), elsewhere: () => false });
  const segments: TdmSegment[] = [];
  let pending = head.trailing;
  let st: SegmentState | undefined;
  /** Inside DATA_START…DATA_STOP (KVN) or <data> (XML). */
  let inData = false;
  /** The current segment already had its data block. */
  let dataDone = false;
  let timeSystem: string | undefined;
  for (let tok = cur.peek(); tok !== undefined; tok = cur.peek()) {
    if (tok.t === 'open' && (tok.name === 'META' || tok.name === 'metadata')) {
      if (inData) diag.error(tok.loc, 'DATA_STOP', 'missing DATA_STOP before the next META_START');
      if (st && !dataDone) diag.error(tok.loc, kvn ? 'DATA_START' : 'data', 'segment without data block');
      inData = false;
      dataDone = false;
      cur.next();
      const block = readMetadataBlock(cur, TDM_METADATA, ctx, pending, kvn);
      pending = block.trailing;
      const { metadata, timeSystem: ts } = block;
      if (timeSystem !== undefined && ts !== timeSystem && typeof metadata.fields.TIME_SYSTEM === 'string') {
        // As for the OEM: measurements of one message feed one orbit determination; a change
        // of time scale between segments is rejected (Orekit does the same), naming both.
        diag.error(block.loc, 'TIME_SYSTEM', `segments use different time systems (${timeSystem} then ${ts})`);
      }
      if (typeof metadata.fields.TIME_SYSTEM === 'string') timeSystem ??= ts;
      ctx.timeSystem = ts;
      checkMetadata(metadata, block.loc, diag);
      const span = (k: string, dflt: number) => {
        const v = metadata.fields[k];
        return typeof v === 'object' ? epochSeconds(v.text) : dflt;
      };
      st = { seg: { metadata, dataComments: [], observations: [] }, startS: span('START_TIME', -Infinity), stopS: span('STOP_TIME', Infinity) };
      segments.push(st.seg);
      continue;
    }
    if (tok.t === 'open' && (tok.name === 'DATA' || tok.name === 'data')) {
      cur.next();
      if (!st) diag.error(tok.loc, tok.name, kvn ? 'DATA_START before any META_START' : 'data before metadata');
      else if (dataDone) diag.error(tok.loc, tok.name, kvn ? 'second DATA_START for one metadata block' : 'second data element in a segment');
      inData = true;
      if (st && pending.length) {
        st.seg.dataComments.push(...pending);
        pending = [];
      }
      continue;
    }
    if (tok.t === 'close' && (tok.name === 'DATA' || tok.name === 'data')) {
      cur.next();
      if (!inData) diag.error(tok.loc, kvn ? 'DATA_STOP' : 'data', 'DATA_STOP without DATA_START');
      inData = false;
      dataDone = true;
      continue;
    }
    if ((tok.t === 'open' || tok.t === 'close') && (tok.name === 'segment' || tok.name === 'body')) {
      cur.next();
      continue;
    }
    if (tok.t === 'close' && tok.name === 'tdm') break;
    if (tok.t === 'comment') {
      cur.next();
      if (st && inData) {
        // 503.0-B-2 §4.3.6: comments open the data section; later ones are kept with them.
        if (st.seg.observations.length > 0) diag.warn(tok.loc, 'COMMENT', 'comment among the tracking data lines moved to the start of the data section');
        st.seg.dataComments.push(tok.text);
      } else pending.push(tok.text);
      continue;
    }
    cur.next();
    if (!st || !inData) {
      const keyword = tok.t === 'kv' ? tok.key : tok.t === 'open' || tok.t === 'close' ? tok.name : '';
      diag.error(tok.loc, keyword, !st ? (kvn ? 'expected META_START (a segment begins with its metadata)' : 'expected <segment><metadata>') : kvn ? 'tracking data outside DATA_START…DATA_STOP' : 'unexpected element outside <data>');
      continue;
    }
    if (tok.t === 'kv') {
      if (!kvn) {
        diag.error(tok.loc, tok.key, 'a measurement must be inside an <observation> with its EPOCH');
        continue;
      }
      const w = words(tok.value);
      if (w.length !== 2) {
        diag.error(tok.loc, tok.key, `data line has ${w.length} field(s) after '=' (expected an epoch and one value)`);
        continue;
      }
      addObservation(st, tok.key, w[0], w[1], tok.unit, tok.loc, ctx);
      continue;
    }
    if (tok.t === 'open' && tok.name === 'observation') {
      readObservationElement(cur, tok, st, ctx);
      continue;
    }
    const keyword = tok.t === 'open' || tok.t === 'close' ? tok.name : '';
    diag.error(tok.loc, keyword, tok.t === 'line' ? `'${tok.text}' is not a tracking data line (KEYWORD = epoch value)` : 'unexpected element in the tracking data');
  }
  if (inData) diag.error(cur.endLoc(), kvn ? 'DATA_STOP' : 'data', kvn ? 'missing DATA_STOP at the end of the message' : 'data element not closed');
  if (segments.length === 0) diag.error(cur.endLoc(), kvn ? 'META_START' : 'segment', 'a TDM needs at least one segment');
  else if (!dataDone && !inData) diag.error(cur.endLoc(), kvn ? 'DATA_START' : 'data', 'segment without data block');
  for (const s of segments) {
    if (s.observations.length === 0 && !diag.hasErrors) diag.error(cur.endLoc(), 'DATA_START', `segment of ${String(s.metadata.fields.PARTICIPANT_1 ?? '?')} has no tracking data`);
  }
  expectEnd(cur, diag, 'TDM');
  return { type: 'TDM', version, header: head.sections[0], segments };
}

export function writeTdmKvn(tdm: Tdm): string {
  const w = new KvnWriter(22);
  w.kv('CCSDS_TDM_VERS', tdm.version);
  w.section(tdm.header, TDM_HEADER);
  for (const s of tdm.segments) {
    w.blank();
    w.raw('META_START');
    w.section(s.metadata, TDM_METADATA);
    w.raw('META_STOP');
    w.raw('DATA_START');
    w.comments(s.dataComments);
    for (const o of s.observations) w.kv(o.keyword, `${o.epoch.text} ${formatNumber(o.value)}`);
    w.raw('DATA_STOP');
  }
  return w.toString();
}

export function tdmTree(tdm: Tdm): XNode {
  const segs = tdm.segments.map((s) => {
    const data: XNode[] = s.dataComments.map((c) => leaf('COMMENT', c));
    for (const o of s.observations) data.push(el('observation', [leaf('EPOCH', o.epoch.text), leaf(o.keyword, formatNumber(o.value))]));
    return el('segment', [el('metadata', sectionNodes(s.metadata, TDM_METADATA)), el('data', data)]);
  });
  return el('tdm', [el('header', sectionNodes(tdm.header, TDM_HEADER)), el('body', segs)], { id: 'CCSDS_TDM_VERS', version: tdm.version });
}

/** Unit of a segment's measurements of one keyword (RANGE: the segment's RANGE_UNITS, undefined when absent). */
export function tdmUnitOf(segment: TdmSegment, keyword: string): string | undefined {
  const u = DATA_INDEX.get(keyword)?.unit;
  if (u !== 'RANGE_UNITS') return u;
  const r = segment.metadata.fields.RANGE_UNITS;
  return typeof r === 'string' ? r : undefined;
}

