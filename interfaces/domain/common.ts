import { z } from 'zod';

/**
 * Building blocks shared by every domain type. Units and frames are in the field names
 * (`posKm`, `velKmS`, `covKm2`, `tcaUtc`); times travel as ISO-8601 text and say their
 * scale, either in the field name (`…Utc`) or in an `Epoch` object.
 */

/** Time scales an epoch may be expressed in (sdk/astro/time.ts converts between them). */
export const TIME_SCALES = ['UTC', 'TAI', 'TT', 'TDB', 'GPS', 'UT1'] as const;
export type TimeScaleName = (typeof TIME_SCALES)[number];

/**
 * ISO-8601 calendar date-time, `YYYY-MM-DDThh:mm:ss[.fff…][Z]`. Seconds may be 60 (a leap
 * second). No time-zone offsets: the scale is named separately, never implied by a zone.
 */
const ISO_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,12})?Z?$/;
export const IsoDateTime = z.string().regex(ISO_RE, 'expected ISO-8601 date-time YYYY-MM-DDThh:mm:ss[.fff][Z]');

/** A UTC instant as ISO-8601 text (fields named `…Utc`). */
export const UtcIso = IsoDateTime.describe('UTC, ISO-8601');

/** An epoch with its time scale, e.g. `{ iso: '2024-03-01T12:00:00.000', scale: 'TDB' }`. */
export const EpochSchema = z.object({
  iso: IsoDateTime.describe('calendar date-time in the named scale'),
  scale: z.enum(TIME_SCALES),
});
export type Epoch = z.infer<typeof EpochSchema>;

const finite = () => z.number().finite();
export const Vec3 = z.tuple([finite(), finite(), finite()]);
export type Vec3 = z.infer<typeof Vec3>;

/** 6×6 matrix, row-major. */
export const Matrix6 = z.array(z.array(finite()).length(6)).length(6);
export type Matrix6 = z.infer<typeof Matrix6>;

/**
 * Inertial and Earth-fixed reference frames:
 * - `GCRF`: geocentric celestial reference frame (ICRF axes);
 * - `EME2000`: mean equator and equinox of J2000.0 (GCRF less the frame bias, ~20 mas);
 * - `TEME`: true equator, mean equinox: the frame of SGP4 output;
 * - `TOD` / `MOD`: true / mean of date (IAU-76/FK5); `PEF`: pseudo Earth-fixed;
 * - `ITRF`: international terrestrial reference frame (Earth-fixed, with polar motion).
 */
export const INERTIAL_FRAMES = ['GCRF', 'EME2000', 'TEME', 'TOD', 'MOD'] as const;
export const EARTH_FIXED_FRAMES = ['ITRF', 'PEF'] as const;
export const FRAMES = [...INERTIAL_FRAMES, ...EARTH_FIXED_FRAMES] as const;
export const Frame = z.enum(FRAMES);
export type Frame = z.infer<typeof Frame>;

/** Local orbital frames: RTN (radial, transverse, normal; a.k.a. RSW/RIC) and TNW (tangential along velocity). */
export const LOCAL_FRAMES = ['RTN', 'TNW'] as const;
export const LocalFrame = z.enum(LOCAL_FRAMES);
export type LocalFrame = z.infer<typeof LocalFrame>;

/**
 * An object designator: the NORAD catalog number (integer, Alpha-5 numbers decoded, up to
 * 339999) is the key of every catalog object; `objectId` strings (e.g. an operator's own
 * name or an international designator `1998-067A`) are used only where no NORAD number exists.
 */
export const NoradId = z.number().int().min(0).max(339_999);
export const InternationalDesignator = z.string().regex(/^\d{4}-\d{3}[A-Z]{1,3}$/, 'expected international designator YYYY-NNNP[PP]');

/**
 * Orders two ISO-8601 date-times of the same scale without converting them (so leap-second
 * instants `…23:59:60.5` order correctly, which `Date.parse` cannot): the fixed-width
 * `YYYY-MM-DDThh:mm:ss` part compares as text, then the fraction as a number.
 */
export function compareIso(a: string, b: string): number {
  const split = (s: string): [string, number] => {
    const t = s.endsWith('Z') ? s.slice(0, -1) : s;
    return [t.slice(0, 19), t.length > 19 ? Number('0' + t.slice(19)) : 0];
  };
  const [am, af] = split(a);
  const [bm, bf] = split(b);
  return am < bm ? -1 : am > bm ? 1 : Math.sign(af - bf);
}

/** A time window, UTC, start ≤ stop (checked). */
export const UtcWindow = z
  .object({ startUtc: UtcIso, stopUtc: UtcIso })
  .refine((w) => compareIso(w.startUtc, w.stopUtc) <= 0, { message: 'startUtc must not be after stopUtc', path: ['stopUtc'] });
export type UtcWindow = z.infer<typeof UtcWindow>;

/** Plugin name of the module that produced a record (for traceability). */
export const ModuleName = z.string().regex(/^[a-z][a-z0-9-]*$/);
