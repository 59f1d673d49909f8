/**
 * Writes two-line element sets in the fixed-column format of the US Space Command TLE
 * (column layout as documented by CelesTrak, "NORAD Two-Line Element Set Format",
 * and Vallado et al. 2006 AIAA 2006-6753 Appendix): angles in degrees with 4 decimals,
 * eccentricity with an implied leading decimal point (7 digits), mean motion in rev/day
 * with 8 decimals, B* and n̈/6 in the "implied-decimal exponent" form ±NNNNN±E.
 */
export interface TleFields {
  noradId: number;
  classification?: 'U' | 'C' | 'S';
  /** International designator `YYYY-NNNP[PP]`. */
  objectId: string;
  /** Epoch, UTC, as milliseconds since 1970 (Date.UTC); sub-ms digits are not written. */
  epochMsUtc: number;
  /** Mean motion, rev/day. */
  meanMotionRevPerDay: number;
  /** ṅ/2, rev/day². */
  ndotRevPerDay2: number;
  /** n̈/6, rev/day³. */
  nddotRevPerDay3: number;
  /** B*, 1/Earth radii. */
  bstar: number;
  eccentricity: number;
  inclinationDeg: number;
  raanDeg: number;
  argPericenterDeg: number;
  meanAnomalyDeg: number;
  elementSetNo: number;
  revAtEpoch: number;
}

const ALPHA5 = 'ABCDEFGHJKLMNPQRSTUVWXYZ'; // letters I and O are not used

/** Catalog number field (5 characters): digits up to 99999, Alpha-5 up to 339999. */
export function formatCatalogNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 339999) throw new RangeError(`catalog number ${n} cannot be written in a TLE (0..339999)`);
  if (n < 100000) return String(n).padStart(5, '0');
  return ALPHA5[Math.floor(n / 10000) - 10] + String(n % 10000).padStart(4, '0');
}

/** Modulo-10 checksum of a TLE line's first 68 characters: digits count, '-' counts 1. */
export function tleChecksum(line68: string): number {
  let sum = 0;
  for (let i = 0; i < 68; i++) {
    const c = line68[i];
    if (c >= '0' && c <= '9') sum += c.charCodeAt(0) - 48;
    else if (c === '-') sum += 1;
  }
  return sum % 10;
}

/** `±NNNNN±E`: value = ±0.NNNNN × 10^±E (8 characters). */
export function formatImpliedExponent(x: number): string {
  if (x === 0) return ' 00000+0'; // the form CelesTrak writes for zero
  const sign = x < 0 ? '-' : ' ';
  let e = Math.floor(Math.log10(Math.abs(x))) + 1;
  let mant = Math.round(Math.abs(x) / 10 ** e * 1e5);
  if (mant >= 100000) {
    mant = Math.round(mant / 10);
    e += 1;
  }
  if (e > 9 || e < -9) throw new RangeError(`value ${x} out of the TLE exponent range`);
  return `${sign}${String(mant).padStart(5, '0')}${e < 0 ? '-' : '+'}${Math.abs(e)}`;
}

function fixed(x: number, width: number, decimals: number): string {
  const s = x.toFixed(decimals);
  if (s.length > width) throw new RangeError(`value ${x} does not fit ${width} columns`);
  return s.padStart(width, ' ');
}

/** Angles are written in [0, 360) with 4 decimals (a value that rounds to 360.0000 is written 0.0000). */
function angle(deg: number): string {
  const a = ((deg % 360) + 360) % 360;
  return fixed(a >= 359.99995 ? 0 : a, 8, 4);
}

function epochField(ms: number): string {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  if (year < 1957 || year > 2056) throw new RangeError(`TLE epochs cover 1957–2056, not ${year}`);
  const dayOfYear = (ms - Date.UTC(year, 0, 1)) / 86_400_000 + 1;
  return `${String(year % 100).padStart(2, '0')}${dayOfYear.toFixed(8).padStart(12, '0')}`;
}

function designatorField(objectId: string): string {
  const m = /^(\d{4})-(\d{3})([A-Z]{1,3})$/.exec(objectId);
  if (!m) throw new RangeError(`international designator '${objectId}' is not YYYY-NNNP[PP]`);
  return `${m[1].slice(2)}${m[2]}${m[3]}`.padEnd(8, ' ');
}

function ndotField(x: number): string {
  const s = Math.abs(x).toFixed(8);
  if (Math.abs(x) >= 1) throw new RangeError(`ṅ/2 = ${x} rev/day² does not fit a TLE`);
  return (x < 0 ? '-' : ' ') + s.slice(1); // ' .00001234'
}

export function formatTle(f: TleFields): [string, string] {
  const num = formatCatalogNumber(f.noradId);
  const l1 =
    `1 ${num}${f.classification ?? 'U'} ${designatorField(f.objectId)} ${epochField(f.epochMsUtc)} ${ndotField(f.ndotRevPerDay2)} ` +
    `${formatImpliedExponent(f.nddotRevPerDay3)} ${formatImpliedExponent(f.bstar)} 0 ${String(f.elementSetNo % 10000).padStart(4, ' ')}`;
  const ecc = Math.round(f.eccentricity * 1e7);
  if (ecc < 0 || ecc > 9999999) throw new RangeError(`eccentricity ${f.eccentricity} does not fit a TLE`);
  const l2 =
    `2 ${num} ${angle(f.inclinationDeg)} ${angle(f.raanDeg)} ${String(ecc).padStart(7, '0')} ${angle(f.argPericenterDeg)} ` +
    `${angle(f.meanAnomalyDeg)} ${fixed(f.meanMotionRevPerDay, 11, 8)}${String(f.revAtEpoch % 100000).padStart(5, ' ')}`;
  if (l1.length !== 68 || l2.length !== 68) throw new Error(`internal: TLE line lengths ${l1.length}/${l2.length}, expected 68`);
  return [l1 + tleChecksum(l1), l2 + tleChecksum(l2)];
}
