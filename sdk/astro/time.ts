/**
 * Time scales and the `Epoch` instant type used by every sdk/astro module.
 *
 * Representation: an `Epoch` is TAI, counted as an INTEGER number of seconds since
 * 2000-01-01T00:00:00 TAI plus a fraction of a second in [0, 1). Over 1950–2100 the integer part
 * stays below 2^32, so it is exact, and the fraction keeps ~1e-16 s resolution; arithmetic
 * (`plusSeconds`, `minus`) adds integer and fractional parts separately, so adding 1 µs a
 * million times drifts by < 1e-9 s. Calendar, JD and MJD values in other scales are derived.
 *
 * Scales (IERS Conventions 2010, ch. 10; USNO Circular 179, ch. 2):
 * - TAI  the atomic reference.
 * - TT   = TAI + 32.184 s exactly (IAU 1991 Recommendation IV).
 * - GPS  = TAI − 19 s exactly (GPS time was UTC at 1980-01-06, when TAI − UTC was 19 s).
 * - UTC  = TAI − (TAI − UTC), from a `LeapSecondTable` (bundled default through 2017-01-01).
 *          A UTC day with a leap second has 86401 s; 23:59:60.x is a valid, distinct instant.
 * - TDB  = TT + periodic term, USNO Circular 179 (Kaplan 2005) eq. 2.6, a truncation of the
 *          Fairhead & Bretagnon (1990) series; error ≤ ~10 µs over 1600–2200 (Circular 179,
 *          §2.6), geocentric (the ≤ 2 µs topocentric terms are omitted).
 * - UT1  = UTC + (UT1 − UTC) from a `Ut1Provider` (an EOP table); asking for UT1 without one
 *          throws a TimeError. UT1 is continuous: (UT1 − UTC) and (TAI − UTC) jump together at
 *          a leap second, so UT1 − TAI is what is applied.
 *
 * UTC Julian dates: `mjd('UTC')` = day + secondsOfDay / 86400 (the convention of Vallado §3.5
 * and of EOP tables). Inside a leap second this exceeds day + 1 and coincides with the MJD of
 * the first second of the next day: a single UTC MJD cannot name an instant inside a leap
 * second (use calendar form or another scale). `fromMjd(…, 'UTC')` maps such values to the
 * next day.
 */
import { JD_J2000, MJD_OFFSET, DAYS_PER_JULIAN_CENTURY, SECONDS_PER_DAY } from './constants';
import { LeapSecondTable, TimeError, calendarDateFromMjd, daysInMonth, isLeapYear, mjdFromCalendarDate } from './leap-seconds';

export { LeapSecondTable, TimeError, calendarDateFromMjd, daysInMonth, isLeapYear, mjdFromCalendarDate } from './leap-seconds';
export type { LeapSecondEntry } from './leap-seconds';

export type TimeScale = 'UTC' | 'TAI' | 'TT' | 'TDB' | 'GPS' | 'UT1';
export const TIME_SCALES: readonly TimeScale[] = ['UTC', 'TAI', 'TT', 'TDB', 'GPS', 'UT1'];

/** Provides UT1−UTC (s) at a UTC modified Julian date; the EOP module implements it. */
export interface Ut1Provider {
  ut1MinusUtcS(mjdUtc: number): number;
}

/** Per-call options; default: the bundled leap-second table; UT1 needs `ut1`. */
export interface TimeOptions {
  leapSeconds?: LeapSecondTable;
  ut1?: Ut1Provider;
}

/** TT − TAI, s (exact by definition). */
export const TT_MINUS_TAI_S = 32.184;
/** TAI − GPS, s (exact by definition). */
export const TAI_MINUS_GPS_S = 19;

/** MJD (in each scale) of the origin of the internal second count: 2000-01-01T00:00:00. */
const ORIGIN_MJD = 51544;
/** J2000.0 as MJD. */
const MJD_J2000 = JD_J2000 - MJD_OFFSET;

/**
 * TDB − TT in seconds, USNO Circular 179 (Kaplan 2005) eq. 2.6 (truncated Fairhead & Bretagnon
 * 1990 series; accuracy ~10 µs over 1600–2200, amplitude ±1.7 ms dominated by the annual term).
 * @param t Julian centuries of TT (or TDB: the difference changes the result by < 1 ns) since J2000.
 */
export function tdbMinusTtS(t: number): number {
  return (
    0.001657 * Math.sin(628.3076 * t + 6.2401) +
    0.000022 * Math.sin(575.3385 * t + 4.297) +
    0.000014 * Math.sin(1256.6152 * t + 6.1969) +
    0.000005 * Math.sin(606.9777 * t + 4.0212) +
    0.000005 * Math.sin(52.9691 * t + 0.4444) +
    0.000002 * Math.sin(21.3299 * t + 5.5431) +
    0.00001 * t * Math.sin(628.3076 * t + 4.249)
  );
}

/** A split count of seconds: integer part + fraction in [0, 1). */
type Split = [number, number];

function normalize(i: number, f: number): Split {
  const k = Math.floor(f);
  i += k;
  f -= k;
  if (f >= 1) {
    // f was a tiny negative number: f − floor(f) rounded to 1
    i += 1;
    f -= 1;
  }
  return [i, f];
}

/** Adds a (possibly fractional) number of seconds to a split count, keeping sub-ns precision. */
function addSeconds([i, f]: Split, dt: number): Split {
  const di = Math.floor(dt);
  return normalize(i + di, f + (dt - di));
}

/** A scale reading as a day number and seconds into that day. */
interface DaySod {
  mjdDay: number;
  sod: number;
  /** Length of that day in the scale's seconds (86400 except UTC days with a step). */
  dayLengthS: number;
}

export interface CalendarFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

interface ResolvedOptions {
  leapSeconds: LeapSecondTable;
  ut1?: Ut1Provider;
}

function scaleName(scale: unknown): TimeScale {
  if (typeof scale === 'string' && (TIME_SCALES as readonly string[]).includes(scale)) return scale as TimeScale;
  throw new TimeError(`unknown time scale '${String(scale)}' (expected one of ${TIME_SCALES.join(', ')})`);
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** Immutable instant, precise to << 1 µs over 1950–2100. */
export class Epoch {
  /** J2000.0 = 2000-01-01T12:00:00 TT. */
  static readonly J2000: Epoch = Epoch.fromJd(JD_J2000, 0, 'TT');

  /**
   * @param taiS  integer seconds of TAI since 2000-01-01T00:00:00 TAI
   * @param taiFracS fraction of a second in [0, 1)
   * @param defaults options remembered from construction, used when a call passes none
   */
  private constructor(
    private readonly taiS: number,
    private readonly taiFracS: number,
    private readonly defaults: TimeOptions,
  ) {}

  // ------------------------------------------------------------------ constructors

  static fromCalendar(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, scale: TimeScale = 'UTC', opts?: TimeOptions): Epoch {
    const what = `${year}-${month}-${day} ${hour}:${minute}:${second}`;
    Epoch.checkDate(year, month, day, what, scale);
    return Epoch.fromValidatedFields(mjdFromCalendarDate(year, month, day), hour, minute, second, scale, opts ?? {}, what);
  }

  /**
   * Parses ISO-8601 calendar 'YYYY-MM-DDThh:mm:ss[.f…][Z]' and CCSDS day-of-year
   * 'YYYY-DDDThh:mm:ss[.f…][Z]' (CCSDS 301.0-B-4 ASCII time codes A and B). The time may be
   * shortened to 'hh:mm' or omitted (midnight); a space may replace 'T'. A trailing 'Z' is
   * accepted and ignored: `scale` says which scale the text is in (CCSDS messages carry it in
   * TIME_SYSTEM). 23:59:60 is accepted only on a UTC day that ends with a leap second.
   */
  static parse(text: string, scale: TimeScale = 'UTC', opts?: TimeOptions): Epoch {
    scaleName(scale);
    if (typeof text !== 'string') throw new TimeError(`cannot parse ${String(text)} as a ${scale} epoch: not a string`);
    const m = /^(\d{4})-(?:(\d{2})-(\d{2})|(\d{3}))(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?Z?$/.exec(text.trim());
    const fail = (why: string): never => {
      throw new TimeError(`invalid ${scale} epoch '${text}': ${why}`);
    };
    if (!m) fail(`not 'YYYY-MM-DDThh:mm:ss[.fff][Z]' or 'YYYY-DDDThh:mm:ss[.fff][Z]'`);
    const [, ys, mos, ds, doys, hs, mis, ss, fs] = m as RegExpExecArray;
    const year = Number(ys);
    let mjdDay: number;
    if (doys !== undefined) {
      const doy = Number(doys);
      const n = isLeapYear(year) ? 366 : 365;
      if (doy < 1 || doy > n) fail(`day of year ${doy} is outside 1–${n} for ${year}`);
      mjdDay = mjdFromCalendarDate(year, 1, 1) + doy - 1;
    } else {
      const month = Number(mos);
      const day = Number(ds);
      if (month < 1 || month > 12) fail(`month ${month} is outside 1–12`);
      const dim = daysInMonth(year, month);
      if (day < 1 || day > dim) fail(`day ${day} does not exist in ${ys}-${mos} (${dim} days)`);
      mjdDay = mjdFromCalendarDate(year, month, day);
    }
    const hour = hs === undefined ? 0 : Number(hs);
    const minute = mis === undefined ? 0 : Number(mis);
    // integer and fractional seconds are parsed apart so the fraction keeps all its digits
    const second = (ss === undefined ? 0 : Number(ss)) + (fs === undefined ? 0 : Number(`0.${fs}`));
    return Epoch.fromValidatedFields(mjdDay, hour, minute, second, scale, opts ?? {}, text);
  }

  /** Two-part Julian date (any split, e.g. [2451545, 0.25] or [2400000.5, mjd]). */
  static fromJd(jd1: number, jd2: number, scale: TimeScale, opts?: TimeOptions): Epoch {
    if (!Number.isFinite(jd1) || !Number.isFinite(jd2)) throw new TimeError(`Julian date ${jd1} + ${jd2} (${scale}) is not finite`);
    // jd1 − 2400000.5 is exact for |jd1| within a factor 2 of 2400000.5 (Sterbenz); else nearly so
    const a = jd1 - MJD_OFFSET;
    const ai = Math.floor(a);
    const bi = Math.floor(jd2);
    let day = ai + bi;
    let frac = a - ai + (jd2 - bi); // [0, 2)
    if (frac >= 1) {
      day += 1;
      frac -= 1;
    }
    return Epoch.fromDaySod(day, frac * SECONDS_PER_DAY, scaleName(scale), Epoch.resolve(opts, {}), `JD ${jd1} + ${jd2}`, opts);
  }

  /** Modified Julian date (a single double: resolution ~0.6 µs near MJD 60000; prefer fromJd). */
  static fromMjd(mjd: number, scale: TimeScale, opts?: TimeOptions): Epoch {
    return Epoch.fromJd(MJD_OFFSET, mjd, scale, opts);
  }

  /**
   * Year and fractional day of year (1.0 = Jan 1, 0h), as in TLE epochs: the fraction of the
   * day is taken as 86400 s (TLE convention; days with a leap second are not stretched).
   */
  static fromYearDoy(year: number, dayOfYear: number, scale: TimeScale = 'UTC', opts?: TimeOptions): Epoch {
    if (!Number.isInteger(year)) throw new TimeError(`year ${year} is not an integer`);
    const n = isLeapYear(year) ? 366 : 365;
    if (!(dayOfYear >= 1 && dayOfYear < n + 1)) throw new TimeError(`day of year ${dayOfYear} is outside [1, ${n + 1}) for ${year}`);
    const d = Math.floor(dayOfYear);
    return Epoch.fromDaySod(mjdFromCalendarDate(year, 1, 1) + d - 1, (dayOfYear - d) * SECONDS_PER_DAY, scaleName(scale), Epoch.resolve(opts, {}), `${year} day ${dayOfYear}`, opts);
  }

  // ------------------------------------------------------------------ arithmetic

  /** This instant plus `dtS` SI seconds. */
  plusSeconds(dtS: number): Epoch {
    if (!Number.isFinite(dtS)) throw new TimeError(`plusSeconds(${dtS}): not a finite number of seconds`);
    const [i, f] = addSeconds([this.taiS, this.taiFracS], dtS);
    return new Epoch(i, f, this.defaults);
  }

  /** SI seconds from `other` to this (this − other). */
  minus(other: Epoch): number {
    return this.taiS - other.taiS + (this.taiFracS - other.taiFracS);
  }

  compare(other: Epoch): number {
    const d = this.minus(other);
    return d < 0 ? -1 : d > 0 ? 1 : 0;
  }

  equals(other: Epoch, toleranceS = 0): boolean {
    return Math.abs(this.minus(other)) <= toleranceS;
  }

  // ------------------------------------------------------------------ readings in a scale

  /**
   * Two-part Julian date [jd1, jd2]: jd1 = JD of 0h of the day in that scale (x.5), jd2 = seconds
   * of day / 86400, in [0, 1) — except inside a UTC leap second, where jd2 ∈ [1, 1 + 1/86400)
   * (see the UTC Julian date convention at the top of this file).
   */
  jd(scale: TimeScale, opts?: TimeOptions): [number, number] {
    const { mjdDay, sod } = this.daySod(scaleName(scale), Epoch.resolve(opts, this.defaults));
    return [mjdDay + MJD_OFFSET, sod / SECONDS_PER_DAY];
  }

  mjd(scale: TimeScale, opts?: TimeOptions): number {
    const { mjdDay, sod } = this.daySod(scaleName(scale), Epoch.resolve(opts, this.defaults));
    return mjdDay + sod / SECONDS_PER_DAY;
  }

  /** Julian centuries since J2000.0 in the given scale, e.g. T_TT = julianCenturiesSinceJ2000('TT'). */
  julianCenturiesSinceJ2000(scale: TimeScale, opts?: TimeOptions): number {
    const { mjdDay, sod } = this.daySod(scaleName(scale), Epoch.resolve(opts, this.defaults));
    return (mjdDay - MJD_J2000 + sod / SECONDS_PER_DAY) / DAYS_PER_JULIAN_CENTURY;
  }

  /** Seconds since J2000.0 (2000-01-01T12:00:00) reckoned in the given scale (no leap seconds for UTC: it is MJD-based). */
  secondsSinceJ2000(scale: TimeScale, opts?: TimeOptions): number {
    const { mjdDay, sod } = this.daySod(scaleName(scale), Epoch.resolve(opts, this.defaults));
    return (mjdDay - MJD_J2000) * SECONDS_PER_DAY + sod;
  }

  /** Calendar fields in a scale; inside a UTC leap second: 23:59:60.x. */
  toCalendar(scale: TimeScale = 'UTC', opts?: TimeOptions): CalendarFields {
    const { mjdDay, sod } = this.daySod(scaleName(scale), Epoch.resolve(opts, this.defaults));
    const { year, month, day } = calendarDateFromMjd(mjdDay);
    if (sod >= SECONDS_PER_DAY) return { year, month, day, hour: 23, minute: 59, second: sod - 86340 };
    const hour = Math.floor(sod / 3600);
    const minute = Math.floor((sod - hour * 3600) / 60);
    return { year, month, day, hour, minute, second: sod - hour * 3600 - minute * 60 };
  }

  /** 'YYYY-MM-DDThh:mm:ss.ffffff' ('Z' appended for UTC only); fractionDigits 0–9, default 6. */
  toIso(scale: TimeScale = 'UTC', fractionDigits = 6, opts?: TimeOptions): string {
    const f = this.formatParts(scaleName(scale), fractionDigits, opts);
    return `${pad(f.year, 4)}-${pad(f.month, 2)}-${pad(f.day, 2)}T${f.time}${scale === 'UTC' ? 'Z' : ''}`;
  }

  /** CCSDS day-of-year form 'YYYY-DDDThh:mm:ss.fff'; fractionDigits 0–9, default 3. */
  toDoy(scale: TimeScale = 'UTC', fractionDigits = 3, opts?: TimeOptions): string {
    const f = this.formatParts(scaleName(scale), fractionDigits, opts);
    const doy = f.mjdDay - mjdFromCalendarDate(f.year, 1, 1) + 1;
    return `${pad(f.year, 4)}-${pad(doy, 3)}T${f.time}`;
  }

  toString(): string {
    return this.toIso('UTC', 6);
  }

  toJSON(): string {
    return this.toIso('UTC', 9);
  }

  /** TAI − UTC (s) at this instant, from the table in use. */
  taiMinusUtcS(opts?: TimeOptions): number {
    const o = Epoch.resolve(opts, this.defaults);
    const { mjdDay, sod } = this.daySod('UTC', o);
    return o.leapSeconds.taiMinusUtcS(mjdDay + sod / SECONDS_PER_DAY);
  }

  // ------------------------------------------------------------------ internals

  private static resolve(opts: TimeOptions | undefined, defaults: TimeOptions): ResolvedOptions {
    return { leapSeconds: opts?.leapSeconds ?? defaults.leapSeconds ?? LeapSecondTable.DEFAULT, ut1: opts?.ut1 ?? defaults.ut1 };
  }

  private static requireUt1(o: ResolvedOptions): Ut1Provider {
    if (!o.ut1) throw new TimeError('UT1 requested but no UT1−UTC source was given: pass { ut1: <EopTable or other Ut1Provider> } in TimeOptions');
    return o.ut1;
  }

  private static checkDate(year: number, month: number, day: number, what: string, scale: TimeScale): void {
    const fail = (why: string): never => {
      throw new TimeError(`invalid ${scale} epoch '${what}': ${why}`);
    };
    if (!Number.isInteger(year)) fail(`year ${year} is not an integer`);
    if (!Number.isInteger(month) || month < 1 || month > 12) fail(`month ${month} is outside 1–12`);
    if (!Number.isInteger(day) || day < 1 || day > daysInMonth(year, month)) fail(`day ${day} does not exist in ${year}-${pad(month, 2)} (${daysInMonth(year, month)} days)`);
  }

  /** Validates h:m:s (leap seconds included) and builds the instant. */
  private static fromValidatedFields(mjdDay: number, hour: number, minute: number, second: number, scale: TimeScale, opts: TimeOptions, what: string): Epoch {
    scaleName(scale);
    const fail = (why: string): never => {
      throw new TimeError(`invalid ${scale} epoch '${what}': ${why}`);
    };
    if (!Number.isInteger(hour) || hour < 0 || hour > 23) fail(`hour ${hour} is outside 0–23`);
    if (!Number.isInteger(minute) || minute < 0 || minute > 59) fail(`minute ${minute} is outside 0–59`);
    if (!Number.isFinite(second) || second < 0) fail(`second ${second} is not a finite non-negative number`);
    const o = Epoch.resolve(opts, {});
    if (second >= 60) {
      const date = calendarDateFromMjd(mjdDay);
      const name = `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
      if (scale !== 'UTC') fail(`second ${second} ≥ 60: only UTC has leap seconds, not ${scale}`);
      const step = o.leapSeconds.stepAtEndOfDayS(mjdDay);
      if (hour !== 23 || minute !== 59) fail(`second ${second} ≥ 60 is only possible at 23:59 of a day ending with a leap second`);
      if (step <= 0) fail(`23:59:60 does not exist: UTC day ${name} has no leap second (${o.leapSeconds.source})`);
      if (second >= 60 + step) fail(`second ${second} is past the end of the ${step} s leap second of ${name}`);
    }
    const sod = hour * 3600 + minute * 60 + second;
    if (scale === 'UTC') {
      const len = o.leapSeconds.dayLengthS(mjdDay);
      if (sod >= len) fail(`UTC skipped from 23:59:${(60 - (86400 - len)).toFixed(2)} to 00:00:00 at the end of this day (a negative step in ${o.leapSeconds.source})`);
    }
    return Epoch.fromDaySod(mjdDay, sod, scale, o, what, opts);
  }

  /** Builds the instant from a day and seconds of day in `scale` (sod may exceed 86400 only for UTC leap days). */
  private static fromDaySod(mjdDay: number, sod: number, scale: TimeScale, o: ResolvedOptions, what: string, keep: TimeOptions = {}): Epoch {
    keep = { ...keep }; // remembered as defaults: copy so a caller mutating its object changes nothing
    const si = Math.floor(sod);
    const scaleSplit: Split = [(mjdDay - ORIGIN_MJD) * SECONDS_PER_DAY + si, sod - si];
    let tai: Split;
    switch (scale) {
      case 'TAI':
        tai = scaleSplit;
        break;
      case 'TT':
        tai = normalize(scaleSplit[0] - 32, scaleSplit[1] - 0.184);
        break;
      case 'GPS':
        tai = [scaleSplit[0] + TAI_MINUS_GPS_S, scaleSplit[1]];
        break;
      case 'TDB': {
        // TT = TDB − (TDB − TT), the periodic term evaluated at TDB (Circular 179 allows either argument)
        const t = (mjdDay - MJD_J2000 + sod / SECONDS_PER_DAY) / DAYS_PER_JULIAN_CENTURY;
        tai = normalize(scaleSplit[0] - 32, scaleSplit[1] - 0.184 - tdbMinusTtS(t));
        break;
      }
      case 'UTC':
        tai = Epoch.utcToTai(mjdDay, sod, o.leapSeconds);
        break;
      case 'UT1': {
        const ut1 = Epoch.requireUt1(o);
        // UT1 = TAI + (UT1−UTC) − (TAI−UTC); the offset depends on the UTC date, so iterate
        // (it changes by < 1e-8 s per second of time: two passes converge to < 1e-12 s).
        let off = ut1.ut1MinusUtcS(mjdDay + sod / SECONDS_PER_DAY) - o.leapSeconds.taiMinusUtcS(mjdDay + sod / SECONDS_PER_DAY);
        tai = addSeconds(scaleSplit, -off);
        for (let k = 0; k < 4; k++) {
          const probe = new Epoch(tai[0], tai[1], keep);
          const u = probe.daySod('UTC', o);
          const mjdUtc = u.mjdDay + u.sod / SECONDS_PER_DAY;
          const next = ut1.ut1MinusUtcS(mjdUtc) - o.leapSeconds.taiMinusUtcS(mjdUtc);
          if (!Number.isFinite(next)) throw new TimeError(`UT1−UTC source returned ${next} at UTC MJD ${mjdUtc} while converting ${what}`);
          const done = Math.abs(next - off) < 1e-12;
          off = next;
          tai = addSeconds(scaleSplit, -off);
          if (done) break;
        }
        break;
      }
    }
    return new Epoch(tai[0], tai[1], keep);
  }

  /** UTC (day, seconds of UTC day) → TAI split. sod may reach the day's length (leap second). */
  private static utcToTai(mjdDay: number, sod: number, table: LeapSecondTable): Split {
    const e = table.entryAt(mjdDay);
    // TAI − UTC = offset + (MJD_UTC − ref) × rate; the drift term is frozen during a step
    // (sod > 86400) so that the end of the day meets the next day's start exactly.
    const drift = e.rateSPerDay === 0 ? 0 : (Math.min(sod, SECONDS_PER_DAY) / SECONDS_PER_DAY) * e.rateSPerDay;
    const dat0 = e.offsetS + (mjdDay - e.refMjd) * e.rateSPerDay;
    const di = Math.floor(dat0);
    const si = Math.floor(sod);
    return normalize((mjdDay - ORIGIN_MJD) * SECONDS_PER_DAY + si + di, sod - si + (dat0 - di) + drift);
  }

  /** The reading of this instant in `scale`, as day + seconds of day. */
  private daySod(scale: TimeScale, o: ResolvedOptions): DaySod {
    const cont = (s: Split): DaySod => {
      const day = Math.floor(s[0] / SECONDS_PER_DAY);
      return { mjdDay: ORIGIN_MJD + day, sod: s[0] - day * SECONDS_PER_DAY + s[1], dayLengthS: SECONDS_PER_DAY };
    };
    switch (scale) {
      case 'TAI':
        return cont([this.taiS, this.taiFracS]);
      case 'TT':
        return cont(normalize(this.taiS + 32, this.taiFracS + 0.184));
      case 'GPS':
        return cont([this.taiS - TAI_MINUS_GPS_S, this.taiFracS]);
      case 'TDB': {
        const tt = normalize(this.taiS + 32, this.taiFracS + 0.184);
        const t = ((tt[0] + tt[1]) / SECONDS_PER_DAY + ORIGIN_MJD - MJD_J2000) / DAYS_PER_JULIAN_CENTURY;
        return cont(normalize(tt[0], tt[1] + tdbMinusTtS(t)));
      }
      case 'UTC':
        return this.utcDaySod(o.leapSeconds);
      case 'UT1': {
        const ut1 = Epoch.requireUt1(o);
        const u = this.utcDaySod(o.leapSeconds);
        const mjdUtc = u.mjdDay + u.sod / SECONDS_PER_DAY;
        const dut1 = ut1.ut1MinusUtcS(mjdUtc);
        if (!Number.isFinite(dut1)) throw new TimeError(`UT1−UTC source returned ${dut1} at UTC MJD ${mjdUtc}`);
        return cont(addSeconds([this.taiS, this.taiFracS], dut1 - o.leapSeconds.taiMinusUtcS(mjdUtc)));
      }
    }
  }

  /** TAI → UTC day and seconds of day (23:59:60.x gives sod ≥ 86400). */
  private utcDaySod(table: LeapSecondTable): DaySod {
    const taiS = this.taiS;
    const taiF = this.taiFracS;
    // TAI − (TAI at 0h UTC of day d) as a split difference, exact for whole-second offsets
    const sinceStart = (d: number): number => {
      const t0 = Epoch.utcToTai(d, 0, table);
      return taiS - t0[0] + (taiF - t0[1]);
    };
    let d = ORIGIN_MJD + Math.floor((taiS - table.taiMinusUtcS(ORIGIN_MJD + taiS / SECONDS_PER_DAY)) / SECONDS_PER_DAY);
    // the guess is at most one day off; walk to the day whose span [start(d), start(d+1)) holds the instant
    for (let k = 0; k < 4 && sinceStart(d) < 0; k++) d--;
    for (let k = 0; k < 4 && sinceStart(d + 1) >= 0; k++) d++;
    const dt = sinceStart(d);
    const e = table.entryAt(d);
    const len = table.dayLengthS(d);
    let sod: number;
    if (e.rateSPerDay === 0) sod = dt;
    else {
      // rubber seconds: TAI elapsed = sod × (1 + rate/86400) until 86400 UTC s, then 1:1
      const k = 1 + e.rateSPerDay / SECONDS_PER_DAY;
      sod = dt < SECONDS_PER_DAY * k ? dt / k : dt - e.rateSPerDay;
    }
    if (sod >= len) sod = len * (1 - Number.EPSILON); // rounding guard (drift days): stay inside the day
    return { mjdDay: d, sod, dayLengthS: len };
  }

  private formatParts(scale: TimeScale, fractionDigits: number, opts?: TimeOptions): { year: number; month: number; day: number; mjdDay: number; time: string } {
    if (!Number.isInteger(fractionDigits) || fractionDigits < 0 || fractionDigits > 9) throw new TimeError(`fractionDigits ${fractionDigits} is outside 0–9`);
    const r = this.daySod(scale, Epoch.resolve(opts, this.defaults));
    let mjdDay = r.mjdDay;
    const unit = 10 ** fractionDigits;
    // round in integer units of 10^-k s, carrying into the next day when needed
    let n = Math.round(r.sod * unit);
    // compare with the exact day length (pre-1972 days lasted e.g. 86400.107758 s)
    const dayUnits = r.dayLengthS * unit;
    if (n >= dayUnits) {
      n = Math.max(0, Math.round(n - dayUnits));
      mjdDay += 1;
    }
    const whole = Math.floor(n / unit);
    const frac = n - whole * unit;
    let hh: number, mm: number, ss: number;
    if (whole >= SECONDS_PER_DAY) {
      hh = 23;
      mm = 59;
      ss = whole - 86340;
    } else {
      hh = Math.floor(whole / 3600);
      mm = Math.floor((whole % 3600) / 60);
      ss = whole % 60;
    }
    const time = `${pad(hh, 2)}:${pad(mm, 2)}:${pad(ss, 2)}${fractionDigits > 0 ? '.' + pad(frac, fractionDigits) : ''}`;
    const { year, month, day } = calendarDateFromMjd(mjdDay);
    return { year, month, day, mjdDay, time };
  }
}
