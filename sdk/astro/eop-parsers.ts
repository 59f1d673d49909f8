/**
 * Parsers for the three EOP file formats in use at the centre. Pure: each takes the file TEXT
 * (and a source name for messages) and returns an `EopTable`; every error names the source and
 * the 1-based line number.
 *
 * - IERS/USNO `finals2000A.all` (also finals2000A.data/.daily): fixed columns, per the IERS
 *   Rapid Service readme (readme.finals2000A). We use the Bulletin A columns (cols 19–134): they
 *   cover the whole file — final "I" values, rapid values and predictions "P" — in one
 *   consistent series; the Bulletin B columns (135–185, final values only, from the older
 *   combined series) can be chosen with `{ bulletin: 'B' }` (A is used where B is blank).
 * - CelesTrak `EOP-All.txt` (VERSION 1.1, https://celestrak.org/SpaceData/EOP-format.php):
 *   BEGIN/END OBSERVED and PREDICTED sections, free-format fields
 *   `yyyy mm dd MJD x" y" UT1-UTC(s) LOD(s) dPsi" dEps" dX" dY" DAT(s)`.
 * - IERS CSV (`eopc04_20.*.csv`, Bulletin A/B `.csv`): ';'-separated with a header naming the
 *   columns but not their units, which differ between products: see `parseIersEopCsv`.
 */
import { EopError, EopRowInput, EopTable, EopTableOptions } from './eop';
import { LeapSecondTable, calendarDateFromMjd } from './time';

const MAS = 1e-3; // arcsec per mas
const MS = 1e-3; // s per ms

// Plausibility bounds (a unit mix-up changes values by 1000×): the pole has stayed within
// 0.6" of the CIO/IRP origin since 1900, and UT1 − UTC within ±0.9 s since 1972 (within
// ±4 s in 1962–1971 per C04).
const MAX_POLE_ARCSEC = 2;
const MAX_DUT1_S = 5;

function checkPlausible(r: EopRowInput, where: string): void {
  if (Math.abs(r.xpArcsec) > MAX_POLE_ARCSEC || Math.abs(r.ypArcsec) > MAX_POLE_ARCSEC)
    throw new EopError(`${where}: pole (${r.xpArcsec}", ${r.ypArcsec}") is beyond ±${MAX_POLE_ARCSEC}" — wrong units?`);
  if (Math.abs(r.ut1MinusUtcS) > MAX_DUT1_S) throw new EopError(`${where}: UT1−UTC ${r.ut1MinusUtcS} s is beyond ±${MAX_DUT1_S} s — wrong units?`);
}

function checkDate(y: number, m: number, d: number, mjd: number, where: string): void {
  const c = calendarDateFromMjd(Math.floor(mjd));
  if (c.year !== y || c.month !== m || c.day !== d) throw new EopError(`${where}: date ${y}-${m}-${d} does not match MJD ${mjd} (${c.year}-${c.month}-${c.day})`);
}

export interface FinalsOptions extends EopTableOptions {
  /** 'A' (default): Bulletin A columns; 'B': Bulletin B columns where present. */
  bulletin?: 'A' | 'B';
}

/** Parses IERS `finals2000A.all` (fixed-width). Rows past the last prediction (no values) are skipped. */
export function parseFinals2000A(text: string, source = 'finals2000A', opts: FinalsOptions = {}): EopTable {
  const rows: EopRowInput[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, li) => {
    if (line.trim() === '') return;
    const where = `${source} line ${li + 1}`;
    // 1-based inclusive columns of readme.finals2000A
    const col = (a: number, b: number): string => line.slice(a - 1, b).trim();
    const num = (a: number, b: number, what: string, required: boolean): number | undefined => {
      const s = col(a, b);
      if (s === '') {
        if (required) throw new EopError(`${where}: ${what} (columns ${a}-${b}) is blank`);
        return undefined;
      }
      if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(s)) throw new EopError(`${where}: ${what} (columns ${a}-${b}) '${s}' is not a number`);
      return Number(s);
    };
    if (line.length < 15) throw new EopError(`${where}: line too short for a finals2000A row (${line.length} characters)`);
    const mjd = num(8, 15, 'MJD', true) as number;
    const yy = num(1, 2, 'year', true) as number;
    const year = yy + (mjd <= 51543 ? 1900 : 2000); // readme: 19xx up to MJD 51543, 20xx from 51544
    checkDate(year, num(3, 4, 'month', true) as number, num(5, 6, 'day', true) as number, mjd, where);
    const hasPm = col(19, 27) !== '';
    const hasUt = col(59, 68) !== '';
    if (!hasPm && !hasUt) return; // future rows: date only
    if (hasPm !== hasUt) throw new EopError(`${where}: polar motion and UT1−UTC must be both present or both blank`);
    const pmFlag = col(17, 17);
    const utFlag = col(58, 58);
    for (const [f, what] of [
      [pmFlag, 'polar-motion flag (column 17)'],
      [utFlag, 'UT1 flag (column 58)'],
    ]) {
      if (f !== 'I' && f !== 'P') throw new EopError(`${where}: ${what} '${f}' is not I or P`);
    }
    let xp = num(19, 27, 'Bulletin A PM-x', true) as number;
    let yp = num(38, 46, 'Bulletin A PM-y', true) as number;
    let dut1 = num(59, 68, 'Bulletin A UT1-UTC', true) as number;
    const lodMs = num(80, 86, 'Bulletin A LOD', false);
    let dXmas = num(98, 106, 'Bulletin A dX', false);
    let dYmas = num(117, 125, 'Bulletin A dY', false);
    if (opts.bulletin === 'B' && col(135, 144) !== '') {
      xp = num(135, 144, 'Bulletin B PM-x', true) as number;
      yp = num(145, 154, 'Bulletin B PM-y', true) as number;
      dut1 = num(155, 165, 'Bulletin B UT1-UTC', true) as number;
      dXmas = num(166, 175, 'Bulletin B dX', false) ?? dXmas;
      dYmas = num(176, 185, 'Bulletin B dY', false) ?? dYmas;
    }
    const row: EopRowInput = {
      mjd,
      predicted: pmFlag === 'P' || utFlag === 'P',
      xpArcsec: xp,
      ypArcsec: yp,
      ut1MinusUtcS: dut1,
      lodS: lodMs === undefined ? undefined : lodMs * MS,
      dXArcsec: dXmas === undefined ? undefined : dXmas * MAS,
      dYArcsec: dYmas === undefined ? undefined : dYmas * MAS,
    };
    checkPlausible(row, where);
    if (rows.length > 0 && !(mjd > rows[rows.length - 1].mjd)) throw new EopError(`${where}: MJD ${mjd} is not after the previous row (${rows[rows.length - 1].mjd})`);
    rows.push(row);
  });
  if (rows.length === 0) throw new EopError(`${source}: no EOP rows found (is this a finals2000A file?)`);
  return new EopTable(rows, { ...opts, source });
}

/** Parses CelesTrak `EOP-All.txt` / `EOP-Last5Years.txt` (VERSION 1.1). DAT is checked against the leap-second table. */
export function parseCelestrakEop(text: string, source = 'EOP-All.txt', opts: EopTableOptions = {}): EopTable {
  const rows: EopRowInput[] = [];
  const table = opts.leapSeconds ?? LeapSecondTable.DEFAULT;
  let section: 'OBSERVED' | 'PREDICTED' | undefined;
  const declared: Record<string, number> = {};
  const counted: Record<string, number> = { OBSERVED: 0, PREDICTED: 0 };
  const lines = text.split(/\r?\n/);
  const numRe = /^[-+]?(\d+\.?\d*|\.\d+)$/;
  lines.forEach((raw, li) => {
    const where = `${source} line ${li + 1}`;
    const line = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^NUM_(OBSERVED|PREDICTED)_POINTS\s+(\d+)$/.exec(line))) {
      declared[m[1]] = Number(m[2]);
      return;
    }
    if ((m = /^BEGIN\s+(OBSERVED|PREDICTED)$/.exec(line))) {
      if (section) throw new EopError(`${where}: BEGIN ${m[1]} inside the ${section} section`);
      section = m[1] as 'OBSERVED' | 'PREDICTED';
      return;
    }
    if ((m = /^END\s+(OBSERVED|PREDICTED)$/.exec(line))) {
      if (section !== m[1]) throw new EopError(`${where}: END ${m[1]} without BEGIN ${m[1]}`);
      section = undefined;
      return;
    }
    if (!section || line === '') return; // header and comments
    const f = line.split(/\s+/);
    if (f.length !== 13) throw new EopError(`${where}: expected 13 fields (yyyy mm dd MJD x y UT1-UTC LOD dPsi dEps dX dY DAT), found ${f.length}`);
    const bad = f.findIndex((s) => !numRe.test(s));
    if (bad >= 0) throw new EopError(`${where}: field ${bad + 1} '${f[bad]}' is not a number`);
    const v = f.map(Number);
    const [y, mo, d, mjd] = v;
    checkDate(y, mo, d, mjd, where);
    const row: EopRowInput = {
      mjd,
      predicted: section === 'PREDICTED',
      xpArcsec: v[4],
      ypArcsec: v[5],
      ut1MinusUtcS: v[6],
      lodS: v[7],
      dPsiArcsec: v[8],
      dEpsArcsec: v[9],
      dXArcsec: v[10],
      dYArcsec: v[11],
    };
    checkPlausible(row, where);
    // DAT is TAI − UTC in whole seconds (rounded before 1972): since 1972 it must equal the table
    if (mjd >= 41317 && v[12] !== table.taiMinusUtcS(mjd))
      throw new EopError(`${where}: DAT ${v[12]} s disagrees with the leap-second table (${table.taiMinusUtcS(mjd)} s from ${table.source}); update the leap-second table`);
    if (rows.length > 0 && !(mjd > rows[rows.length - 1].mjd)) throw new EopError(`${where}: MJD ${mjd} is not after the previous row (${rows[rows.length - 1].mjd})`);
    counted[section]++;
    rows.push(row);
  });
  if (section) throw new EopError(`${source}: BEGIN ${section} has no END ${section}`);
  for (const s of ['OBSERVED', 'PREDICTED'])
    if (declared[s] !== undefined && declared[s] !== counted[s]) throw new EopError(`${source}: NUM_${s}_POINTS says ${declared[s]} but the ${s} section has ${counted[s]} rows`);
  if (rows.length === 0) throw new EopError(`${source}: no BEGIN OBSERVED/PREDICTED data rows found (is this a CelesTrak EOP file?)`);
  return new EopTable(rows, { ...opts, source });
}

/** Units of the three groups of IERS CSV columns. */
export interface IersCsvUnits {
  /** x_pole, y_pole */
  pole: 'arcsec' | 'mas';
  /** UT1-UTC */
  ut1: 's' | 'ms';
  /** LOD */
  lod: 's' | 'ms';
  /** dPsi, dEpsilon, dX, dY */
  nutation: 'arcsec' | 'mas';
}

export interface IersCsvOptions extends EopTableOptions {
  /** Units of each group; by default inferred from the magnitudes in the file (see parseIersEopCsv). */
  units?: Partial<IersCsvUnits>;
}

/**
 * Parses the IERS ';'-separated EOP CSV (EOP 20 C04, Bulletin A, Bulletin B). Rows with neither
 * pole nor UT1 (the nutation-only rows of Bulletin A) are skipped.
 *
 * The header names columns but gives no units, and the products differ: in the files at hand
 * EOP 20 C04 is in arcsec and s throughout, Bulletin B in mas and ms throughout, and Bulletin A
 * has the pole in arcsec, UT1 − UTC in s and the nutation offsets in mas. Unless `units` says
 * otherwise, each group's unit is inferred from the largest magnitude in the file, using bounds
 * that one unit can never reach and the other always does over more than a few days:
 * pole > 2 → mas (|x|, |y| < 0.6"); UT1 − UTC > 1 → ms (< 0.9 s); LOD > 0.01 → ms (< 5 ms);
 * dPsi/dEps > 1 or dX/dY > 0.01 → mas (< 0.2" and < 0.005").
 */
export function parseIersEopCsv(text: string, source = 'eop.csv', opts: IersCsvOptions = {}): EopTable {
  const lines = text.split(/\r?\n/);
  const headerIdx = lines.findIndex((l) => l.trim() !== '');
  if (headerIdx < 0) throw new EopError(`${source}: empty file`);
  const header = lines[headerIdx].split(';').map((h) => h.trim());
  const idx = (name: string, required: boolean): number => {
    const i = header.indexOf(name);
    if (i < 0 && required) throw new EopError(`${source} line ${headerIdx + 1}: header has no '${name}' column (found: ${header.join(', ')})`);
    return i;
  };
  const c = {
    mjd: idx('MJD', true),
    x: idx('x_pole', true),
    y: idx('y_pole', true),
    ut1: idx('UT1-UTC', true),
    lod: idx('LOD', true),
    dPsi: idx('dPsi', false),
    dEps: idx('dEpsilon', false),
    dX: idx('dX', false),
    dY: idx('dY', false),
    year: idx('Year', false),
    month: idx('Month', false),
    day: idx('Day', false),
  };
  // the Type column just before x_pole and UT1-UTC qualifies the pole / UT1 values
  const poleType = header[c.x - 1] === 'Type' ? c.x - 1 : -1;
  const ut1Type = header[c.ut1 - 1] === 'Type' ? c.ut1 - 1 : -1;
  interface RawRow {
    mjd: number;
    predicted: boolean;
    x: number;
    y: number;
    ut1: number;
    lod?: number;
    dPsi?: number;
    dEps?: number;
    dX?: number;
    dY?: number;
    where: string;
  }
  const raw: RawRow[] = [];
  lines.forEach((line, li) => {
    if (li <= headerIdx || line.trim() === '') return;
    const where = `${source} line ${li + 1}`;
    const f = line.split(';');
    if (f.length !== header.length) throw new EopError(`${where}: ${f.length} fields, the header has ${header.length}`);
    const num = (i: number, what: string): number | undefined => {
      if (i < 0) return undefined;
      const s = f[i].trim();
      if (s === '') return undefined;
      if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) throw new EopError(`${where}: ${what} '${s}' is not a number`);
      return Number(s);
    };
    const mjd = num(c.mjd, 'MJD');
    if (mjd === undefined) throw new EopError(`${where}: MJD is blank`);
    const x = num(c.x, 'x_pole');
    const y = num(c.y, 'y_pole');
    const ut1 = num(c.ut1, 'UT1-UTC');
    if (x === undefined && y === undefined && ut1 === undefined) return; // nutation-only rows
    if (x === undefined || y === undefined || ut1 === undefined) throw new EopError(`${where}: x_pole, y_pole and UT1-UTC must be all present or all blank`);
    const yr = num(c.year, 'Year');
    const mo = num(c.month, 'Month');
    const dy = num(c.day, 'Day');
    if (yr !== undefined && mo !== undefined && dy !== undefined) checkDate(yr, mo, dy, mjd, where);
    const type = (i: number): string => (i >= 0 ? f[i].trim().toLowerCase() : '');
    if (raw.length > 0 && !(mjd > raw[raw.length - 1].mjd)) throw new EopError(`${where}: MJD ${mjd} is not after the previous row (${raw[raw.length - 1].mjd})`);
    raw.push({
      mjd,
      predicted: type(poleType) === 'prediction' || type(ut1Type) === 'prediction',
      x,
      y,
      ut1,
      lod: num(c.lod, 'LOD'),
      dPsi: num(c.dPsi, 'dPsi'),
      dEps: num(c.dEps, 'dEpsilon'),
      dX: num(c.dX, 'dX'),
      dY: num(c.dY, 'dY'),
      where,
    });
  });
  if (raw.length === 0) throw new EopError(`${source}: no EOP rows with pole and UT1 values`);
  const maxAbs = (get: (r: RawRow) => number | undefined): number => raw.reduce((m, r) => Math.max(m, Math.abs(get(r) ?? 0)), 0);
  const units: IersCsvUnits = {
    pole: opts.units?.pole ?? (maxAbs((r) => Math.max(Math.abs(r.x), Math.abs(r.y))) > 2 ? 'mas' : 'arcsec'),
    ut1: opts.units?.ut1 ?? (maxAbs((r) => r.ut1) > 1 ? 'ms' : 's'),
    lod: opts.units?.lod ?? (maxAbs((r) => r.lod) > 0.01 ? 'ms' : 's'),
    nutation: opts.units?.nutation ?? (maxAbs((r) => r.dPsi) > 1 || maxAbs((r) => r.dEps) > 1 || maxAbs((r) => r.dX) > 0.01 || maxAbs((r) => r.dY) > 0.01 ? 'mas' : 'arcsec'),
  };
  const pole = units.pole === 'mas' ? MAS : 1;
  const nut = units.nutation === 'mas' ? MAS : 1;
  const ut1k = units.ut1 === 'ms' ? MS : 1;
  const lodk = units.lod === 'ms' ? MS : 1;
  const scaled = (v: number | undefined, k: number): number | undefined => (v === undefined ? undefined : v * k);
  const rows = raw.map((r): EopRowInput => {
    const row: EopRowInput = {
      mjd: r.mjd,
      predicted: r.predicted,
      xpArcsec: r.x * pole,
      ypArcsec: r.y * pole,
      ut1MinusUtcS: r.ut1 * ut1k,
      lodS: scaled(r.lod, lodk),
      dPsiArcsec: scaled(r.dPsi, nut),
      dEpsArcsec: scaled(r.dEps, nut),
      dXArcsec: scaled(r.dX, nut),
      dYArcsec: scaled(r.dY, nut),
    };
    checkPlausible(row, r.where);
    return row;
  });
  return new EopTable(rows, { ...opts, source });
}

/** Picks the parser from the content: CelesTrak sections, IERS CSV header, else finals2000A. */
export function parseEop(text: string, source = 'EOP file', opts: EopTableOptions = {}): EopTable {
  if (/^\s*BEGIN\s+(OBSERVED|PREDICTED)\s*$/m.test(text)) return parseCelestrakEop(text, source, opts);
  if (/^\s*MJD\s*;/.test(text)) return parseIersEopCsv(text, source, opts);
  return parseFinals2000A(text, source, opts);
}
