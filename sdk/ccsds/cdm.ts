import { expectEnd, readVersion } from './common';
import type { Cursor, XNode } from './lexer';
import type { Diagnostics } from './problems';
import { E, K, R, emptySection, readSections, section, YES_NO, type KvSection, type SectionSpec } from './sections';
import { el, KvnWriter, sectionNodes } from './writer';

/**
 * Conjunction Data Message, CCSDS 508.0-B-1 (June 2013), KVN (§4) and XML (§5, NDM/XML 2.0
 * schema ndmxml-2.0.0-cdm-1.0.xsd). Keyword tables: Table 3-1 (header), 3-2 (relative
 * metadata/data), 3-3 (object metadata), 3-4 (object data: OD parameters, additional
 * parameters, state vector, covariance). Units are those of the tables: positions km,
 * velocities km/s, relative quantities m and m/s, covariance m**2, m**2/s, m**2/s**2 (and the
 * optional drag/SRP/thrust rows of Annex B).
 *
 * CDMs are always in UTC (508.0-B-1 §3.2: "All epochs … shall be in UTC").
 */
export const CDM_HEADER = section('header', [R('CREATION_DATE', 'epoch', undefined, { utc: true }), R('ORIGINATOR', 'text'), K('MESSAGE_FOR', 'text'), R('MESSAGE_ID', 'text')]);

const RELATIVE_STATE = ['RELATIVE_POSITION_R', 'RELATIVE_POSITION_T', 'RELATIVE_POSITION_N', 'RELATIVE_VELOCITY_R', 'RELATIVE_VELOCITY_T', 'RELATIVE_VELOCITY_N'];

export const CDM_RELATIVE = section('relativeMetadataData', [
  R('TCA', 'epoch', undefined, { utc: true }),
  R('MISS_DISTANCE', 'real', 'm', { min: 0 }),
  K('RELATIVE_SPEED', 'real', 'm/s'),
  K('RELATIVE_POSITION_R', 'real', 'm', { xmlElement: 'relativeStateVector' }),
  K('RELATIVE_POSITION_T', 'real', 'm', { xmlElement: 'relativeStateVector' }),
  K('RELATIVE_POSITION_N', 'real', 'm', { xmlElement: 'relativeStateVector' }),
  K('RELATIVE_VELOCITY_R', 'real', 'm/s', { xmlElement: 'relativeStateVector' }),
  K('RELATIVE_VELOCITY_T', 'real', 'm/s', { xmlElement: 'relativeStateVector' }),
  K('RELATIVE_VELOCITY_N', 'real', 'm/s', { xmlElement: 'relativeStateVector' }),
  K('START_SCREEN_PERIOD', 'epoch', undefined, { utc: true }),
  K('STOP_SCREEN_PERIOD', 'epoch', undefined, { utc: true }),
  E('SCREEN_VOLUME_FRAME', ['RTN', 'TVN']),
  E('SCREEN_VOLUME_SHAPE', ['ELLIPSOID', 'BOX']),
  K('SCREEN_VOLUME_X', 'real', 'm'),
  K('SCREEN_VOLUME_Y', 'real', 'm'),
  K('SCREEN_VOLUME_Z', 'real', 'm'),
  K('SCREEN_ENTRY_TIME', 'epoch', undefined, { utc: true }),
  K('SCREEN_EXIT_TIME', 'epoch', undefined, { utc: true }),
  K('COLLISION_PROBABILITY', 'real', undefined, { min: 0, max: 1 }),
  K('COLLISION_PROBABILITY_METHOD', 'text'),
]);

export const CDM_METADATA = section('metadata', [
  E('OBJECT', ['OBJECT1', 'OBJECT2'], true),
  R('OBJECT_DESIGNATOR', 'text'),
  R('CATALOG_NAME', 'text'),
  R('OBJECT_NAME', 'text'),
  R('INTERNATIONAL_DESIGNATOR', 'text'),
  E('OBJECT_TYPE', ['PAYLOAD', 'ROCKET BODY', 'DEBRIS', 'UNKNOWN', 'OTHER']),
  K('OPERATOR_CONTACT_POSITION', 'text'),
  K('OPERATOR_ORGANIZATION', 'text'),
  K('OPERATOR_PHONE', 'text'),
  K('OPERATOR_EMAIL', 'text'),
  R('EPHEMERIS_NAME', 'text'),
  E('COVARIANCE_METHOD', ['CALCULATED', 'DEFAULT'], true),
  E('MANEUVERABLE', ['YES', 'NO', 'N/A'], true),
  K('ORBIT_CENTER', 'text'),
  E('REF_FRAME', ['EME2000', 'GCRF', 'ITRF'], true),
  K('GRAVITY_MODEL', 'text'),
  K('ATMOSPHERIC_MODEL', 'text'),
  K('N_BODY_PERTURBATIONS', 'text'),
  E('SOLAR_RAD_PRESSURE', YES_NO),
  E('EARTH_TIDES', YES_NO),
  E('INTRACK_THRUST', YES_NO),
]);

export const CDM_OD = section(
  'odParameters',
  [
    K('TIME_LASTOB_START', 'epoch', undefined, { utc: true }),
    K('TIME_LASTOB_END', 'epoch', undefined, { utc: true }),
    K('RECOMMENDED_OD_SPAN', 'real', 'd', { min: 0 }),
    K('ACTUAL_OD_SPAN', 'real', 'd', { min: 0 }),
    K('OBS_AVAILABLE', 'int', undefined, { min: 0 }),
    K('OBS_USED', 'int', undefined, { min: 0 }),
    K('TRACKS_AVAILABLE', 'int', undefined, { min: 0 }),
    K('TRACKS_USED', 'int', undefined, { min: 0 }),
    K('RESIDUALS_ACCEPTED', 'real', '%', { min: 0, max: 100 }),
    K('WEIGHTED_RMS', 'real', undefined, { min: 0 }),
  ],
  { optional: true },
);

export const CDM_ADDITIONAL = section(
  'additionalParameters',
  [
    K('AREA_PC', 'real', 'm**2', { min: 0 }),
    K('AREA_DRG', 'real', 'm**2', { min: 0 }),
    K('AREA_SRP', 'real', 'm**2', { min: 0 }),
    K('MASS', 'real', 'kg', { min: 0 }),
    K('CD_AREA_OVER_MASS', 'real', 'm**2/kg', { min: 0 }),
    K('CR_AREA_OVER_MASS', 'real', 'm**2/kg', { min: 0 }),
    K('THRUST_ACCELERATION', 'real', 'm/s**2', { min: 0 }),
    K('SEDR', 'real', 'W/kg', { min: 0 }),
  ],
  { optional: true },
);

export const CDM_STATE = section('stateVector', [R('X', 'real', 'km'), R('Y', 'real', 'km'), R('Z', 'real', 'km'), R('X_DOT', 'real', 'km/s'), R('Y_DOT', 'real', 'km/s'), R('Z_DOT', 'real', 'km/s')]);

/**
 * Covariance keywords in the order of 508.0-B-1 Table 3-4 (lower triangle, RTN): rows R, T, N,
 * RDOT, TDOT, NDOT (mandatory), then the optional DRG, SRP, THR rows. Each element's unit is
 * the product of its row and column units (position m, velocity m/s, drag/SRP coefficient
 * m**2/kg, thrust m/s**2).
 */
const COV_ROW_NAMES = ['R', 'T', 'N', 'RDOT', 'TDOT', 'NDOT', 'DRG', 'SRP', 'THR'];
const COV_ROW_UNITS = ['m', 'm', 'm', 'm/s', 'm/s', 'm/s', 'm**2/kg', 'm**2/kg', 'm/s**2'];
const COV_ROWS: { key: string; unit: string; row: number }[] = [];
for (let i = 0; i < COV_ROW_NAMES.length; i++) {
  for (let j = 0; j <= i; j++) COV_ROWS.push({ key: `C${COV_ROW_NAMES[i]}_${COV_ROW_NAMES[j]}`, unit: productUnit(COV_ROW_UNITS[i], COV_ROW_UNITS[j]), row: i });
}

/** Product of two row units, spelled as in 508.0-B-1 (m**2, m**2/s, m**3/kg, m**3/(kg*s)…). */
function productUnit(a: string, b: string): string {
  const table: Record<string, string> = {
    'm|m': 'm**2',
    'm/s|m': 'm**2/s',
    'm/s|m/s': 'm**2/s**2',
    'm**2/kg|m': 'm**3/kg',
    'm**2/kg|m/s': 'm**3/(kg*s)',
    'm**2/kg|m**2/kg': 'm**4/kg**2',
    'm/s**2|m': 'm**2/s**2',
    'm/s**2|m/s': 'm**2/s**3',
    'm/s**2|m**2/kg': 'm**3/(kg*s**2)',
    'm/s**2|m/s**2': 'm**2/s**4',
  };
  return table[`${a}|${b}`];
}

export const CDM_COVARIANCE_KEYS = COV_ROWS.map((r) => r.key);

export const CDM_COVARIANCE = section(
  'covarianceMatrix',
  COV_ROWS.map(({ key, unit, row }) => (row < 6 ? R(key, 'real', unit) : K(key, 'real', unit))),
);

export const CDM_OBJECT_SECTIONS: SectionSpec[] = [CDM_METADATA, CDM_OD, CDM_ADDITIONAL, CDM_STATE, CDM_COVARIANCE];

export interface CdmObject {
  metadata: KvSection;
  odParameters: KvSection;
  additionalParameters: KvSection;
  stateVector: KvSection;
  covariance: KvSection;
}

export interface Cdm {
  type: 'CDM';
  version: string;
  header: KvSection;
  relativeMetadata: KvSection;
  objects: CdmObject[];
}

const ALL_CDM_KEYS = new Set([CDM_HEADER, CDM_RELATIVE, ...CDM_OBJECT_SECTIONS].flatMap((s) => s.keys.map((k) => k.key)));

export function readCdm(cur: Cursor, diag: Diagnostics): Cdm {
  const version = readVersion(cur, diag, 'CDM', ['1.0']);
  const ctx = { diag, timeSystem: 'UTC' };
  const elsewhere = (k: string) => ALL_CDM_KEYS.has(k);
  const head = readSections(cur, [CDM_HEADER], ctx, { elsewhere });
  const rel = readSections(cur, [CDM_RELATIVE], ctx, { elsewhere, leading: head.trailing });
  const rs = rel.sections[0];
  const given = RELATIVE_STATE.filter((k) => k in rs.fields);
  if (given.length > 0 && given.length < 6) {
    diag.error(rel.firstLoc[0], RELATIVE_STATE.find((k) => !(k in rs.fields))!, 'the relative state vector must give all six RELATIVE_POSITION/VELOCITY_R/T/N keywords or none');
  }
  const objects: CdmObject[] = [];
  let leading = rel.trailing;
  for (let i = 0; i < 2; i++) {
    const tok = cur.peek();
    if (tok === undefined) {
      diag.error(cur.endLoc(), 'OBJECT', `missing the OBJECT${i + 1} segment`);
      break;
    }
    const r = readSections(cur, CDM_OBJECT_SECTIONS, ctx, {
      leading,
      elsewhere,
      // The OBJECT keyword opens the next object's metadata.
      stopAt: (t, secs) => t.t === 'kv' && t.key === 'OBJECT' && 'OBJECT' in secs[0].fields,
    });
    leading = r.trailing;
    const [metadata, odParameters, additionalParameters, stateVector, covariance] = r.sections;
    const expected = `OBJECT${i + 1}`;
    const obj = metadata.fields.OBJECT;
    if (typeof obj === 'string' && obj.toUpperCase() !== expected) diag.error(r.firstLoc[0], 'OBJECT', `found ${obj} where ${expected} was expected (OBJECT1 comes first, then OBJECT2)`);
    objects.push({ metadata, odParameters, additionalParameters, stateVector, covariance });
  }
  if (leading.length && objects.length) objects[objects.length - 1].covariance.comments.push(...leading);
  expectEnd(cur, diag, 'CDM');
  return { type: 'CDM', version, header: head.sections[0], relativeMetadata: rs, objects };
}

export function writeCdmKvn(cdm: Cdm): string {
  const w = new KvnWriter(36);
  w.kv('CCSDS_CDM_VERS', cdm.version);
  w.section(cdm.header, CDM_HEADER);
  w.section(cdm.relativeMetadata, CDM_RELATIVE);
  for (const o of cdm.objects) {
    w.section(o.metadata, CDM_METADATA);
    w.section(o.odParameters, CDM_OD);
    w.section(o.additionalParameters, CDM_ADDITIONAL);
    w.section(o.stateVector, CDM_STATE);
    w.section(o.covariance, CDM_COVARIANCE);
  }
  return w.toString();
}

function nonEmpty(sec: KvSection): boolean {
  return sec.comments.length > 0 || Object.keys(sec.fields).length > 0;
}

export function cdmTree(cdm: Cdm): XNode {
  const relNodes = sectionNodes(cdm.relativeMetadata, CDM_RELATIVE);
  // The six relative state keywords are grouped in <relativeStateVector> (schema order).
  const rsv = relNodes.filter((n) => RELATIVE_STATE.includes(n.name));
  const rel: XNode[] = [];
  for (const n of relNodes) {
    if (RELATIVE_STATE.includes(n.name)) {
      if (n === rsv[0]) rel.push(el('relativeStateVector', rsv));
    } else rel.push(n);
  }
  const segments = cdm.objects.map((o) => {
    const data: XNode[] = [];
    if (nonEmpty(o.odParameters)) data.push(el('odParameters', sectionNodes(o.odParameters, CDM_OD)));
    if (nonEmpty(o.additionalParameters)) data.push(el('additionalParameters', sectionNodes(o.additionalParameters, CDM_ADDITIONAL)));
    data.push(el('stateVector', sectionNodes(o.stateVector, CDM_STATE)));
    data.push(el('covarianceMatrix', sectionNodes(o.covariance, CDM_COVARIANCE)));
    return el('segment', [el('metadata', sectionNodes(o.metadata, CDM_METADATA)), el('data', data)]);
  });
  return el('cdm', [el('header', sectionNodes(cdm.header, CDM_HEADER)), el('body', [el('relativeMetadataData', rel), ...segments])], { id: 'CCSDS_CDM_VERS', version: cdm.version });
}

// ---------------------------------------------------------------------------------------------
// Typed views
// ---------------------------------------------------------------------------------------------

/** Position (km) and velocity (km/s) of an object at TCA, in its REF_FRAME. */
export function cdmState(obj: CdmObject): { posKm: [number, number, number]; velKmS: [number, number, number]; frame: string } {
  const f = obj.stateVector.fields;
  return { posKm: [f.X as number, f.Y as number, f.Z as number], velKmS: [f.X_DOT as number, f.Y_DOT as number, f.Z_DOT as number], frame: String(obj.metadata.fields.REF_FRAME) };
}

/**
 * The 6×6 RTN position/velocity covariance (m², m²/s, m²/s²), symmetric, from the lower
 * triangle of 508.0-B-1 Table 3-4 (rows R, T, N, RDOT, TDOT, NDOT).
 */
export function cdmCovarianceRtn(obj: CdmObject): number[][] {
  const rows = ['R', 'T', 'N', 'RDOT', 'TDOT', 'NDOT'];
  const m = rows.map(() => rows.map(() => 0));
  for (let i = 0; i < 6; i++) {
    for (let j = 0; j <= i; j++) {
      const v = obj.covariance.fields[`C${rows[i]}_${rows[j]}`];
      const x = typeof v === 'number' ? v : NaN;
      m[i][j] = x;
      m[j][i] = x;
    }
  }
  return m;
}

/** A `NAME = value [unit]` pair found in a COMMENT line (real CDMs carry extra values there). */
export interface CommentValue {
  name: string;
  text: string;
  /** The numbers of the value (one or several), when numeric. */
  numbers?: number[];
  unit?: string;
}

const COMMENT_VALUE_RE = /^\s*([A-Za-z][A-Za-z0-9 _./()-]*?)\s*=\s*(.*?)\s*(?:\[([^\]]*)\])?\s*$/;

/** Parses `HBR = 10 [m]`-style comments; undefined for ordinary prose. */
export function parseCommentValue(comment: string): CommentValue | undefined {
  const m = COMMENT_VALUE_RE.exec(comment);
  if (!m) return undefined;
  const name = m[1].trim().toUpperCase().replace(/[\s.]+/g, '_');
  const text = m[2];
  const parts = text.split(/\s+/).filter((p) => p !== '');
  const nums = parts.map(Number);
  const out: CommentValue = { name, text };
  if (parts.length > 0 && nums.every((n) => Number.isFinite(n))) out.numbers = nums;
  if (m[3] !== undefined) out.unit = m[3].trim();
  return out;
}

/** Values carried in comments, grouped by where they appear (relative metadata = before OBJECT1's first keyword). */
export interface CdmCommentValues {
  header: CommentValue[];
  relative: CommentValue[];
  objects: CommentValue[][];
}

export function cdmCommentValues(cdm: Cdm): CdmCommentValues {
  const parse = (list: string[]) => list.map(parseCommentValue).filter((v): v is CommentValue => v !== undefined);
  const objects = cdm.objects.map((o) => parse([o.metadata, o.odParameters, o.additionalParameters, o.stateVector, o.covariance].flatMap((s) => s.comments)));
  // A comment just before `OBJECT = OBJECT1` belongs to OBJECT1's metadata by the schema,
  // but producers such as NASA CARA write conjunction-level values there (`COMMENT HBR = …`).
  return { header: parse(cdm.header.comments), relative: parse(cdm.relativeMetadata.comments), objects };
}

/**
 * Hard-body radius (m) carried by a `COMMENT HBR = x [m]` line (NASA CARA CDMs), converted to
 * metres when another length unit is written; undefined when the CDM has none. CDM 1.0 has
 * no HBR keyword (508.0-B-1); it is an extension real producers put in comments.
 */
export function cdmHardBodyRadiusM(cdm: Cdm): number | undefined {
  const cv = cdmCommentValues(cdm);
  const all = [...cv.relative, ...cv.header, ...cv.objects.flat()];
  const hbr = all.find((v) => v.name === 'HBR' || v.name === 'HARD_BODY_RADIUS');
  if (!hbr?.numbers || hbr.numbers.length !== 1) return undefined;
  const unit = (hbr.unit ?? 'm').toLowerCase();
  const f = unit === 'm' ? 1 : unit === 'km' ? 1000 : unit === 'cm' ? 0.01 : NaN;
  return Number.isFinite(f) ? hbr.numbers[0] * f : undefined;
}

export function emptyCdmObject(): CdmObject {
  return { metadata: emptySection(), odParameters: emptySection(), additionalParameters: emptySection(), stateVector: emptySection(), covariance: emptySection() };
}

