import { checkV3Header } from './oem';
import { expectEnd, ODM_COV_KEYS, ODM_HEADER, readVersion, TIME_SYSTEM_KEY } from './common';
import type { Cursor, Token, XNode } from './lexer';
import type { Diagnostics, Loc } from './problems';
import { applyTimeSystem, emptySection, K, R, readSections, section, type KvSection, type ReadContext, type SectionSpec } from './sections';
import { el, KvnWriter, sectionNodes, userDefinedNodes } from './writer';

/**
 * Orbit Parameter Message and Orbit Mean-elements Message, CCSDS 502.0-B-2 §3 (OPM, Tables
 * 3-1…3-3) and §4 (OMM, Tables 4-1…4-3); 502.0-B-3 (version 3.0) adds header CLASSIFICATION
 * and MESSAGE_ID and the OMM TLE-related BTERM and AGOM. Both are single-segment messages
 * whose KVN form is a plain keyword sequence in the order of the tables.
 */
const META_COMMON = [R('OBJECT_NAME', 'text'), R('OBJECT_ID', 'text'), R('CENTER_NAME', 'text'), R('REF_FRAME', 'text'), K('REF_FRAME_EPOCH', 'epoch'), TIME_SYSTEM_KEY];

export const OPM_METADATA = section('metadata', META_COMMON);
export const OMM_METADATA = section('metadata', [...META_COMMON, R('MEAN_ELEMENT_THEORY', 'text')]);

export const OPM_STATE = section('stateVector', [R('EPOCH', 'epoch'), R('X', 'real', 'km'), R('Y', 'real', 'km'), R('Z', 'real', 'km'), R('X_DOT', 'real', 'km/s'), R('Y_DOT', 'real', 'km/s'), R('Z_DOT', 'real', 'km/s')]);

export const OPM_KEPLERIAN = section(
  'keplerianElements',
  [
    R('SEMI_MAJOR_AXIS', 'real', 'km'),
    R('ECCENTRICITY', 'real', undefined, { min: 0 }),
    R('INCLINATION', 'real', 'deg', { min: 0, max: 180 }),
    R('RA_OF_ASC_NODE', 'real', 'deg'),
    R('ARG_OF_PERICENTER', 'real', 'deg'),
    K('TRUE_ANOMALY', 'real', 'deg'),
    K('MEAN_ANOMALY', 'real', 'deg'),
    R('GM', 'real', 'km**3/s**2', { min: 0 }),
  ],
  { optional: true },
);

export const SPACECRAFT = section(
  'spacecraftParameters',
  [K('MASS', 'real', 'kg', { min: 0 }), K('SOLAR_RAD_AREA', 'real', 'm**2', { min: 0 }), K('SOLAR_RAD_COEFF', 'real', undefined, { min: 0 }), K('DRAG_AREA', 'real', 'm**2', { min: 0 }), K('DRAG_COEFF', 'real', undefined, { min: 0 })],
  { optional: true },
);

export const ODM_COVARIANCE = section('covarianceMatrix', [K('COV_REF_FRAME', 'text'), ...ODM_COV_KEYS.map((c) => R(c.key, 'real', c.unit))], { optional: true });

export const OPM_MANEUVER = section('maneuverParameters', [
  R('MAN_EPOCH_IGNITION', 'epoch'),
  R('MAN_DURATION', 'real', 's', { min: 0 }),
  R('MAN_DELTA_MASS', 'real', 'kg', { max: 0 }),
  R('MAN_REF_FRAME', 'text'),
  R('MAN_DV_1', 'real', 'km/s'),
  R('MAN_DV_2', 'real', 'km/s'),
  R('MAN_DV_3', 'real', 'km/s'),
]);

/**
 * Version 3.0 (502.0-B-3) relaxed MAN_DURATION and MAN_DELTA_MASS to optional (impulsive
 * manoeuvres); Orekit's OPMExamplePartialManeuver (a 3.0 message) relies on it.
 */
export const OPM_MANEUVER_V3 = section(
  'maneuverParameters',
  OPM_MANEUVER.keys.map((k) => (k.key === 'MAN_DURATION' || k.key === 'MAN_DELTA_MASS' ? { ...k, req: false } : k)),
);

export const USER_DEFINED = section('userDefinedParameters', [], { optional: true, userDefined: true });

export const OMM_MEAN = section('meanElements', [
  R('EPOCH', 'epoch'),
  K('SEMI_MAJOR_AXIS', 'real', 'km'),
  K('MEAN_MOTION', 'real', 'rev/day'),
  R('ECCENTRICITY', 'real', undefined, { min: 0 }),
  R('INCLINATION', 'real', 'deg', { min: 0, max: 180 }),
  R('RA_OF_ASC_NODE', 'real', 'deg'),
  R('ARG_OF_PERICENTER', 'real', 'deg'),
  R('MEAN_ANOMALY', 'real', 'deg'),
  K('GM', 'real', 'km**3/s**2', { min: 0 }),
]);

export const OMM_TLE = section(
  'tleParameters',
  [
    K('EPHEMERIS_TYPE', 'int'),
    K('CLASSIFICATION_TYPE', 'text'),
    R('NORAD_CAT_ID', 'int', undefined, { min: 0 }),
    R('ELEMENT_SET_NO', 'int', undefined, { min: 0 }),
    R('REV_AT_EPOCH', 'int', undefined, { min: 0 }),
    K('BSTAR', 'real', '1/ER'),
    K('BTERM', 'real', 'm**2/kg'),
    R('MEAN_MOTION_DOT', 'real', 'rev/day**2'),
    K('MEAN_MOTION_DDOT', 'real', 'rev/day**3'),
    K('AGOM', 'real', 'm**2/kg'),
  ],
  { optional: true },
);

export interface Opm {
  type: 'OPM';
  version: string;
  header: KvSection;
  metadata: KvSection;
  stateVector: KvSection;
  keplerianElements: KvSection;
  spacecraftParameters: KvSection;
  covariance: KvSection;
  maneuvers: KvSection[];
  userDefined: KvSection;
}

export interface Omm {
  type: 'OMM';
  version: string;
  header: KvSection;
  metadata: KvSection;
  meanElements: KvSection;
  spacecraftParameters: KvSection;
  tleParameters: KvSection;
  covariance: KvSection;
  userDefined: KvSection;
}

const VERSIONS = ['1.0', '2.0', '3.0'];

function exactlyOne(sec: KvSection, keys: string[], diag: Diagnostics, loc: Loc | undefined, what: string): void {
  const n = keys.filter((k) => k in sec.fields).length;
  if (n !== 1) diag.error(loc, keys[0], n === 0 ? `${what}: one of ${keys.join(' or ')} is mandatory` : `${what}: only one of ${keys.join(' or ')} may be given`);
}

/** A second <metadata> element (XML/JSON) after the first one has been read. */
function spuriousMetadata(t: Token, secs: KvSection[]): boolean {
  return t.t === 'open' && t.name === 'metadata' && Object.keys(secs[0].fields).length > 0;
}

function reportSpuriousMetadata(cur: Cursor, diag: Diagnostics): void {
  const t = cur.peek();
  if (t?.t === 'open' && t.name === 'metadata') {
    diag.error(t.loc, 'metadata', 'spurious second metadata section (a single-segment message has exactly one)');
    while (cur.next() !== undefined) {
      /* the rest cannot be interpreted */
    }
  }
}

function timeSystemOf(meta: KvSection): string {
  return typeof meta.fields.TIME_SYSTEM === 'string' ? meta.fields.TIME_SYSTEM.toUpperCase() : 'UTC';
}

export function readOpm(cur: Cursor, diag: Diagnostics): Opm {
  const version = readVersion(cur, diag, 'OPM', VERSIONS);
  const ctx: ReadContext = { diag, timeSystem: 'UTC' };
  const isMan = (k: string) => OPM_MANEUVER.index.has(k);
  const head = readSections(cur, [ODM_HEADER], ctx, { elsewhere: () => true });
  checkV3Header(head.sections[0], version, diag, head.firstLoc[0]);
  const main = readSections(cur, [OPM_METADATA, OPM_STATE, OPM_KEPLERIAN, SPACECRAFT, ODM_COVARIANCE], ctx, {
    leading: head.trailing,
    stopAt: spuriousMetadata,
    elsewhere: (k) => isMan(k) || k.startsWith('USER_DEFINED_'),
  });
  reportSpuriousMetadata(cur, diag);
  const [metadata, stateVector, keplerianElements, spacecraftParameters, covariance] = main.sections;
  if (main.present[2]) exactlyOne(keplerianElements, ['TRUE_ANOMALY', 'MEAN_ANOMALY'], diag, main.firstLoc[2], 'keplerianElements');
  const maneuvers: KvSection[] = [];
  let leading = main.trailing;
  while (cur.peek()?.t === 'kv' || (cur.peek()?.t === 'open' && (cur.peek() as { name: string }).name === 'maneuverParameters')) {
    const tok = cur.peek()!;
    if (tok.t === 'kv' && !isMan(tok.key)) break;
    const m = readSections(cur, [version === '3.0' ? OPM_MANEUVER_V3 : OPM_MANEUVER], ctx, {
      leading,
      elsewhere: (k) => k.startsWith('USER_DEFINED_'),
      // MAN_EPOCH_IGNITION opens each maneuver (502.0-B-2 §3.2.4.9).
      stopAt: (t, secs) => t.t === 'kv' && t.key === 'MAN_EPOCH_IGNITION' && 'MAN_EPOCH_IGNITION' in secs[0].fields,
    });
    leading = m.trailing;
    maneuvers.push(m.sections[0]);
  }
  const user = readSections(cur, [USER_DEFINED], ctx, { leading });
  if (user.trailing.length) user.sections[0].comments.push(...user.trailing);
  const ts = timeSystemOf(metadata);
  applyTimeSystem(metadata, OPM_METADATA, ts);
  applyTimeSystem(stateVector, OPM_STATE, ts);
  for (const m of maneuvers) applyTimeSystem(m, OPM_MANEUVER, ts);
  expectEnd(cur, diag, 'OPM');
  return { type: 'OPM', version, header: head.sections[0], metadata, stateVector, keplerianElements, spacecraftParameters, covariance, maneuvers, userDefined: user.sections[0] };
}

export function readOmm(cur: Cursor, diag: Diagnostics): Omm {
  const version = readVersion(cur, diag, 'OMM', VERSIONS);
  const ctx: ReadContext = { diag, timeSystem: 'UTC' };
  const head = readSections(cur, [ODM_HEADER], ctx, { elsewhere: () => true });
  checkV3Header(head.sections[0], version, diag, head.firstLoc[0]);
  const r = readSections(cur, [OMM_METADATA, OMM_MEAN, SPACECRAFT, OMM_TLE, ODM_COVARIANCE, USER_DEFINED], ctx, { leading: head.trailing, stopAt: spuriousMetadata });
  reportSpuriousMetadata(cur, diag);
  const [metadata, meanElements, spacecraftParameters, tleParameters, covariance, userDefined] = r.sections;
  if (r.trailing.length) userDefined.comments.push(...r.trailing);
  exactlyOne(meanElements, ['SEMI_MAJOR_AXIS', 'MEAN_MOTION'], diag, r.firstLoc[1], 'meanElements');
  if (r.present[3]) {
    for (const k of ['BTERM', 'AGOM']) if (k in tleParameters.fields && version !== '3.0') diag.error(r.firstLoc[3], k, `keyword only defined from version 3.0 (502.0-B-3), message is version ${version}`);
    exactlyOne(tleParameters, ['BSTAR', 'BTERM'], diag, r.firstLoc[3], 'tleParameters');
    exactlyOne(tleParameters, ['MEAN_MOTION_DDOT', 'AGOM'], diag, r.firstLoc[3], 'tleParameters');
  }
  const ts = timeSystemOf(metadata);
  applyTimeSystem(metadata, OMM_METADATA, ts);
  applyTimeSystem(meanElements, OMM_MEAN, ts);
  expectEnd(cur, diag, 'OMM');
  return { type: 'OMM', version, header: head.sections[0], metadata, meanElements, spacecraftParameters, tleParameters, covariance, userDefined };
}

function present(sec: KvSection): boolean {
  return sec.comments.length > 0 || Object.keys(sec.fields).length > 0;
}

export function writeOpmKvn(opm: Opm): string {
  const w = new KvnWriter(20);
  w.kv('CCSDS_OPM_VERS', opm.version);
  w.section(opm.header, ODM_HEADER);
  const parts: [KvSection, SectionSpec][] = [
    [opm.metadata, OPM_METADATA],
    [opm.stateVector, OPM_STATE],
    [opm.keplerianElements, OPM_KEPLERIAN],
    [opm.spacecraftParameters, SPACECRAFT],
    [opm.covariance, ODM_COVARIANCE],
    ...opm.maneuvers.map((m): [KvSection, SectionSpec] => [m, OPM_MANEUVER]),
    [opm.userDefined, USER_DEFINED],
  ];
  for (const [sec, spec] of parts) {
    if (!present(sec)) continue;
    w.blank();
    w.section(sec, spec);
  }
  return w.toString();
}

export function writeOmmKvn(omm: Omm): string {
  const w = new KvnWriter(20);
  w.kv('CCSDS_OMM_VERS', omm.version);
  w.section(omm.header, ODM_HEADER);
  const parts: [KvSection, SectionSpec][] = [
    [omm.metadata, OMM_METADATA],
    [omm.meanElements, OMM_MEAN],
    [omm.spacecraftParameters, SPACECRAFT],
    [omm.tleParameters, OMM_TLE],
    [omm.covariance, ODM_COVARIANCE],
    [omm.userDefined, USER_DEFINED],
  ];
  for (const [sec, spec] of parts) {
    if (!present(sec)) continue;
    w.blank();
    w.section(sec, spec);
  }
  return w.toString();
}

function userNode(sec: KvSection): XNode[] {
  return present(sec) ? [el('userDefinedParameters', [...sectionNodes(sec, USER_DEFINED), ...userDefinedNodes(sec)])] : [];
}

function opt(name: string, sec: KvSection, spec: SectionSpec): XNode[] {
  return present(sec) ? [el(name, sectionNodes(sec, spec))] : [];
}

export function opmTree(opm: Opm): XNode {
  const data = [
    el('stateVector', sectionNodes(opm.stateVector, OPM_STATE)),
    ...opt('keplerianElements', opm.keplerianElements, OPM_KEPLERIAN),
    ...opt('spacecraftParameters', opm.spacecraftParameters, SPACECRAFT),
    ...opt('covarianceMatrix', opm.covariance, ODM_COVARIANCE),
    ...opm.maneuvers.map((m) => el('maneuverParameters', sectionNodes(m, OPM_MANEUVER))),
    ...userNode(opm.userDefined),
  ];
  return el('opm', [el('header', sectionNodes(opm.header, ODM_HEADER)), el('body', [el('segment', [el('metadata', sectionNodes(opm.metadata, OPM_METADATA)), el('data', data)])])], { id: 'CCSDS_OPM_VERS', version: opm.version });
}

export function ommTree(omm: Omm): XNode {
  const data = [
    el('meanElements', sectionNodes(omm.meanElements, OMM_MEAN)),
    ...opt('spacecraftParameters', omm.spacecraftParameters, SPACECRAFT),
    ...opt('tleParameters', omm.tleParameters, OMM_TLE),
    ...opt('covarianceMatrix', omm.covariance, ODM_COVARIANCE),
    ...userNode(omm.userDefined),
  ];
  return el('omm', [el('header', sectionNodes(omm.header, ODM_HEADER)), el('body', [el('segment', [el('metadata', sectionNodes(omm.metadata, OMM_METADATA)), el('data', data)])])], { id: 'CCSDS_OMM_VERS', version: omm.version });
}

/** An empty OMM skeleton (used for the CelesTrak flat JSON/CSV forms). */
export function emptyOmm(version = '2.0'): Omm {
  return { type: 'OMM', version, header: emptySection(), metadata: emptySection(), meanElements: emptySection(), spacecraftParameters: emptySection(), tleParameters: emptySection(), covariance: emptySection(), userDefined: emptySection() };
}
