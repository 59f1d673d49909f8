import type { GpElementSet } from '../../interfaces/domain/catalog';
import { Epoch } from '../../sdk/astro/time';
import { CcsdsParseError, parseCelestrakOmm, parseNdm, type CcsdsProblem, type FieldValue, type Omm } from '../../sdk/ccsds';

/**
 * Orbit Mean-elements Messages carrying SGP4 mean elements → {@link GpElementSet}.
 *
 * Reading is the shared codecs' (`sdk/ccsds`): `parseNdm` for CCSDS KVN, XML and JSON
 * (502.0-B-2/B-3 §4), `parseCelestrakOmm` for CelesTrak's flat GP JSON and CSV. Both run in
 * lenient mode: real producers leave mandatory header values empty (CelesTrak's
 * `<CREATION_DATE/>`), which must not cost the catalog an element set; their warnings are
 * reported. This file only splits multi-message files and maps one OMM to one element set.
 *
 * Units (502.0-B-3 Table 4-3): MEAN_MOTION rev/day, angles deg, BSTAR 1/ER, MEAN_MOTION_DOT
 * rev/day², MEAN_MOTION_DDOT rev/day³. For SGP4 element sets these two carry the TLE fields
 * ṅ/2 and n̈/6 (as CelesTrak's GP data does), and are kept as such.
 */

export type OmmForm = 'kvn' | 'xml' | 'json' | 'csv';

/** A problem, where it is (line, or record number for JSON), and its reason. */
export interface OmmIssue {
  line: number;
  reason: string;
}

export interface OmmReadResult {
  records: { set: GpElementSet; line: number }[];
  errors: OmmIssue[];
  /** Lenient-mode deviations accepted by the codecs. */
  warnings: OmmIssue[];
  syntax: OmmForm;
}

/** CelesTrak flat forms are a JSON array/object of keyword members, or a CSV whose header names NORAD_CAT_ID and EPOCH. */
export function ommSyntax(text: string): OmmForm | undefined {
  const t = text.replace(/^\uFEFF/, '').trimStart();
  if (t.startsWith('<')) return 'xml';
  if (t.startsWith('{') || t.startsWith('[')) return 'json';
  if (/^CCSDS_OMM_VERS\s*=/.test(t)) return 'kvn';
  const header = t.split(/\r?\n/, 1)[0];
  if (/(^|,)\s*"?NORAD_CAT_ID"?\s*(,|$)/.test(header) && header.includes('EPOCH')) return 'csv';
  return undefined;
}

/** One OMM to map, with what is needed to place a keyword of it on a line. */
interface Read {
  omm: Omm;
  /** Line (or JSON record number) where the message starts. */
  line: number;
  /** Line of a keyword, when the message's text is at hand. */
  lineOf(keyword: string): number;
}

const issue = (p: CcsdsProblem, fallbackLine: number, lineOffset = 0): OmmIssue => ({
  line: p.line !== undefined ? p.line + lineOffset : fallbackLine,
  reason: `${p.keyword ? `keyword ${p.keyword}: ` : ''}${p.message}${p.xmlPath ? ` (${p.xmlPath})` : ''}`,
});

/** Reads the OMMs of a text; problems are returned, never thrown. */
export function readOmm(text: string, source?: string): OmmReadResult {
  const syntax = ommSyntax(text);
  const out: OmmReadResult = { records: [], errors: [], warnings: [], syntax: syntax ?? 'kvn' };
  if (!syntax) {
    out.errors.push({ line: 1, reason: 'not an OMM (no CCSDS_OMM_VERS, XML, JSON or CSV with NORAD_CAT_ID/EPOCH)' });
    return out;
  }
  const file = source ?? '<input>';
  const reads = isCelestrak(text, syntax) ? readCelestrak(text, syntax, file, out) : readCcsds(text, file, out);
  for (const r of reads) {
    try {
      out.records.push({ set: ommToGpElementSet(r.omm, source), line: r.line });
    } catch (err) {
      if (!(err instanceof OmmKeywordError)) throw err;
      out.errors.push({ line: r.lineOf(err.keyword), reason: err.message });
    }
  }
  return out;
}

function isCelestrak(text: string, syntax: OmmForm): boolean {
  if (syntax === 'csv') return true;
  // A CCSDS JSON message is one member named after it ({"omm": …} or {"ndm": …}).
  return syntax === 'json' && !/^\s*\{\s*"(?:omm|ndm)"\s*:/i.test(text.replace(/^\uFEFF/, ''));
}

/**
 * CCSDS KVN/XML/JSON. A file may hold several messages: CelesTrak's FORMAT=kvn concatenates
 * OMMs (each opening with CCSDS_OMM_VERS), its FORMAT=xml puts them in one `<ndm>`. `parseNdm`
 * reads one message, so each is cut out and read alone, its lines shifted back in place.
 */
function readCcsds(text: string, file: string, out: OmmReadResult): Read[] {
  const reads: Read[] = [];
  for (const part of splitMessages(text, out.syntax)) {
    try {
      const r = parseNdm(part.text, { file, mode: 'lenient' });
      for (const w of r.warnings) out.warnings.push(issue(w, part.line, part.line - 1));
      if (r.message.type !== 'OMM') {
        out.errors.push({ line: part.line, reason: `a CCSDS ${r.message.type}, not an OMM` });
        continue;
      }
      const lineOf = (k: string) => {
        const l = keywordLine(part.text, k, out.syntax);
        return l ? l + part.line - 1 : part.line;
      };
      reads.push({ omm: r.message, line: part.line, lineOf });
    } catch (err) {
      if (!(err instanceof CcsdsParseError)) throw err;
      for (const p of err.problems) (p.severity === 'error' ? out.errors : out.warnings).push(issue(p, part.line, part.line - 1));
    }
  }
  return reads;
}

/** The messages of a text, each with the line it starts on. */
function splitMessages(text: string, syntax: OmmForm): { text: string; line: number }[] {
  const re = syntax === 'kvn' ? /^[ \t]*CCSDS_OMM_VERS\b/gm : syntax === 'xml' ? /<omm[\s>]/g : undefined;
  const starts = re ? [...text.matchAll(re)].map((m) => m.index) : [];
  // A single message is read whole, unless wrapped in an <ndm> (whose own COMMENTs parseNdm does not take).
  if (starts.length === 0 || (starts.length === 1 && !(syntax === 'xml' && /<ndm[\s>]/.test(text.slice(0, starts[0]))))) return [{ text, line: 1 }];
  const parts: { text: string; line: number }[] = [];
  let line = 1;
  let counted = 0;
  starts.forEach((start, i) => {
    for (let j = text.indexOf('\n', counted); j !== -1 && j < start; j = text.indexOf('\n', j + 1)) line++;
    counted = start;
    const end = syntax === 'xml' ? text.indexOf('</omm>', start) + '</omm>'.length : (starts[i + 1] ?? text.length);
    parts.push({ text: text.slice(start, end > start ? end : text.length), line });
  });
  return parts;
}

/** 1-based line of a keyword in one message's text (0 when not found). */
function keywordLine(text: string, keyword: string, syntax: OmmForm): number {
  const re = syntax === 'kvn' ? new RegExp(`^[ \\t]*${keyword}[ \\t]*=`, 'm') : syntax === 'xml' ? new RegExp(`<${keyword}[\\s>/]`) : new RegExp(`"${keyword}"\\s*:`);
  const m = re.exec(text);
  return m ? text.slice(0, m.index).split('\n').length : 0;
}

/**
 * CelesTrak's flat JSON/CSV: a catalog of thousands of records, where one bad record must not
 * cost the others. When the whole file does not read, the records named by the problems are
 * set aside and the rest read again.
 */
function readCelestrak(text: string, syntax: OmmForm, file: string, out: OmmReadResult): Read[] {
  const read = (t: string) => parseCelestrakOmm(t, { file, mode: 'lenient' });
  const all = flatRecords(text, syntax);
  let kept = all.records;
  let res: ReturnType<typeof read>;
  try {
    res = read(text);
    for (const w of res.warnings) out.warnings.push(issue(w, 1));
  } catch (err) {
    if (!(err instanceof CcsdsParseError)) throw err;
    const bad = new Set<number>();
    for (const p of err.problems) {
      const at = recordOf(p, syntax, all.records);
      if (p.severity === 'error') bad.add(at ?? -1);
      out[p.severity === 'error' ? 'errors' : 'warnings'].push(issue(p, at !== undefined ? all.records[at].line : 1));
    }
    kept = all.records.filter((_, i) => !bad.has(i));
    if (bad.has(-1) || kept.length === 0) return [];
    try {
      res = read(syntax === 'csv' ? [all.header, ...kept.map((r) => r.text)].join('\n') : `[${kept.map((r) => r.text).join(',')}]`);
    } catch (again) {
      if (!(again instanceof CcsdsParseError)) throw again;
      for (const p of again.problems) if (p.severity === 'error') out.errors.push(issue(p, 1));
      return [];
    }
  }
  return res.messages.map((omm, i) => {
    const line = kept[i]?.line ?? i + 1;
    return { omm, line, lineOf: () => line };
  });
}

interface FlatRecords {
  header: string;
  records: { text: string; line: number }[];
}

/** Records of a CelesTrak file: CSV lines (with their line) or JSON array items (record number). */
function flatRecords(text: string, syntax: OmmForm): FlatRecords {
  if (syntax === 'csv') {
    const lines = text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    return { header: lines[0], records: lines.flatMap((l, i) => (i > 0 && l.trim() !== '' ? [{ text: l, line: i + 1 }] : [])) };
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return { header: '', records: [] }; // the codec reports the malformed JSON
  }
  const items = Array.isArray(value) ? value : [value];
  return { header: '', records: items.map((v, i) => ({ text: JSON.stringify(v), line: i + 1 })) };
}

/** Index of the record a problem is about (undefined: the whole file). */
function recordOf(p: CcsdsProblem, syntax: OmmForm, records: FlatRecords['records']): number | undefined {
  if (syntax === 'csv') {
    const i = records.findIndex((r) => r.line === p.line);
    return i >= 0 ? i : undefined;
  }
  const m = /^\/\[(\d+)\]/.exec(p.xmlPath ?? '');
  return m && Number(m[1]) < records.length ? Number(m[1]) : undefined;
}

/** A problem with one keyword of an OMM (the caller places the keyword on its line). */
export class OmmKeywordError extends Error {
  constructor(
    readonly keyword: string,
    reason: string,
  ) {
    super(`keyword ${keyword}: ${reason}`);
  }
}

/**
 * Mean-element theories whose elements SGP4 propagates: `SGP4`, and `SGP/SGP4` as written in
 * the 502.0-B-2 OMM example (GOES 9). `SGP4-XP` (502.0-B-3 Table 4-2) is a different theory: its
 * sets carry BTERM and AGOM instead of BSTAR and n̈/6 and need the SGP4-XP propagator.
 */
const SGP4_THEORIES = /^(SGP4|SGP\/SGP4)$/i;

/** Maps one OMM to an element set; throws {@link OmmKeywordError} naming the keyword at fault. */
export function ommToGpElementSet(omm: Omm, source?: string): GpElementSet {
  const meta = omm.metadata.fields;
  const mean = omm.meanElements.fields;
  const tle = omm.tleParameters.fields;
  const text = (f: Record<string, FieldValue>, k: string): string | undefined => {
    const v = f[k];
    return v === undefined ? undefined : typeof v === 'object' ? v.text : String(v).trim();
  };
  const num = (f: Record<string, FieldValue>, k: string, dflt?: number): number => {
    const v = f[k];
    if (typeof v === 'number') return v;
    if (v === undefined && dflt !== undefined) return dflt;
    throw new OmmKeywordError(k, v === undefined ? 'missing (an SGP4 element set needs it)' : `'${text(f, k)}' is not a number`);
  };
  const theory = text(meta, 'MEAN_ELEMENT_THEORY') ?? '';
  if (!SGP4_THEORIES.test(theory)) {
    const why = /^SGP4-XP$/i.test(theory) ? 'SGP4-XP elements need the SGP4-XP propagator' : 'only SGP4 mean elements belong in the GP catalog';
    throw new OmmKeywordError('MEAN_ELEMENT_THEORY', `'${theory}' is not SGP4: ${why}`);
  }
  for (const k of ['BTERM', 'AGOM']) if (k in tle) throw new OmmKeywordError(k, 'an SGP4-XP parameter: an SGP4 element set carries BSTAR and MEAN_MOTION_DDOT');
  const expect = (k: string, want: string, why: string) => {
    const v = text(meta, k);
    if (v !== undefined && v.toUpperCase() !== want) throw new OmmKeywordError(k, `'${v}' is not ${want} (${why})`);
  };
  expect('TIME_SYSTEM', 'UTC', 'GP element sets are UTC');
  expect('REF_FRAME', 'TEME', 'SGP4 elements are TEME');
  expect('CENTER_NAME', 'EARTH', 'SGP4 elements are geocentric');
  if (!('MEAN_MOTION' in mean)) throw new OmmKeywordError('MEAN_MOTION', `missing${'SEMI_MAJOR_AXIS' in mean ? ' (SEMI_MAJOR_AXIS given: not an SGP4 element set)' : ''}`);
  let epochUtc: string;
  try {
    epochUtc = Epoch.parse((text(mean, 'EPOCH') ?? '').replace(/Z$/, ''), 'UTC').toIso('UTC', 6);
  } catch (err) {
    throw new OmmKeywordError('EPOCH', (err as Error).message);
  }
  const noradId = num(tle, 'NORAD_CAT_ID');
  // Alpha-5 numbering stops at Z9999 = 339999: beyond, a set cannot be written as a TLE.
  if (noradId > 339_999) throw new OmmKeywordError('NORAD_CAT_ID', `${noradId} is not an integer in 0..339999`);
  const cls = (text(tle, 'CLASSIFICATION_TYPE') ?? 'U').toUpperCase();
  if (cls !== 'U' && cls !== 'C' && cls !== 'S') throw new OmmKeywordError('CLASSIFICATION_TYPE', `'${cls}' is not U, C or S`);
  const set: GpElementSet = {
    noradId,
    classification: cls,
    epochUtc,
    meanMotionRevPerDay: num(mean, 'MEAN_MOTION'),
    eccentricity: num(mean, 'ECCENTRICITY'),
    inclinationDeg: num(mean, 'INCLINATION'),
    raanDeg: num(mean, 'RA_OF_ASC_NODE'),
    argPericenterDeg: num(mean, 'ARG_OF_PERICENTER'),
    meanAnomalyDeg: num(mean, 'MEAN_ANOMALY'),
    bstarPerEarthRadius: num(tle, 'BSTAR', 0),
    meanMotionDotRevPerDay2: num(tle, 'MEAN_MOTION_DOT', 0),
    meanMotionDdotRevPerDay3: num(tle, 'MEAN_MOTION_DDOT', 0),
    ephemerisType: num(tle, 'EPHEMERIS_TYPE', 0),
    elementSetNo: num(tle, 'ELEMENT_SET_NO', 999),
    revAtEpoch: num(tle, 'REV_AT_EPOCH', 0),
  };
  // The ranges a GpElementSet (and a TLE line) can hold, beyond those the codec checks.
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
  if (set.ephemerisType < 0 || set.ephemerisType > 9) throw new OmmKeywordError('EPHEMERIS_TYPE', `${set.ephemerisType} is not 0..9`);
  if (set.elementSetNo > 9999) throw new OmmKeywordError('ELEMENT_SET_NO', `${set.elementSetNo} is not 0..9999`);
  const name = text(meta, 'OBJECT_NAME');
  if (name) set.objectName = name;
  const id = text(meta, 'OBJECT_ID');
  if (id && /^\d{4}-\d{3}[A-Z]{1,3}$/.test(id)) set.objectId = id;
  if (source) set.source = source;
  return set;
}
