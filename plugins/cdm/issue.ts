import { CDM_COVARIANCE_KEYS, emptyCdmObject, emptySection, type Cdm, type CdmObject, type KvSection } from '../../sdk/ccsds';
import { covarianceInertialToLocal, covarianceLocalToInertial, Epoch, EARTH_FIXED_FRAMES, transformCovariance, transformState, ZERO_EOP, type FrameName } from '../../sdk/astro';
import type { Conjunction, ConjunctionObject } from '../../interfaces/domain/conjunction';
import type { Matrix6, Vec3 } from '../../interfaces/domain/common';
import type { RegimeModel } from './config';
import { defaultCovariance, defaultCovarianceComment, elementEpochFromSource, type DefaultCovariance, type OrbitRegime } from './default-covariance';

/**
 * A `Conjunction` (screening result, km) → a CCSDS CDM 1.0 message (508.0-B-1: relative
 * quantities in m and m/s, states in km and km/s, covariance in each object's RTN frame in m²,
 * m²/s, m²/s²). The message is built as the sdk codec's data structure, so the same writers
 * produce KVN and XML and the same reader checks it.
 */

/** What the catalog knows of an object (optional enrichment). */
export interface CatalogFacts {
  elementEpochUtc?: string;
  internationalDesignator?: string;
  name?: string;
}

export interface BuildInput {
  conjunction: Conjunction;
  originator: string;
  messageFor?: string;
  messageId: string;
  /** ISO-8601 UTC (with or without Z). */
  creationDateUtc: string;
  models: Record<OrbitRegime, RegimeModel>;
  assumedAgeDaysWhenUnknown: number;
  catalog?: Map<number, CatalogFacts>;
  /** A Pc computed for this CDM when the conjunction carries none. */
  computedPc?: { pc: number; method: string };
}

export interface BuiltCdm {
  cdm: Cdm;
  /** Default covariance applied, per object (index 0 = OBJECT1). */
  defaults: (DefaultCovariance | undefined)[];
}

export class IssueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IssueError';
  }
}

const INERTIAL_FOR_CDM = new Set(['GCRF', 'EME2000']);

/** CCSDS epoch text (no 'Z', as in the 508.0-B-1 examples). */
function ccsdsEpoch(iso: string): { text: string; timeSystem: string } {
  return { text: iso.replace(/Z$/, ''), timeSystem: 'UTC' };
}

/** KVN values run to the end of the line and '[' opens a unit: keep free text plain. */
function plainText(s: string): string {
  return s.replace(/[[\]]/g, (c) => (c === '[' ? '(' : ')')).replace(/[\r\n]+/g, ' ').trim();
}

/** 508.0-B-1 §3.5.2 names methods by author and year (e.g. FOSTER-1992); ours map onto those. */
export function pcMethodName(method: string): string {
  const m = method.replace(/^computed:/, '').toLowerCase();
  const known: Record<string, string> = { foster: 'FOSTER-1992', chan: 'CHAN-1997', alfano: 'ALFANO-2005', patera: 'PATERA-2001', 'max-pc': 'ALFANO-MAX-PROBABILITY' };
  return known[m] ?? plainText(method).toUpperCase();
}

/**
 * The state written in the CDM: GCRF and EME2000 as they are; TEME, TOD and MOD rotated to GCRF.
 * The rotations between these inertial frames involve precession, nutation and the equation of
 * the equinoxes only (TEME = ROT3(−GMST)·PEF and PEF = ROT3(GAST)·TOD, so UT1 cancels: Vallado
 * et al. 2006, AIAA 2006-6753 §"TEME"): zero EOP lose only the celestial-pole offsets (mas
 * level, a few cm in LEO). Earth-fixed states are written in ITRF as given.
 */
function stateForCdm(o: ConjunctionObject, label: string): { frame: 'GCRF' | 'EME2000' | 'ITRF'; posKm: Vec3; velKmS: Vec3; sourceFrame: string; epoch: Epoch } {
  const s = o.stateAtTca;
  if (!s) throw new IssueError(`${label} (${o.objectId}) has no state at TCA: a CDM needs both states (508.0-B-1 Table 3-4, X … Z_DOT mandatory)`);
  const epoch = Epoch.parse(s.epoch.iso, s.epoch.scale);
  if (INERTIAL_FOR_CDM.has(s.frame)) return { frame: s.frame as 'GCRF' | 'EME2000', posKm: [...s.posKm], velKmS: [...s.velKmS], sourceFrame: s.frame, epoch };
  if (s.frame === 'ITRF') return { frame: 'ITRF', posKm: [...s.posKm], velKmS: [...s.velKmS], sourceFrame: s.frame, epoch };
  if (s.frame === 'PEF') throw new IssueError(`${label} (${o.objectId}) state is in PEF: give it in ITRF or an inertial frame`);
  const g = transformState(s, s.frame as FrameName, 'GCRF', epoch, ZERO_EOP);
  return { frame: 'GCRF', posKm: g.posKm, velKmS: g.velKmS, sourceFrame: s.frame, epoch };
}

/** The object's covariance as the CDM wants it: RTN of the object, m-based units. */
function covarianceRtnM2(o: ConjunctionObject, label: string, epoch: Epoch): Matrix6 | undefined {
  const c = o.covarianceRtnM;
  if (!c) return undefined;
  const s = o.stateAtTca!;
  // km², km²/s, km²/s² → m², m²/s, m²/s²: every block scales by 10⁶
  const k = c.units === 'km' ? 1e6 : 1;
  const scaled = c.matrix.map((row) => row.map((v) => v * k));
  if (c.frame === 'RTN') return scaled as Matrix6;
  if (c.frame === 'TNW') return covarianceInertialToLocal('RTN', s.posKm, s.velKmS, covarianceLocalToInertial('TNW', s.posKm, s.velKmS, scaled)) as Matrix6;
  if ((EARTH_FIXED_FRAMES as readonly string[]).includes(c.frame) || (EARTH_FIXED_FRAMES as readonly string[]).includes(s.frame)) {
    if (c.frame !== s.frame) throw new IssueError(`${label} (${o.objectId}) covariance in ${c.frame} with a state in ${s.frame}: cannot express it in RTN without EOP`);
  }
  const inStateFrame = c.frame === s.frame ? scaled : transformCovariance(scaled, c.frame as FrameName, s.frame as FrameName, epoch, ZERO_EOP);
  return covarianceInertialToLocal('RTN', s.posKm, s.velKmS, inStateFrame) as Matrix6;
}

function covarianceSection(cov: Matrix6): KvSection {
  const sec = emptySection();
  const rows = ['R', 'T', 'N', 'RDOT', 'TDOT', 'NDOT'];
  for (let i = 0; i < 6; i++) for (let j = 0; j <= i; j++) sec.fields[`C${rows[i]}_${rows[j]}`] = cov[i][j];
  // every mandatory element present (the 21 of the 6×6 lower triangle)
  if (CDM_COVARIANCE_KEYS.slice(0, 21).some((key) => !(key in sec.fields))) throw new IssueError('internal: covariance keywords incomplete');
  return sec;
}

function objectSection(o: ConjunctionObject, index: number, input: BuildInput): { obj: CdmObject; dflt?: DefaultCovariance } {
  const label = `OBJECT${index + 1}`;
  const st = stateForCdm(o, label);
  const facts = o.noradId !== undefined ? input.catalog?.get(o.noradId) : undefined;
  const obj = emptyCdmObject();
  const md = obj.metadata;
  let cov = covarianceRtnM2(o, label, st.epoch);
  let dflt: DefaultCovariance | undefined;
  if (!cov) {
    dflt = defaultCovariance({
      posKm: st.posKm,
      velKmS: st.velKmS,
      tcaUtc: input.conjunction.tcaUtc,
      elementEpochUtc: elementEpochFromSource(o.ephemerisSource) ?? facts?.elementEpochUtc,
      models: input.models,
      assumedAgeDaysWhenUnknown: input.assumedAgeDaysWhenUnknown,
    });
    cov = dflt.covRtnM2;
    md.comments.push(defaultCovarianceComment(dflt));
  }
  if (o.hardBodyRadiusM !== undefined) {
    // `NAME = value [unit]` alone on its line, so that readers of comment values find it
    md.comments.push(`OBJECT_HARD_BODY_RADIUS = ${o.hardBodyRadiusM} [m]`);
    if (o.hardBodyRadiusSource) md.comments.push(`OBJECT_HARD_BODY_RADIUS_SOURCE = ${o.hardBodyRadiusSource}`);
  }
  if (st.sourceFrame !== st.frame) md.comments.push(`state rotated from ${st.sourceFrame} to ${st.frame} (IAU-76/FK5, no celestial-pole offsets)`);
  md.fields.OBJECT = label;
  md.fields.OBJECT_DESIGNATOR = o.noradId !== undefined ? String(o.noradId) : plainText(o.objectId);
  md.fields.CATALOG_NAME = o.noradId !== undefined ? 'SATCAT' : 'OPERATOR';
  md.fields.OBJECT_NAME = plainText(o.name ?? facts?.name ?? 'UNKNOWN') || 'UNKNOWN';
  md.fields.INTERNATIONAL_DESIGNATOR = facts?.internationalDesignator ?? 'UNKNOWN';
  md.fields.EPHEMERIS_NAME = o.ephemerisSource ? plainText(o.ephemerisSource) || 'NONE' : 'NONE';
  md.fields.COVARIANCE_METHOD = dflt ? 'DEFAULT' : 'CALCULATED';
  md.fields.MANEUVERABLE = o.maneuverable ?? 'N/A';
  md.fields.REF_FRAME = st.frame;
  const sv = obj.stateVector.fields;
  [sv.X, sv.Y, sv.Z] = st.posKm;
  [sv.X_DOT, sv.Y_DOT, sv.Z_DOT] = st.velKmS;
  obj.covariance = covarianceSection(cov);
  return { obj, dflt };
}

export function buildCdm(input: BuildInput): BuiltCdm {
  const c = input.conjunction;
  const header = emptySection();
  header.fields.CREATION_DATE = ccsdsEpoch(input.creationDateUtc);
  header.fields.ORIGINATOR = plainText(input.originator);
  if (input.messageFor) header.fields.MESSAGE_FOR = plainText(input.messageFor);
  header.fields.MESSAGE_ID = plainText(input.messageId);

  const rel = emptySection();
  const p = c.primary;
  const s = c.secondary;
  // CDM 1.0 has no hard-body radius keyword: the combined radius goes in a comment, as NASA
  // CARA writes it (`COMMENT HBR = 15 [m]`); combined = sum of the two radii.
  if (p.hardBodyRadiusM !== undefined && s.hardBodyRadiusM !== undefined) rel.comments.push(`HBR = ${p.hardBodyRadiusM + s.hardBodyRadiusM} [m]`);
  rel.comments.push(`conjunction ${plainText(c.id)} detected by ${c.detectedBy} at ${c.detectedAtUtc}`);
  const f = rel.fields;
  f.TCA = ccsdsEpoch(c.tcaUtc);
  f.MISS_DISTANCE = c.missDistanceKm * 1000;
  f.RELATIVE_SPEED = c.relativeSpeedKmS * 1000;
  [f.RELATIVE_POSITION_R, f.RELATIVE_POSITION_T, f.RELATIVE_POSITION_N] = c.relativePositionRtnKm.map((x) => x * 1000);
  [f.RELATIVE_VELOCITY_R, f.RELATIVE_VELOCITY_T, f.RELATIVE_VELOCITY_N] = c.relativeVelocityRtnKmS.map((x) => x * 1000);
  const vol = c.screeningVolume;
  if (vol) {
    f.SCREEN_VOLUME_FRAME = 'RTN';
    f.SCREEN_VOLUME_SHAPE = vol.shape === 'box' ? 'BOX' : 'ELLIPSOID';
    const [x, y, z] = vol.shape === 'sphere' ? [vol.sizeRtnKm[0], vol.sizeRtnKm[0], vol.sizeRtnKm[0]] : vol.sizeRtnKm;
    [f.SCREEN_VOLUME_X, f.SCREEN_VOLUME_Y, f.SCREEN_VOLUME_Z] = [x * 1000, y * 1000, z * 1000];
  }
  const pc = c.pc !== undefined ? { pc: c.pc, method: c.pcMethod ?? 'UNKNOWN' } : input.computedPc;
  if (pc) {
    f.COLLISION_PROBABILITY = pc.pc;
    f.COLLISION_PROBABILITY_METHOD = pcMethodName(pc.method);
  }
  const one = objectSection(p, 0, input);
  const two = objectSection(s, 1, input);
  return {
    cdm: { type: 'CDM', version: '1.0', header, relativeMetadata: rel, objects: [one.obj, two.obj] },
    defaults: [one.dflt, two.dflt],
  };
}
