import type { OMMJsonObject } from 'satellite.js';
import type { GpElementSet } from '../interfaces/domain/catalog';

/**
 * sdk/tle — pure reader and writer of NORAD two-line element sets, shared by the catalog,
 * the SGP4 module, the simulator and the CLI (no I/O).
 *
 * Two-line element sets: reading, checking and writing.
 *
 * Field layout, units and conventions follow the NORAD two-line element format as documented
 * by CelesTrak ("FAQs: Two-Line Element Set Format", T.S. Kelso) and Space-Track
 * ("Basic Description of the Two Line Element Set Format"), and Vallado et al.,
 * "Revisiting Spacetrack Report #3", AIAA 2006-6753, §A (columns quoted 1-based below):
 *
 *   line 1: 1 NNNNNC YYLLLPPP YYDDD.DDDDDDDD ±.NNNNNNNN ±NNNNN±N ±NNNNN±N N NNNNC
 *           cols 3-7 catalog number, 8 classification, 10-17 international designator,
 *           19-32 epoch (YY + day of year with fraction, UTC), 34-43 ṅ/2 (rev/day²),
 *           45-52 n̈/6 (rev/day³, implied decimal point and power of ten),
 *           54-61 B* (1/Earth radii, same format), 63 ephemeris type, 65-68 element set
 *           number, 69 checksum;
 *   line 2: 2 NNNNN III.IIII RRR.RRRR EEEEEEE AAA.AAAA MMM.MMMM NN.NNNNNNNNRRRRRC
 *           cols 9-16 inclination (deg), 18-25 RAAN (deg), 27-33 eccentricity (implied
 *           leading decimal point), 35-42 argument of perigee (deg), 44-51 mean anomaly (deg),
 *           53-63 mean motion (rev/day), 64-68 revolution number at epoch, 69 checksum.
 *
 * Checksum: the sum of the digits of columns 1-68, each minus sign counting 1, modulo 10.
 * Two-digit years: 57-99 → 1957-1999, 00-56 → 2000-2056 (first artificial satellite 1957).
 * Alpha-5 catalog numbers (U.S. Space Force, 18 SDS, "Alpha-5" scheme for 100000-339999): the
 * first of the five characters is a letter A-Z without I and O standing for 10..33, so
 * `A0000` = 100000 and `Z9999` = 339999.
 */

export class TleFormatError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'TleFormatError';
  }
}

// Letters of the Alpha-5 scheme, in value order (10..33): I and O are skipped because they
// read like 1 and 0.
const ALPHA5_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

/** Decodes a five-character catalog number field (digits, or Alpha-5). Throws on anything else. */
export function decodeAlpha5(field: string): number {
  const s = field.trim();
  if (s.length > 0 && allDigits(s)) return Number(s);
  if (s.length === 5 && /^[A-Z]\d{4}$/.test(s)) {
    const v = ALPHA5_LETTERS.indexOf(s[0]);
    if (v < 0) throw new Error(`catalog number '${field}': letter '${s[0]}' is not used by Alpha-5 (I and O are excluded)`);
    return (v + 10) * 10000 + Number(s.slice(1));
  }
  throw new Error(`catalog number '${field}' is neither 1-5 digits nor Alpha-5 (letter + 4 digits)`);
}

/** Encodes a catalog number in five characters: zero-padded digits below 100000, Alpha-5 up to 339999. */
export function encodeAlpha5(noradId: number): string {
  if (!Number.isInteger(noradId) || noradId < 0 || noradId > 339_999) throw new Error(`catalog number ${noradId} outside 0..339999 (Alpha-5 range)`);
  if (noradId < 100_000) return String(noradId).padStart(5, '0');
  const lead = Math.floor(noradId / 10000);
  return ALPHA5_LETTERS[lead - 10] + String(noradId % 10000).padStart(4, '0');
}

/** Checksum digit of a TLE line over columns 1-68: digits add their value, '-' adds 1. */
export function tleChecksum(line: string): number {
  let sum = 0;
  const n = Math.min(68, line.length);
  for (let i = 0; i < n; i++) {
    const c = line.charCodeAt(i);
    if (c >= 48 && c <= 57) sum += c - 48;
    else if (c === 45) sum += 1;
  }
  return sum % 10;
}

/** Reads an "implied decimal point" field such as ` 12345-3` (= 0.12345e-3) or `-11606-4`. */
export function parseImpliedDecimal(field: string): number {
  const s = field.trim();
  if (s === '') return 0;
  // Fast path for the canonical form: [sign] digits, then the exponent sign and one digit.
  const n = s.length;
  if (n >= 3) {
    const es = s.charCodeAt(n - 2);
    const ed = s.charCodeAt(n - 1) - 48;
    const first = s.charCodeAt(0);
    const signed = first === 43 || first === 45;
    const digits = s.slice(signed ? 1 : 0, n - 2);
    if ((es === 43 || es === 45) && ed >= 0 && ed <= 9 && digits.length > 0 && allDigits(digits)) {
      // Read as decimal text ('0.12345e-3'): correctly rounded, where mantissa × 10^e in
      // binary would be off by an ulp for some values.
      const v = Number(`0.${digits}e${es === 45 ? -ed : ed}`);
      return first === 45 ? -v : v;
    }
  }
  const m = /^([+-]?)(\d{1,6})([+-]\d)$/.exec(s.replace(/\s+/g, ''));
  if (!m) {
    // Some producers write a plain number (e.g. `0.12345e-3`); accept it when it parses.
    const v = Number(s);
    if (Number.isFinite(v)) return v;
    throw new Error(`'${field}' is not an implied-decimal value (±NNNNN±E)`);
  }
  const v = Number(`0.${m[2]}e${m[3]}`);
  return m[1] === '-' ? -v : v;
}

function num(line: string, from: number, to: number, what: string): number {
  // from/to are 1-based inclusive columns.
  const text = line.slice(from - 1, to).trim();
  const v = Number(text);
  if (text === '' || !Number.isFinite(v)) throw new Error(`${what} (columns ${from}-${to}) '${line.slice(from - 1, to)}' is not a number`);
  return v;
}

const DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
const pad2 = (n: number) => (n < 10 ? '0' : '') + n;

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Converts the TLE epoch field `YYDDD.DDDDDDDD` (UTC) to ISO-8601 with microseconds.
 * Day 1.0 is January 1 at 0h. The fraction is converted with integer arithmetic (8 decimals
 * = 0.864 ms steps), so the text is exact to the microsecond and compares as a string.
 */
export function tleEpochToIso(field: string): string {
  // Hand-written scan rather than a regular expression: this runs once per element set and
  // whole catalogs are ingested at a time.
  const f = field.trim();
  const dot = f.indexOf('.');
  const intPart = dot < 0 ? f : f.slice(0, dot);
  const fracPart = dot < 0 ? '' : f.slice(dot + 1);
  if (intPart.length !== 5 || !allDigits(intPart) || !allDigits(fracPart)) throw new Error(`epoch '${field}' is not YYDDD.DDDDDDDD`);
  const yy = Number(intPart.slice(0, 2));
  const year = yy < 57 ? 2000 + yy : 1900 + yy;
  const doy = Number(intPart.slice(2));
  const leap = isLeap(year);
  if (doy < 1 || doy > (leap ? 366 : 365)) throw new Error(`epoch '${field}': day of year ${doy} outside 1..${leap ? 366 : 365}`);
  const fracDigits = fracPart.length >= 8 ? fracPart.slice(0, 8) : fracPart.padEnd(8, '0');
  // 1e-8 day = 864 µs exactly.
  let us = Number(fracDigits) * 864;
  let month = 11;
  while (month > 0 && DAYS_BEFORE_MONTH[month] + (leap && month >= 2 ? 1 : 0) >= doy) month--;
  const day = doy - DAYS_BEFORE_MONTH[month] - (leap && month >= 2 ? 1 : 0);
  const h = Math.floor(us / 3_600_000_000);
  us -= h * 3_600_000_000;
  const mi = Math.floor(us / 60_000_000);
  us -= mi * 60_000_000;
  const s = Math.floor(us / 1_000_000);
  us -= s * 1_000_000;
  return `${year}-${pad2(month + 1)}-${pad2(day)}T${pad2(h)}:${pad2(mi)}:${pad2(s)}.${String(us).padStart(6, '0')}Z`;
}

function allDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** ISO-8601 UTC → TLE epoch field `YYDDD.DDDDDDDD` (14 characters). */
export function isoToTleEpoch(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z?$/.exec(iso);
  if (!m) throw new Error(`epoch '${iso}' is not ISO-8601`);
  const year = Number(m[1]);
  if (year < 1957 || year > 2056) throw new Error(`epoch year ${year} cannot be written in a TLE (1957-2056)`);
  const month = Number(m[2]) - 1;
  const doy = DAYS_BEFORE_MONTH[month] + (isLeap(year) && month >= 2 ? 1 : 0) + Number(m[3]);
  const seconds = Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6]) + Number(m[7] ?? 0);
  let frac = Math.round((seconds / 86400) * 1e8);
  let d = doy;
  if (frac >= 1e8) {
    frac -= 1e8;
    d += 1;
  }
  return `${pad2(year % 100)}${String(d).padStart(3, '0')}.${String(frac).padStart(8, '0')}`;
}

function designatorToObjectId(field: string): string | undefined {
  const s = field.trim();
  const m = /^(\d{2})(\d{3})([A-Z]{1,3})$/.exec(s);
  if (!m) return undefined;
  const yy = Number(m[1]);
  return `${yy < 57 ? 2000 + yy : 1900 + yy}-${m[2]}${m[3]}`;
}

/**
 * Parses one element set from its two lines (already trimmed of trailing blanks).
 * `lineNo` is the 1-based line number of line 1 in its file, used in error messages.
 * Throws {@link TleFormatError} naming the line and the field.
 */
export interface ParseTleOptions {
  /**
   * Verify the modulo-10 checksums (default true). Ingest always checks them; a tool that
   * propagates a file given on purpose (Vallado's verification set has three lines with bad
   * checksums) may read the fields anyway.
   */
  checksum?: boolean;
}

export function parseTle(line1: string, line2: string, name: string | undefined, lineNo = 1, source?: string, options: ParseTleOptions = {}): GpElementSet {
  // Field readers throw plain errors; `cur.line` names the line they belong to. (No closures
  // per field: whole catalogs go through here and allocation dominates the cost.)
  const cur = { line: lineNo };
  try {
    return parseFields(line1, line2, name, lineNo, source, cur, options.checksum ?? true);
  } catch (err) {
    if (err instanceof TleFormatError) throw err;
    throw new TleFormatError(cur.line, (err as Error).message);
  }
}

function checkLine(text: string, line: number, no: string, checksum: boolean): void {
  if (text.length !== 69) throw new TleFormatError(line, `line ${no} of an element set has ${text.length} characters, expected 69`);
  if (text[0] !== no || text[1] !== ' ') throw new TleFormatError(line, `expected line ${no} of an element set (starting '${no} ')`);
  if (!checksum) return;
  const want = tleChecksum(text);
  const got = text.charCodeAt(68) - 48;
  if (got !== want) throw new TleFormatError(line, `checksum mismatch: column 69 holds '${text[68]}', the line sums to ${want}`);
}

function inRange(line: number, v: number, lo: number, hi: number, what: string, hiOpen: boolean): void {
  if (!(v >= lo && (hiOpen ? v < hi : v <= hi))) throw new TleFormatError(line, `${what} ${v} outside [${lo}, ${hi}${hiOpen ? ')' : ']'}`);
}

function parseFields(line1: string, line2: string, name: string | undefined, lineNo: number, source: string | undefined, cur: { line: number }, checksum: boolean): GpElementSet {
  checkLine(line1, lineNo, '1', checksum);
  checkLine(line2, lineNo + 1, '2', checksum);
  cur.line = lineNo;
  const id1 = decodeAlpha5(line1.slice(2, 7));
  cur.line = lineNo + 1;
  const id2 = decodeAlpha5(line2.slice(2, 7));
  cur.line = lineNo;
  if (id1 !== id2) throw new TleFormatError(lineNo + 1, `catalog number ${id2} differs from line 1 (${id1})`);
  const cls = line1[7] === ' ' ? 'U' : line1[7];
  if (cls !== 'U' && cls !== 'C' && cls !== 'S') throw new TleFormatError(lineNo, `classification '${line1[7]}' (column 8) is not U, C or S`);
  let epochUtc: string;
  try {
    epochUtc = tleEpochToIso(line1.slice(18, 32));
  } catch (err) {
    throw new TleFormatError(lineNo, (err as Error).message);
  }
  const ndot = num(line1, 34, 43, 'first derivative of mean motion');
  const nddot = parseImpliedDecimal(line1.slice(44, 52));
  const bstar = parseImpliedDecimal(line1.slice(53, 61));
  const ephType = line1[62] === ' ' ? 0 : Number(line1[62]);
  if (!Number.isInteger(ephType)) throw new TleFormatError(lineNo, `ephemeris type '${line1[62]}' (column 63) is not a digit`);
  const elsetText = line1.slice(64, 68).trim();
  const elementSetNo = elsetText === '' ? 0 : Number(elsetText);
  if (!Number.isInteger(elementSetNo)) throw new TleFormatError(lineNo, `element set number '${line1.slice(64, 68)}' (columns 65-68) is not an integer`);

  cur.line = lineNo + 1;
  const inclinationDeg = num(line2, 9, 16, 'inclination');
  const raanDeg = num(line2, 18, 25, 'right ascension of the ascending node');
  const eText = line2.slice(26, 33);
  if (!/^\s*\d+\s*$/.test(eText)) throw new TleFormatError(lineNo + 1, `eccentricity (columns 27-33) '${eText}' is not 7 digits`);
  const eccentricity = Number(`0.${eText.trim()}`);
  const argPericenterDeg = num(line2, 35, 42, 'argument of perigee');
  const meanAnomalyDeg = num(line2, 44, 51, 'mean anomaly');
  const meanMotionRevPerDay = num(line2, 53, 63, 'mean motion');
  const revText = line2.slice(63, 68).trim();
  const revAtEpoch = revText === '' ? 0 : Number(revText);
  if (!Number.isInteger(revAtEpoch) || revAtEpoch < 0) throw new TleFormatError(lineNo + 1, `revolution number '${line2.slice(63, 68)}' (columns 64-68) is not an integer`);

  inRange(lineNo + 1, inclinationDeg, 0, 180, 'inclination (deg)', false);
  inRange(lineNo + 1, raanDeg, 0, 360, 'RAAN (deg)', true);
  inRange(lineNo + 1, argPericenterDeg, 0, 360, 'argument of perigee (deg)', true);
  inRange(lineNo + 1, meanAnomalyDeg, 0, 360, 'mean anomaly (deg)', true);
  if (!(meanMotionRevPerDay > 0)) throw new TleFormatError(lineNo + 1, `mean motion ${meanMotionRevPerDay} rev/day is not positive`);

  const set: GpElementSet = {
    noradId: id1,
    classification: cls,
    epochUtc,
    meanMotionRevPerDay,
    eccentricity,
    inclinationDeg,
    raanDeg,
    argPericenterDeg,
    meanAnomalyDeg,
    bstarPerEarthRadius: bstar,
    meanMotionDotRevPerDay2: ndot,
    meanMotionDdotRevPerDay3: nddot,
    ephemerisType: ephType,
    elementSetNo,
    revAtEpoch,
    line1,
    line2,
  };
  const objectName = name?.trim();
  if (objectName) set.objectName = objectName;
  const objectId = designatorToObjectId(line1.slice(9, 17));
  if (objectId) set.objectId = objectId;
  if (source) set.source = source;
  return set;
}

/** One element set read from a text, with the line of its first TLE line. */
export interface TleRecord {
  set: GpElementSet;
  line: number;
}

export interface TleReadResult {
  records: TleRecord[];
  errors: { line: number; reason: string }[];
}

const isLine1 = (s: string) => s.length >= 2 && s.charCodeAt(0) === 49 && s.charCodeAt(1) === 32; // "1 "
const isLine2 = (s: string) => s.length >= 2 && s.charCodeAt(0) === 50 && s.charCodeAt(1) === 32; // "2 "

/**
 * Reads a TLE (2-line) or 3LE (name + 2 lines; the name may be prefixed `0 `) text. Every
 * problem is reported with its 1-based line number; good sets around a bad one are kept.
 */
export function readTles(text: string, source?: string): TleReadResult {
  const lines = text.split('\n');
  const records: TleRecord[] = [];
  const errors: { line: number; reason: string }[] = [];
  let name: string | undefined;
  let nameLine = 0;
  for (let i = 0; i < lines.length; i++) {
    let l = lines[i];
    // Trailing blanks and CR (files from Windows hosts) are not part of the 69 columns.
    let end = l.length;
    while (end > 0 && (l.charCodeAt(end - 1) === 13 || l.charCodeAt(end - 1) === 32 || l.charCodeAt(end - 1) === 9)) end--;
    if (end !== l.length) l = l.slice(0, end);
    if (i === 0 && l.charCodeAt(0) === 0xfeff) l = l.slice(1);
    if (l === '') continue;
    if (isLine1(l)) {
      const next = i + 1 < lines.length ? lines[i + 1].replace(/[\s\r]+$/, '') : '';
      if (!isLine2(next)) {
        errors.push({ line: i + 1, reason: `line 1 of an element set is not followed by its line 2` });
        name = undefined;
        continue;
      }
      try {
        records.push({ set: parseTle(l, next, name, i + 1, source), line: i + 1 });
      } catch (err) {
        if (err instanceof TleFormatError) errors.push({ line: err.line, reason: err.reason });
        else throw err;
      }
      name = undefined;
      i++;
      continue;
    }
    if (isLine2(l)) {
      errors.push({ line: i + 1, reason: 'line 2 of an element set without its line 1' });
      name = undefined;
      continue;
    }
    if (name !== undefined) errors.push({ line: nameLine, reason: `'${name}' is neither a TLE line nor followed by one` });
    // 3LE name lines from Space-Track start with "0 ".
    name = l.startsWith('0 ') ? l.slice(2) : l;
    nameLine = i + 1;
  }
  if (name !== undefined) errors.push({ line: nameLine, reason: `'${name}' is not followed by an element set` });
  return { records, errors };
}

function impliedDecimal(v: number): string {
  // ±NNNNN±E with mantissa in [0.1, 1): the exponent form of the TLE fields n̈/6 and B*.
  if (v === 0) return ' 00000+0';
  const sign = v < 0 ? '-' : ' ';
  let exp = Math.floor(Math.log10(Math.abs(v))) + 1;
  let mant = Math.round((Math.abs(v) / 10 ** exp) * 1e5);
  if (mant >= 1e5) {
    mant = Math.round(mant / 10);
    exp += 1;
  }
  if (exp > 9 || exp < -9) throw new Error(`value ${v} cannot be written in the TLE exponent format`);
  return `${sign}${String(mant).padStart(5, '0')}${exp < 0 ? '-' : '+'}${Math.abs(exp)}`;
}

function fixed(v: number, width: number, decimals: number): string {
  const s = v.toFixed(decimals);
  if (!Number.isFinite(v)) throw new Error(`value ${v} cannot be written in a TLE`);
  if (s.length > width) throw new Error(`value ${v} does not fit ${width} columns`);
  return s.padStart(width, ' ');
}

/** An angle in [0, 360) with 4 decimals; a value that would round to 360.0000 is written 0.0000. */
function angle(deg: number): string {
  const a = ((deg % 360) + 360) % 360;
  return fixed(a >= 359.99995 ? 0 : a, 8, 4);
}

/**
 * Writes an element set as two TLE lines with checksums (used for sets that came from an OMM,
 * so consumers needing TLE text get it). Precision is the format's: 8 decimals of a day for
 * the epoch, 4 decimals of a degree for angles, 7 for eccentricity, 8 for mean motion.
 */
export function formatTle(set: GpElementSet): [string, string] {
  const id = encodeAlpha5(set.noradId);
  let desig = '        ';
  if (set.objectId) {
    const m = /^(\d{4})-(\d{3})([A-Z]{1,3})$/.exec(set.objectId);
    if (m) desig = (m[1].slice(2) + m[2] + m[3]).padEnd(8, ' ');
  }
  const ndot = set.meanMotionDotRevPerDay2;
  const ndotText = (ndot < 0 ? '-' : ' ') + Math.abs(ndot).toFixed(8).replace(/^0/, '');
  const l1 =
    `1 ${id}${set.classification} ${desig} ${isoToTleEpoch(set.epochUtc)} ${ndotText} ${impliedDecimal(set.meanMotionDdotRevPerDay3)} ` +
    `${impliedDecimal(set.bstarPerEarthRadius)} ${set.ephemerisType} ${String(set.elementSetNo % 10000).padStart(4, ' ')}`;
  const ecc = Math.round(set.eccentricity * 1e7);
  const l2 =
    `2 ${id} ${fixed(set.inclinationDeg, 8, 4)} ${angle(set.raanDeg)} ${String(ecc).padStart(7, '0')} ` +
    `${angle(set.argPericenterDeg)} ${angle(set.meanAnomalyDeg)} ${fixed(set.meanMotionRevPerDay, 11, 8)}${String(set.revAtEpoch % 100000).padStart(5, ' ')}`;
  return [l1 + tleChecksum(l1), l2 + tleChecksum(l2)];
}

/**
 * The CCSDS OMM keywords (ODM 502.0-B-3 §4.2.4) of an element set, in the JSON form
 * satellite.js `json2satrec` reads: how a set without TLE text is initialised for SGP4.
 */
export function ommJsonOf(gp: GpElementSet): OMMJsonObject {
  return {
    OBJECT_NAME: gp.objectName ?? String(gp.noradId),
    OBJECT_ID: gp.objectId ?? '',
    EPOCH: gp.epochUtc.endsWith('Z') ? gp.epochUtc.slice(0, -1) : gp.epochUtc,
    MEAN_MOTION: gp.meanMotionRevPerDay,
    ECCENTRICITY: gp.eccentricity,
    INCLINATION: gp.inclinationDeg,
    RA_OF_ASC_NODE: gp.raanDeg,
    ARG_OF_PERICENTER: gp.argPericenterDeg,
    MEAN_ANOMALY: gp.meanAnomalyDeg,
    EPHEMERIS_TYPE: gp.ephemerisType ?? 0,
    CLASSIFICATION_TYPE: gp.classification ?? 'U',
    NORAD_CAT_ID: gp.noradId,
    ELEMENT_SET_NO: gp.elementSetNo ?? 999,
    REV_AT_EPOCH: gp.revAtEpoch,
    BSTAR: gp.bstarPerEarthRadius,
    MEAN_MOTION_DOT: gp.meanMotionDotRevPerDay2,
    MEAN_MOTION_DDOT: gp.meanMotionDdotRevPerDay3,
  } as OMMJsonObject;
}
