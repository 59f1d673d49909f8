import * as zlib from 'node:zlib';
import { XMLValidator } from 'fast-xml-parser';
import type { FileKind } from '../../interfaces/domain/product';
import { CcsdsParseError, formatProblem, parseCelestrakOmm, parseNdm, type CcsdsProblem } from '../../sdk/ccsds';

/**
 * Detects the kind of a dropped file from its content (never from its name alone) and checks
 * it before it is routed:
 *
 * - CCSDS messages (OEM, OPM, OMM, TDM, CDM, OCM in KVN, XML or JSON) and CelesTrak's GP JSON
 *   and CSV are read once by the shared codecs (`sdk/ccsds`, lenient mode), so a file the
 *   owning module cannot read — truncated, a wrong keyword, a missing mandatory keyword, a
 *   bad covariance layout — is refused with the codec's problems (file, line or XML path,
 *   keyword, reason). Lenient-mode deviations (real CARA CDMs have them) do not refuse the
 *   file: they come back as warnings for the journal and the log.
 * - TLE files: checksums and line layout; reference-data text formats: their structure.
 *
 * The owning module reads the file again from `done/` (only the topic's fields are passed on).
 */

export type Format = 'kvn' | 'xml' | 'json' | 'csv' | 'txt' | 'other';
export type Detection =
  | { kind: FileKind; format: Format; detail: string; warnings?: string[] }
  | { kind: null; reason: string; line?: number; claimed?: FileKind; problems?: string[] };

class Refusal extends Error {
  constructor(
    reason: string,
    readonly line?: number,
    readonly claimed?: FileKind,
    readonly problems?: string[],
  ) {
    super(reason);
  }
}

const refuse = (reason: string, line?: number): never => {
  throw new Refusal(reason, line);
};

/** Problems and warnings kept per file (journal and .reason file): the first ones tell the story. */
const MAX_LISTED = 20;

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

/** Detects a file's kind and format, and checks it. Pure (no I/O); never throws. */
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
    return detectText(text, fileName || '<input>');
  } catch (err) {
    if (err instanceof Refusal) {
      const { line, claimed, problems } = err;
      return { kind: null, reason: err.message, ...(line !== undefined ? { line } : {}), ...(claimed ? { claimed } : {}), ...(problems ? { problems } : {}) };
    }
    return { kind: null, reason: `detection failed: ${(err as Error).message}` };
  }
}

function detectText(text: string, file: string): Detection {
  const first = text.trimStart()[0];
  if (first === '<') return detectXml(text, file);
  if (first === '{' || first === '[') return detectJson(text, file);
  // The first non-blank line, without splitting a possibly large CCSDS file into lines.
  const firstLine = (/^\s*([^\r\n]*)/.exec(text)?.[1] ?? '').trim();
  const ccsds = /^CCSDS_([A-Z]{3})_VERS\s*=/.exec(firstLine);
  if (ccsds) return detectKvn(ccsds[1], text, file);
  const lines = text.split(/\r?\n/);
  if (/^1 [ 0-9A-Z]{5}[UCS ]/m.test(text.slice(0, 8192)) && /^2 [ 0-9A-Z]{5} /m.test(text.slice(0, 8192))) return checkTle(lines);
  const csv = detectCsv(firstLine);
  if (csv) return csv.kind === 'OMM' ? checkCelestrak(text, 'csv', file) : csv;
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

// ------------------------------------------------------------------ CCSDS (through sdk/ccsds)

/** A message cut out of a file: its text, the line it starts on, and its XML path in the file. */
interface Part {
  text: string;
  line: number;
  /** XML path of the message in the whole file (e.g. `/ndm/omm[2]`), replacing its own root. */
  xmlPath?: string;
}

/** A problem moved to its place in the whole file (for a message cut out of it). */
function shifted(p: CcsdsProblem, part: Part): CcsdsProblem {
  const out = { ...p };
  if (p.line !== undefined) out.line = p.line + part.line - 1;
  if (p.xmlPath !== undefined && part.xmlPath) out.xmlPath = p.xmlPath.replace(/^\/[^/]+/, part.xmlPath);
  return out;
}

function listed(problems: CcsdsProblem[]): string[] {
  const out = problems.slice(0, MAX_LISTED).map(formatProblem);
  if (problems.length > MAX_LISTED) out.push(`… and ${problems.length - MAX_LISTED} more`);
  return out;
}

/** Refuses a file the codec could not read: the first error in the reason, all of them (up to 20) listed. */
function refuseProblems(kind: FileKind, errors: CcsdsProblem[]): never {
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem(s), listed in the .reason file)` : '';
  throw new Refusal(`invalid CCSDS ${kind}: ${formatProblem(errors[0])}${more}`, errors[0].line, kind, listed(errors));
}

function accepted(kind: FileKind, format: Format, detail: string, warnings: CcsdsProblem[]): Detection {
  return warnings.length ? { kind, format, detail, warnings: listed(warnings) } : { kind, format, detail };
}

/**
 * Reads a CCSDS message with `parseNdm` (lenient). `parts`: the messages of a file that holds
 * several OMMs (CelesTrak's concatenated KVN, or an `<ndm>` of several `<omm>`), which the
 * catalog reads one by one; any other kind must be a single message, as its owner reads it.
 */
function checkCcsds(kind: FileKind, format: Format, detail: string, text: string, file: string, parts: Part[] = [{ text, line: 1 }]): Detection {
  const warnings: CcsdsProblem[] = [];
  for (const part of parts.length ? parts : [{ text, line: 1 }]) {
    try {
      const r = parseNdm(part.text, { file, mode: 'lenient' });
      if (r.message.type !== kind) throw new Refusal(`${detail}: holds a CCSDS ${r.message.type} (expected ${kind})`, part.line, kind);
      for (const w of r.warnings) warnings.push(shifted(w, part));
    } catch (err) {
      if (!(err instanceof CcsdsParseError)) throw err;
      refuseProblems(
        kind,
        err.problems.filter((p) => p.severity === 'error').map((p) => shifted(p, part)),
      );
    }
  }
  return accepted(kind, format, detail, warnings);
}

/** CelesTrak's flat GP JSON/CSV, read by the codec's `parseCelestrakOmm` (lenient). */
function checkCelestrak(text: string, format: 'json' | 'csv', file: string): Detection {
  try {
    const r = parseCelestrakOmm(text, { file, mode: 'lenient' });
    return accepted('OMM', format, `CelesTrak GP ${format.toUpperCase()}, ${r.messages.length} record(s)`, r.warnings);
  } catch (err) {
    if (!(err instanceof CcsdsParseError)) throw err;
    return refuseProblems(
      'OMM',
      err.problems.filter((p) => p.severity === 'error'),
    );
  }
}

/**
 * The messages of a text, each with the line it starts on: the KVN OMMs of a concatenated file
 * (each opens with CCSDS_OMM_VERS), or the `<tag>` elements of an `<ndm>` container.
 */
function messageParts(text: string, format: 'kvn' | 'xml', tag: string): Part[] {
  const starts = [...text.matchAll(format === 'kvn' ? /^[ \t]*CCSDS_OMM_VERS\b/gm : new RegExp(`<${tag}[\\s>]`, 'g'))].map((m) => m.index);
  const parts: Part[] = [];
  let line = 1;
  let counted = 0;
  starts.forEach((start, i) => {
    for (let j = text.indexOf('\n', counted); j !== -1 && j < start; j = text.indexOf('\n', j + 1)) line++;
    counted = start;
    const end = format === 'xml' ? text.indexOf(`</${tag}>`, start) + `</${tag}>`.length : (starts[i + 1] ?? text.length);
    const part: Part = { text: text.slice(start, end > start ? end : text.length), line };
    if (format === 'xml') part.xmlPath = starts.length > 1 ? `/ndm/${tag}[${i + 1}]` : `/ndm/${tag}`;
    parts.push(part);
  });
  return parts;
}

// ------------------------------------------------------------------ XML / JSON / KVN kinds

/** Root element of an XML text, past the prolog, comments and DOCTYPE (no parse). */
function xmlRoot(text: string): string | undefined {
  const body = text.replace(/^(?:\s*(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>))*\s*/, '');
  return /^<([A-Za-z_][\w.:-]*)/.exec(body)?.[1];
}

/** A non-CCSDS XML file is only checked for well-formedness. */
function wellFormed(text: string): void {
  const v = XMLValidator.validate(text);
  if (v !== true) refuse(`malformed XML at line ${v.err.line}: ${v.err.msg}`, v.err.line);
}

function detectXml(text: string, file: string): Detection {
  const root = xmlRoot(text);
  const type = root?.toUpperCase() ?? '';
  if (type === 'NDM') {
    // The messages of the container: the only elements named after a message type (no keyword
    // or structural element of the NDM schemas bears one of these names).
    const kids = [...text.matchAll(/<(omm|oem|opm|tdm|cdm|ocm|aem|apm|acm)[\s>/]/gi)].map((m) => m[1].toUpperCase());
    const kinds = [...new Set(kids.map((k) => CCSDS_KINDS[k]).filter(Boolean))];
    if (kinds.length === 1 && kids.every((k) => CCSDS_KINDS[k])) {
      const kind = kinds[0];
      const detail = `CCSDS NDM container of ${kids.length > 3 ? `${kids.length} ${kids[0]}` : kids.join(', ')}`;
      // Owners read one message per file, except the catalog, which takes CelesTrak's <ndm> of OMMs.
      if (kids.length > 1 && kind !== 'OMM') throw new Refusal(`${detail}: its owner reads one ${kind} per file (split the container)`, undefined, kind);
      // Each message is read alone (the container's own COMMENTs are not part of any message).
      return checkCcsds(kind, 'xml', detail, text, file, messageParts(text, 'xml', kind.toLowerCase()));
    }
    wellFormed(text);
    if (kids.length === 0) refuse('empty CCSDS NDM container');
    return { kind: 'OTHER', format: 'xml', detail: `CCSDS NDM container mixing ${[...new Set(kids)].join(', ')}` };
  }
  if (CCSDS_KINDS[type]) return checkCcsds(CCSDS_KINDS[type], 'xml', `CCSDS ${type}`, text, file);
  wellFormed(text);
  if (ATTITUDE.has(type)) return { kind: 'OTHER', format: 'xml', detail: `CCSDS ${type} (attitude)` };
  return refuse(`XML root element <${root}> is not a CCSDS navigation data message`);
}

function detectJson(text: string, file: string): Detection {
  // A CCSDS message in JSON is one member named after the message ({"cdm": {…}}).
  const member = /^\s*\{\s*"([A-Za-z]+)"\s*:/.exec(text)?.[1].toUpperCase() ?? '';
  if (CCSDS_KINDS[member]) return checkCcsds(CCSDS_KINDS[member], 'json', `CCSDS ${member} (JSON)`, text, file);
  const head = text.slice(0, 4096);
  if (/^\s*\[?\s*\{/.test(head) && ['"NORAD_CAT_ID"', '"EPOCH"', '"MEAN_MOTION"'].every((k) => head.includes(k))) return checkCelestrak(text, 'json', file);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const m = /position (\d+)/.exec((err as Error).message);
    const line = m ? text.slice(0, Number(m[1])).split('\n').length : undefined;
    return refuse(`malformed JSON${line ? ` at line ${line}` : ''}: ${(err as Error).message}`, line);
  }
  if (Array.isArray(value) && value.length === 0) refuse('empty JSON array');
  return refuse('JSON content is neither CelesTrak GP records (NORAD_CAT_ID, EPOCH, MEAN_MOTION) nor a CCSDS message object');
}

function detectKvn(type: string, text: string, file: string): Detection {
  if (ATTITUDE.has(type)) return { kind: 'OTHER', format: 'kvn', detail: `CCSDS ${type} (attitude)` };
  const kind = CCSDS_KINDS[type];
  if (!kind) refuse(`CCSDS_${type}_VERS: unknown CCSDS message type '${type}'`, 1);
  const parts = kind === 'OMM' ? messageParts(text, 'kvn', 'omm') : [];
  return checkCcsds(kind, 'kvn', parts.length > 1 ? `CCSDS ${type} × ${parts.length}` : `CCSDS ${type}`, text, file, parts.length > 1 ? parts : undefined);
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
