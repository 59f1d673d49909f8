/**
 * A CCSDS epoch kept as text plus the time system it is expressed in.
 *
 * Design choice (stated): the NDM standards allow calendar `YYYY-MM-DDThh:mm:ss[.d…][Z]` and
 * day-of-year `YYYY-DDDThh:mm:ss[.d…][Z]` forms (CCSDS 502.0-B-2 §7.5.10, 508.0-B-1 §6.3.2.6)
 * in many time systems (UTC, TAI, TT, GPS, TDB, TCB, UT1, MET, MRT, SCLK…). The codecs keep the
 * text exactly as read (trimmed) so that a file is rewritten byte-for-byte in its time fields
 * (no rounding, no leap-second ambiguity, no scale the time module does not know), and offer
 * `ccsdsEpochToEpoch` (time-bridge.ts) to get an instant for the scales `Epoch` supports.
 */
export interface CcsdsEpoch {
  text: string;
  timeSystem: string;
}

/** Time systems listed by CCSDS 502.0-B-2 Annex A (Table A-2) and 508.0-B-1. */
export const TIME_SYSTEMS = ['GMST', 'GPS', 'MET', 'MRT', 'SCLK', 'TAI', 'TCB', 'TDB', 'TCG', 'TT', 'UT1', 'UTC'] as const;

const EPOCH_RE = /^(\d{4})-(?:(\d{2})-(\d{2})|(\d{3}))T(\d{2}):(\d{2}):(\d{2})(\.\d*)?Z?$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function digits(s: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Fast acceptance of the common calendar form `YYYY-MM-DDThh:mm:ss[.fff…]` (hot path: one call
 * per ephemeris line). Returns false when unsure; the full check then runs.
 */
function quickCalendarEpoch(s: string): boolean {
  const n = s.length;
  if (n < 19 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  if (day > (month === 2 && isLeap(year) ? 29 : DAYS[month - 1])) return false;
  if (n === 19) return true;
  if (s.charCodeAt(19) !== 46) return false;
  for (let i = 20; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return i === n - 1 && c === 90; // trailing Z
  }
  return true;
}

/** Returns the reason the text is not a CCSDS epoch, or undefined when it is one. */
export function epochSyntaxError(text: string): string | undefined {
  if (quickCalendarEpoch(text)) return undefined;
  const m = EPOCH_RE.exec(text);
  if (!m) return `'${text}' is not a CCSDS epoch (YYYY-MM-DDThh:mm:ss[.d...] or YYYY-DDDThh:mm:ss[.d...])`;
  const year = +m[1];
  if (m[2] !== undefined) {
    const month = +m[2];
    const day = +m[3];
    if (month < 1 || month > 12) return `month ${m[2]} out of range in '${text}'`;
    const max = month === 2 && isLeap(year) ? 29 : DAYS[month - 1];
    if (day < 1 || day > max) return `day ${m[3]} out of range in '${text}'`;
  } else {
    const doy = +m[4];
    if (doy < 1 || doy > (isLeap(year) ? 366 : 365)) return `day of year ${m[4]} out of range in '${text}'`;
  }
  if (+m[5] > 23) return `hour ${m[5]} out of range in '${text}'`;
  if (+m[6] > 59) return `minute ${m[6]} out of range in '${text}'`;
  // 60 is legal during a leap second (UTC only; checked against the table by Epoch).
  if (+m[7] > 60) return `second ${m[7]} out of range in '${text}'`;
  return undefined;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (civil calendar arithmetic, month 1–12). */
export function daysFromCivil(y: number, m: number, d: number): number {
  // Years counted from 1 March so that the leap day ends the year, in 400-year eras of
  // 146,097 days (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", days_from_civil).
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Seconds of a CCSDS epoch text counted from 1970-01-01T00:00:00 of its own time system, as
 * a uniform 86,400-s day count (no leap seconds: a `…:60` second reads as the next day's
 * 00:00:00). For ordering and span checks between epochs of one time system; NaN when the text
 * is not an epoch. Not an instant: use `ccsdsEpochToEpoch` for that.
 */
export function epochSeconds(text: string): number {
  const n = text.length;
  if (n >= 19 && text.charCodeAt(4) === 45 && text.charCodeAt(7) === 45 && text.charCodeAt(10) === 84) {
    // Fast calendar form (hot path of the OEM checks).
    const y = digits(text, 0, 4);
    const mo = digits(text, 5, 2);
    const d = digits(text, 8, 2);
    const h = digits(text, 11, 2);
    const mi = digits(text, 14, 2);
    if (y >= 0 && mo >= 1 && d >= 1 && h >= 0 && mi >= 0 && text.charCodeAt(13) === 58 && text.charCodeAt(16) === 58) {
      const end = text.charCodeAt(n - 1) === 90 ? n - 1 : n;
      const s = +text.slice(17, end);
      if (s === s) return daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
    }
  }
  const m = EPOCH_RE.exec(text);
  if (!m) return NaN;
  const year = +m[1];
  const days = m[2] !== undefined ? daysFromCivil(year, +m[2], +m[3]) : daysFromCivil(year, 1, 1) + +m[4] - 1;
  // Seconds read as one decimal number ('SS.fff'), as in the fast branch, so that the two
  // forms of one instant give the same double.
  return days * 86400 + +m[5] * 3600 + +m[6] * 60 + +(m[7] + (m[8] !== undefined && m[8].length > 1 ? m[8] : ''));
}
