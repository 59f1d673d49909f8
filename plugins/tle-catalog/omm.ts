import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { GpElementSet } from '../../interfaces/domain/catalog';
import { Epoch } from '../../sdk/astro/time';

/**
 * Orbit Mean-elements Messages carrying SGP4 mean elements, in the four syntaxes met in
 * practice: CCSDS KVN and XML (CCSDS 502.0-B-3 "Orbit Data Messages", §4 and the NDM/XML
 * schema), and the flat JSON and CSV that CelesTrak's GP service serves (one object per
 * record, keywords as keys/column names — the same keywords as the KVN).
 *
 * Every syntax is first reduced to flat records `KEYWORD → text` with the line (or record)
 * each came from, then one function turns a record into a {@link GpElementSet}. Keyword
 * units (CCSDS 502.0-B-3 Table 4-3): MEAN_MOTION rev/day, angles deg, BSTAR 1/ER,
 * MEAN_MOTION_DOT rev/day², MEAN_MOTION_DDOT rev/day³. For SGP4 element sets these two
 * carry the TLE fields ṅ/2 and n̈/6 (as CelesTrak's GP data does), and are kept as such.
 */

export interface OmmRecord {
  fields: Map<string, string>;
  /** 1-based line (KVN, CSV) or record number (JSON, XML segment) where the record starts. */
  line: number;
  /** KVN: the line of each keyword, so errors point at it. */
  keyLines?: Map<string, number>;
}

/** A problem with one keyword of a record. */
export class OmmKeywordError extends Error {
  constructor(
    readonly keyword: string,
    reason: string,
  ) {
    super(`keyword ${keyword}: ${reason}`);
  }
}

export interface OmmReadResult {
  records: { set: GpElementSet; line: number }[];
  errors: { line: number; reason: string }[];
  syntax: 'kvn' | 'xml' | 'json' | 'csv';
}

/** Guesses the OMM syntax from the content. */
export function ommSyntax(text: string): 'kvn' | 'xml' | 'json' | 'csv' | undefined {
  const t = text.replace(/^\uFEFF/, '').trimStart();
  if (t.startsWith('<')) return 'xml';
  if (t.startsWith('{') || t.startsWith('[')) return 'json';
  if (/^CCSDS_OMM_VERS\s*=/.test(t)) return 'kvn';
  const header = t.split(/\r?\n/, 1)[0];
  if (/(^|,)\s*"?NORAD_CAT_ID"?\s*(,|$)/.test(header) && header.includes('EPOCH')) return 'csv';
  return undefined;
}

function kvnRecords(text: string): OmmRecord[] {
  const out: OmmRecord[] = [];
  let cur: OmmRecord | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].replace(/^\uFEFF/, '').trim();
    if (l === '' || l.startsWith('COMMENT')) continue;
    const m = /^([A-Z0-9_]+)\s*=\s*(.*?)\s*(\[[^\]]*\])?$/.exec(l);
    if (!m) {
      if (cur) cur.fields.set('#ERROR', `line ${i + 1}: '${l}' is not KEYWORD = value`);
      continue;
    }
    // A new message (concatenated file) or a new segment starts a new record.
    if (m[1] === 'CCSDS_OMM_VERS' || (m[1] === 'OBJECT_NAME' && cur?.fields.has('EPOCH'))) {
      const header = cur && m[1] === 'OBJECT_NAME' ? cur.fields : undefined;
      cur = { fields: new Map(), line: i + 1, keyLines: new Map() };
      if (header) for (const k of ['CCSDS_OMM_VERS', 'CREATION_DATE', 'ORIGINATOR']) if (header.has(k)) cur.fields.set(k, header.get(k)!);
      out.push(cur);
    }
    if (!cur) {
      cur = { fields: new Map(), line: i + 1, keyLines: new Map() };
      out.push(cur);
    }
    cur.fields.set(m[1], m[2]);
    cur.keyLines?.set(m[1], i + 1);
  }
  return out;
}

function csvRecords(text: string): OmmRecord[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const split = (l: string) => l.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  const header = split(lines[0]);
  const out: OmmRecord[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const cells = split(lines[i]);
    const fields = new Map<string, string>();
    if (cells.length !== header.length) fields.set('#ERROR', `line ${i + 1}: ${cells.length} columns, the header has ${header.length}`);
    header.forEach((h, k) => {
      if (cells[k] !== undefined && cells[k] !== '') fields.set(h, cells[k]);
    });
    out.push({ fields, line: i + 1 });
  }
  return out;
}

function flatten(value: unknown, into: Map<string, string>): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const v of value) flatten(v, into);
    return;
  }
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== null && typeof v === 'object' && !Array.isArray(v) && '#text' in (v as object)) into.set(k, String((v as Record<string, unknown>)['#text']));
      else if (v !== null && typeof v === 'object') flatten(v, into);
      else if (!k.startsWith('@_') && k !== 'COMMENT') into.set(k, String(v));
    }
  }
}

function jsonRecords(text: string): OmmRecord[] {
  const value = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  const items = Array.isArray(value) ? value : [value];
  return items.map((item, i) => {
    const fields = new Map<string, string>();
    // CelesTrak's flat objects, or a CCSDS-style tree ({"omm": {header, body: {segment…}}}).
    flatten(item, fields);
    return { fields, line: i + 1 };
  });
}

function xmlRecords(text: string): OmmRecord[] {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Error(`line ${valid.err.line}: malformed XML: ${valid.err.msg}`);
  const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, trimValues: true, isArray: (name) => name === 'omm' || name === 'segment' });
  const doc = parser.parse(text) as Record<string, unknown>;
  const omms: unknown[] = [];
  const root = (doc.ndm as Record<string, unknown> | undefined) ?? doc;
  for (const o of (root.omm as unknown[] | undefined) ?? []) omms.push(o);
  if (omms.length === 0) throw new Error('no <omm> element found');
  const out: OmmRecord[] = [];
  for (const o of omms) {
    const header = new Map<string, string>();
    flatten((o as Record<string, unknown>).header, header);
    const segments = ((o as Record<string, { segment?: unknown[] }>).body?.segment ?? []) as unknown[];
    for (const seg of segments) {
      const fields = new Map(header);
      flatten(seg, fields);
      out.push({ fields, line: out.length + 1 });
    }
  }
  return out;
}

/** Reads the records of an OMM text; errors of syntax are returned, never thrown. */
export function readOmm(text: string, source?: string): OmmReadResult {
  const syntax = ommSyntax(text);
  const errors: { line: number; reason: string }[] = [];
  const records: { set: GpElementSet; line: number }[] = [];
  if (!syntax) return { records, errors: [{ line: 1, reason: 'not an OMM (no CCSDS_OMM_VERS, XML, JSON or CSV with NORAD_CAT_ID/EPOCH)' }], syntax: 'kvn' };
  let raw: OmmRecord[];
  try {
    raw = syntax === 'kvn' ? kvnRecords(text) : syntax === 'csv' ? csvRecords(text) : syntax === 'json' ? jsonRecords(text) : xmlRecords(text);
  } catch (err) {
    const msg = (err as Error).message;
    const m = /^line (\d+): (.*)$/s.exec(msg);
    return { records, errors: [{ line: m ? Number(m[1]) : 1, reason: m ? m[2] : msg }], syntax };
  }
  for (const r of raw) {
    try {
      records.push({ set: ommRecordToSet(r, source), line: r.line });
    } catch (err) {
      const line = err instanceof OmmKeywordError ? (r.keyLines?.get(err.keyword) ?? r.line) : r.line;
      errors.push({ line, reason: (err as Error).message });
    }
  }
  return { records, errors, syntax };
}

/** Converts one flat OMM record to an element set; throws naming the keyword at fault. */
export function ommRecordToSet(r: OmmRecord, source?: string): GpElementSet {
  const f = r.fields;
  if (f.has('#ERROR')) throw new Error(f.get('#ERROR'));
  const text = (k: string): string => {
    const v = f.get(k);
    if (v === undefined || v === '') throw new OmmKeywordError(k, 'missing');
    return v;
  };
  const number = (k: string, dflt?: number): number => {
    const v = f.get(k);
    if ((v === undefined || v === '') && dflt !== undefined) return dflt;
    const x = Number(text(k));
    if (!Number.isFinite(x)) throw new OmmKeywordError(k, `'${f.get(k)}' is not a number`);
    return x;
  };
  const theory = f.get('MEAN_ELEMENT_THEORY');
  // CelesTrak's flat formats omit the theory: their sets are SGP4 by construction.
  if (theory !== undefined && !/^SGP(\/SGP4|4|4-XP)?$/i.test(theory.trim())) {
    throw new OmmKeywordError('MEAN_ELEMENT_THEORY', `'${theory}' is not SGP4: only SGP4 mean elements belong in the GP catalog`);
  }
  const ts = f.get('TIME_SYSTEM');
  if (ts !== undefined && ts.trim().toUpperCase() !== 'UTC') throw new OmmKeywordError('TIME_SYSTEM', `'${ts}' is not UTC (GP element sets are UTC)`);
  const frame = f.get('REF_FRAME');
  if (frame !== undefined && frame.trim().toUpperCase() !== 'TEME') throw new OmmKeywordError('REF_FRAME', `'${frame}' is not TEME (SGP4 elements are TEME)`);
  if (!f.has('MEAN_MOTION')) throw new Error(`keyword MEAN_MOTION missing${f.has('SEMI_MAJOR_AXIS') ? ' (SEMI_MAJOR_AXIS given: not an SGP4 element set)' : ''}`);
  let epochUtc: string;
  try {
    epochUtc = Epoch.parse(text('EPOCH').replace(/Z$/, ''), 'UTC').toIso('UTC', 6);
  } catch (err) {
    throw new OmmKeywordError('EPOCH', (err as Error).message);
  }
  const noradId = number('NORAD_CAT_ID');
  if (!Number.isInteger(noradId) || noradId < 0 || noradId > 339_999) throw new OmmKeywordError('NORAD_CAT_ID', `${noradId} is not an integer in 0..339999`);
  const cls = (f.get('CLASSIFICATION_TYPE') ?? 'U').trim().toUpperCase();
  if (cls !== 'U' && cls !== 'C' && cls !== 'S') throw new OmmKeywordError('CLASSIFICATION_TYPE', `'${cls}' is not U, C or S`);
  const set: GpElementSet = {
    noradId,
    classification: cls,
    epochUtc,
    meanMotionRevPerDay: number('MEAN_MOTION'),
    eccentricity: number('ECCENTRICITY'),
    inclinationDeg: number('INCLINATION'),
    raanDeg: number('RA_OF_ASC_NODE'),
    argPericenterDeg: number('ARG_OF_PERICENTER'),
    meanAnomalyDeg: number('MEAN_ANOMALY'),
    bstarPerEarthRadius: number('BSTAR', 0),
    meanMotionDotRevPerDay2: number('MEAN_MOTION_DOT', 0),
    meanMotionDdotRevPerDay3: number('MEAN_MOTION_DDOT', 0),
    ephemerisType: number('EPHEMERIS_TYPE', 0),
    elementSetNo: number('ELEMENT_SET_NO', 999),
    revAtEpoch: number('REV_AT_EPOCH', 0),
  };
  const checks: [number, number, number, string, boolean?][] = [
    [set.meanMotionRevPerDay, 0, Infinity, 'MEAN_MOTION', true],
    [set.eccentricity, 0, 1, 'ECCENTRICITY', true],
    [set.inclinationDeg, 0, 180, 'INCLINATION'],
    [set.raanDeg, 0, 360, 'RA_OF_ASC_NODE', true],
    [set.argPericenterDeg, 0, 360, 'ARG_OF_PERICENTER', true],
    [set.meanAnomalyDeg, 0, 360, 'MEAN_ANOMALY', true],
  ];
  for (const [v, lo, hi, k, open] of checks) {
    if (!(v >= lo && (open ? v < hi : v <= hi)) || (k === 'MEAN_MOTION' && v === 0)) throw new OmmKeywordError(k, `${v} outside [${lo}, ${hi}${open ? ')' : ']'}`);
  }
  if (!Number.isInteger(set.ephemerisType) || set.ephemerisType < 0 || set.ephemerisType > 9) throw new OmmKeywordError('EPHEMERIS_TYPE', `${set.ephemerisType} is not 0..9`);
  if (!Number.isInteger(set.elementSetNo) || set.elementSetNo < 0 || set.elementSetNo > 9999) throw new OmmKeywordError('ELEMENT_SET_NO', `${set.elementSetNo} is not 0..9999`);
  if (!Number.isInteger(set.revAtEpoch) || set.revAtEpoch < 0) throw new OmmKeywordError('REV_AT_EPOCH', `${set.revAtEpoch} is not a non-negative integer`);
  const name = f.get('OBJECT_NAME')?.trim();
  if (name) set.objectName = name;
  const id = f.get('OBJECT_ID')?.trim();
  if (id && /^\d{4}-\d{3}[A-Z]{1,3}$/.test(id)) set.objectId = id;
  if (source) set.source = source;
  return set;
}
