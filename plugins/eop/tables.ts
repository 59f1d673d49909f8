import { EopTable } from '../../sdk/astro/eop';
import { parseCelestrakEop, parseFinals2000A, parseIersEopCsv } from '../../sdk/astro/eop-parsers';
import { LeapSecondTable } from '../../sdk/astro/time';

/**
 * Format detection and small helpers around the sdk/astro EOP and leap-second parsers. Pure:
 * text in, tables out; the parsers themselves (and their tests against the files) are in
 * sdk/astro/eop-parsers.ts and sdk/astro/leap-seconds.ts.
 */

export type EopFormat = 'celestrak' | 'iers-csv' | 'finals2000A';

/** CelesTrak files have BEGIN OBSERVED/PREDICTED sections, the IERS CSV starts with `MJD;`, anything else is read as finals2000A. */
export function detectEopFormat(text: string): EopFormat {
  if (/^\s*BEGIN\s+(OBSERVED|PREDICTED)\s*$/m.test(text)) return 'celestrak';
  if (/^\s*MJD\s*;/.test(text)) return 'iers-csv';
  return 'finals2000A';
}

export function parseEopText(text: string, source: string, leapSeconds: LeapSecondTable, bulletin: 'A' | 'B'): EopTable {
  switch (detectEopFormat(text)) {
    case 'celestrak':
      return parseCelestrakEop(text, source, { leapSeconds });
    case 'iers-csv':
      return parseIersEopCsv(text, source, { leapSeconds });
    default:
      return parseFinals2000A(text, source, { leapSeconds, bulletin });
  }
}

/** True for USNO tai-utc.dat (`TAI-UTC=` lines) and IERS UTC-TAI.history. */
export function looksLikeLeapSeconds(text: string): boolean {
  return /TAI-UTC=/.test(text) || /UTC-TAI\.history|RELATIONSHIP BETWEEN TAI AND UTC/.test(text);
}

export function parseLeapSecondText(text: string, source: string): LeapSecondTable {
  if (/TAI-UTC=/.test(text)) return LeapSecondTable.parseTaiUtcDat(text, source);
  if (/UTC-TAI\.history|RELATIONSHIP BETWEEN TAI AND UTC/.test(text)) return LeapSecondTable.parseUtcTaiHistory(text, source);
  throw new Error(`${source}: not a leap-second table (expected USNO tai-utc.dat 'TAI-UTC=' lines or IERS UTC-TAI.history)`);
}

/** Last row that is not a prediction (polar motion and UT1), or firstMjd − 1 when every row is predicted. */
export function lastObservedMjd(table: EopTable): number {
  for (let i = table.rows.length - 1; i >= 0; i--) if (!table.rows[i].predicted) return table.rows[i].mjd;
  return table.firstMjd - 1;
}

/** Steps of a leap-second table as served by EopProvider.leapSeconds(): TAI − UTC at the start of each entry. */
export function leapSecondSteps(table: LeapSecondTable): { mjdUtc: number; taiMinusUtcS: number }[] {
  return table.entries.map((e) => ({ mjdUtc: e.mjd, taiMinusUtcS: Math.round(table.taiMinusUtcS(e.mjd) * 1e9) / 1e9 }));
}

/** UTC MJD of now (integer day), for ages in days. */
export function todayMjd(nowMs = Date.now()): number {
  return Math.floor(nowMs / 86_400_000) + 40587;
}
