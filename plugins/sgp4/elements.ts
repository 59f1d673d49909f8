import { ommJsonOf } from '../../sdk/tle';
import { parseTle } from '../../sdk/tle';
import { json2satrec, twoline2satrec, type SatRec } from 'satellite.js';
import type { GpElementSet } from '../../interfaces/domain/catalog';
import { Epoch, isLeapYear, mjdFromCalendarDate } from '../../sdk/astro/time';
import { sgp4ErrorKind, sgp4ErrorText } from '../../sdk/sgp4-bulk';

/**
 * From a `GpElementSet` to an initialised SGP4 record (satellite.js `SatRec`) and the epoch
 * the record's time since epoch is counted from.
 *
 * - With `line1`/`line2`: the TLE text is authoritative (`twoline2satrec`, WGS-72, improved
 *   mode 'i' as in Vallado et al. 2006), and so is its epoch (columns 19–32, YYDDD.DDDDDDDD).
 * - Without them: the fields are handed to `json2satrec` as CCSDS OMM / CelesTrak GP keywords
 *   (ODM 502.0-B-3 §4.2.4: MEAN_MOTION rev/day, angles deg, BSTAR 1/ER, MEAN_MOTION_DOT
 *   rev/day², MEAN_MOTION_DDOT rev/day³). satellite.js reads EPOCH through a JS `Date`
 *   (ms resolution) for its deep-space initialisation; the time since epoch itself is counted
 *   here from the full-precision `epochUtc`.
 */
export interface PreparedElements {
  satrec: SatRec;
  /** Epoch as a two-part UTC Julian date [JD of 0h, fraction of day]. */
  epochJdUtc: [number, number];
  epochUtc: string;
}

/** An element set that SGP4 cannot start from; `sgp4Code` is Vallado's error code when SGP4 raised it. */
export class ElementsError extends Error {
  constructor(
    message: string,
    readonly sgp4Code?: number,
  ) {
    super(message);
    this.name = 'ElementsError';
  }
}

/** TLE epoch (line 1, cols 19–20 year, 21–32 day of year) as an `Epoch`; years 57–99 → 19xx (NORAD convention). */
export function tleEpoch(line1: string): Epoch {
  const field = line1.slice(18, 32);
  // YY then DDD (blank-padded in some old sets: '80 30.5'), then the fraction of the day
  const m = /^(\d{2})(\d{3})(\.\d*)?$/.exec(field.trim().replace(/^(\d{2})( +)(?=\d)/, (_a, y: string, sp: string) => y + '0'.repeat(sp.length)));
  if (!m) throw new ElementsError(`TLE line 1 epoch field '${field}' (columns 19–32) is not YYDDD.DDDDDDDD`);
  const y = Number(m[1]);
  const year = y < 57 ? 2000 + y : 1900 + y;
  const day = Number(m[2]);
  const n = isLeapYear(year) ? 366 : 365;
  if (day < 1 || day > n) throw new ElementsError(`TLE line 1 epoch '${field}': day of year ${day} is outside 1–${n} for ${year}`);
  // Day and fraction kept apart (a single double day-of-year would cost ~5 ns of epoch).
  return Epoch.fromJd(mjdFromCalendarDate(year, 1, 1) + day - 1 + 2400000.5, m[3] ? Number(`0${m[3]}`) : 0, 'UTC');
}

function checkLine(line: string, n: 1 | 2): void {
  if (line.length !== 69 || !line.startsWith(`${n} `)) {
    throw new ElementsError(`TLE line ${n} must be 69 characters starting with '${n} ' (got ${JSON.stringify(line.slice(0, 12))}…, ${line.length} characters)`);
  }
}


/** Tolerance between `epochUtc` and the epoch written in line 1: the TLE field resolves 1e-8 day (0.864 ms). */
const EPOCH_AGREEMENT_S = 1e-3;

/**
 * Builds the SGP4 record. Throws `ElementsError` naming the field when the set cannot be used;
 * SGP4's own initialisation errors (e.g. code 1 mean eccentricity out of range) carry `sgp4Code`.
 */
export function prepareElements(gp: GpElementSet): PreparedElements {
  let satrec: SatRec;
  let epoch: Epoch;
  if (gp.line1 !== undefined && gp.line2 !== undefined) {
    checkLine(gp.line1, 1);
    checkLine(gp.line2, 2);
    epoch = tleEpoch(gp.line1);
    const fieldEpoch = parseEpoch(gp.epochUtc);
    const gap = Math.abs(fieldEpoch.minus(epoch));
    if (gap > EPOCH_AGREEMENT_S) {
      throw new ElementsError(`epochUtc ${gp.epochUtc} differs from the TLE line 1 epoch '${gp.line1.slice(18, 32)}' (${epoch.toIso('UTC', 6)}) by ${gap.toFixed(3)} s`);
    }
    satrec = twoline2satrec(gp.line1, gp.line2);
  } else {
    epoch = parseEpoch(gp.epochUtc);
    satrec = json2satrec(ommJsonOf(gp));
  }
  for (const [name, v] of [
    ['mean motion', satrec.no],
    ['eccentricity', satrec.ecco],
    ['inclination', satrec.inclo],
    ['B*', satrec.bstar],
  ] as const) {
    if (!Number.isFinite(v)) throw new ElementsError(`${name} of NORAD ${gp.noradId} is not a number (${gp.line1 ? 'TLE lines' : 'element fields'})`);
  }
  if (satrec.error !== 0) {
    throw new ElementsError(`SGP4 initialisation failed with code ${satrec.error} (${sgp4ErrorText(satrec.error)})`, satrec.error);
  }
  return { satrec, epochJdUtc: epoch.jd('UTC'), epochUtc: epoch.toIso('UTC', 6) };
}

function parseEpoch(text: string): Epoch {
  try {
    return Epoch.parse(text, 'UTC');
  } catch (err) {
    throw new ElementsError(`epochUtc '${text}': ${(err as Error).message}`);
  }
}

/** SGP4 error codes in words and as interface codes: one mapping, in sdk/sgp4-bulk (shared with conjunction-screening). */
export { sgp4ErrorText, sgp4ErrorKind as sgp4ErrorCode };

/**
 * A `GpElementSet` from the two lines of a TLE, keeping the lines (sdk/tle.ts reads the
 * columns). Checksums are not enforced here: the tle-catalog module checks them on ingest,
 * and a file propagated on purpose (Vallado's verification set has three lines with bad
 * checksums) must still be read. Throws {@link ElementsError} naming the field.
 */
export function gpFromTle(line1: string, line2: string, objectName?: string): GpElementSet {
  const l1 = line1.trimEnd().padEnd(69).slice(0, 69);
  const l2 = line2.trimEnd().padEnd(69).slice(0, 69);
  try {
    return parseTle(l1, l2, objectName, 1, undefined, { checksum: false });
  } catch (err) {
    throw new ElementsError(`TLE ${(err as Error).message}`);
  }
}
