import { calendarDateFromMjd, daysInMonth, mjdFromCalendarDate } from '../../sdk/astro/time';

/**
 * Parsers of the CelesTrak / CSSI space-weather tables. Pure functions: text in, data out
 * (the plugin does the file I/O), so they are tested on the real files and on broken copies.
 *
 * Formats (CelesTrak, "Space Weather Data Documentation", celestrak.org/SpaceData/SpaceWx-format.php,
 * and the header of every file):
 * - legacy fixed-field text `SW-All.txt`, `DATATYPE CssiSpaceWeather`, `VERSION 1.2`, one line a
 *   day, `FORMAT(I4,I3,I3,I5,I3,8I3,I4,8I4,I4,F4.1,I2,I4,F6.1,I2,5F6.1)`, in three sections
 *   `BEGIN OBSERVED`, `BEGIN DAILY_PREDICTED` (45 days), `BEGIN MONTHLY_PREDICTED` (first day of
 *   each month, F10.7 and sunspot number only), each preceded by `NUM_<SECTION>_POINTS n`;
 * - the CSV form `SW-All.csv` with named columns and `F10.7_DATA_TYPE` = OBS | INT | PRD | PRM
 *   (observed, interpolated, daily predicted, monthly predicted).
 *
 * Column meaning in the fixed-field line (the `Adj`/`Obs` header above the column names, and the
 * CSV export of the same data, confirm the order): the FIRST F10.7 group is ADJUSTED to 1 AU
 * (F10.7, Q, Ctr81, Lst81), the SECOND group is OBSERVED (F10.7, Ctr81, Lst81).
 * Kp values are written in tenths (43 = 4.3, i.e. 4+ on the thirds scale); we return Kp = value/10.
 * Flux qualifier Q = 4 marks an interpolated F10.7 (the CSV calls those rows INT); other values
 * and blank are taken as observed/predicted according to the section.
 */

export type SpaceWeatherKind = 'observed' | 'interpolated' | 'daily-predicted' | 'monthly-predicted';

/** One row of the table (a day; monthly-predicted rows stand for the first day of a month). */
export interface SpaceWeatherDay {
  mjd: number;
  dateUtc: string;
  kind: SpaceWeatherKind;
  /** Kp of the eight 3-hour intervals 00-03 … 21-24 UT (0…9). */
  kp3h?: number[];
  /** ap of the eight 3-hour intervals. */
  ap3h?: number[];
  /** Daily Ap (mean of the eight ap). */
  apDaily?: number;
  f107ObsSfu?: number;
  f107AdjSfu?: number;
  f107ObsCenter81Sfu?: number;
  f107ObsLast81Sfu?: number;
  f107AdjCenter81Sfu?: number;
  f107AdjLast81Sfu?: number;
  /** 1-based line of the file the row came from (for error messages). */
  line: number;
}

export interface ParsedSpaceWeather {
  source: string;
  format: 'cssi-text' | 'cssi-csv';
  /** `UPDATED` header of the text file (as written), when present. */
  updated?: string;
  /** Observed, interpolated and daily-predicted rows: one per day, contiguous, increasing. */
  daily: SpaceWeatherDay[];
  /** Monthly-predicted rows, increasing, after the last daily row. */
  monthly: SpaceWeatherDay[];
  /** Non-fatal findings (e.g. a NUM_…_POINTS count that does not match, a repeated identical row). */
  warnings: string[];
}

/** A malformed space-weather file: names the source, the line and the reason. */
export class SpaceWeatherFormatError extends Error {
  constructor(
    readonly source: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(`${source}${line !== undefined ? `:${line}` : ''}: ${reason}`);
    this.name = 'SpaceWeatherFormatError';
  }
}

export function isoDateFromMjd(mjd: number): string {
  const { year, month, day } = calendarDateFromMjd(mjd);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** MJD of a `YYYY-MM-DD` date, or undefined when the text is not a valid calendar date. */
export function mjdFromIsoDate(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  return mjdOf(Number(m[1]), Number(m[2]), Number(m[3]));
}

function mjdOf(year: number, month: number, day: number): number | undefined {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return mjdFromCalendarDate(year, month, day);
}

// ------------------------------------------------------------------ fixed-field text

/** Fortran edit descriptors of FORMAT(I4,I3,I3,I5,I3,8I3,I4,8I4,I4,F4.1,I2,I4,F6.1,I2,5F6.1) as [name, width]. */
const FIELDS: [string, number][] = [
  ['year', 4], ['month', 3], ['day', 3], ['bsrn', 5], ['nd', 3],
  ['kp1', 3], ['kp2', 3], ['kp3', 3], ['kp4', 3], ['kp5', 3], ['kp6', 3], ['kp7', 3], ['kp8', 3], ['kpSum', 4],
  ['ap1', 4], ['ap2', 4], ['ap3', 4], ['ap4', 4], ['ap5', 4], ['ap6', 4], ['ap7', 4], ['ap8', 4], ['apAvg', 4],
  ['cp', 4], ['c9', 2], ['isn', 4],
  ['f107Adj', 6], ['q', 2], ['f107AdjCtr81', 6], ['f107AdjLst81', 6], ['f107Obs', 6], ['f107ObsCtr81', 6], ['f107ObsLst81', 6],
];
const COLUMNS: { name: string; start: number; end: number }[] = (() => {
  let start = 0;
  return FIELDS.map(([name, width]) => {
    const c = { name, start, end: start + width };
    start += width;
    return c;
  });
})();

type Section = 'OBSERVED' | 'DAILY_PREDICTED' | 'MONTHLY_PREDICTED';
const SECTIONS: Section[] = ['OBSERVED', 'DAILY_PREDICTED', 'MONTHLY_PREDICTED'];

/** Parses a CSSI fixed-field space-weather file (`SW-All.txt`, `SW-Last5Years.txt`). */
export function parseCssiSpaceWeatherText(text: string, source = 'space-weather text'): ParsedSpaceWeather {
  const lines = text.split(/\r?\n/);
  const out: ParsedSpaceWeather = { source, format: 'cssi-text', daily: [], monthly: [], warnings: [] };
  let datatypeSeen = false;
  let section: Section | undefined;
  let sectionStartLine = 0;
  const counts = new Map<Section, { declared?: number; found: number; line?: number }>();
  const seen = new Set<Section>();
  const fail = (line: number, reason: string): never => {
    throw new SpaceWeatherFormatError(source, line, reason);
  };

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i];
    if (section !== undefined && /^\d/.test(raw)) {
      // data row (the common case: parsed without splitting the line into words)
      const row = parseTextRow(raw, section, lineNo, fail);
      counts.get(section)!.found++;
      append(out, row, section === 'MONTHLY_PREDICTED', fail);
      continue;
    }
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const [keyword, ...rest] = trimmed.split(/\s+/);
    if (section === undefined) {
      if (keyword === 'DATATYPE') {
        if (rest[0] !== 'CssiSpaceWeather') fail(lineNo, `DATATYPE '${rest.join(' ')}' is not CssiSpaceWeather`);
        datatypeSeen = true;
        continue;
      }
      if (!datatypeSeen) fail(lineNo, `not a CSSI space-weather file: expected 'DATATYPE CssiSpaceWeather' before '${trimmed.slice(0, 40)}'`);
      if (keyword === 'VERSION') {
        if (rest[0] !== '1.2') out.warnings.push(`${source}:${lineNo}: VERSION ${rest[0]} (parsed with the 1.2 column layout)`);
        continue;
      }
      if (keyword === 'UPDATED') {
        out.updated = rest.join(' ');
        continue;
      }
      const num = /^NUM_(OBSERVED|DAILY_PREDICTED|MONTHLY_PREDICTED)_POINTS$/.exec(keyword);
      if (num) {
        const n = Number(rest[0]);
        if (!Number.isInteger(n) || n < 0) fail(lineNo, `${keyword} '${rest[0]}' is not a count`);
        counts.set(num[1] as Section, { declared: n, found: 0, line: lineNo });
        continue;
      }
      if (keyword === 'BEGIN') {
        const s = rest[0] as Section;
        if (!SECTIONS.includes(s)) fail(lineNo, `unknown section 'BEGIN ${rest[0]}' (expected OBSERVED, DAILY_PREDICTED or MONTHLY_PREDICTED)`);
        if (seen.has(s)) fail(lineNo, `section ${s} appears twice`);
        const order = SECTIONS.indexOf(s);
        for (const later of SECTIONS.slice(order + 1)) if (seen.has(later)) fail(lineNo, `section ${s} after ${later} (expected OBSERVED, DAILY_PREDICTED, MONTHLY_PREDICTED in this order)`);
        section = s;
        sectionStartLine = lineNo;
        seen.add(s);
        if (!counts.has(s)) counts.set(s, { found: 0 });
        continue;
      }
      if (keyword === 'END') fail(lineNo, `'END ${rest[0] ?? ''}' without a matching BEGIN`);
      fail(lineNo, `unexpected line outside a data section: '${trimmed.slice(0, 60)}'`);
    }
    // inside a section
    if (keyword === 'END') {
      if (rest[0] !== section) fail(lineNo, `'END ${rest[0] ?? ''}' closes section ${section} opened at line ${sectionStartLine}`);
      section = undefined;
      continue;
    }
    if (keyword === 'BEGIN') fail(lineNo, `'BEGIN ${rest[0] ?? ''}' inside section ${section} opened at line ${sectionStartLine} (missing END ${section})`);
    fail(lineNo, `unexpected line in section ${section}: '${trimmed.slice(0, 60)}' (a data row starts with the year in columns 1-4)`);
  }
  if (section !== undefined) fail(lines.length, `section ${section} opened at line ${sectionStartLine} has no END ${section} (truncated file?)`);
  if (!datatypeSeen) throw new SpaceWeatherFormatError(source, undefined, "not a CSSI space-weather file: no 'DATATYPE CssiSpaceWeather' line");
  if (out.daily.length === 0) throw new SpaceWeatherFormatError(source, undefined, 'no OBSERVED or DAILY_PREDICTED rows');
  for (const [s, c] of counts) {
    if (c.declared !== undefined && c.declared !== c.found) {
      out.warnings.push(`${source}:${c.line}: NUM_${s}_POINTS says ${c.declared} but the section holds ${c.found} rows`);
    }
  }
  return out;
}

const KP_NAMES = ['kp1', 'kp2', 'kp3', 'kp4', 'kp5', 'kp6', 'kp7', 'kp8'];
const AP_NAMES = ['ap1', 'ap2', 'ap3', 'ap4', 'ap5', 'ap6', 'ap7', 'ap8'];
const DAILY_REQUIRED = [...KP_NAMES, ...AP_NAMES, 'apAvg'];
const F107_REQUIRED = ['f107Adj', 'f107Obs', 'f107ObsCtr81', 'f107AdjCtr81'];
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)$/;
const COL = Object.fromEntries(COLUMNS.map((c, i) => [c.name, i])) as Record<string, number>;

function parseTextRow(raw: string, section: Section, lineNo: number, fail: (line: number, reason: string) => never): SpaceWeatherDay {
  // Values by column index (an array, not an object keyed by name: this loop runs 25 000 times).
  const values: (number | undefined)[] = new Array(COLUMNS.length);
  for (let k = 0; k < COLUMNS.length; k++) {
    const c = COLUMNS[k];
    const field = raw.slice(c.start, c.end).trim();
    if (field === '') continue;
    if (!NUMBER_RE.test(field)) fail(lineNo, `column ${c.start + 1}-${c.end} (${c.name}) '${field}' is not a number`);
    values[k] = Number(field);
  }
  const v = (name: string): number | undefined => values[COL[name]];
  if (raw.length > COLUMNS[COLUMNS.length - 1].end && raw.slice(COLUMNS[COLUMNS.length - 1].end).trim() !== '') {
    fail(lineNo, `unexpected text after column ${COLUMNS[COLUMNS.length - 1].end}: '${raw.slice(COLUMNS[COLUMNS.length - 1].end).trim().slice(0, 20)}'`);
  }
  const mjd = v('year') !== undefined && v('month') !== undefined && v('day') !== undefined ? mjdOf(v('year')!, v('month')!, v('day')!) : undefined;
  if (mjd === undefined) fail(lineNo, `invalid date '${raw.slice(0, 10).trim()}' (expected 'yyyy mm dd' in columns 1-10)`);
  const monthly = section === 'MONTHLY_PREDICTED';
  const need = (names: string[]) => {
    for (const n of names) if (v(n) === undefined) fail(lineNo, `${section} row has no ${n} (column ${COLUMNS.find((c) => c.name === n)!.start + 1}-${COLUMNS.find((c) => c.name === n)!.end})`);
  };
  need(F107_REQUIRED);
  if (!monthly) need(DAILY_REQUIRED);
  const row: SpaceWeatherDay = {
    mjd: mjd!,
    dateUtc: isoDateFromMjd(mjd!),
    kind: monthly ? 'monthly-predicted' : section === 'DAILY_PREDICTED' ? 'daily-predicted' : v('q') === 4 ? 'interpolated' : 'observed',
    f107ObsSfu: v('f107Obs'),
    f107AdjSfu: v('f107Adj'),
    f107ObsCenter81Sfu: v('f107ObsCtr81'),
    f107ObsLast81Sfu: v('f107ObsLst81'),
    f107AdjCenter81Sfu: v('f107AdjCtr81'),
    f107AdjLast81Sfu: v('f107AdjLst81'),
    line: lineNo,
  };
  if (KP_NAMES.every((k) => v(k) !== undefined)) row.kp3h = KP_NAMES.map((k) => v(k)! / 10);
  if (AP_NAMES.every((k) => v(k) !== undefined)) row.ap3h = AP_NAMES.map((k) => v(k)!);
  if (v('apAvg') !== undefined) row.apDaily = v('apAvg');
  checkRanges(row, lineNo, fail);
  return row;
}

function checkRanges(row: SpaceWeatherDay, lineNo: number, fail: (line: number, reason: string) => never): void {
  for (const [i, kp] of (row.kp3h ?? []).entries()) if (kp < 0 || kp > 9) fail(lineNo, `Kp${i + 1} = ${kp} outside 0…9`);
  for (const [i, ap] of (row.ap3h ?? []).entries()) if (ap < 0 || ap > 400) fail(lineNo, `ap${i + 1} = ${ap} outside 0…400`);
  if (row.apDaily !== undefined && (row.apDaily < 0 || row.apDaily > 400)) fail(lineNo, `daily Ap = ${row.apDaily} outside 0…400`);
  for (const k of ['f107ObsSfu', 'f107AdjSfu', 'f107ObsCenter81Sfu', 'f107ObsLast81Sfu', 'f107AdjCenter81Sfu', 'f107AdjLast81Sfu'] as const) {
    const x = row[k];
    if (x !== undefined && (x < 0 || x > 1000)) fail(lineNo, `${k} = ${x} sfu outside 0…1000`);
  }
}

/** Appends a row, checking the order: daily rows contiguous, monthly rows after them, all increasing. */
function append(out: ParsedSpaceWeather, row: SpaceWeatherDay, monthly: boolean, fail: (line: number, reason: string) => never): void {
  const prevDaily = out.daily[out.daily.length - 1];
  const prevMonthly = out.monthly[out.monthly.length - 1];
  if (!monthly) {
    if (prevMonthly) fail(row.line, `daily row ${row.dateUtc} after monthly-predicted rows (line ${prevMonthly.line})`);
    if (prevDaily) {
      if (row.mjd === prevDaily.mjd) {
        if (sameValues(row, prevDaily)) {
          out.warnings.push(`${out.source}:${row.line}: ${row.dateUtc} repeats line ${prevDaily.line} with the same values (ignored)`);
          return;
        }
        fail(row.line, `${row.dateUtc} appears twice with different values (first at line ${prevDaily.line})`);
      }
      if (row.mjd < prevDaily.mjd) fail(row.line, `${row.dateUtc} goes back in time (previous row ${prevDaily.dateUtc} at line ${prevDaily.line})`);
      if (row.mjd !== prevDaily.mjd + 1) fail(row.line, `gap in the daily rows: ${prevDaily.dateUtc} (line ${prevDaily.line}) is followed by ${row.dateUtc}`);
    }
    out.daily.push(row);
    return;
  }
  const prev = prevMonthly ?? prevDaily;
  if (prev && row.mjd <= prev.mjd) fail(row.line, `${row.dateUtc} is not after the previous row ${prev.dateUtc} (line ${prev.line})`);
  out.monthly.push(row);
}

function sameValues(a: SpaceWeatherDay, b: SpaceWeatherDay): boolean {
  const strip = (d: SpaceWeatherDay) => JSON.stringify({ ...d, line: 0 });
  return strip(a) === strip(b);
}

// ------------------------------------------------------------------ CSV

const CSV_REQUIRED = ['DATE', 'F10.7_OBS', 'F10.7_ADJ', 'F10.7_DATA_TYPE', 'F10.7_OBS_CENTER81', 'F10.7_ADJ_CENTER81'];
const CSV_KINDS: Record<string, SpaceWeatherKind> = { OBS: 'observed', INT: 'interpolated', PRD: 'daily-predicted', PRM: 'monthly-predicted' };

/** Parses the CelesTrak CSV space-weather file (`SW-All.csv`); columns are found by their header names. */
export function parseCssiSpaceWeatherCsv(text: string, source = 'space-weather csv'): ParsedSpaceWeather {
  const lines = text.split(/\r?\n/);
  const out: ParsedSpaceWeather = { source, format: 'cssi-csv', daily: [], monthly: [], warnings: [] };
  const fail = (line: number, reason: string): never => {
    throw new SpaceWeatherFormatError(source, line, reason);
  };
  let headerLine = lines.findIndex((l) => l.trim() !== '');
  if (headerLine < 0) throw new SpaceWeatherFormatError(source, undefined, 'empty file');
  const header = lines[headerLine].replace(/^\uFEFF/, '').split(',').map((h) => h.trim());
  headerLine += 1;
  for (const r of CSV_REQUIRED) if (!header.includes(r)) fail(headerLine, `CSV header has no ${r} column (found: ${header.slice(0, 8).join(',')}…)`);
  const col = (name: string) => header.indexOf(name);
  for (let i = headerLine; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i];
    if (raw.trim() === '') continue;
    const cells = raw.split(',');
    if (cells.length !== header.length) fail(lineNo, `${cells.length} fields, the header has ${header.length}`);
    const get = (name: string): number | undefined => {
      const k = col(name);
      if (k < 0) return undefined;
      const t = cells[k].trim();
      if (t === '') return undefined;
      const n = Number(t);
      if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t) || !Number.isFinite(n)) fail(lineNo, `${name} '${t}' is not a number`);
      return n;
    };
    const date = cells[col('DATE')].trim();
    const mjd = mjdFromIsoDate(date);
    if (mjd === undefined) fail(lineNo, `DATE '${date}' is not a valid YYYY-MM-DD date`);
    const typeText = cells[col('F10.7_DATA_TYPE')].trim();
    const kind = CSV_KINDS[typeText];
    if (!kind) fail(lineNo, `F10.7_DATA_TYPE '${typeText}' is not OBS, INT, PRD or PRM`);
    const row: SpaceWeatherDay = {
      mjd: mjd!,
      dateUtc: date,
      kind,
      f107ObsSfu: get('F10.7_OBS'),
      f107AdjSfu: get('F10.7_ADJ'),
      f107ObsCenter81Sfu: get('F10.7_OBS_CENTER81'),
      f107ObsLast81Sfu: get('F10.7_OBS_LAST81'),
      f107AdjCenter81Sfu: get('F10.7_ADJ_CENTER81'),
      f107AdjLast81Sfu: get('F10.7_ADJ_LAST81'),
      line: lineNo,
    };
    for (const k of ['f107ObsSfu', 'f107AdjSfu', 'f107ObsCenter81Sfu', 'f107AdjCenter81Sfu'] as const) {
      if (row[k] === undefined) fail(lineNo, `${typeText} row has no ${k}`);
    }
    const kp = [1, 2, 3, 4, 5, 6, 7, 8].map((k) => get(`KP${k}`));
    const ap = [1, 2, 3, 4, 5, 6, 7, 8].map((k) => get(`AP${k}`));
    const apAvg = get('AP_AVG');
    if (kp.every((x) => x !== undefined)) row.kp3h = kp.map((x) => x! / 10);
    if (ap.every((x) => x !== undefined)) row.ap3h = ap.map((x) => x!);
    if (apAvg !== undefined) row.apDaily = apAvg;
    if (kind !== 'monthly-predicted' && (!row.ap3h || row.apDaily === undefined)) fail(lineNo, `${typeText} row has no AP1…AP8 / AP_AVG`);
    checkRanges(row, lineNo, fail);
    append(out, row, kind === 'monthly-predicted', fail);
  }
  if (out.daily.length === 0) throw new SpaceWeatherFormatError(source, undefined, 'no OBS, INT or PRD rows');
  return out;
}

/** Chooses the parser from the content: CSV when the first line is the `DATE,…` header, CSSI text otherwise. */
export function parseSpaceWeather(text: string, source = 'space-weather file'): ParsedSpaceWeather {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  return /^\s*DATE\s*,/.test(first) ? parseCssiSpaceWeatherCsv(text, source) : parseCssiSpaceWeatherText(text, source);
}
