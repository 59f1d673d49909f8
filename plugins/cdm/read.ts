import { cdmCommentValues, cdmCovarianceRtn, cdmHardBodyRadiusM, cdmState, formatProblem, parseNdm, type Cdm, type CdmObject, type CommentValue, type FieldValue } from '../../sdk/ccsds';
import { Epoch, transformState, type FrameEopValues } from '../../sdk/astro';
import type { CdmRecord } from '../../interfaces/domain/cdm';
import type { ConjunctionObject } from '../../interfaces/domain/conjunction';
import type { Matrix6, Vec3 } from '../../interfaces/domain/common';

/**
 * CDM text → the record modules reason on (interfaces/domain/cdm.ts), in the CDM's own units
 * (m, m/s; states km, km/s). Reading is the sdk codec's (CCSDS 508.0-B-1); this file only maps
 * the message onto the record and decides what to do with what real files carry:
 *  - values in COMMENT lines: the conjunction's combined hard-body radius (`COMMENT HBR = 15 [m]`,
 *    NASA CARA) and an object's own radius (`COMMENT Operator Hard Body Radius = 6.00 [m]`,
 *    CSpOC); the other comment values stay in the file, which is kept;
 *  - states in ITRF (CSpOC CDMs): converted to GCRF with EOP when given, since a
 *    `ConjunctionObject.stateAtTca` is inertial by contract; otherwise left out with a warning;
 *  - an incomplete covariance (lenient reading of empty values): left out with a warning.
 */

export class CdmContentError extends Error {
  constructor(
    readonly file: string,
    readonly keyword: string,
    reason: string,
  ) {
    super(`${file}: ${keyword}: ${reason}`);
    this.name = 'CdmContentError';
  }
}

/** Parses CDM text (KVN, XML or JSON). Throws the codec's `CcsdsParseError` (every problem with file:line). */
export function parseCdmText(text: string, file: string, lenient: boolean): { cdm: Cdm; warnings: string[] } {
  const r = parseNdm(text, { file, mode: lenient ? 'lenient' : 'strict' });
  if (r.message.type !== 'CDM') throw new CdmContentError(file, `CCSDS_${r.message.type}_VERS`, `this is an ${r.message.type}, not a CDM`);
  return { cdm: r.message, warnings: r.warnings.map(formatProblem) };
}

/** A CCSDS UTC epoch text (calendar or day-of-year) → ISO-8601 UTC with 'Z', keeping its precision (3 to 9 digits). */
export function ccsdsUtcToIso(text: string): string {
  const frac = /\.(\d+)Z?$/.exec(text.trim());
  const digits = Math.min(9, Math.max(3, frac ? frac[1].length : 0));
  return Epoch.parse(text.trim(), 'UTC').toIso('UTC', digits);
}

function epochField(v: FieldValue | undefined, file: string, keyword: string): string {
  const text = v === undefined ? '' : typeof v === 'object' ? v.text : String(v);
  if (text.trim() === '') throw new CdmContentError(file, keyword, 'no value: a CDM record needs it');
  try {
    return ccsdsUtcToIso(text);
  } catch (err) {
    throw new CdmContentError(file, keyword, (err as Error).message);
  }
}

function num(v: FieldValue | undefined): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function text(v: FieldValue | undefined): string | undefined {
  if (v === undefined) return undefined;
  const s = (typeof v === 'object' ? v.text : String(v)).trim();
  return s === '' ? undefined : s;
}

/** Per-object radius names seen in real CDM comments (not `HBR`, which CARA uses for the combined radius). */
const OBJECT_RADIUS_NAMES = new Set(['OPERATOR_HARD_BODY_RADIUS', 'OBJECT_HARD_BODY_RADIUS']);

function radiusM(values: CommentValue[]): number | undefined {
  const v = values.find((c) => OBJECT_RADIUS_NAMES.has(c.name));
  if (!v?.numbers || v.numbers.length !== 1 || !(v.numbers[0] > 0)) return undefined;
  const unit = (v.unit ?? 'm').toLowerCase();
  const f = unit === 'm' ? 1 : unit === 'km' ? 1000 : NaN;
  return Number.isFinite(f) ? v.numbers[0] * f : undefined;
}

/** The NORAD catalog number when the designator is one (digits, ≤ 339999; CARA pads with zeros). */
function noradOf(designator: string): number | undefined {
  if (!/^\d{1,9}$/.test(designator)) return undefined;
  const n = Number(designator);
  return n <= 339_999 ? n : undefined;
}

function objectOf(o: CdmObject, index: number, comments: CommentValue[], tcaUtc: string, file: string, eop: FrameEopValues | undefined, warnings: string[]): ConjunctionObject {
  const md = o.metadata.fields;
  const label = `OBJECT${index + 1}`;
  const designator = text(md.OBJECT_DESIGNATOR);
  if (!designator) throw new CdmContentError(file, `${label} OBJECT_DESIGNATOR`, 'no value: the object cannot be identified');
  const out: ConjunctionObject = { objectId: designator };
  const norad = noradOf(designator);
  if (norad !== undefined) out.noradId = norad;
  const name = text(md.OBJECT_NAME);
  if (name) out.name = name;
  const man = text(md.MANEUVERABLE)?.toUpperCase();
  if (man === 'YES' || man === 'NO' || man === 'N/A') out.maneuverable = man;
  const eph = text(md.EPHEMERIS_NAME);
  if (eph && eph.toUpperCase() !== 'NONE') out.ephemerisSource = `cdm:${eph}`;
  const hbr = radiusM(comments);
  if (hbr !== undefined) {
    out.hardBodyRadiusM = hbr;
    out.hardBodyRadiusSource = 'cdm';
  }

  const st = cdmState(o);
  const finite = [...st.posKm, ...st.velKmS].every((x) => typeof x === 'number' && Number.isFinite(x));
  const epoch = { iso: tcaUtc.replace(/Z$/, ''), scale: 'UTC' as const };
  const frame = st.frame.toUpperCase();
  if (!finite) warnings.push(`${file}: ${label}: state vector incomplete; no state at TCA in the record`);
  else if (frame === 'EME2000' || frame === 'GCRF') out.stateAtTca = { epoch, frame, posKm: st.posKm, velKmS: st.velKmS };
  else if (frame === 'ITRF') {
    if (eop) {
      const g = transformState(st, 'ITRF', 'GCRF', Epoch.parse(tcaUtc, 'UTC'), eop);
      out.stateAtTca = { epoch, frame: 'GCRF', posKm: g.posKm as Vec3, velKmS: g.velKmS as Vec3 };
      warnings.push(`${file}: ${label}: ITRF state converted to GCRF at TCA with EOP (UT1-UTC ${eop.ut1MinusUtcS.toFixed(4)} s)`);
    } else warnings.push(`${file}: ${label}: state given in ITRF and no EOP available; no state at TCA in the record (a state at TCA must be inertial)`);
  } else warnings.push(`${file}: ${label}: REF_FRAME ${st.frame} not supported; no state at TCA in the record`);

  const cov = cdmCovarianceRtn(o);
  if (cov.every((row) => row.every((x) => Number.isFinite(x)))) out.covarianceRtnM = { frame: 'RTN', units: 'm', matrix: cov as Matrix6 };
  else warnings.push(`${file}: ${label}: covariance incomplete; no covariance in the record`);
  return out;
}

/**
 * Maps a CDM onto a record. `eop` (at TCA) lets ITRF states be converted to GCRF. Throws
 * `CdmContentError` naming the keyword when a value the record needs is missing.
 */
export function recordFromCdm(cdm: Cdm, file: string, warnings: string[], eop?: FrameEopValues): CdmRecord {
  const h = cdm.header.fields;
  const r = cdm.relativeMetadata.fields;
  const notes = [...warnings];
  const tcaUtc = epochField(r.TCA, file, 'TCA');
  const miss = num(r.MISS_DISTANCE);
  if (miss === undefined) throw new CdmContentError(file, 'MISS_DISTANCE', 'no numeric value');
  const messageId = text(h.MESSAGE_ID);
  if (!messageId) throw new CdmContentError(file, 'MESSAGE_ID', 'no value');
  const originator = text(h.ORIGINATOR);
  if (!originator) throw new CdmContentError(file, 'ORIGINATOR', 'no value');
  if (cdm.objects.length !== 2) throw new CdmContentError(file, 'OBJECT', `expected OBJECT1 and OBJECT2, found ${cdm.objects.length} object(s)`);
  const cv = cdmCommentValues(cdm);
  const objects = cdm.objects.map((o, i) => objectOf(o, i, cv.objects[i] ?? [], tcaUtc, file, eop, notes));
  const rec: CdmRecord = {
    messageId,
    creationDateUtc: epochField(h.CREATION_DATE, file, 'CREATION_DATE'),
    originator,
    tcaUtc,
    missDistanceM: miss,
    object1: objects[0],
    object2: objects[1],
    warnings: notes,
  };
  const messageFor = text(h.MESSAGE_FOR);
  if (messageFor) rec.messageFor = messageFor;
  const speed = num(r.RELATIVE_SPEED);
  if (speed !== undefined) rec.relativeSpeedMS = Math.abs(speed);
  const rp = ['RELATIVE_POSITION_R', 'RELATIVE_POSITION_T', 'RELATIVE_POSITION_N'].map((k) => num(r[k]));
  if (rp.every((x) => x !== undefined)) rec.relativePositionRtnM = rp as Vec3;
  const rv = ['RELATIVE_VELOCITY_R', 'RELATIVE_VELOCITY_T', 'RELATIVE_VELOCITY_N'].map((k) => num(r[k]));
  if (rv.every((x) => x !== undefined)) rec.relativeVelocityRtnMS = rv as Vec3;
  const pc = num(r.COLLISION_PROBABILITY);
  if (pc !== undefined) rec.collisionProbability = pc;
  const method = text(r.COLLISION_PROBABILITY_METHOD);
  if (method) rec.collisionProbabilityMethod = method;
  const hbr = cdmHardBodyRadiusM(cdm);
  if (hbr !== undefined && hbr > 0) rec.hardBodyRadiusM = hbr;
  return rec;
}

/** Whether a CDM gives an object state in ITRF (EOP are then needed to convert it). */
export function hasItrfState(cdm: Cdm): boolean {
  return cdm.objects.some((o) => String(o.metadata.fields.REF_FRAME ?? '').toUpperCase() === 'ITRF');
}
