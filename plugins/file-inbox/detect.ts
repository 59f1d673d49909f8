import * as zlib from 'node:zlib';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { FileKind } from '../../interfaces/domain/product';

/**
 * Detects the kind of a dropped file from its content (never from its name alone) and runs
 * the integrity checks that do not need the owning module's full parser: TLE checksums,
 * XML/JSON well-formedness, and the structure of CCSDS KVN messages (balanced META/DATA/
 * COVARIANCE blocks, mandatory keywords, complete data lines), which is what catches a
 * truncated transfer. The owning module still parses the file in full.
 */

export type Format = 'kvn' | 'xml' | 'json' | 'csv' | 'txt' | 'other';
export type Detection = { kind: FileKind; format: Format; detail: string } | { kind: null; reason: string; line?: number };

class Refusal extends Error {
  constructor(
    reason: string,
    readonly line?: number,
  ) {
    super(reason);
  }
}

const refuse = (reason: string, line?: number): never => {
  throw new Refusal(reason, line);
};

/** Decodes bytes to text honouring byte-order marks (UTF-8, UTF-16 LE/BE); refuses binary content. */
function decode(buf: Buffer): string {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe && !(buf[2] === 0 && buf[3] === 0)) return buf.subarray(2).toString('utf16le');
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
    const swapped = Buffer.from(buf.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  const head = buf.subarray(0, 65536);
  let control = 0;
  for (const b of head) {
    if (b === 0) refuse('binary content (NUL bytes): not a text file');
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12) control++;
  }
  if (control > head.length / 100) refuse(`binary content (${control} control bytes in the first ${head.length}): not a text file`);
  const text = buf.toString('utf8');
  const bad = (text.slice(0, 65536).match(/\uFFFD/g) ?? []).length;
  if (bad > 0) refuse(`not valid UTF-8 text (${bad} undecodable byte sequences in the first 64 KiB)`);
  return text.replace(/^\uFEFF/, '');
}

const CCSDS_KINDS: Record<string, FileKind> = { OMM: 'OMM', OEM: 'OEM', OPM: 'OPM', TDM: 'TDM', CDM: 'CDM', OCM: 'OCM' };
const ATTITUDE = new Set(['AEM', 'APM', 'ACM']);

/** Detects a file's kind and format. Pure (no I/O); never throws. */
export function detectFile(buf: Buffer, fileName = ''): Detection {
  try {
    if (buf.length === 0) refuse('empty file (0 bytes)');
    if (buf[0] === 0x1f && buf[1] === 0x8b) {
      let inner: Buffer;
      try {
        inner = zlib.gunzipSync(buf, { maxOutputLength: 512 * 2 ** 20 });
      } catch (err) {
        return refuse(`corrupt gzip data: ${(err as Error).message}`);
      }
      const d = detectFile(inner, fileName.replace(/\.gz$/i, ''));
      return d.kind ? { ...d, detail: `${d.detail} (gzip)` } : { ...d, reason: `gzip content: ${d.reason}` };
    }
    const text = decode(buf);
    if (text.trim() === '') refuse(`empty file (${buf.length} bytes of white space)`);
    return detectText(text);
  } catch (err) {
    if (err instanceof Refusal) return err.line === undefined ? { kind: null, reason: err.message } : { kind: null, reason: err.message, line: err.line };
    return { kind: null, reason: `detection failed: ${(err as Error).message}` };
  }
}

function detectText(text: string): Detection {
  const first = text.trimStart()[0];
  if (first === '<') return detectXml(text);
  if (first === '{' || first === '[') return detectJson(text);
  const lines = text.split(/\r?\n/);
  const firstLine = lines.find((l) => l.trim() !== '')!.trim();
  const ccsds = /^CCSDS_([A-Z]{3})_VERS\s*=/.exec(firstLine);
  if (ccsds) return detectKvn(ccsds[1], lines);
  if (/^1 [ 0-9A-Z]{5}[UCS ]/m.test(text.slice(0, 8192)) && /^2 [ 0-9A-Z]{5} /m.test(text.slice(0, 8192))) return checkTle(lines);
  const csv = detectCsv(firstLine);
  if (csv) return csv;
  const other = detectReferenceText(text, lines);
  if (other) return other;
  return refuse(`content not recognised (first line: '${firstLine.slice(0, 60)}')`, 1);
}

// ------------------------------------------------------------------ TLE

function tleChecksum(line: string): number {
  let sum = 0;
  for (let i = 0; i < 68; i++) {
    const c = line.charCodeAt(i);
    if (c >= 48 && c <= 57) sum += c - 48;
    else if (c === 45) sum += 1;
  }
  return sum % 10;
}

/**
 * TLE/3LE: every element set must be two 69-column lines with valid checksums (NORAD TLE
 * format: sum of digits of columns 1-68, '-' counting 1, modulo 10, in column 69) and the
 * same catalog number; a name line (3LE) may precede each set.
 */
function checkTle(lines: string[]): Detection {
  let sets = 0;
  let pendingName = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].replace(/[\s\r]+$/, '');
    if (l === '') continue;
    if (l.startsWith('1 ')) {
      const l2 = (lines[i + 1] ?? '').replace(/[\s\r]+$/, '');
      if (!l2.startsWith('2 ')) refuse(`line ${i + 1}: TLE line 1 not followed by its line 2`, i + 1);
      for (const [text, no] of [
        [l, i + 1],
        [l2, i + 2],
      ] as const) {
        if (text.length !== 69) refuse(`line ${no}: TLE line has ${text.length} characters, expected 69`, no);
        const want = tleChecksum(text);
        if (Number(text[68]) !== want) refuse(`line ${no}: TLE checksum mismatch (column 69 holds '${text[68]}', the line sums to ${want})`, no);
      }
      if (l.slice(2, 7) !== l2.slice(2, 7)) refuse(`line ${i + 2}: catalog number '${l2.slice(2, 7)}' differs from line 1 ('${l.slice(2, 7)}')`, i + 2);
      sets++;
      pendingName = 0;
      i++;
      continue;
    }
    if (l.startsWith('2 ')) refuse(`line ${i + 1}: TLE line 2 without its line 1`, i + 1);
    if (pendingName) refuse(`line ${pendingName}: '${lines[pendingName - 1].trim().slice(0, 30)}' is neither a TLE line nor a name followed by one`, pendingName);
    pendingName = i + 1;
  }
  if (pendingName) refuse(`line ${pendingName}: name line not followed by an element set (truncated?)`, pendingName);
  return { kind: 'TLE', format: 'txt', detail: `${sets} element set(s)` };
}

// ------------------------------------------------------------------ XML / JSON

function detectXml(text: string): Detection {
  const v = XMLValidator.validate(text);
  if (v !== true) refuse(`malformed XML at line ${v.err.line}: ${v.err.msg}`, v.err.line);
  const doc = new XMLParser({ ignoreAttributes: true, parseTagValue: false }).parse(text) as Record<string, unknown>;
  const roots = Object.keys(doc).filter((k) => !k.startsWith('?') && k !== '#comment');
  if (roots.length !== 1) refuse(`XML document has ${roots.length} root elements`);
  const root = roots[0];
  const type = root.toUpperCase();
  if (type === 'NDM') {
    const body = doc[root];
    const kids = body && typeof body === 'object' ? Object.keys(body).map((k) => k.toUpperCase()).filter((k) => k !== 'COMMENT') : [];
    const kinds = [...new Set(kids.map((k) => CCSDS_KINDS[k]).filter(Boolean))];
    if (kinds.length === 1 && kids.every((k) => CCSDS_KINDS[k])) return { kind: kinds[0], format: 'xml', detail: `CCSDS NDM container of ${kids.join(', ')}` };
    if (kids.length === 0) refuse('empty CCSDS NDM container');
    return { kind: 'OTHER', format: 'xml', detail: `CCSDS NDM container mixing ${[...new Set(kids)].join(', ')}` };
  }
  if (CCSDS_KINDS[type]) {
    const msg = doc[root] as Record<string, unknown> | string;
    if (typeof msg !== 'object' || !('header' in msg) || !('body' in msg)) refuse(`CCSDS ${type} XML lacks its <header> or <body> (truncated?)`);
    return { kind: CCSDS_KINDS[type], format: 'xml', detail: `CCSDS ${type}` };
  }
  if (ATTITUDE.has(type)) return { kind: 'OTHER', format: 'xml', detail: `CCSDS ${type} (attitude)` };
  return refuse(`XML root element <${root}> is not a CCSDS navigation data message`);
}

function detectJson(text: string): Detection {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const m = /position (\d+)/.exec((err as Error).message);
    const line = m ? text.slice(0, Number(m[1])).split('\n').length : undefined;
    return refuse(`malformed JSON${line ? ` at line ${line}` : ''}: ${(err as Error).message}`, line);
  }
  const items = Array.isArray(value) ? value : [value];
  const isGp = (o: unknown) => typeof o === 'object' && o !== null && 'NORAD_CAT_ID' in o && 'EPOCH' in o && 'MEAN_MOTION' in o;
  if (items.length > 0 && items.every(isGp)) return { kind: 'OMM', format: 'json', detail: `CelesTrak GP JSON, ${items.length} record(s)` };
  if (!Array.isArray(value) && typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    if (keys.length === 1 && CCSDS_KINDS[keys[0].toUpperCase()]) return { kind: CCSDS_KINDS[keys[0].toUpperCase()], format: 'json', detail: `CCSDS ${keys[0].toUpperCase()} (JSON)` };
  }
  if (Array.isArray(value) && value.length === 0) refuse('empty JSON array');
  return refuse('JSON content is neither CelesTrak GP records (NORAD_CAT_ID, EPOCH, MEAN_MOTION) nor a CCSDS message object');
}

// ------------------------------------------------------------------ CCSDS KVN

const STATE_KEYS = ['X', 'Y', 'Z', 'X_DOT', 'Y_DOT', 'Z_DOT'];
/** Mandatory keywords by message type beyond the header (CCSDS 502.0-B-3 §3-§6, 503.0-B-2 §3, 508.0-B-1 §3). */
const REQUIRED: Record<string, string[]> = {
  OPM: ['OBJECT_NAME', 'CENTER_NAME', 'REF_FRAME', 'TIME_SYSTEM', 'EPOCH', ...STATE_KEYS],
  OMM: ['OBJECT_NAME', 'CENTER_NAME', 'REF_FRAME', 'TIME_SYSTEM', 'MEAN_ELEMENT_THEORY', 'EPOCH', 'ECCENTRICITY', 'INCLINATION', 'RA_OF_ASC_NODE', 'ARG_OF_PERICENTER', 'MEAN_ANOMALY'],
  OEM: ['OBJECT_NAME', 'CENTER_NAME', 'REF_FRAME', 'TIME_SYSTEM', 'START_TIME', 'STOP_TIME'],
  TDM: ['TIME_SYSTEM', 'PARTICIPANT_1'],
  CDM: ['MESSAGE_ID', 'TCA', 'MISS_DISTANCE'],
  OCM: ['TIME_SYSTEM'],
};
const CDM_OBJECT_KEYS = ['OBJECT_DESIGNATOR', ...STATE_KEYS, 'CR_R', 'CT_R', 'CT_T', 'CN_R', 'CN_T', 'CN_N'];

function detectKvn(type: string, lines: string[]): Detection {
  if (ATTITUDE.has(type)) return { kind: 'OTHER', format: 'kvn', detail: `CCSDS ${type} (attitude)` };
  const kind = CCSDS_KINDS[type];
  if (!kind) refuse(`CCSDS_${type}_VERS: unknown CCSDS message type '${type}'`, 1);
  const keys = new Map<string, number>();
  const blocks: { name: string; line: number }[] = [];
  let dataLines = 0;
  const cdmObjects: Set<string>[] = [];
  let lastLine = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].trim();
    if (l === '' || l.startsWith('COMMENT')) continue;
    lastLine = i + 1;
    const block = /^([A-Z_]+)_(START|STOP)$/.exec(l);
    if (block && ['META', 'DATA', 'COVARIANCE', 'TRAJ', 'PHYS', 'COV', 'MAN', 'PERT', 'OD', 'USER'].includes(block[1])) {
      if (block[2] === 'START') {
        if (blocks.length && blocks[blocks.length - 1].name === block[1]) refuse(`line ${i + 1}: ${l} inside an open ${block[1]} block`, i + 1);
        blocks.push({ name: block[1], line: i + 1 });
      } else {
        const open = blocks.pop();
        if (!open || open.name !== block[1]) refuse(`line ${i + 1}: ${l} without a matching ${block[1]}_START`, i + 1);
      }
      continue;
    }
    const kv = /^([A-Z0-9_]+)\s*=\s*(.*)$/.exec(l);
    const inBlock = blocks.length ? blocks[blocks.length - 1].name : undefined;
    if (kv && !(kind === 'TDM' && inBlock === 'DATA')) {
      keys.set(kv[1], i + 1);
      if (kind === 'CDM' && kv[1] === 'OBJECT') cdmObjects.push(new Set());
      else if (kind === 'CDM' && cdmObjects.length) cdmObjects[cdmObjects.length - 1].add(kv[1]);
      continue;
    }
    // Data lines: OEM ephemeris (epoch + 6 or 9 numbers) and covariance rows, TDM
    // `KEYWORD = epoch value`, OCM rows.
    if (kind === 'OEM' && !inBlock) {
      const t = l.split(/\s+/);
      if (t.length !== 7 && t.length !== 10) refuse(`line ${i + 1}: ephemeris line has ${t.length} fields, expected 7 (epoch + position + velocity) or 10 (with acceleration)`, i + 1);
      if (t.slice(1).some((x) => !Number.isFinite(Number(x)))) refuse(`line ${i + 1}: ephemeris line holds a non-numeric value`, i + 1);
      dataLines++;
      continue;
    }
    if (kind === 'OEM' && inBlock === 'COVARIANCE') continue;
    if (kind === 'TDM' && inBlock === 'DATA') {
      if (!/^[A-Z0-9_]+\s*=?\s*\S+\s+\S+/.test(l)) refuse(`line ${i + 1}: tracking data line '${l.slice(0, 40)}' is not 'KEYWORD = epoch value'`, i + 1);
      dataLines++;
      continue;
    }
    if (kind === 'OCM' && inBlock) continue;
    refuse(`line ${i + 1}: '${l.slice(0, 40)}' is not 'KEYWORD = value'`, i + 1);
  }
  if (blocks.length) {
    const open = blocks[blocks.length - 1];
    refuse(`${open.name}_START at line ${open.line} is never closed (truncated?)`, open.line);
  }
  for (const k of ['CREATION_DATE', 'ORIGINATOR', ...(REQUIRED[type] ?? [])]) {
    if (!keys.has(k)) refuse(`CCSDS ${type}: mandatory keyword ${k} missing (truncated?)`, lastLine);
  }
  if (kind === 'OEM' && dataLines === 0) refuse('CCSDS OEM holds no ephemeris line', lastLine);
  if (kind === 'TDM' && dataLines === 0) refuse('CCSDS TDM holds no tracking data line', lastLine);
  if (kind === 'CDM') {
    if (cdmObjects.length !== 2) refuse(`CCSDS CDM: ${cdmObjects.length} OBJECT section(s), expected 2 (truncated?)`, lastLine);
    cdmObjects.forEach((o, n) => {
      const miss = CDM_OBJECT_KEYS.filter((k) => !o.has(k));
      if (miss.length) refuse(`CCSDS CDM: OBJECT${n + 1} lacks ${miss.join(', ')} (truncated?)`, lastLine);
    });
  }
  return { kind, format: 'kvn', detail: `CCSDS ${type}` };
}

// ------------------------------------------------------------------ CSV and reference-data text formats

function detectCsv(header: string): Detection | undefined {
  const cols = header.split(/[,;]/).map((c) => c.trim().replace(/^"|"$/g, ''));
  if (cols.includes('NORAD_CAT_ID') && cols.includes('EPOCH') && cols.includes('MEAN_MOTION')) return { kind: 'OMM', format: 'csv', detail: 'CelesTrak GP CSV' };
  if (cols[0] === 'DATE' && cols.includes('KP1') && cols.includes('F10.7_OBS')) return { kind: 'SPACE_WEATHER', format: 'csv', detail: 'CelesTrak SW-All CSV' };
  if (cols[0] === 'MJD' && cols.includes('UT1-UTC') && header.includes(';')) return { kind: 'EOP', format: 'csv', detail: 'IERS EOP CSV (C04 / Bulletin A / Bulletin B)' };
  return undefined;
}

const NUMBER = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:[eEdD][-+]?\d+)?`;
const EGM_LINE = new RegExp(String.raw`^\s*\d+\s+\d+(?:\s+${NUMBER}){4,}\s*$`);
/** IERS finals2000A (and finals.all) rows: YYMMDD in I2 columns, MJD F8.2, an I/P flag (IERS readme.finals2000A). */
const FINALS_LINE = /^[ \d]\d[ \d]\d[ \d]\d \d{5}\.\d\d [IP ]/;

function beginEnd(lines: string[], what: string): void {
  const open: { name: string; line: number }[] = [];
  lines.forEach((l, i) => {
    const m = /^(BEGIN|END) ([A-Z_]+)\s*$/.exec(l.trim());
    if (!m) return;
    if (m[1] === 'BEGIN') open.push({ name: m[2], line: i + 1 });
    else if (open.pop()?.name !== m[2]) refuse(`line ${i + 1}: END ${m[2]} without BEGIN ${m[2]} (${what})`, i + 1);
  });
  if (open.length) refuse(`${what}: BEGIN ${open[0].name} at line ${open[0].line} is never ended (truncated?)`, open[0].line);
}

function share(lines: string[], re: RegExp): number {
  const body = lines.filter((l) => l.trim() !== '');
  return body.length ? body.filter((l) => re.test(l)).length / body.length : 0;
}

function detectReferenceText(text: string, lines: string[]): Detection | undefined {
  const head = lines.slice(0, 40).join('\n');
  if (/^DATATYPE CssiSpaceWeather/m.test(head)) {
    beginEnd(lines, 'CelesTrak space weather');
    if (!lines.some((l) => l.trim() === 'BEGIN OBSERVED')) refuse('CelesTrak space weather file without BEGIN OBSERVED');
    return { kind: 'SPACE_WEATHER', format: 'txt', detail: 'CelesTrak SW (CssiSpaceWeather)' };
  }
  if (/^VERSION \d/m.test(head) && lines.some((l) => l.trim() === 'BEGIN OBSERVED') && /EOP|EARTH ORIENTATION/.test(head)) {
    beginEnd(lines, 'CelesTrak EOP');
    return { kind: 'EOP', format: 'txt', detail: 'CelesTrak EOP-All' };
  }
  if (/^fluxdate\s+fluxtime/.test(lines[0])) return { kind: 'SPACE_WEATHER', format: 'txt', detail: 'DRAO Penticton F10.7 flux table' };
  if (/F10, S10, M10, Y10/.test(head)) return { kind: 'SPACE_WEATHER', format: 'txt', detail: 'JB2008 SOLFSMY solar indices' };
  if (share(lines, /^DTC \d{4}\s+\d+(\s+\d+){24}\s*$/) > 0.9) return { kind: 'SPACE_WEATHER', format: 'txt', detail: 'JB2008 DTC file' };
  if (/10\.7 CM SOLAR FLUX/.test(head) && /GEOMAGNETIC INDEX/.test(head)) return { kind: 'SPACE_WEATHER', format: 'txt', detail: 'NASA MSFC F10.7/Ap prediction table' };
  if (/^\s*\d{4} [A-Z]{3}\s+\d+ =JD\s+\d+\.\d\s+TAI-UTC=/m.test(head)) return { kind: 'LEAP_SECONDS', format: 'txt', detail: 'USNO tai-utc.dat' };
  if (/UTC-TAI\.history|RELATIONSHIP BETWEEN TAI AND UTC/.test(head)) return { kind: 'LEAP_SECONDS', format: 'txt', detail: 'IERS UTC-TAI.history' };
  if (/BULLETIN B/.test(head)) return { kind: 'EOP', format: 'txt', detail: 'IERS Bulletin B' };
  if (share(lines.slice(0, 200), FINALS_LINE) > 0.95) {
    // Rows are consecutive days: a break in the MJD sequence means a damaged file.
    let prev: number | undefined;
    lines.forEach((l, i) => {
      if (l.trim() === '') return;
      if (!FINALS_LINE.test(l)) refuse(`line ${i + 1}: not a finals2000A row`, i + 1);
      const mjd = Number(l.slice(7, 15));
      if (prev !== undefined && mjd !== prev + 1) refuse(`line ${i + 1}: MJD ${mjd} does not follow ${prev}`, i + 1);
      prev = mjd;
    });
    return { kind: 'EOP', format: 'txt', detail: 'IERS finals2000A' };
  }
  if (/^\s*product_type\s+gravity_field/m.test(text.slice(0, 20000)) || /^end_of_head/m.test(text.slice(0, 20000))) {
    if (!/^end_of_head/m.test(text)) refuse('ICGEM gravity field without end_of_head');
    if (!/^gfct?\s/m.test(text)) refuse('ICGEM gravity field without any gfc coefficient line');
    return { kind: 'GRAVITY', format: 'txt', detail: 'ICGEM gravity field (.gfc)' };
  }
  const coeffs = lines.filter((l) => EGM_LINE.test(l)).length;
  if (coeffs >= 3 && coeffs / lines.filter((l) => l.trim() !== '').length > 0.5 && lines.some((l) => /^\s*2\s+0\s/.test(l))) {
    return { kind: 'GRAVITY', format: 'txt', detail: `spherical-harmonic coefficients (n m C S σC σS), ${coeffs} rows` };
  }
  return undefined;
}
