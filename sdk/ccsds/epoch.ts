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

/** Returns the reason the text is not a CCSDS epoch, or undefined when it is one. */
export function epochSyntaxError(text: string): string | undefined {
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
