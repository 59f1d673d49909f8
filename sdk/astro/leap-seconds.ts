/**
 * The UTC leap-second table (TAI − UTC) and the proleptic-Gregorian calendar arithmetic it
 * needs. Pure: parsers take the file TEXT, never a path.
 *
 * `time.ts` re-exports everything here; import from `sdk/astro/time` in other modules. This
 * file has no imports of its own so that `time.ts` can use it without an import cycle.
 *
 * Model (USNO tai-utc.dat / IERS UTC-TAI.history): from the UTC date of entry k onwards,
 *     TAI − UTC = offset_k + (MJD_UTC − refMjd_k) × rate_k   [s]
 * where MJD_UTC is the (fractional) UTC modified Julian date. Since 1972-01-01 every rate is 0
 * and offsets step by whole seconds (leap seconds); from 1961 to 1971 UTC used "rubber seconds"
 * (a frequency offset, the rate term) plus fractional steps. Both are supported exactly.
 *
 * Outside the table (documented convention, not an official time scale):
 * - before the first entry (1961-01-01 in the bundled table) UTC did not exist; the first
 *   entry's formula is extended backwards. For the bundled table this gives TAI − UTC ≈ 0.002 s
 *   at 1958-01-01 (the TAI origin, where TAI was set to agree with UT2) and ≈ −3.8 s in 1950,
 *   keeping "UTC" continuous and invertible over 1950–1961.
 * - after the last entry the last offset holds (the bundled table ends with the 2017-01-01
 *   step; load a newer tai-utc.dat / UTC-TAI.history when IERS Bulletin C announces a step).
 */

/** Thrown for every invalid time input: unparsable text, impossible calendar fields, bad table lines. */
export class TimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimeError';
  }
}

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic (proleptic Gregorian), integer days.
// Algorithm: H. Hinnant, "chrono-Compatible Low-Level Date Algorithms" (days_from_civil /
// civil_from_days): counts days in 400-year eras of 146 097 days with March-based years so the
// leap day falls at the end of the year. Exact for any integer year.
// ---------------------------------------------------------------------------------------------

/** MJD of 1970-01-01 (used as the epoch of the day count below). */
const MJD_1970 = 40587;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
}

/** Integer MJD of a Gregorian calendar date (no validation: callers validate the fields). */
export function mjdFromCalendarDate(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400; // [0, 399]
  const mp = (month + 9) % 12; // March = 0
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1; // [0, 365]
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy; // [0, 146096]
  return era * 146097 + doe - 719468 + MJD_1970;
}

/** Gregorian calendar date of an integer MJD. */
export function calendarDateFromMjd(mjd: number): { year: number; month: number; day: number } {
  const z = mjd - MJD_1970 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

// ---------------------------------------------------------------------------------------------
// Leap-second table
// ---------------------------------------------------------------------------------------------

/** One line of the table: valid from 0h UTC of `mjd` until the next entry. */
export interface LeapSecondEntry {
  /** UTC MJD (integer) at which this entry starts. */
  readonly mjd: number;
  /** TAI − UTC at `refMjd`, s. */
  readonly offsetS: number;
  /** Reference MJD of the drift term (pre-1972 only; irrelevant when rate is 0). */
  readonly refMjd: number;
  /** Drift of TAI − UTC, s per day of UTC (pre-1972 rubber seconds; 0 since 1972). */
  readonly rateSPerDay: number;
}

/**
 * The bundled table: USNO tai-utc.dat / IERS UTC-TAI.history content through the
 * 2017-01-01 leap second (TAI − UTC = 37 s), including the 1961–1971 drift terms.
 * Rows: [year, month, day, offset s, reference MJD, rate s/day]. These are the published
 * values (IERS Bulletin C; USNO tai-utc.dat); a test checks them against both files.
 */
const BUNDLED: ReadonlyArray<readonly [number, number, number, number, number, number]> = [
  [1961, 1, 1, 1.422818, 37300, 0.001296],
  [1961, 8, 1, 1.372818, 37300, 0.001296],
  [1962, 1, 1, 1.845858, 37665, 0.0011232],
  [1963, 11, 1, 1.945858, 37665, 0.0011232],
  [1964, 1, 1, 3.24013, 38761, 0.001296],
  [1964, 4, 1, 3.34013, 38761, 0.001296],
  [1964, 9, 1, 3.44013, 38761, 0.001296],
  [1965, 1, 1, 3.54013, 38761, 0.001296],
  [1965, 3, 1, 3.64013, 38761, 0.001296],
  [1965, 7, 1, 3.74013, 38761, 0.001296],
  [1965, 9, 1, 3.84013, 38761, 0.001296],
  [1966, 1, 1, 4.31317, 39126, 0.002592],
  [1968, 2, 1, 4.21317, 39126, 0.002592],
  [1972, 1, 1, 10, 41317, 0],
  [1972, 7, 1, 11, 41317, 0],
  [1973, 1, 1, 12, 41317, 0],
  [1974, 1, 1, 13, 41317, 0],
  [1975, 1, 1, 14, 41317, 0],
  [1976, 1, 1, 15, 41317, 0],
  [1977, 1, 1, 16, 41317, 0],
  [1978, 1, 1, 17, 41317, 0],
  [1979, 1, 1, 18, 41317, 0],
  [1980, 1, 1, 19, 41317, 0],
  [1981, 7, 1, 20, 41317, 0],
  [1982, 7, 1, 21, 41317, 0],
  [1983, 7, 1, 22, 41317, 0],
  [1985, 7, 1, 23, 41317, 0],
  [1988, 1, 1, 24, 41317, 0],
  [1990, 1, 1, 25, 41317, 0],
  [1991, 1, 1, 26, 41317, 0],
  [1992, 7, 1, 27, 41317, 0],
  [1993, 7, 1, 28, 41317, 0],
  [1994, 7, 1, 29, 41317, 0],
  [1996, 1, 1, 30, 41317, 0],
  [1997, 7, 1, 31, 41317, 0],
  [1999, 1, 1, 32, 41317, 0],
  [2006, 1, 1, 33, 41317, 0],
  [2009, 1, 1, 34, 41317, 0],
  [2012, 7, 1, 35, 41317, 0],
  [2015, 7, 1, 36, 41317, 0],
  [2017, 1, 1, 37, 41317, 0],
];

export class LeapSecondTable {
  /** Bundled table, through 2017-01-01 (TAI − UTC = 37 s). */
  static readonly DEFAULT: LeapSecondTable = new LeapSecondTable(
    BUNDLED.map(([y, m, d, offsetS, refMjd, rateSPerDay]) => ({ mjd: mjdFromCalendarDate(y, m, d), offsetS, refMjd, rateSPerDay })),
    'bundled leap-second table',
  );

  readonly entries: readonly LeapSecondEntry[];

  /** @param source names the table in error messages. */
  constructor(
    entries: readonly LeapSecondEntry[],
    readonly source = 'leap-second table',
  ) {
    if (entries.length === 0) throw new TimeError(`${source}: no entries`);
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      if (!Number.isInteger(e.mjd)) throw new TimeError(`${source}: entry ${i + 1} starts at non-integer MJD ${e.mjd} (steps happen at 0h UTC)`);
      if (![e.offsetS, e.refMjd, e.rateSPerDay].every(Number.isFinite)) throw new TimeError(`${source}: entry ${i + 1} (MJD ${e.mjd}) has a non-finite value`);
      if (i > 0 && e.mjd <= entries[i - 1].mjd) throw new TimeError(`${source}: entry ${i + 1} (MJD ${e.mjd}) is not after the previous one (MJD ${entries[i - 1].mjd})`);
    }
    this.entries = Object.freeze(entries.map((e) => Object.freeze({ ...e })));
  }

  /** The entry in force on UTC day containing `mjdUtc` (the first entry before the table). */
  entryAt(mjdUtc: number): LeapSecondEntry {
    const es = this.entries;
    const n = es.length;
    if (mjdUtc >= es[n - 1].mjd) return es[n - 1]; // fast path: any date since 2017
    let lo = 0;
    let hi = n - 1; // invariant: es[hi].mjd > mjdUtc
    if (mjdUtc < es[0].mjd) return es[0];
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (es[mid].mjd <= mjdUtc) lo = mid;
      else hi = mid;
    }
    return es[lo];
  }

  /** TAI − UTC (s) at a UTC modified Julian date (fractional days allowed). */
  taiMinusUtcS(mjdUtc: number): number {
    const e = this.entryAt(mjdUtc);
    return e.rateSPerDay === 0 ? e.offsetS : e.offsetS + (mjdUtc - e.refMjd) * e.rateSPerDay;
  }

  /**
   * Step of TAI − UTC at 0h UTC of day `mjdDay + 1`, i.e. how many seconds the UTC day `mjdDay`
   * gains (+1 for a leap second: the day ends with 23:59:60; negative for the 1961/1968 steps,
   * where UTC skipped 0.05 s / 0.1 s). The drift term is evaluated at the boundary on both sides.
   */
  stepAtEndOfDayS(mjdDay: number): number {
    const next = this.entryAt(mjdDay + 1);
    if (next.mjd !== mjdDay + 1) return 0;
    const cur = this.entryAt(mjdDay);
    if (cur === next) return 0; // day before the table: the first entry's formula is extended
    const before = cur.offsetS + (mjdDay + 1 - cur.refMjd) * cur.rateSPerDay;
    const after = next.offsetS + (mjdDay + 1 - next.refMjd) * next.rateSPerDay;
    return after - before;
  }

  /** Length of UTC day `mjdDay` in UTC seconds: 86400 plus the step at its end. */
  dayLengthS(mjdDay: number): number {
    return 86400 + this.stepAtEndOfDayS(mjdDay);
  }

  /**
   * Parses USNO `tai-utc.dat` (fixed text lines such as
   * ` 1972 JAN  1 =JD 2441317.5  TAI-UTC=  10.0       S + (MJD - 41317.) X 0.0      S`).
   * The date and its JD must agree. Errors name the source and line number.
   */
  static parseTaiUtcDat(text: string, source = 'tai-utc.dat'): LeapSecondTable {
    const re = /^\s*(\d{4})\s+([A-Za-z]{3})\s+(\d{1,2})\s+=JD\s+(\d+(?:\.\d*)?)\s+TAI-UTC=\s*(-?\d+(?:\.\d*)?)\s*S\s*\+\s*\(MJD\s*-\s*(\d+(?:\.\d*)?)\s*\)\s*X\s*(-?\d*(?:\.\d*)?)\s*S\s*$/i;
    const entries: LeapSecondEntry[] = [];
    const lines = text.split(/\r?\n/);
    lines.forEach((raw, i) => {
      const where = `${source} line ${i + 1}`;
      if (raw.trim() === '') return;
      const m = re.exec(raw);
      if (!m) throw new TimeError(`${where}: not a tai-utc.dat entry ('${raw.trim()}'); expected 'YYYY MON DD =JD j TAI-UTC= a S + (MJD - b) X c S'`);
      const [, ys, mons, ds, jds, offs, refs, rates] = m;
      const year = Number(ys);
      const month = MONTHS.indexOf(mons.toUpperCase()) + 1;
      const day = Number(ds);
      if (month === 0) throw new TimeError(`${where}: unknown month '${mons}'`);
      if (day < 1 || day > daysInMonth(year, month)) throw new TimeError(`${where}: day ${day} does not exist in ${ys}-${mons}`);
      const mjd = mjdFromCalendarDate(year, month, day);
      const jd = Number(jds);
      if (Math.abs(jd - 2400000.5 - mjd) > 1e-6) throw new TimeError(`${where}: JD ${jds} does not match the date ${ys} ${mons} ${ds} (JD ${mjd + 2400000.5})`);
      const rate = Number(rates);
      if (rates === '' || rates === '.' || !Number.isFinite(rate)) throw new TimeError(`${where}: bad drift rate '${rates}'`);
      entries.push({ mjd, offsetS: Number(offs), refMjd: Number(refs), rateSPerDay: rate });
    });
    return LeapSecondTable.validated(entries, source);
  }

  /**
   * Parses IERS `UTC-TAI.history` (free-form lines such as
   * ` 1961  Jan.  1 - 1961  Aug.  1     1.422 818 0s + (MJD - 37 300) x 0.001 296s`,
   * `       Aug.  1 - 1962  Jan.  1     1.372 818 0s +        ""` (ditto: same drift term),
   * ` 2017  Jan   1 -                  37s`). Digits may be grouped by spaces. Each line's start
   * date must equal the previous line's end date. Errors name the source and line number.
   */
  static parseUtcTaiHistory(text: string, source = 'UTC-TAI.history'): LeapSecondTable {
    const date = String.raw`(?:(\d{4})\s+)?([A-Za-z]+)\.?\s*(\d{1,2})\s*\.?`;
    const num = String.raw`(\d[\d ]*(?:\.[\d ]*\d)?|\.[\d ]*\d)`;
    const re = new RegExp(String.raw`^${date}\s*-\s*(?:${date})?\s+${num}\s*s\s*(?:\+\s*(?:\(\s*MJD\s*-\s*${num}\s*\)\s*x\s*${num}\s*s|""))?$`, 'i');
    const entries: LeapSecondEntry[] = [];
    let year: number | undefined;
    let prevEnd: number | undefined;
    let inTable = false;
    const lines = text.split(/\r?\n/);
    const monthOf = (name: string, where: string): number => {
      const k = MONTHS.indexOf(name.slice(0, 3).toUpperCase()) + 1;
      if (k === 0) throw new TimeError(`${where}: unknown month '${name}'`);
      return k;
    };
    const dateMjd = (y: number | undefined, mon: string, ds: string, where: string): number => {
      if (y === undefined) throw new TimeError(`${where}: date '${mon} ${ds}' has no year and none precedes it`);
      const month = monthOf(mon, where);
      const day = Number(ds);
      if (day < 1 || day > daysInMonth(y, month)) throw new TimeError(`${where}: day ${day} does not exist in ${y}-${mon}`);
      return mjdFromCalendarDate(y, month, day);
    };
    const digits = (s: string): number => Number(s.replace(/\s+/g, ''));
    lines.forEach((raw, i) => {
      const where = `${source} line ${i + 1}`;
      const line = raw.replace(/\t/g, ' ').trim();
      if (!inTable) {
        if (/Limits of validity/i.test(line)) inTable = true;
        return;
      }
      if (line === '' || /^-+$/.test(line)) return;
      const m = re.exec(line);
      if (!m) throw new TimeError(`${where}: not a UTC-TAI.history entry ('${line}'); expected 'YYYY Mon. D - [YYYY Mon. D]  offset s [+ (MJD - ref) x rate s | + ""]'`);
      const [, y1, mon1, d1, y2, mon2, d2, offs, refs, rates] = m;
      if (y1 !== undefined) year = Number(y1);
      const start = dateMjd(year, mon1, d1, where);
      if (prevEnd !== undefined && start !== prevEnd) {
        const c = calendarDateFromMjd(prevEnd);
        throw new TimeError(`${where}: interval starts on MJD ${start} but the previous one ended on ${c.year}-${c.month}-${c.day} (MJD ${prevEnd})`);
      }
      if (mon2 !== undefined) {
        if (y2 !== undefined) year = Number(y2);
        prevEnd = dateMjd(year, mon2, d2, where);
        if (prevEnd <= start) throw new TimeError(`${where}: interval ends (MJD ${prevEnd}) before it starts (MJD ${start})`);
      } else prevEnd = undefined;
      let refMjd: number;
      let rate: number;
      if (refs !== undefined) {
        refMjd = digits(refs);
        rate = digits(rates);
      } else if (/""\s*$/.test(line)) {
        if (entries.length === 0) throw new TimeError(`${where}: ditto ("") with no previous drift term`);
        refMjd = entries[entries.length - 1].refMjd;
        rate = entries[entries.length - 1].rateSPerDay;
      } else {
        refMjd = 41317; // whole-second offsets since 1972: no drift (reference as in tai-utc.dat)
        rate = 0;
      }
      entries.push({ mjd: start, offsetS: digits(offs), refMjd, rateSPerDay: rate });
    });
    if (!inTable) throw new TimeError(`${source}: no 'Limits of validity' header found; is this a UTC-TAI.history file?`);
    return LeapSecondTable.validated(entries, source);
  }

  private static validated(entries: LeapSecondEntry[], source: string): LeapSecondTable {
    if (entries.length === 0) throw new TimeError(`${source}: no leap-second entries found`);
    return new LeapSecondTable(entries, source);
  }
}
